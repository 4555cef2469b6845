# Sourced by build-images.sh: assembles the root filesystem shared by every PrivateTrade image.

# Copies a file to the same path under the rootfs, following symlinks; hard links when possible.
_copy_into() { # rootfs source-path
  local dest="$1$2"
  mkdir -p "$(dirname "$dest")"
  ln -f "$(readlink -f "$2")" "$dest" 2>/dev/null || cp -fL "$2" "$dest"
}

_ldd_paths() { # binary...
  ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u
}

assemble_rootfs() { # rootfs node_modules
  local rootfs="$1" modules="$2" node lib
  node=$(readlink -f "$(command -v node)") || gl_die "node not found"
  local addon="$modules/better-sqlite3/build/Release/better_sqlite3.node"
  [ -f "$addon" ] || gl_die "better-sqlite3 native addon not found at $addon (run npm install)"
  rm -rf "$rootfs"
  mkdir -p "$rootfs/usr/bin" "$rootfs/tmp" "$rootfs/app/node_modules"
  chmod 1777 "$rootfs/tmp"
  ln -f "$node" "$rootfs/usr/bin/node" 2>/dev/null || cp -f "$node" "$rootfs/usr/bin/node"
  for lib in $(_ldd_paths "$node" "$addon"); do _copy_into "$rootfs" "$lib"; done

  local nm="$rootfs/app/node_modules"
  mkdir -p "$nm/better-sqlite3/build/Release" "$nm/bindings" "$nm/file-uri-to-path"
  cp -f "$modules/better-sqlite3/package.json" "$nm/better-sqlite3/"
  cp -rf "$modules/better-sqlite3/lib" "$nm/better-sqlite3/"
  ln -f "$addon" "$nm/better-sqlite3/build/Release/" 2>/dev/null || cp -f "$addon" "$nm/better-sqlite3/build/Release/"
  cp -f "$modules/bindings/package.json" "$modules/bindings/bindings.js" "$nm/bindings/"
  cp -f "$modules/file-uri-to-path/package.json" "$modules/file-uri-to-path/index.js" "$nm/file-uri-to-path/"
}
