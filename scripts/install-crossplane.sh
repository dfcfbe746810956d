#!/usr/bin/env bash
# Builds the Crossplane CLI at the release pinned in tools/crossplane/go.mod (with go.sum) into a
# cache directory, once, and prints the binary's path. Later runs reuse the cached binary.
#
#   DEVPLATFORM_CACHE  cache directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/function-devplatform)
#
# Why a wrapper module rather than `go install …/cmd/crank@version`: the module proxy reachable here
# refuses the version list that `go install pkg@version` reads for deprecation notices, and it serves
# only some releases (v2.2.1 yes; v2.2.2 to v2.2.5 no). From v2.3 the CLI left this module for
# github.com/crossplane/cli. Building inside a module that requires the release needs neither.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$here/tools/crossplane"
version="$(sed -n 's|^require github.com/crossplane/crossplane/v2 \(v[^ ]*\)$|\1|p' "$module/go.mod")"
if [[ -z "$version" ]]; then
  echo "install-crossplane: no crossplane/v2 requirement in $module/go.mod" >&2
  exit 1
fi
cache="${DEVPLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/function-devplatform}"
bin="$cache/crossplane-$version/crossplane"

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-crossplane: the Go toolchain is needed to build the Crossplane CLI $version" >&2
  exit 1
fi
mkdir -p "$(dirname "$bin")"
echo "install-crossplane: building Crossplane CLI $version into $bin (first run only, a few minutes)" >&2
(
  cd "$module"
  GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X github.com/crossplane/crossplane/v2/internal/version.version=$version" \
    -o "$bin.tmp" github.com/crossplane/crossplane/v2/cmd/crank
)
mv "$bin.tmp" "$bin"
echo "$bin"
