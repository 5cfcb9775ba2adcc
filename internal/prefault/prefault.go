package prefault

import "runtime"

// Heap prepares the next n bytes of the Go heap to be backed by
// transparent huge pages and returns them to the allocator: the run's
// next allocations (up to about n bytes) fault in 2 MiB at a time when
// first written, one fault where there were 512. It allocates n bytes,
// asks the kernel for huge pages over them (MADV_HUGEPAGE), drops them and
// collects them (a collection of a small heap: about a millisecond); it
// touches no page, so the pages count in the process's memory only once
// the run uses them. It reports whether the kernel took the advice.
//
// Why not make the pages resident too (MADV_POPULATE_WRITE, as Heap did
// first): on the virtual machine bomrank is measured on, zeroing a page
// the host has not backed yet costs about 1.2 ms a MiB however it is
// done, so making 122 MiB resident ahead of a scan took 40-200 ms that
// the scan waited for (run beside the readers) and paid again for every
// page it did not use (the peak was the prefault's size, not the scan's).
// `bomrank scan --db -f json` of the 100k workload, the decode floor run
// before each scan, 5 rounds each: 0.53-0.89 s -> 0.40-0.54 s (0.24x ->
// 0.17x the floor, medians), CPU 0.80-1.37 -> 0.72-0.94 s, peak 175-186
// -> 140 MiB.
//
// Heap should be called before the run allocates (its collection is of
// a small heap then) and when the heap is fresh (a program's first run:
// memory the heap reuses is zeroed by the allocator first). Heap does
// nothing for n under 4 MiB, where there is too little to win.
func Heap(n int64) bool {
	if n < minBytes || n != int64(int(n)) {
		return false
	}
	ok := adviseNew(n)
	runtime.GC() // the buffer is garbage now: its pages go back to the allocator
	return ok
}

// adviseNew allocates n bytes and asks for huge pages over them.
func adviseNew(n int64) bool {
	return advise(make([]byte, n))
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
