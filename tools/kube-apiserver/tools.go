//go:build tools

// Package tools pins kube-apiserver for the end-to-end test (make e2e): a real API server, with the
// upstream CRDs' OpenAPI and CEL validation, for Crossplane core to reconcile our XRs against.
// k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them to ./staging in replace
// directives that only apply inside its own repository, so go.mod replaces each staging module
// with its released version (v0.Y.Z for v1.Y.Z). scripts/install-go-tool.sh builds it.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
