#!/usr/bin/env bash
# Set up what the browser tests (tests/browser) need, once per machine:
#  - Debian's Chromium at /usr/bin/chromium (never `playwright install`);
#  - axe-core 4 from the npm registry into build/npm (injected by the accessibility test).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f build/npm/node_modules/axe-core/axe.min.js ]; then
    npm install --silent --no-audit --no-fund --prefix build/npm axe-core@4
fi

echo "Browser tests ready: $(command -v chromium), build/npm/node_modules/axe-core/axe.min.js"
