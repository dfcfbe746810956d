//go:build tools

// Package tools pins kube-controller-manager for the end-to-end test (make e2e) at the same
// Kubernetes release as tools/kube-apiserver: its garbage collector and namespace controller delete
// what a deleted owner or namespace leaves, as on a real cluster. Like tools/kube-apiserver, go.mod
// replaces each staging module of k8s.io/kubernetes with its released version (v0.Y.Z for v1.Y.Z).
// scripts/install-go-tool.sh builds it.
package tools

import _ "k8s.io/kubernetes/cmd/kube-controller-manager"
