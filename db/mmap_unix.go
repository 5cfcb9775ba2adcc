//go:build unix

package db

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only and shared: the page
// cache's copy, shared by every scan that opens the file at once, with no
// copy into the heap. A build never writes into a file in place (it
// renames a new one over it), so the mapping stays valid, on the old
// file, for as long as a scan holds it.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}
