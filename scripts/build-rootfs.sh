#!/usr/bin/env bash
# Assembles the root filesystem of the function's runtime image into DIR, from pinned parts only
# (image/runtime.lock): Debian's libc6, libgcc-s1 and libstdc++6 unpacked with dpkg-deb, the official
# Node.js binary from the npm registry, the compiled function (dist/, from `npm run build`) and its
# production node_modules, an unprivileged user (65532), /tmp and /tls/server (where Crossplane mounts
# the function's TLS certificates). Both image builds use it: scripts/build-image.mjs (crane, no
# Docker) and the Dockerfile (which copies DIR into a scratch image).
#
#   scripts/build-rootfs.sh DIR
#   DEVPLATFORM_CACHE  where downloads are kept between runs (default ~/.cache/function-devplatform)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: build-rootfs.sh DIR}"
lock="$here/image/runtime.lock"
cache="${DEVPLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/function-devplatform}/runtime"
mkdir -p "$cache"

if [[ ! -f "$here/dist/functions/server/main.js" ]]; then
  echo "build-rootfs: dist/ is missing; run npm run build first" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"

# Debian packages, verified against the lock before they are unpacked.
while read -r kind name version sum; do
  [[ "$kind" == deb ]] || continue
  file="$cache/${name}_${version}_amd64.deb"
  if [[ ! -f "$file" ]]; then
    # A fresh machine may have no package lists yet: fetch them once and try again.
    (cd "$cache" && apt-get download -q "$name=$version" >/dev/null 2>&1) ||
      { apt-get update -q >/dev/null 2>&1 && (cd "$cache" && apt-get download -q "$name=$version" >/dev/null 2>&1); } || {
      echo "build-rootfs: apt-get download $name=$version failed; Debian may have replaced it (update image/runtime.lock)" >&2
      exit 1
    }
    mv "$cache/${name}_$(printf '%s' "$version" | sed 's/:/%3a/')_amd64.deb" "$file" 2>/dev/null || true
  fi
  echo "$sum  $file" | sha256sum --check --quiet - || {
    echo "build-rootfs: $file does not match image/runtime.lock" >&2
    exit 1
  }
  dpkg-deb -x "$file" "$out"
done < <(grep -v '^#' "$lock")
# Only the shared libraries and the dynamic loader are needed; drop docs, locales and tools.
rm -rf "$out/usr/share" "$out/usr/bin" "$out/usr/sbin" "$out/sbin" "$out/bin" "$out/etc" "$out/usr/libexec" \
  "$out/usr/lib/x86_64-linux-gnu/gconv" "$out/usr/lib/x86_64-linux-gnu/audit"

# Node.js: the pinned official binary, verified by its npm integrity (scripts/runtime-node.sh).
mkdir -p "$out/usr/local/bin"
cp "$("$here/scripts/runtime-node.sh")" "$out/usr/local/bin/node"

# The function: compiled code and production dependencies, installed from the committed lock.
deps="$cache/node_modules-$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)"
if [[ ! -d "$deps/node_modules" ]]; then
  rm -rf "$deps.tmp" && mkdir -p "$deps.tmp"
  cp "$here/package.json" "$here/package-lock.json" "$deps.tmp/"
  (cd "$deps.tmp" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  rm -f "$deps.tmp/node_modules/.package-lock.json"
  rm -rf "$deps" && mv "$deps.tmp" "$deps"
fi
mkdir -p "$out/app"
cp -R "$here/dist" "$deps/node_modules" "$here/package.json" "$out/app/"
# The composed resources' schema validators are for the tests (scripts/generate-models.mjs,
# detachValidators): the function never loads them, so its image leaves them out.
rm -rf "$out/app/dist/functions/models/crds/_schemas" "$out/app/dist/functions/models/crds/validators.js"*

# A user without privileges, and the directories the process expects.
mkdir -p "$out/etc" "$out/tmp" "$out/tls/server"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nfunction:x:65532:65532:function:/nonexistent:/usr/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nfunction:x:65532:\n' >"$out/etc/group"
# Modes independent of the builder's umask: readable by all, writable by the owner (root).
chmod -R u=rwX,go=rX "$out"
chmod 1777 "$out/tmp"
echo "$out"
