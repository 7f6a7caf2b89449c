package nd

import (
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Memory for array data.
//
// Small arrays are ordinary Go slices. Large ones (from poolMin elements)
// come from a pool of recycled buffers, because a fresh multi-megabyte
// allocation costs more than the kernel that fills it: the Go runtime
// zeroes it and, when the heap has just shrunk, faults its pages in again,
// and the garbage collector runs every few such allocations. A pooled
// buffer is handed out without being cleared (every kernel writes each
// element of its result; Zeros clears explicitly).
//
// A buffer goes back to the pool when nothing refers to its memory any
// more: a finalizer is set on the memory block itself, so any slice into
// it, whichever Array or kernel holds it, keeps it alive, and there is no
// window in which a kernel reads memory that has been recycled. Finalizers
// run only after a garbage collection, and pooled memory no longer makes
// the runtime collect, so the pool asks for a collection itself every
// gcBytes it hands out.
//
// Memory the Go heap does not own (a caller's buffer, see Foreign) is
// wrapped without copying and tied to a release callback.

// poolMin is the smallest length (in elements) that is pooled: 128 KiB of
// float64. Below it Go's allocator is cheaper than the pool.
const poolMin = 1 << 14

// gcBytes is the number of pooled (or borrowed) bytes handed out after
// which the pool asks for a collection. A collection costs little here:
// the buffers are pointer-free, so only the small objects (graph nodes)
// are scanned.
const gcBytes = 64 << 20

// maxFreeBytes bounds the memory the pool keeps for reuse; buffers
// returned beyond it are left to the garbage collector.
const maxFreeBytes = 256 << 20

// sizeClass returns the class of a buffer of n elements and its capacity:
// four classes per power of two, so a buffer wastes at most a fifth.
func sizeClass(n int) (class, capacity int) {
	exp := 0
	for (poolMin << exp) < n {
		exp++
	}
	// n is in ((poolMin << exp) / 2, poolMin << exp]: split that octave
	// into quarters
	base := (poolMin << exp) / 2
	if exp == 0 {
		return 0, poolMin
	}
	q := (n - base + base/4 - 1) / (base / 4) // 1..4
	return 4*(exp-1) + q, base + q*(base/4)
}

// pool holds the free buffers of one element type, by size class.
type pool[T Elem] struct {
	mu    sync.Mutex
	free  map[int][]*T    // class -> pointers to the first element of free blocks
	bytes int             // bytes held in free
	out   map[uintptr]int // address of each block handed out -> its class (an address, so as not to keep the block alive)
}

var (
	floatPool   = pool[float64]{free: map[int][]*float64{}, out: map[uintptr]int{}}
	complexPool = pool[complex128]{free: map[int][]*complex128{}, out: map[uintptr]int{}}

	pooling atomic.Bool // false: every buffer is a plain make (SetPooling)

	outstanding atomic.Int64 // pooled bytes handed out and not yet returned
	sinceGC     atomic.Int64 // pooled bytes handed out since the last collection
	gcRequested atomic.Bool
	gcCycles    atomic.Int64
)

func init() {
	pooling.Store(true)
	armGCSentinel()
}

// armGCSentinel counts garbage collections: a finalizer that runs once
// per cycle and re-arms itself.
func armGCSentinel() {
	s := new([64]byte) // not a tiny allocation, whose finalizer might not run
	runtime.SetFinalizer(s, func(*[64]byte) {
		gcCycles.Add(1)
		sinceGC.Store(0)
		gcRequested.Store(false)
		armGCSentinel()
	})
}

// SetPooling turns the recycling of large buffers on or off (for tests and
// measurements) and returns the previous setting.
func SetPooling(on bool) bool { return pooling.Swap(on) }

// PoolStats describes the buffer pool.
type PoolStats struct {
	Outstanding int64 // pooled bytes in use by arrays
	Free        int64 // pooled bytes kept for reuse
	GCCycles    int64 // garbage collections seen since the process started
}

// Stats returns the pool's current figures.
func Stats() PoolStats {
	floatPool.mu.Lock()
	free := floatPool.bytes
	floatPool.mu.Unlock()
	complexPool.mu.Lock()
	free += complexPool.bytes
	complexPool.mu.Unlock()
	return PoolStats{Outstanding: outstanding.Load(), Free: int64(free), GCCycles: gcCycles.Load()}
}

func poolOf[T Elem]() *pool[T] {
	var z T
	if _, ok := any(z).(float64); ok {
		return any(&floatPool).(*pool[T])
	}
	return any(&complexPool).(*pool[T])
}

// alloc returns a slice of n elements whose contents are unspecified, and
// whether it is known to be zeroed.
func alloc[T Elem](n int) (s []T, zeroed bool) {
	if n >= poolMin {
		var z T
		checkAlloc(n, int(unsafe.Sizeof(z)), nil, dtypeName[T]())
	}
	if n < poolMin || !pooling.Load() {
		return make([]T, n), true
	}
	class, capacity := sizeClass(n)
	p := poolOf[T]()
	var z T
	size := int64(capacity) * int64(unsafe.Sizeof(z))
	p.mu.Lock()
	var first *T
	if l := p.free[class]; len(l) > 0 {
		first = l[len(l)-1]
		l[len(l)-1] = nil
		p.free[class] = l[:len(l)-1]
		p.bytes -= int(size)
	}
	p.mu.Unlock()
	zeroed = first == nil
	if first == nil {
		// reflect.New: a block allocated by new, as SetFinalizer requires
		block := reflect.New(reflect.ArrayOf(capacity, reflect.TypeFor[T]()))
		first = (*T)(block.UnsafePointer())
	}
	p.mu.Lock()
	p.out[uintptr(unsafe.Pointer(first))] = class
	p.mu.Unlock()
	runtime.SetFinalizer(first, func(f *T) { p.put(f, class, size) })
	outstanding.Add(size)
	pressure(size)
	return unsafe.Slice(first, capacity)[:n], zeroed
}

// pressure counts bytes of memory whose release waits for a garbage
// collection (pooled buffers, and callers' buffers held by Foreign arrays)
// and asks for a collection, in the background, once gcBytes have been
// taken since the last one. (A threshold that grew with the bytes
// outstanding would feed on itself: the fewer the collections, the more
// buffers wait for one.)
func pressure(size int64) {
	if sinceGC.Add(size) > gcBytes && !gcRequested.Swap(true) {
		go runtime.GC()
	}
}

// put takes back a block nothing refers to any more (called by its
// finalizer).
func (p *pool[T]) put(first *T, class int, size int64) {
	outstanding.Add(-size)
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.out, uintptr(unsafe.Pointer(first)))
	if p.bytes+int(size) > maxFreeBytes {
		return // left to the collector
	}
	p.free[class] = append(p.free[class], first)
	p.bytes += int(size)
}

// Recycle hands a's buffer back to the pool at once, for a caller that
// knows that nothing else refers to any part of a's memory and that a
// will not be used again (the backward pass, for a cotangent it owns alone
// once its node's rule has run): the next allocation of its size class
// then gets memory that is still in the cache. Arrays whose data is not a
// whole pooled block are left to the collector.
func Recycle(a *Array) {
	if a.re != nil {
		recycle(a.re)
	} else if a.cx != nil {
		recycle(a.cx)
	}
}

func recycle[T Elem](s []T) {
	if cap(s) < poolMin {
		return
	}
	first := &s[:1][0]
	p := poolOf[T]()
	p.mu.Lock()
	class, ok := p.out[uintptr(unsafe.Pointer(first))]
	p.mu.Unlock()
	_, capacity := sizeClass(cap(s))
	if !ok || capacity != cap(s) { // a view into a block, or not pooled
		return
	}
	runtime.SetFinalizer(first, nil)
	var z T
	p.put(first, class, int64(capacity)*int64(unsafe.Sizeof(z)))
}

// empty returns an array of the given shape and dtype whose elements the
// caller must all write.
func empty(shape []int, dt DType) *Array {
	n := sizeForAlloc(shape, dt)
	if dt == Complex128 {
		d, _ := alloc[complex128](n)
		return &Array{shape: shape, cx: d}
	}
	d, _ := alloc[float64](n)
	return &Array{shape: shape, re: d}
}

// emptyLike returns an uninitialised array of a's shape and dtype dt.
func emptyLike(a *Array, dt DType) *Array { return empty(a.shape, dt) }

// zeroed returns a slice of n zeros.
func zeroed[T Elem](n int) []T {
	s, z := alloc[T](n)
	if !z {
		clear(s)
	}
	return s
}

// newSlice returns a slice of n elements for a kernel to fill.
func newSlice[T Elem](n int) []T {
	s, _ := alloc[T](n)
	return s
}

// foreign ties memory the Go heap does not own to the callback that
// releases it. Every Array viewing that memory refers to the same foreign
// value, and the callback runs once none does.
type foreign struct {
	size int64
	_    *byte // a pointer: never a tiny allocation, whose cleanup might not run
}

// Foreign wraps data, memory that the Go heap does not own (a caller's
// buffer, such as a numpy array's), as a real array without copying.
// release is called once, on a runtime goroutine, after no array refers
// to the memory any more; until then the memory must stay valid and
// unchanged by its owner. Arrays are immutable: the library never writes
// into data.
func Foreign(shape []int, data []float64, release func()) *Array {
	a := FromFloat64s(shape, data)
	a.keep = newForeign(release, 8*len(data))
	return a
}

// ForeignComplex is Foreign for complex data.
func ForeignComplex(shape []int, data []complex128, release func()) *Array {
	a := FromComplex128s(shape, data)
	a.keep = newForeign(release, 16*len(data))
	return a
}

func newForeign(release func(), size int) *foreign {
	f := &foreign{size: int64(size)}
	runtime.AddCleanup(f, func(r func()) { r() }, release)
	pressure(int64(size))
	return f
}

// SharesMemory reports whether a and b view the same data.
func SharesMemory(a, b *Array) bool {
	pa, pb := a.dataPtr(), b.dataPtr()
	return pa != nil && pa == pb
}

// DataPointer returns the address of a's first element (nil when a is
// empty). It is how the C ABI hands an array's memory to its caller,
// which must keep a reachable and pinned meanwhile.
func (a *Array) DataPointer() unsafe.Pointer { return a.dataPtr() }

func (a *Array) dataPtr() unsafe.Pointer {
	if len(a.cx) > 0 {
		return unsafe.Pointer(unsafe.SliceData(a.cx))
	}
	if len(a.re) > 0 {
		return unsafe.Pointer(unsafe.SliceData(a.re))
	}
	return nil
}

// IsForeign reports whether a's memory belongs to the caller (see Foreign).
func (a *Array) IsForeign() bool { return a.keep != nil }

// MarkExclusive records that the caller holds the only reference to a and
// to its memory (a gradient a backward pass made for it alone), so that
// TakeExclusive may hand the memory over to be written.
func (a *Array) MarkExclusive() {
	if a.keep == nil {
		a.excl.Store(true)
	}
}

// TakeExclusive reports whether a was marked exclusive and clears the
// mark: it succeeds once, for the one owner that may write into a's
// memory from then on.
func (a *Array) TakeExclusive() bool { return a.excl.Swap(false) }

// Copy returns a new array with a's shape, dtype and values.
func Copy(a *Array) *Array {
	out := empty(cloneInts(a.shape), a.DType())
	copy(out.re, a.re)
	copy(out.cx, a.cx)
	return out
}
