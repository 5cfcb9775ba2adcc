// Package prefault spares a run the page faults of its fresh memory: one
// fault per 4 KiB page on first touch.
//
// Why: a scan of the 100k benchmark workload grows its heap to about 150
// MiB, and every page of it is first touched by a page fault. On the
// virtual machines scanners run on those faults are expensive: here one
// costs about 11-15 µs (230 MiB touched page by page: 0.72 s; the same
// made resident with madvise(MADV_POPULATE_WRITE): 0.054 s).
//
// Two tools, each for its case:
//   - [Heap] asks for transparent huge pages (MADV_HUGEPAGE) over the Go
//     heap's next n bytes and hands them back to the allocator, touching
//     nothing: the run's allocations then fault 2 MiB at a time, and only
//     the memory the run uses is ever backed.
//   - [Resident] makes a buffer the caller is about to fill resident in one
//     system call (huge pages asked for first), before a read or a copy
//     writes it page by page.
//
// Huge pages are used where the kernel has them in "madvise" mode (the
// default of most distributions) or "always"; with them off, [Heap] does
// nothing and [Resident] makes 4 KiB pages resident. It is Linux only
// (MADV_POPULATE_WRITE: Linux 5.14); elsewhere both do nothing and the
// pages fault in as before.
package prefault
