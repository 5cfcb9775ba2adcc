//go:build !linux

package mapfile

import (
	"fmt"
	"os"
)

// Map maps the first size bytes of f. Only Linux has the leases that
// make a mapping safe (see the package comment): elsewhere it always
// returns an error wrapping ErrNotMapped.
func Map(f *os.File, size int64) ([]byte, error) {
	return nil, fmt.Errorf("%w: leases are Linux's", ErrNotMapped)
}

// Unmap does nothing where nothing is mapped.
func Unmap(data []byte) {}
