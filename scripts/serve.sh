#!/usr/bin/env bash
# Start the chat page, the action server and Rasa (REST channel, SQLite tracker
# store by default) in the foreground, serving every trial file in trials/; Ctrl-C stops all three.
#   WEB_PORT (8080), RASA_PORT (5005), ACTIONS_PORT (5055), ENDPOINTS (endpoints.yml), TRIALS_DIR (trials)
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false  # no usage reports to an outside service, however this is started
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
ENDPOINTS=${ENDPOINTS:-endpoints.yml}
WEB_PORT=${WEB_PORT:-8080}
# Every trial file is checked before anything starts: a malformed one stops here, in one line.
.venv/bin/python -m eligibility trials >/dev/null
MODEL=$(.venv/bin/python scripts/train.py)
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export PYTHONPATH=$PWD  # Rasa loads server.channel and server.tracker_store from here
export SANIC_HOST=${SANIC_HOST:-127.0.0.1}  # the action server listens on loopback only
mkdir -p logs
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
.venv/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT" >logs/actions.log 2>&1 &  # no need to load Rasa for it
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --endpoints "$ENDPOINTS" --credentials credentials.yml \
  --interface 127.0.0.1 --port "$RASA_PORT" --cors "http://127.0.0.1:$WEB_PORT" >logs/rasa.log 2>&1 &
pids+=($!)
RASA_URL="http://127.0.0.1:$RASA_PORT" WEB_PORT=$WEB_PORT .venv/bin/python web/serve.py >logs/web.log 2>&1 &
pids+=($!)
echo "Starting: action server on 127.0.0.1:$ACTIONS_PORT, Rasa REST on 127.0.0.1:$RASA_PORT (logs in logs/)."
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$RASA_PORT/" >/dev/null; then
    echo "Ready: open http://127.0.0.1:$WEB_PORT/ (REST: POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook)"
    break
  fi
  sleep 1
done
wait -n "${pids[@]}"
