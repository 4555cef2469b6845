# Shared helpers for Greenlight's shell scripts. Source it: . "$(dirname "$0")/lib.sh"

GL_SCRIPT_NAME="${GL_SCRIPT_NAME:-$(basename "${0:-greenlight}" .sh)}"

gl_log() { printf '%s: %s\n' "$GL_SCRIPT_NAME" "$*"; }
gl_warn() { printf '%s: warning: %s\n' "$GL_SCRIPT_NAME" "$*" >&2; }
gl_die() { printf '%s: error: %s\n' "$GL_SCRIPT_NAME" "$*" >&2; exit 1; }
gl_have() { command -v "$1" >/dev/null 2>&1; }

# Milliseconds since the epoch, for reporting how long a step took.
gl_now_ms() { date +%s%3N; }

GL_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
