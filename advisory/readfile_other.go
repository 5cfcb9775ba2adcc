//go:build !linux

package advisory

// rawRead is false: the system call shortcut of readfile_linux.go is for
// Linux only.
const rawRead = false

// readFileFast reads a file found while walking a directory (the system
// call shortcut of readfile_linux.go is for Linux only).
func (w *worker) readFileFast(dir string, _ int32, name string, _ bool, limit int64) (data []byte, isZip, shortcut bool, err error) {
	data, isZip, _, err = readFileStd(dir+name, limit, w.buf)
	return data, isZip, false, err
}

// dirHandle is unused outside Linux.
type dirHandle struct{}

func (w *worker) release() {}
