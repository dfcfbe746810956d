//go:build tools

// Package tools pins the Crossplane CLI (crank, installed as `crossplane`) that make render uses.
// go.mod holds the pinned release; scripts/install-crossplane.sh builds it.
package tools

import _ "github.com/crossplane/crossplane/v2/cmd/crank"
