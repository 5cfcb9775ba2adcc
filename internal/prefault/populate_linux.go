package prefault

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// populate makes the whole pages of b resident and writable, contents
// unchanged (pages never touched are the kernel's zero pages).
func populate(b []byte) bool {
	ps := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first := (start + ps - 1) &^ (ps - 1)
	last := (start + uintptr(len(b))) &^ (ps - 1)
	if last <= first {
		return false
	}
	return unix.Madvise(b[first-start:last-start], unix.MADV_POPULATE_WRITE) == nil
}
