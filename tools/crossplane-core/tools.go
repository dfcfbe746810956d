//go:build tools

// Package tools pins Crossplane core (the `crossplane` binary that runs in a cluster: core init,
// core start) for the end-to-end test (make e2e), at the same release as the CLI in ../crossplane.
// scripts/install-go-tool.sh builds it.
package tools

import _ "github.com/crossplane/crossplane/v2/cmd/crossplane"
