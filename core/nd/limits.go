package nd

import (
	"fmt"
	"math"
	"math/bits"
	"sync"
)

// Limits on the size of one array, checked before its memory is taken:
// the Go runtime treats a failed allocation as fatal (the process dies,
// nothing can recover), where numpy raises MemoryError. An allocation
// larger than the machine's memory and swap together is refused by the
// kernel's default overcommit policy, so asking for one is a MemoryError
// here too; a size whose byte count overflows is numpy's ValueError.

// memoryLimit returns the most bytes one array may take.
var memoryLimit = sync.OnceValue(func() uint64 {
	if m := systemMemory(); m > 0 {
		return m
	}
	return 1 << 46 // no figure from the system: Go's own bound on amd64 is near 2^47
})

// checkedSize returns the number of elements of shape, or panics with
// numpy's ValueError when that number, times the item size, overflows.
func checkedSize(shape []int, item int) int {
	n := uint64(1)
	for _, d := range shape {
		if d < 0 {
			panic(Errorf(ValueError, "negative dimensions are not allowed"))
		}
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > math.MaxInt64/uint64(item) {
			panic(Errorf(ValueError, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."))
		}
		n = lo
	}
	return int(n)
}

// checkAlloc panics with a MemoryError, in numpy's words, when n elements
// of item bytes are more than the system can give (shape, if known, is
// named in the message).
func checkAlloc(n, item int, shape []int, dt string) {
	if n < 0 || uint64(n) > memoryLimit()/uint64(item) {
		what := fmt.Sprintf("%d elements", n)
		if shape != nil {
			what = "shape " + ShapeString(shape)
		}
		panic(Errorf(MemoryError, "Unable to allocate %s for an array with %s and data type %s",
			formatBytes(float64(n)*float64(item)), what, dt))
	}
}

// formatBytes writes a byte count as numpy's MemoryError does: three
// significant digits of the largest binary unit (8.00 TiB, 128. GiB).
func formatBytes(b float64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for i < len(units)-1 && math.Round(b) >= 1024 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f %s", b, units[0])
	}
	return fmt.Sprintf("%#.3g %s", b, units[i])
}

// dtypeName is numpy's name of T.
func dtypeName[T Elem]() string {
	var z T
	if _, ok := any(z).(float64); ok {
		return "float64"
	}
	return "complex128"
}

// checkBroadcastShape panics with numpy's ValueError for a target shape
// with a negative dimension.
func checkBroadcastShape(shape []int) {
	for _, d := range shape {
		if d < 0 {
			panic(Errorf(ValueError, "all elements of broadcast shape must be non-negative"))
		}
	}
}

// sizeForAlloc returns the number of elements of a new array of shape and
// dtype dt, after the checks of checkedSize and checkAlloc.
func sizeForAlloc(shape []int, dt DType) int {
	item := 8
	if dt == Complex128 {
		item = 16
	}
	n := checkedSize(shape, item)
	if n >= poolMin {
		checkAlloc(n, item, shape, dt.String())
	}
	return n
}
