#!/usr/bin/env bash
# The nurse shell: start a private pair of servers (HTTP API on, with a random
# token, so the shell can read the answers), chat in the terminal, stop them on exit.
#   SHELL_RASA_PORT (5006), SHELL_ACTIONS_PORT (5056); the conversation is kept in shell.db.
#   scripts/shell.sh --trial ID   chats about that trial (make shell TRIAL=ID); the default trial otherwise.
#   /handoff REF opens a family's hand-off from the deployment's store (ENDPOINTS, endpoints.yml by default).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false  # no usage reports to an outside service, however this is started
RASA_PORT=${SHELL_RASA_PORT:-5006}
ACTIONS_PORT=${SHELL_ACTIONS_PORT:-5056}
.venv/bin/python -m eligibility trials >/dev/null  # a malformed trial file stops here, in one line
MODEL=$(.venv/bin/python scripts/train.py)
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-3} PYTHONPATH=$PWD SANIC_HOST=127.0.0.1
RASA_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')
export RASA_TOKEN
mkdir -p logs build
sed -e "s#127.0.0.1:5055#127.0.0.1:$ACTIONS_PORT#" -e 's#"rasa.db"#"shell.db"#' endpoints.yml > build/shell-endpoints.yml
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
.venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" >logs/shell-actions.log 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --endpoints build/shell-endpoints.yml --credentials credentials.yml \
  --interface 127.0.0.1 --port "$RASA_PORT" --enable-api --auth-token "$RASA_TOKEN" >logs/shell-rasa.log 2>&1 &
pids+=($!)
echo "Starting the assistant for the shell (about 20 seconds)..."
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null && curl -sf "http://127.0.0.1:$ACTIONS_PORT/health" >/dev/null && break
  sleep 1
done
# /handoff reads the deployment's store (ENDPOINTS, as make run), then the shell's own.
.venv/bin/python -m shell --url "http://127.0.0.1:$RASA_PORT" --endpoints "${ENDPOINTS:-endpoints.yml}" \
  --endpoints build/shell-endpoints.yml "$@"
