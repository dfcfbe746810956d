#!/usr/bin/env bash
# Builds a Go tool pinned by a wrapper module in tools/<name>/ (go.mod and go.sum) into a cache
# directory, once, and prints the binary's path. Later runs reuse the cached binary.
#
#   scripts/install-go-tool.sh crossplane   the Crossplane CLI (crank: render, beta validate, xpkg)
#   scripts/install-go-tool.sh crane        go-containerregistry's crane (runtime image assembly)
#   scripts/install-go-tool.sh grpc-loadgen our gRPC load generator for make bench: pre-encoded
#                                           requests through a raw codec (tools/grpc-loadgen/main.go)
#   scripts/install-go-tool.sh gotemplating-peer  the Go function make bench compares ours with
#                                           (tools/gotemplating-peer/main.go, on function-sdk-go)
#   scripts/install-go-tool.sh gonative-function  make bench's native reference: our composers
#                                           written by hand in Go (tools/gonative-function)
#   scripts/install-go-tool.sh xrd-validate our XRD checker on the API server's own validation code
#                                           (tools/xrd-validate/main.go; test/apis.test.ts uses it)
#   scripts/install-go-tool.sh crossplane-core  Crossplane core itself (make e2e), the same release
#                                           as the CLI
#   scripts/install-go-tool.sh kube-apiserver   the Kubernetes API server (make e2e)
#   scripts/install-go-tool.sh kube-controller-manager  its controllers: garbage collector, namespace
#                                           controller (make e2e), the same Kubernetes release
#   scripts/install-go-tool.sh etcd         etcd, the API server's storage (make e2e)
#   scripts/install-go-tool.sh helm         Helm, to render preview/chart as Argo CD would
#
#   DEVPLATFORM_CACHE  cache directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/function-devplatform)
#
# Why wrapper modules rather than `go install pkg@version`: the module proxy reachable here refuses
# the version list that `go install pkg@version` reads for deprecation notices, and serves only some
# Crossplane releases (v2.2.1 yes; v2.2.2 to v2.2.5 no; from v2.3 the CLI left the crossplane module
# for github.com/crossplane/cli). Building inside a module that requires the release needs neither.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool="${1:?usage: install-go-tool.sh crossplane|crossplane-core|crane|grpc-loadgen|gotemplating-peer|gonative-function|xrd-validate|kube-apiserver|kube-controller-manager|etcd|helm}"
source_hash=""
version_flags() { [[ -z "$version_flag" ]] || printf -- "$version_flag" "$1"; }

case "$tool" in
  crossplane)
    requirement=github.com/crossplane/crossplane/v2
    package=github.com/crossplane/crossplane/v2/cmd/crank
    version_flag="-X github.com/crossplane/crossplane/v2/internal/version.version=%s"
    ;;
  crossplane-core)
    requirement=github.com/crossplane/crossplane/v2
    package=github.com/crossplane/crossplane/v2/cmd/crossplane
    version_flag="-X github.com/crossplane/crossplane/v2/internal/version.version=%s"
    ;;
  kube-apiserver | kube-controller-manager)
    requirement=k8s.io/kubernetes
    package=k8s.io/kubernetes/cmd/$tool
    # Stamped as upstream's release builds are (hack/lib/version.sh), so clients see v1.Y.Z.
    version_flags() {
      local v=k8s.io/component-base/version minor
      minor="$(cut -d. -f2 <<<"$1")"
      printf -- "-X $v.gitVersion=%s -X $v.gitMajor=1 -X $v.gitMinor=%s -X $v.gitTreeState=clean" "$1" "$minor"
    }
    ;;
  etcd)
    requirement=go.etcd.io/etcd/server/v3
    package=go.etcd.io/etcd/server/v3
    version_flag=""
    ;;
  helm)
    requirement=helm.sh/helm/v3
    package=helm.sh/helm/v3/cmd/helm
    version_flag="-X helm.sh/helm/v3/internal/version.version=%s"
    ;;
  crane)
    requirement=github.com/google/go-containerregistry
    package=github.com/google/go-containerregistry/cmd/crane
    version_flag="-X github.com/google/go-containerregistry/cmd/crane/cmd.Version=%s"
    ;;
  grpc-loadgen)
    requirement=google.golang.org/grpc
    package=.
    version_flag=""
    source_hash="$(cat "$here/tools/$tool/main.go" "$here/tools/$tool/go.mod" "$here/tools/$tool/go.sum" | sha256sum | cut -c1-12)"
    ;;
  gotemplating-peer)
    requirement=github.com/crossplane/function-sdk-go
    package=.
    version_flag=""
    source_hash="$(cat "$here/tools/$tool/main.go" "$here/tools/$tool/go.mod" "$here/tools/$tool/go.sum" | sha256sum | cut -c1-12)"
    ;;
  gonative-function)
    # Every Go file of it (hand-written and generated models) is in the cache key.
    requirement=github.com/crossplane/function-sdk-go
    package=.
    version_flag=""
    source_hash="$(cd "$here/tools/$tool" && find . -name '*.go' -o -name go.mod -o -name go.sum | LC_ALL=C sort |
      xargs cat | sha256sum | cut -c1-12)"
    ;;
  xrd-validate)
    # Our own source: the cache key also carries a hash of it, so an edit rebuilds.
    requirement=k8s.io/apiextensions-apiserver
    package=.
    version_flag=""
    source_hash="$(cat "$here/tools/$tool/main.go" "$here/tools/$tool/go.mod" "$here/tools/$tool/go.sum" | sha256sum | cut -c1-12)"
    ;;
  *)
    echo "install-go-tool: unknown tool $tool (crossplane, crossplane-core, crane, grpc-loadgen, gotemplating-peer, gonative-function, xrd-validate, kube-apiserver, kube-controller-manager, etcd or helm)" >&2
    exit 2
    ;;
esac

module="$here/tools/$tool"
version="$(sed -n -E "s#^(require)?[[:space:]]*$requirement (v[^ ]*)\$#\2#p" "$module/go.mod" | head -n1)"
if [[ -z "$version" ]]; then
  echo "install-go-tool: no '$requirement' requirement in $module/go.mod" >&2
  exit 1
fi
cache="${DEVPLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/function-devplatform}"
bin="$cache/$tool-$version${source_hash:+-$source_hash}/$tool"

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-go-tool: the Go toolchain is needed to build $tool $version" >&2
  exit 1
fi
mkdir -p "$(dirname "$bin")"
# One build per tool at a time: a second `make` (or a parallel jest suite) waits for the first and
# then finds the binary, instead of racing it. flock is util-linux's; without it, builds may race,
# and each writes its own temporary file, so the last rename wins with a whole binary either way.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$bin.lock"
  flock 9
  if [[ -x "$bin" ]]; then
    echo "$bin"
    exit 0
  fi
fi
echo "install-go-tool: building $tool $version into $bin (first run only)" >&2
tmp="$bin.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(
  cd "$module"
  # shellcheck disable=SC2059
  GOFLAGS="-mod=mod ${GOFLAGS:-}" go build -trimpath -ldflags "-s -w $(version_flags "$version")" \
    -o "$tmp" "$package"
)
mv "$tmp" "$bin"
echo "$bin"
