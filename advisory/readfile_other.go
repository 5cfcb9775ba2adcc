//go:build !linux

package advisory

import "path/filepath"

// readFileFast reads a file found while walking a directory (the system
// call shortcut of readfile_linux.go is for Linux only).
func (w *worker) readFileFast(dir string, _ int32, name string, limit int64) ([]byte, bool, error) {
	return readFileStd(filepath.Join(dir, name), limit, w.buf)
}

// dirHandle is unused outside Linux.
type dirHandle struct{}

func (w *worker) release() {}
