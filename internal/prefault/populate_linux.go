package prefault

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on amd64 and arm64
// (4 KiB base pages).
const hugePage = 2 << 20

// populate asks for huge pages over b and makes the whole pages of b
// resident and writable, contents unchanged (pages never touched are the
// kernel's zero pages).
//
// Why huge pages: on the machine bomrank is measured on (kernel 6.18,
// transparent huge pages in "madvise" mode, the default of most
// distributions) 64 MiB made resident in 4 KiB pages took 17 ms, and in
// 2 MiB pages, once the kernel had them, 4.5 ms; and memory of the same
// region the run touches later faults a 2 MiB page at once rather than a
// 4 KiB page at 15 µs a fault. `bomrank scan --db -f json` of the 100k
// workload, when Heap still made its memory resident, 5 interleaved runs
// each: user time 1.27-1.49 s -> 1.08-1.25 s, peak unchanged (173-180
// MiB). Where the kernel has no huge page free or transparent huge pages
// are off, the advice is ignored and 4 KiB pages are made resident.
func populate(b []byte) bool {
	start, first, last := pages(b)
	if last <= first {
		return false
	}
	adviseHuge(b, start, first, last)
	return unix.Madvise(b[first-start:last-start], unix.MADV_POPULATE_WRITE) == nil
}

// advise asks for huge pages over the huge pages wholly inside b and
// reports whether the kernel took the advice.
func advise(b []byte) bool {
	start, first, last := pages(b)
	return adviseHuge(b, start, first, last)
}

// pages returns where b starts and the bounds of the whole base pages
// inside it.
func pages(b []byte) (start, first, last uintptr) {
	ps := uintptr(os.Getpagesize())
	start = uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first = (start + ps - 1) &^ (ps - 1)
	last = (start + uintptr(len(b))) &^ (ps - 1)
	return start, first, last
}

// adviseHuge asks for huge pages over the huge pages wholly inside
// [first, last), addresses inside b, which starts at start: the memory around b is the heap's too, but rounding out
// would let the kernel back a neighbour's untouched pages, and raise the
// peak, for b's sake.
func adviseHuge(b []byte, start, first, last uintptr) bool {
	lo := (first + hugePage - 1) &^ (hugePage - 1)
	hi := last &^ (hugePage - 1)
	if hi <= lo {
		return false
	}
	// An error (a kernel without transparent huge pages) leaves the
	// pages small.
	return unix.Madvise(b[lo-start:hi-start], unix.MADV_HUGEPAGE) == nil
}
