//go:build tools

// Package tools pins go-containerregistry's crane, which scripts/build-image.mjs uses to assemble the
// function's runtime image (OCI layout and tarball) without a Docker engine. go.mod holds the
// pinned release; scripts/install-go-tool.sh crane builds it.
package tools

import _ "github.com/google/go-containerregistry/cmd/crane"
