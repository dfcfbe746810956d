//go:build tools

// Package tools pins Helm, which test/preview.test.ts uses to render preview/chart for a sample pull
// request as Argo CD would (Argo CD runs `helm template`). go.mod holds the pinned release;
// scripts/install-go-tool.sh helm builds it.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
