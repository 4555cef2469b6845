#!/usr/bin/env bash
# Sets up this machine (scripts/setup.sh) and runs every test Greenlight has: type check, lint, a production
# build, the vitest suites against real Docker, nginx, SQLite and that build, and the Playwright journeys in Chromium.
# Ends with one line `tests: N passed, N failed, N skipped` over both runners; exits non-zero on any failure.
set -uo pipefail
GL_SCRIPT_NAME=test
. "$(dirname "$0")/lib.sh"
cd "$GL_REPO_ROOT"

started=$(gl_now_ms)
bash scripts/setup.sh --with-chromium || gl_die "setup failed"
# The suites listen on fixed loopback ports: the e2e server and the demo's (3000-3310, 8080), the stacks (41000-53999).
gl_reserve_ports 3000-3310,8080,41000-53999
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
results="$GL_REPO_ROOT/test-results"
mkdir -p "$results"
rm -f "$results/vitest.json" "$results/playwright.json"
status=0

step() { # name command...
  local name=$1 t0; shift
  t0=$(gl_now_ms)
  gl_log "== $name"
  if "$@"; then gl_log "== $name passed in $(( ($(gl_now_ms) - t0) / 1000 )) s"
  else gl_log "== $name FAILED"; status=1; fi
}

step "type check" npx tsc --noEmit
step "lint" npx eslint --quiet .
step "format check (prettier --write . fixes it)" npx prettier --check --log-level warn .
# The build comes first: the security suite enumerates the build's actions and routes, the CLI test drives next start.
step "production build" npx next build
step "unit and integration tests (vitest)" npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" step "browser journeys (playwright)" node e2e/run.mjs --reporter=list,json

gl_log "finished in $(( ($(gl_now_ms) - started) / 1000 )) s"
node scripts/test-summary.mjs "$results/vitest.json" "$results/playwright.json" || status=1
exit $status
