#!/usr/bin/env bash
# Builds the PrivateTrade example images offline, with no registry: FROM scratch images holding this
# machine's node binary, the shared libraries ldd lists for it, the bundled app and better-sqlite3.
#
# Usage:
#   scripts/build-images.sh                   builds privatetrade:1.9.0 and privatetrade:2.0.0
#   scripts/build-images.sh 2.0.1 1.9.1       any versions, from the same sources; the version string is
#                                             baked into the bundle and reported by GET /api/health
#   FEATURES=v1 scripts/build-images.sh 2.0.2 feature set: v2 (stock-selection endpoints, needs migration 001)
#                                             or v1; default v2 when the major version is >= 2, else v1
#   IMAGE_REPO=my-prefix-privatetrade ...     repository name (default privatetrade)
#   FORCE=1 ...                               rebuild even when the image is up to date
#   FAULT_ENV="FAULT_ERROR_RATE=0.5" scripts/build-images.sh 2.0.9-bad
#                                             bakes fault knobs (examples/privatetrade/README.md) into the
#                                             image's ENV: a bad release whatever env the service config
#                                             sets; space-separated FAULT_*=value pairs, label
#                                             greenlight.example.faults; give such images their own tag
#
# Idempotent: each image carries the label greenlight.example.hash (content hash of its build context);
# a version whose image already carries the current hash is skipped ("skip <tag>: up to date").
# Also writes examples/privatetrade/.build/init-db.js: `node .../init-db.js <db-file>` creates the
# v1.9.0 schema with its four config rows.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

IMAGE_REPO="${IMAGE_REPO:-privatetrade}"
EXAMPLE="$GL_REPO_ROOT/examples/privatetrade"
BUILD="$EXAMPLE/.build"
CONTEXT="$BUILD/context"
ESBUILD="$GL_REPO_ROOT/node_modules/.bin/esbuild"
VERSIONS=("$@")
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(1.9.0 2.0.0)

for v in "${VERSIONS[@]}"; do
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]] || gl_die "not a version: $v"
done
[ -z "${FEATURES:-}" ] || [[ "$FEATURES" =~ ^v[12]$ ]] || gl_die "FEATURES must be v1 or v2"
fault_re='FAULT_[A-Z0-9_]+=[A-Za-z0-9._:-]+'
[ -z "${FAULT_ENV:-}" ] || [[ "$FAULT_ENV" =~ ^$fault_re(\ $fault_re)*$ ]] \
  || gl_die "FAULT_ENV must be space-separated FAULT_*=value pairs (values of letters, digits and . _ : -)"
# Empty without FAULT_ENV, so the Dockerfile (and its content hash) of a plain build stays as it was.
fault_block=""
[ -z "${FAULT_ENV:-}" ] || fault_block="ENV $FAULT_ENV
LABEL greenlight.example.faults=\"$FAULT_ENV\"
"
[[ "$IMAGE_REPO" =~ ^[a-z0-9][a-z0-9._/-]*$ ]] || gl_die "not a repository name: $IMAGE_REPO"
gl_have docker || gl_die "docker CLI not found (run scripts/infra.sh)"
[ -x "$ESBUILD" ] || gl_die "esbuild not found at $ESBUILD (run npm install)"

mkdir -p "$BUILD"
# Several test suites may build at once; one builder at a time keeps the shared context consistent.
exec 9>"$BUILD/.lock"
flock -w 300 9 || gl_die "timed out waiting for $BUILD/.lock"

started=$(gl_now_ms)
. "$(dirname "$0")/build-images-rootfs.sh"
assemble_rootfs "$CONTEXT/rootfs" "$GL_REPO_ROOT/node_modules"
rootfs_hash=$(cd "$CONTEXT" && find rootfs -print0 | LC_ALL=C sort -z | xargs -0 stat -c '%n %a %F' | sha256sum | cut -c1-64)
rootfs_content=$(cd "$CONTEXT" && find rootfs -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)

bundle() { # entry outfile version features
  "$ESBUILD" "$EXAMPLE/src/$1" --bundle --platform=node --target=node20 --format=cjs \
    --external:better-sqlite3 --log-level=warning --legal-comments=none \
    "--define:__APP_VERSION__=\"$3\"" "--define:__APP_FEATURES__=\"$4\"" --outfile="$2"
}
bundle init-db-cli.ts "$BUILD/init-db.js" 0.0.0 v1

for version in "${VERSIONS[@]}"; do
  features="${FEATURES:-}"
  if [ -z "$features" ]; then
    if [ "${version%%.*}" -ge 2 ]; then features=v2; else features=v1; fi
  fi
  tag="$IMAGE_REPO:$version"
  app="app-$version-$features"
  rm -rf "${CONTEXT:?}/$app" && mkdir -p "$CONTEXT/$app"
  bundle server.ts "$CONTEXT/$app/server.js" "$version" "$features"
  cat >"$CONTEXT/Dockerfile.$app" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
COPY $app/ /app/
WORKDIR /app
ENV NODE_ENV=production HOST=127.0.0.1 PORT=3000 DATABASE_PATH=/app/backtest.db
${fault_block}EXPOSE 3000
ENTRYPOINT ["/usr/bin/node", "/app/server.js"]
DOCKERFILE
  hash=$( { echo "$rootfs_hash $rootfs_content"; sha256sum "$CONTEXT/$app/server.js" | cut -c1-64; cat "$CONTEXT/Dockerfile.$app"; } | sha256sum | cut -c1-64)
  current=$(docker image inspect -f '{{index .Config.Labels "greenlight.example.hash"}}' "$tag" 2>/dev/null || true)
  if [ "$current" = "$hash" ] && [ -z "${FORCE:-}" ]; then
    gl_log "skip $tag: up to date (hash ${hash:0:12})"
    continue
  fi
  t0=$(gl_now_ms)
  gl_log "build $tag (features $features${FAULT_ENV:+, faults $FAULT_ENV}, hash ${hash:0:12})"
  DOCKER_BUILDKIT=0 docker build -q -f "$CONTEXT/Dockerfile.$app" -t "$tag" \
    --label "org.opencontainers.image.title=PrivateTrade Backtesting Simulator" \
    --label "org.opencontainers.image.version=$version" \
    --label "greenlight.example=privatetrade" \
    --label "greenlight.example.features=$features" \
    --label "greenlight.example.hash=$hash" \
    "$CONTEXT" >/dev/null 2>"$BUILD/build.log" || { cat "$BUILD/build.log" >&2; gl_die "docker build of $tag failed"; }
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  gl_log "built $tag in $(( $(gl_now_ms) - t0 )) ms ($(( size / 1000000 )) MB)"
done
gl_log "done in $(( $(gl_now_ms) - started )) ms"
