package prefault

import "runtime"

// Heap makes n bytes of the Go heap resident and returns them to the
// allocator, so that the run's next allocations (up to about n bytes)
// take pages that need no page fault. It allocates n bytes, asks the
// kernel to make them resident in one call, drops them and collects
// them (a collection of a small heap: about a millisecond). It reports
// whether the pages were made resident.
//
// n should not exceed what the run will use: the pages count in the
// process's resident memory from the start, so a larger n raises the
// peak. Heap does nothing for n under 4 MiB, where there is too little
// to win.
func Heap(n int64) bool {
	if n < minBytes || n != int64(int(n)) {
		return false
	}
	ok := fill(n)
	runtime.GC() // fill's buffer is garbage now: its pages go back to the allocator
	return ok
}

// fill allocates n bytes and makes them resident.
func fill(n int64) bool {
	return Resident(make([]byte, n))
}

// Resident makes the whole pages of b resident in one system call, before
// the caller fills b: for a large buffer about to be read into (the
// database file: 30 MB read into fresh memory took 100 ms, into memory
// made resident first 60-80 ms with the 7-11 ms of the call itself; on
// pages already resident the call costs 2-4 ms). It reports whether the
// kernel did it; b's contents are unchanged either way.
func Resident(b []byte) bool {
	return populate(b)
}

// minBytes is the least Heap prefaults.
const minBytes = 4 << 20
