//go:build linux

package mapfile

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapping is a file mapped under a read lease.
type mapping struct {
	fd       int // a duplicate of the caller's descriptor: it holds the lease
	addr     unsafe.Pointer
	size     uintptr
	detached bool
}

var (
	mu       sync.Mutex // guards mappings and watching
	mappings []*mapping
	watching bool
)

// Map maps the first size bytes of f read-only under a read lease (see
// the package comment) and returns them. The mapping is never unmapped;
// f may be closed after Map. It returns an error wrapping ErrNotMapped
// when it could not: the caller reads the file instead.
func Map(f *os.File, size int64) ([]byte, error) {
	if size <= 0 || size != int64(int(size)) {
		return nil, fmt.Errorf("%w: %d bytes", ErrNotMapped, size)
	}
	watch() // before the lease: no break can come unheard
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotMapped, err)
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_RDLCK); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("%w: no read lease on the file: %v", ErrNotMapped, err)
	}
	// Under the lease the size cannot change; before it, it could have
	// (pages past the end of the file would be SIGBUS, not bytes).
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Size != size {
		release(fd)
		return nil, fmt.Errorf("%w: the file changed size before it was leased", ErrNotMapped)
	}
	p, err := unix.MmapPtr(fd, 0, nil, uintptr(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		release(fd)
		return nil, fmt.Errorf("%w: %v", ErrNotMapped, err)
	}
	populate(unsafe.Slice((*byte)(p), int(size)))
	mu.Lock()
	mappings = append(mappings, &mapping{fd: fd, addr: p, size: uintptr(size)})
	mu.Unlock()
	breaks() // a break that came before the mapping was listed
	return unsafe.Slice((*byte)(p), int(size)), nil
}

// Unmap unmaps data, which Map returned and nothing views any more (the
// caller found the file unusable), and gives its lease back.
func Unmap(data []byte) {
	if len(data) == 0 {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	for i, m := range mappings {
		if m.addr == unsafe.Pointer(&data[0]) {
			unix.MunmapPtr(m.addr, m.size)
			if !m.detached {
				release(m.fd)
			}
			mappings = append(mappings[:i], mappings[i+1:]...)
			return
		}
	}
}

// populate maps the pages of the file into b ahead of use, with huge
// pages where the page cache has them.
//
// Why: on the machine bomrank is measured on, the first touch of each
// 4 KiB page of a mapping costs 1-7 µs even when the page is cached
// (the hypervisor's shadow page tables), 10-70 ms for the 35 MB database
// of the 100k benchmark; a file whose page cache is in 2 MiB folios
// (what `db build` writes: see the db package's chunkWriter) maps a
// 2 MiB page at a time, and touching all of it takes under 1 ms.
// MADV_HUGEPAGE asks the kernel to read a file not yet cached into 2 MiB
// folios too; MADV_POPULATE_READ (Linux 5.14) maps every page in one
// call. Both are advice: on an older kernel the pages fault in as read.
func populate(b []byte) {
	unix.Madvise(b, unix.MADV_HUGEPAGE)
	unix.Madvise(b, unix.MADV_POPULATE_READ)
}

// detached (for the tests) reports whether the mapping that starts at p was replaced by a
// private copy because another process wanted to change the file.
func detached(p *byte) bool {
	mu.Lock()
	defer mu.Unlock()
	for _, m := range mappings {
		if m.addr == unsafe.Pointer(p) {
			return m.detached
		}
	}
	return false
}

// watch starts, once, the goroutine that answers lease breaks.
func watch() {
	mu.Lock()
	defer mu.Unlock()
	if watching {
		return
	}
	watching = true
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGIO)
	go func() {
		for range ch {
			breaks()
		}
	}()
}

// breaks detaches every mapping whose lease is being broken (SIGIO says
// only that one is; F_GETLEASE then gives the type the lease is to be
// downgraded to) and gives its lease back.
func breaks() {
	mu.Lock()
	defer mu.Unlock()
	for _, m := range mappings {
		if m.detached {
			continue
		}
		if t, err := unix.FcntlInt(uintptr(m.fd), unix.F_GETLEASE, 0); err == nil && t == unix.F_RDLCK {
			continue
		}
		// If the copy fails the lease is kept: the other process waits
		// until the kernel takes the lease back (lease-break-time, 45 s
		// by default), giving this one that long to finish.
		if detach(m) == nil {
			m.detached = true
			release(m.fd)
		}
	}
}

// detach copies the mapping into private read-only memory and moves that
// memory to the mapping's address in one call: the old mapping is gone,
// and a reader meanwhile sees the same bytes at the same address
// (mremap replaces the pages under the process's memory-map lock; a
// concurrent fault waits for it).
func detach(m *mapping) error {
	p, err := unix.MmapPtr(-1, 0, nil, m.size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return err
	}
	cp := unsafe.Slice((*byte)(p), int(m.size))
	copy(cp, unsafe.Slice((*byte)(m.addr), int(m.size)))
	if err = unix.Mprotect(cp, unix.PROT_READ); err == nil {
		_, err = unix.MremapPtr(p, m.size, m.addr, m.size, unix.MREMAP_MAYMOVE|unix.MREMAP_FIXED)
	}
	if err != nil {
		unix.MunmapPtr(p, m.size)
	}
	return err
}

// release gives the lease on fd back and closes it.
func release(fd int) {
	unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_UNLCK)
	unix.Close(fd)
}
