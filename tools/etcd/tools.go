//go:build tools

// Package tools pins etcd, the storage of the end-to-end test's API server (make e2e). etcd's own
// go.mod replaces its sibling modules with ../ paths, so `go install` refuses it; its requirements
// are real releases, so building its main package from this module needs no replace at all.
// scripts/install-go-tool.sh builds it.
package tools

import _ "go.etcd.io/etcd/server/v3"
