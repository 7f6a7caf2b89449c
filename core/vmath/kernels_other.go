//go:build !(goexperiment.simd && amd64)

package vmath

// install has nothing to install: without GOEXPERIMENT=simd on amd64 only
// the pure-Go path exists.
func install() int { return Pure }
