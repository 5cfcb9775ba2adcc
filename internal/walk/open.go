package walk

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular means a path names something other than a regular file: a
// directory, a named pipe (FIFO), a device, a socket, directly or through
// a symbolic link. bomrank reads regular files only: a pipe would block
// the run, a device such as /dev/zero would never end.
var ErrNotRegular = errors.New("not a regular file")

// NotRegular returns nil for a regular file's mode, else the error naming
// what it is (wrapping ErrNotRegular).
func NotRegular(mode fs.FileMode) error {
	var kind string
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		kind = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	case mode&fs.ModeCharDevice != 0:
		kind = "a character device"
	case mode&fs.ModeDevice != 0:
		kind = "a block device"
	default:
		kind = "of mode " + mode.String()
	}
	return fmt.Errorf("%w: %s", ErrNotRegular, kind)
}

// Open is the one way bomrank opens an input file (SBOMs, feeds, checksum
// files, inventories). It opens path without blocking (O_NONBLOCK, so
// that opening a named pipe with no writer returns at once), looks at
// what it opened (fstat, after symbolic links are followed) and refuses
// anything but a regular file with an error wrapping ErrNotRegular. A
// file larger than limit bytes (limit > 0) is refused before anything is
// read, with TooLarge(limit). Errors carry no *fs.PathError wrapper (see
// UnwrapPath): the callers name the path.
//
// O_NONBLOCK has no effect on reading a regular file.
func Open(path string, limit int64) (*os.File, int64, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, 0, UnwrapPath(err)
	}
	st, err := f.Stat()
	if err == nil {
		err = NotRegular(st.Mode())
	}
	if err == nil && limit > 0 && st.Size() > limit {
		err = fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, st.Size(), limit)
	}
	if err != nil {
		f.Close()
		return nil, 0, UnwrapPath(err)
	}
	return f, st.Size(), nil
}

// ReadFile reads the regular file at path, as Open opens it: at most limit
// bytes (a file that grows past limit while it is read is TooLarge too).
func ReadFile(path string, limit int64) ([]byte, error) {
	f, size, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, 0, size+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if limit > 0 && int64(len(data)) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, UnwrapPath(err)
		}
		if len(data) == cap(data) {
			grow := cap(data)
			if limit > 0 {
				grow = int(min(int64(grow), limit+1-int64(len(data))))
			}
			data = append(data, make([]byte, max(grow, 512))...)[:len(data)]
		}
	}
}
