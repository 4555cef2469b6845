# Sourced by infra.sh: a Docker engine that answers, started here when it is ours to start.

DEFAULT_DOCKER_HOST=unix:///var/run/docker.sock

engine_version() {
  local out
  if gl_have docker; then
    out=$(timeout 5 docker version --format '{{.Server.Version}}' 2>/dev/null) && [ -n "$out" ] && echo "$out" && return 0
    return 1
  fi
  local host="${DOCKER_HOST:-$DEFAULT_DOCKER_HOST}"
  case "$host" in
    unix://*)
      gl_have curl || return 1
      out=$(curl -sf --max-time 2 --unix-socket "${host#unix://}" http://localhost/_ping 2>/dev/null) || return 1
      [ "$out" = OK ] && echo "unknown version (no docker CLI)"
      ;;
    *) return 1 ;;
  esac
}

# A pid file left by an engine that was killed makes the next dockerd refuse to start.
clear_stale_pidfile() {
  [ -f "$DOCKER_PIDFILE" ] || return 0
  local pid
  pid=$(tr -dc '0-9' <"$DOCKER_PIDFILE")
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    return 1
  fi
  gl_log "removing stale $DOCKER_PIDFILE (pid ${pid:-none} is not a running dockerd)"
  rm -f "$DOCKER_PIDFILE"
}

wait_for_engine() {
  local i version
  for ((i = 0; i < ENGINE_WAIT_S * 2; i++)); do
    if version=$(engine_version); then echo "$version"; return 0; fi
    sleep 0.5
  done
  return 1
}

start_dockerd() {
  mkdir -p "$LOG_DIR"
  if ! clear_stale_pidfile; then
    gl_log "dockerd (pid $(cat "$DOCKER_PIDFILE")) is running but not answering yet; waiting"
    return 0
  fi
  local dockerd
  dockerd=$(find_command dockerd /usr/sbin/dockerd /usr/bin/dockerd) || gl_die "dockerd not found after installing docker.io"
  gl_log "starting $dockerd --iptables=false --bridge=none (log: $LOG_DIR/dockerd.log)"
  setsid nohup "$dockerd" --iptables=false --bridge=none >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
}

ensure_docker_engine() {
  local host="${DOCKER_HOST:-$DEFAULT_DOCKER_HOST}" version
  if version=$(engine_version); then
    gl_log "docker engine $version answers on $host"
    return 0
  fi
  if [ "$host" != "$DEFAULT_DOCKER_HOST" ]; then
    MISSING+=("docker engine (nothing answers on DOCKER_HOST=$host; infra.sh starts engines only on $DEFAULT_DOCKER_HOST)")
    return 0
  fi
  if [ "$CAN_INSTALL" = 0 ]; then
    MISSING+=("docker engine (no answer on $host, or this user may not use it; install Debian's docker.io and start dockerd as root)")
    return 0
  fi
  if ! find_command dockerd /usr/sbin/dockerd /usr/bin/dockerd >/dev/null || ! gl_have docker; then
    apt_install docker.io || { MISSING+=("docker engine (apt-get install docker.io failed)"); return 0; }
  fi
  # Twice: a dockerd found still running may have been shutting down rather than starting.
  local _
  for _ in 1 2; do
    start_dockerd
    if version=$(wait_for_engine); then
      gl_log "docker engine $version answers on $host"
      return 0
    fi
  done
  gl_warn "last lines of $LOG_DIR/dockerd.log:"
  tail -n 20 "$LOG_DIR/dockerd.log" >&2 || true
  MISSING+=("docker engine (dockerd did not answer; see $LOG_DIR/dockerd.log)")
}
