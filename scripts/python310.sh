#!/usr/bin/env bash
# Print a Python 3.10 interpreter that runs (Rasa 3.6 needs < 3.11).
# The pyenv shim `python3.10` fails unless pyenv selects 3.10, so look for the
# real binary first.
for candidate in "$(pyenv root 2>/dev/null)"/versions/3.10.*/bin/python3.10 \
                 "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 \
                 "$(command -v python3.10 2>/dev/null)"; do
  if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "No working Python 3.10 found: install it (pyenv install 3.10.13) and try again." >&2
exit 1
