#!/usr/bin/env bash
# Set up what the browser tests need: Debian's Chromium (never `playwright install`)
# and axe-core from the npm registry into build/npm.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq chromium
fi

if [ ! -f build/npm/node_modules/axe-core/axe.min.js ]; then
    npm install --silent --no-audit --no-fund --prefix build/npm axe-core@4
fi
