#!/usr/bin/env bash
# The Node.js binary the function's runtime image ships (the `node` line of image/runtime.lock): the
# official build from the npm registry, verified by its npm integrity and unpacked once into the cache.
# Prints its path. scripts/build-rootfs.sh puts it in the image; make bench runs the functions on it,
# so the figures are those of the runtime that is shipped, not of the Node.js on the machine.
#
#   scripts/runtime-node.sh
#   DEVPLATFORM_CACHE  where downloads are kept between runs (default ~/.cache/function-devplatform)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${DEVPLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/function-devplatform}/runtime"
read -r _ node_pkg node_version node_integrity < <(grep '^node ' "$here/image/runtime.lock")
bin="$cache/$node_pkg-$node_version/node"
if [[ ! -x "$bin" ]]; then
  mkdir -p "$cache"
  tgz="$cache/$node_pkg-$node_version.tgz"
  if [[ ! -f "$tgz" ]]; then
    (cd "$cache" && npm pack --silent "$node_pkg@$node_version" >/dev/null)
  fi
  actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [[ "$actual" != "$node_integrity" ]]; then
    echo "runtime-node: $tgz has integrity $actual, image/runtime.lock says $node_integrity" >&2
    exit 1
  fi
  rm -rf "$bin.tmp" && mkdir -p "$bin.tmp"
  tar -xzf "$tgz" -C "$bin.tmp" --strip-components=2 package/bin/node
  mkdir -p "$(dirname "$bin")"
  mv "$bin.tmp/node" "$bin" && rmdir "$bin.tmp"
fi
echo "$bin"
