// Package mapfile maps a file into memory read-only, guarded so that no
// other process can change what the mapping shows while this process
// uses it.
//
// Why: on the machine bomrank is measured on, reading the 35 MB database
// of the 100k benchmark into fresh memory costs 60-110 ms of a 0.4 s scan
// (the kernel zeroes every page the host had taken back, then the read
// copies into it), while mapping the file shows the page cache's pages
// as they are, for about 15 ms. `bomrank scan --db -f json` of that
// workload, the decode floor run before each scan, 5 interleaved rounds:
// 0.40-0.53 s -> 0.37-0.44 s (median 0.180x -> 0.162x the floor), CPU
// 0.71-0.90 s -> 0.67-0.79 s.
//
// Why the guard: a mapping shows the file as it is now, not as it was
// when it was mapped. Another process that truncates the file (`cp` over
// it opens it with O_TRUNC) would make every later read of the cut pages
// kill this process with SIGBUS, and one that writes into it would change
// records the scan already checked. Map takes a read lease on the file
// (fcntl F_SETLEASE, F_RDLCK) before it maps it: the kernel then holds
// any open of the file for writing, and any truncation, until the lease
// is given back, and tells this process with SIGIO. Map's watcher then
// copies the mapping into private memory, puts the copy in the
// mapping's place in one step (mremap: the addresses the process holds
// stay valid and show the same bytes), and gives the lease back; the
// other process goes on. Replacing the file by a rename (what `bomrank db
// build` and `db import` do) breaks no lease: the old file stays mapped.
//
// Where a lease cannot be had (another process has the file open for
// writing, a file system without leases such as NFS, a file this user
// does not own without CAP_LEASE, leases disabled, or a system other
// than Linux), Map returns an error wrapping ErrNotMapped and the caller
// reads the file instead.
//
// A mapping lasts as long as the process: it is never unmapped, since
// views into it (strings the caller made from it) may live anywhere. Map
// is for a command that reads a large file once and exits.
package mapfile
