# Shared helpers for Greenlight's shell scripts. Source it: . "$(dirname "$0")/lib.sh"

GL_SCRIPT_NAME="${GL_SCRIPT_NAME:-$(basename "${0:-greenlight}" .sh)}"

gl_log() { printf '%s: %s\n' "$GL_SCRIPT_NAME" "$*"; }
gl_warn() { printf '%s: warning: %s\n' "$GL_SCRIPT_NAME" "$*" >&2; }
gl_die() { printf '%s: error: %s\n' "$GL_SCRIPT_NAME" "$*" >&2; exit 1; }
gl_have() { command -v "$1" >/dev/null 2>&1; }

# Milliseconds since the epoch, for reporting how long a step took.
gl_now_ms() { date +%s%3N; }

GL_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Keeps the kernel from handing these ports to outgoing connections as ephemeral ports, so the servers the tests
# and the demo start on fixed loopback ports never find one taken by a client socket. Root only; else a warning.
gl_reserve_ports() { # ranges, e.g. 3000-3310,8080
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports current
  current=$(cat "$file" 2>/dev/null) || return 0
  if echo "${current:+$current,}$1" > "$file" 2>/dev/null; then
    gl_log "reserved ports $1 (not used as ephemeral ports)"
  else
    gl_warn "could not reserve ports $1: an outgoing connection may occasionally hold one a server needs"
  fi
}
