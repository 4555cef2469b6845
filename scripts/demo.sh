#!/usr/bin/env bash
# One command for the demo on a fresh Debian machine (as root): infra, npm packages, example images, a
# production build, then scripts/demo.ts (stack, blue 1.9.0, demo users, console on 127.0.0.1:3100, traffic).
set -euo pipefail
GL_SCRIPT_NAME=demo
. "$(dirname "$0")/lib.sh"
cd "$GL_REPO_ROOT"
bash scripts/setup.sh
gl_reserve_ports "${GREENLIGHT_PORT:-3100},${DEMO_LB_PORT:-8080},${DEMO_BLUE_PORT:-3000},${DEMO_GREEN_PORT:-3001},${DEMO_LAB_BLUE_PORT:-3002},${DEMO_LAB_GREEN_PORT:-3003}"
gl_log "building the console (next build)"
NEXT_TELEMETRY_DISABLED=1 npx next build >/tmp/greenlight-demo-build.log 2>&1 || { tail -40 /tmp/greenlight-demo-build.log; gl_die "next build failed"; }
exec node --import tsx scripts/demo.ts
