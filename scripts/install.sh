#!/usr/bin/env bash
# Installs Greenlight as a systemd service on this Debian host, or removes it:
#   sudo bash scripts/install.sh [install] [--dry-run] [options]     (--help lists them)
#   sudo bash scripts/install.sh uninstall [--purge]
# The work is in scripts/install.ts, which reads greenlight.yaml with the console's own loader and takes the heap
# cap from scripts/stack/server-options.ts. Arguments go to it as they are, never through a shell.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -e "$root/node_modules/tsx" ]]; then
  echo "install: $root/node_modules has no tsx; run \`npm ci\` in $root first. Nothing was changed." >&2
  exit 2
fi
for arg in "$@"; do
  case $arg in
    # Node 20 reads --env-file itself wherever it appears on its command line, before the installer runs.
    --env-file | --env-file=*)
      echo "install: the secrets file option is --secrets-file FILE (Node takes --env-file for itself). Nothing was changed." >&2
      exit 2 ;;
  esac
done
cd "$root"
exec node --import tsx scripts/install.ts "$@"
