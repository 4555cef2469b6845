#!/usr/bin/env bash
# A fleet of Docker hosts on this machine, for the multi-host tests: each host is a network namespace
# (gl-fleet-N) with its own dockerd (own data root, exec root, pid file and socket) and Debian's sshd, reached
# on a veth pair at 10.213.47.(10+N) from 10.213.47.N in this namespace. Nothing else is ever addressed.
#
# Usage:
#   scripts/fleet/fleet.sh up N           sweeps leftovers, then starts hosts 1..N (N <= 4)
#   scripts/fleet/fleet.sh load IMAGE...  copies images from the shared engine into every host (docker save | load)
#   scripts/fleet/fleet.sh stop-engine K  kills host K's dockerd (and its containerd), leaving the host reachable
#   scripts/fleet/fleet.sh down           removes every host, its processes, mounts and files (also after a kill)
#
# Per host: socket /run/gl-fleet/N/docker.sock, TCP 10.213.47.(10+N):2375 (plain, namespace-only), sshd on
# 10.213.47.(10+N):22 for root with the key /run/gl-fleet/id_ed25519 (DOCKER_HOST set for `docker system
# dial-stdio`), host key fingerprint in /run/gl-fleet/N/host_key.sha256. Needs root, iproute2, nsenter, dockerd,
# the docker CLI and openssh-server (scripts/infra.sh installs them).
set -euo pipefail
GL_SCRIPT_NAME=fleet
. "$(dirname "$0")/../lib.sh"

PREFIX=gl-fleet
RUN_DIR=/run/gl-fleet
DATA_DIR=/var/lib/gl-fleet
NET=10.213.47
MAX_HOSTS=4

ns_name() { echo "$PREFIX-$1"; }
host_addr() { echo "$NET.$((10 + $1))"; }
veth_outer() { echo "glf$1o"; }
veth_inner() { echo "glf$1i"; }

# Every process in a namespace of ours (dockerd, containerd, shims, containers, sshd) is killed by namespace, never by
# name: `ip netns pids` lists exactly those.
kill_namespace_processes() { # name
  local ns="$1" pids i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.2
  done
  gl_warn "processes still in $ns: $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"
}

unmount_under() { # dir
  local dir="$1" m
  # Deepest first: overlay mounts and netns files inside the data and exec roots.
  for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

sweep() {
  local n ns
  for n in $(seq 1 "$MAX_HOSTS"); do
    ns=$(ns_name "$n")
    if [ -e "/var/run/netns/$ns" ]; then
      kill_namespace_processes "$ns"
      ip netns del "$ns" 2>/dev/null || true
    fi
    ip link del "$(veth_outer "$n")" 2>/dev/null || true
  done
  unmount_under "$RUN_DIR"
  unmount_under "$DATA_DIR"
  rm -rf "$RUN_DIR" "$DATA_DIR"
}

wait_for() { # seconds description command...
  local seconds="$1" what="$2" i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  gl_die "$what did not come up within $seconds s"
}

start_host() { # n
  local n="$1" ns addr dir outer inner
  ns=$(ns_name "$n")
  addr=$(host_addr "$n")
  dir="$RUN_DIR/$n"
  outer=$(veth_outer "$n")
  inner=$(veth_inner "$n")
  mkdir -p "$dir" "$DATA_DIR/$n"

  ip netns add "$ns"
  ip link add "$outer" type veth peer name "$inner"
  ip link set "$inner" netns "$ns"
  ip addr add "$NET.$n/32" dev "$outer"
  ip link set "$outer" up
  ip route add "$addr/32" dev "$outer" src "$NET.$n"
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$addr/24" dev "$inner"
  ip -n "$ns" link set "$inner" up

  # nsenter keeps this mount namespace (ip netns exec remounts /sys, and dockerd then finds no cgroups).
  nsenter --net="/var/run/netns/$ns" setsid dockerd \
    --data-root "$DATA_DIR/$n" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
    --host "unix://$dir/docker.sock" --host "tcp://$addr:2375" \
    --iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false \
    >"$dir/dockerd.log" 2>&1 </dev/null &

  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" >/dev/null
  ssh-keygen -l -E sha256 -f "$dir/host_key.pub" | awk '{print $2}' >"$dir/host_key.sha256"
  cat >"$dir/sshd_config" <<EOF
ListenAddress $addr:22
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $RUN_DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv DOCKER_HOST=unix://$dir/docker.sock
EOF
  nsenter --net="/var/run/netns/$ns" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
}

up() { # n
  local count="$1" n
  [[ "$count" =~ ^[1-9]$ ]] && [ "$count" -le "$MAX_HOSTS" ] || gl_die "up takes a number of hosts, 1-$MAX_HOSTS"
  [ "$(id -u)" = 0 ] || gl_die "the fleet needs root (network namespaces, dockerd)"
  local tool
  for tool in ip nsenter dockerd docker ssh-keygen /usr/sbin/sshd; do
    command -v "$tool" >/dev/null || gl_die "$tool not found (run scripts/infra.sh)"
  done
  sweep
  mkdir -p "$RUN_DIR" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -C gl-fleet -f "$RUN_DIR/id_ed25519" >/dev/null
  cp "$RUN_DIR/id_ed25519.pub" "$RUN_DIR/authorized_keys"
  for n in $(seq 1 "$count"); do start_host "$n"; done
  for n in $(seq 1 "$count"); do
    wait_for 30 "dockerd of host $n" docker -H "unix://$RUN_DIR/$n/docker.sock" version
  done
  echo "$count" >"$RUN_DIR/count"
  gl_log "$count host(s) up: $(for n in $(seq 1 "$count"); do printf '%s ' "$(host_addr "$n")"; done)"
}

load() { # image...
  local count n image
  count=$(cat "$RUN_DIR/count" 2>/dev/null) || gl_die "no fleet is up"
  for image in "$@"; do
    [[ "$image" =~ ^[a-z0-9][a-z0-9._/:-]*$ ]] || gl_die "not an image reference: $image"
    for n in $(seq 1 "$count"); do
      docker save "$image" | docker -H "unix://$RUN_DIR/$n/docker.sock" load -q >/dev/null &
    done
    wait
  done
}

stop_engine() { # n
  local n="$1" pid
  [[ "$n" =~ ^[1-9]$ ]] || gl_die "stop-engine takes a host number"
  pid=$(cat "$RUN_DIR/$n/dockerd.pid" 2>/dev/null) || gl_die "host $n has no dockerd"
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || gl_die "pid $pid is not a dockerd"
  kill -9 "$pid"
  for pid in $(ip netns pids "$(ns_name "$n")"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = containerd ] && kill -9 "$pid" || true
  done
  rm -f "$RUN_DIR/$n/docker.sock"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  load) shift; load "$@" ;;
  stop-engine) stop_engine "${2:-}" ;;
  down) sweep; gl_log "down" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
