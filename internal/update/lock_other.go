//go:build !unix && !windows

package update

import (
	"errors"
	"io/fs"
	"os"
)

// lock creates path exclusively (there is no flock here): an update that
// dies leaves the file behind, and it must be removed by hand.
func lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, err
	}
	return func() { f.Close(); os.Remove(path) }, nil
}
