#!/usr/bin/env bash
# Prepares this machine and checkout for Greenlight: the infra (Docker engine, nginx, sqlite3, curl and,
# with --with-chromium, Chromium), the npm packages (npm ci, skipped while package-lock.json is unchanged)
# and the example service's images. Idempotent; the demo and the test run both start with it.
set -euo pipefail
GL_SCRIPT_NAME=setup
. "$(dirname "$0")/lib.sh"
cd "$GL_REPO_ROOT"

started=$(gl_now_ms)
bash scripts/infra.sh "$@"

gl_have node || gl_die "Node.js 20 or newer is required (node not found on PATH)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || gl_die "Node.js 20 or newer is required (found $(node --version))"

stamp="node_modules/.greenlight-lock-hash"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  gl_log "npm packages up to date"
else
  gl_log "installing npm packages (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

bash scripts/build-images.sh
gl_log "ready in $(( ($(gl_now_ms) - started) / 1000 )) s"
