//go:build !linux

package nd

// systemMemory returns 0: no figure for this system.
func systemMemory() uint64 { return 0 }
