//go:build !unix && !windows

package filelock

import (
	"errors"
	"io/fs"
	"os"
)

// TryLock creates path exclusively (there is no flock here): a build that
// dies leaves the file behind, and it must be removed by hand.
func TryLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, err
	}
	return func() { f.Close(); os.Remove(path) }, nil
}
