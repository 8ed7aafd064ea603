#!/usr/bin/env bash
# npm run demo: builds the package, then starts the vendor simulator and a real n8n 2.41.1 with the
# package installed, the owner login created, simulator credentials and the example workflows
# imported (scripts/demo.js). Prints the editor URL, the login and what to click. Ctrl-C stops it all.
# Env: DEMO_N8N_PORT (5678), DEMO_SIM_PORT (8787), DEMO_LISTEN_ADDRESS (127.0.0.1), CN_SMS_CACHE.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[demo] installing the package's dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "[demo] building the package (npm run build)"
npm run build --silent
exec node scripts/demo.js "$@"
