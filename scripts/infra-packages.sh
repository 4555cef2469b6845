# Sourced by infra.sh: finding commands and installing Debian packages.

_APT_UPDATED=0
_POLICY_RC=/usr/sbin/policy-rc.d
_OWN_POLICY_RC=0

_remove_own_policy() {
  if [ "$_OWN_POLICY_RC" = 1 ]; then rm -f "$_POLICY_RC"; _OWN_POLICY_RC=0; fi
}
trap _remove_own_policy EXIT

# Finds a command on PATH or at one of the given paths (sbin is often off a user's PATH).
find_command() { # name [path...]
  local name="$1" p
  shift
  if command -v "$name" 2>/dev/null; then return 0; fi
  for p in "$@"; do
    if [ -x "$p" ]; then echo "$p"; return 0; fi
  done
  return 1
}

apt_install() { # package...
  if [ "$_APT_UPDATED" = 0 ]; then
    gl_log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || gl_warn "apt-get update failed; trying the cached package lists"
    _APT_UPDATED=1
  fi
  # Keep package scripts from starting services: Greenlight starts dockerd and its own nginx itself.
  if [ ! -e "$_POLICY_RC" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$_POLICY_RC" && chmod 755 "$_POLICY_RC" && _OWN_POLICY_RC=1
  fi
  gl_log "apt-get install $*"
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" || rc=$?
  _remove_own_policy
  return "$rc"
}

ensure_command() { # command package [path...]
  local name="$1" package="$2" found
  shift 2
  if found=$(find_command "$name" "$@"); then
    gl_log "$name present ($found)"
    return 0
  fi
  if [ "$CAN_INSTALL" = 0 ]; then
    MISSING+=("$name (Debian package $package)")
    return 0
  fi
  if apt_install "$package" && found=$(find_command "$name" "$@"); then
    gl_log "$name installed ($found)"
  else
    MISSING+=("$name (apt-get install $package failed)")
  fi
}
