// Package prefault makes the memory a run is about to use resident in one
// system call, instead of one page fault per 4 KiB page on first touch.
//
// Why: a scan of the 100k benchmark workload grows its heap to about 230
// MiB, and every page of it was first touched by a page fault. On the
// virtual machines scanners run on those faults are expensive: here one
// costs about 11 µs (230 MiB touched page by page: 0.72 s; the same made
// resident with madvise(MADV_POPULATE_WRITE): 0.054 s), which was most of
// the scan's 0.6 s of system time. [Heap] makes the Go heap's next n bytes
// resident ahead of the run and hands them back to the allocator, which
// then reuses them: the JVM's -XX:+AlwaysPreTouch, sized to the run.
//
// The memory made resident is asked for in transparent huge pages
// (MADV_HUGEPAGE) where they are on in "madvise" mode: fewer, cheaper
// faults still (see populate_linux.go for the measurement).
//
// It is Linux only (MADV_POPULATE_WRITE, Linux 5.14); elsewhere, and on an
// older kernel, [Heap] does nothing and the pages fault in as before.
package prefault
