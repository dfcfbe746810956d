//go:build tools

// Package tools pins ghz, the gRPC load generator the benchmarks drive the function with.
package tools

import _ "github.com/bojand/ghz/cmd/ghz"
