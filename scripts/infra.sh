#!/usr/bin/env bash
# Makes sure the parts Greenlight drives are present on this machine: a Docker engine that answers,
# nginx (installed only; Greenlight runs its own nginx with its own config), sqlite3, curl, hey (the benchmarks'
# external load generator), systemd-analyze (to verify the unit scripts/install.sh writes), a local image registry
# on 127.0.0.1:5000 with a test user (scripts/infra-registry.sh), openssh-server, iproute2 and nsenter for the
# multi-host test fleet (scripts/fleet/fleet.sh), and with --with-chromium (or
# GREENLIGHT_WITH_CHROMIUM=1) Debian's chromium for the browser tests.
#
# Usage: scripts/infra.sh [--with-chromium]
#
# Idempotent: present parts are reported and left alone. Missing parts are installed only when we
# are root on Debian (apt-get); elsewhere the script lists what is missing and exits non-zero.
# When no engine answers on DOCKER_HOST (default unix:///var/run/docker.sock) it starts
# `dockerd --iptables=false --bridge=none` in the background, logging to /var/log/greenlight/dockerd.log;
# containers then use host networking and bind 127.0.0.1 ports.
set -euo pipefail
GL_SCRIPT_NAME=infra
. "$(dirname "$0")/lib.sh"

WITH_CHROMIUM="${GREENLIGHT_WITH_CHROMIUM:-0}"
for arg in "$@"; do
  case "$arg" in
    --with-chromium) WITH_CHROMIUM=1 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) gl_die "unknown argument: $arg (see --help)" ;;
  esac
done

LOG_DIR=/var/log/greenlight
DOCKER_PIDFILE=/var/run/docker.pid
ENGINE_WAIT_S=30
MISSING=()

CAN_INSTALL=0
if [ "$(id -u)" = 0 ] && gl_have apt-get; then CAN_INSTALL=1; fi

. "$(dirname "$0")/infra-packages.sh"
. "$(dirname "$0")/infra-docker.sh"
. "$(dirname "$0")/infra-registry.sh"

ensure_command curl curl
ensure_command sqlite3 sqlite3
ensure_command nginx nginx /usr/sbin/nginx
# Tests start their own HAProxy on loopback with their own config; the package's system service is never started.
ensure_command haproxy haproxy /usr/sbin/haproxy
ensure_command hey hey /usr/bin/hey
# tests/install checks the systemd unit scripts/install.sh writes; the package only installs, it starts nothing here.
ensure_command systemd-analyze systemd /usr/bin/systemd-analyze
# The multi-host tests (scripts/fleet/fleet.sh) run Debian's sshd inside their own network namespaces, with their
# own config and keys; the package's system service is never started.
ensure_command sshd openssh-server /usr/sbin/sshd
ensure_command ssh-keygen openssh-client /usr/bin/ssh-keygen
ensure_command nsenter util-linux /usr/bin/nsenter
ensure_command ip iproute2 /usr/sbin/ip /sbin/ip
if [ "$WITH_CHROMIUM" = 1 ]; then ensure_command chromium chromium /usr/bin/chromium; fi
ensure_docker_engine
ensure_registry

if [ ${#MISSING[@]} -gt 0 ]; then
  gl_warn "missing: ${MISSING[*]}"
  if [ "$CAN_INSTALL" = 0 ]; then
    gl_die "not root on a Debian machine with apt-get: install the missing parts yourself, then run this again"
  fi
  gl_die "could not provide: ${MISSING[*]}"
fi
gl_log "ready"
