# Sourced by infra.sh: a local image registry (Debian's docker-registry) on 127.0.0.1:5000 with htpasswd
# authentication, for the tests and the demo. Its storage, users and credentials live under one directory.

REGISTRY_ADDR="${GREENLIGHT_REGISTRY_ADDR:-127.0.0.1:5000}"
REGISTRY_DIR="${GREENLIGHT_REGISTRY_DIR:-/var/lib/greenlight/registry}"
REGISTRY_USER=gl-test
REGISTRY_WAIT_S=15

# 401 from /v2/ means a registry that wants credentials answers; anything else is not ours.
registry_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$REGISTRY_ADDR/v2/" 2>/dev/null) || return 1
  [ "$code" = 401 ]
}

write_registry_files() {
  mkdir -p "$REGISTRY_DIR/data"
  chmod 700 "$REGISTRY_DIR"
  if [ ! -s "$REGISTRY_DIR/credentials.env" ] || [ ! -s "$REGISTRY_DIR/htpasswd" ]; then
    local password
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    htpasswd -Bbc "$REGISTRY_DIR/htpasswd" "$REGISTRY_USER" "$password" >/dev/null 2>&1
    umask 077
    printf 'GREENLIGHT_REGISTRY=%s\nGREENLIGHT_REGISTRY_USER=%s\nGREENLIGHT_REGISTRY_PASSWORD=%s\n' \
      "$REGISTRY_ADDR" "$REGISTRY_USER" "$password" >"$REGISTRY_DIR/credentials.env"
    gl_log "registry user $REGISTRY_USER created (credentials: $REGISTRY_DIR/credentials.env)"
  fi
  cat >"$REGISTRY_DIR/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
auth:
  htpasswd:
    realm: greenlight-test
    path: $REGISTRY_DIR/htpasswd
YAML
}

ensure_registry() {
  if [ ! -s "$REGISTRY_DIR/credentials.env" ] && registry_answers; then
    MISSING+=("registry (something else answers on $REGISTRY_ADDR)")
    return 0
  fi
  if registry_answers; then
    gl_log "registry answers on $REGISTRY_ADDR"
    return 0
  fi
  local bin
  bin=$(find_command docker-registry /usr/bin/docker-registry) || true
  if [ -z "$bin" ] || ! gl_have htpasswd; then
    if [ "$CAN_INSTALL" = 0 ]; then
      MISSING+=("registry (Debian packages docker-registry and apache2-utils)")
      return 0
    fi
    apt_install docker-registry apache2-utils || { MISSING+=("registry (apt-get install docker-registry apache2-utils failed)"); return 0; }
    bin=$(find_command docker-registry /usr/bin/docker-registry) || { MISSING+=("registry (docker-registry not found after install)"); return 0; }
  fi
  write_registry_files
  mkdir -p "$LOG_DIR"
  gl_log "starting $bin on $REGISTRY_ADDR (storage: $REGISTRY_DIR/data, log: $LOG_DIR/registry.log)"
  setsid nohup "$bin" serve "$REGISTRY_DIR/config.yml" >>"$LOG_DIR/registry.log" 2>&1 </dev/null &
  echo $! >"$REGISTRY_DIR/registry.pid"
  local i
  for ((i = 0; i < REGISTRY_WAIT_S * 4; i++)); do
    if registry_answers; then gl_log "registry answers on $REGISTRY_ADDR"; return 0; fi
    sleep 0.25
  done
  tail -n 20 "$LOG_DIR/registry.log" >&2 || true
  MISSING+=("registry (did not answer on $REGISTRY_ADDR; see $LOG_DIR/registry.log)")
}
