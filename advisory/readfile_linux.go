package advisory

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"syscall"

	"github.com/bomrank/bomrank/internal/walk"
)

// rawRead chooses readFileFast for the files found in directories. (A
// variable so that BenchmarkReadFiles can compare it with os.ReadFile.)
var rawRead = true

// readFileFast reads a file found while walking a directory with raw
// system calls: openat relative to the directory (kept open while the
// worker stays in it), read, close. os.ReadFile opens by full path,
// registers the descriptor with the network poller, stats the file and
// reads once more to see the end of file: twice the system calls. On the
// 2-core benchmark machine system calls do not run in parallel, and for
// the 100,000 small files of the benchmark this is most of the load time.
//
// The read that would only return end of file is skipped when a read
// returned less than asked and what was read is a complete-looking JSON
// document (it starts with '{' or '[' and ends with the matching bracket):
// for a regular file on Linux a short read means the end of the file.
// Should a network or FUSE file system return a short read early anyway,
// the document fails to decode, and the caller reads the file again
// fully (shortcut reports this case). The rule of walk.Open applies:
// O_NONBLOCK keeps a named pipe planted in a directory from blocking the
// open; a file the directory lists as a symbolic link is checked with
// walk.CheckFD (fstat) once opened, which refuses what is not a regular
// file (a pipe, a device such as /dev/zero) and a file over the limit
// before anything is read; a file the directory lists as regular is
// opened with O_NOFOLLOW, so that it still is one, without an fstat per
// file (the benchmark's 100,000 files cost open, read and close each, as
// before). A pipe put in its place since the listing reads as empty or
// fails with EAGAIN: neither blocks.
//
// It earns its place: BenchmarkReadFiles (readfile_linux_test.go) loads
// the 100,000-file OSV directory both ways in one run, alternating. On
// the 2-core benchmark machine (busy: load average 11 to 16) Load took
// 3.5 to 3.7 s this way against 5.7 to 6.5 s with readFileStd, which
// reads as os.ReadFile does: median ratio 1.74 and 2.24 in two runs of
// 10 and 12 loads each way (December 2026).
func (w *worker) readFileFast(dir string, dirIdx int32, name string, link bool, limit int64) (data []byte, isZip, shortcut bool, err error) {
	if w.dir.idx != dirIdx+1 {
		w.dir.close()
		fd, err := openRetry(atFDCWD, cleanDir(dir), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC)
		if err != nil {
			data, isZip, _, err := readFileStd(dir+name, limit, w.buf)
			return data, isZip, false, err
		}
		w.dir = dirHandle{fd: fd, idx: dirIdx + 1}
	}
	const flags = syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NONBLOCK
	var fd int
	if !link {
		// Listed as a regular file: O_NOFOLLOW keeps it one (a link
		// put in its place since fails with ELOOP, and is checked
		// below), without an fstat per file.
		fd, err = openRetry(w.dir.fd, name, flags|syscall.O_NOFOLLOW)
		if err == syscall.ELOOP {
			link = true
		}
	}
	if link {
		fd, err = openRetry(w.dir.fd, name, flags)
	}
	if err != nil {
		return w.buf[:0], false, false, err
	}
	defer syscall.Close(fd)
	if link {
		if err := walk.CheckFD(fd, limit); err != nil {
			return w.buf[:0], false, false, err
		}
	}
	data = w.buf[:0]
	if cap(data) == 0 {
		data = make([]byte, 0, 64<<10)
	}
	for first := true; ; first = false {
		if len(data) == cap(data) {
			data = slices.Grow(data, int(min(int64(cap(data)), limit+1-int64(len(data)))))
		}
		want := cap(data) - len(data)
		n, err := fdReader(fd).Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		switch {
		case err == io.EOF:
			return data, false, false, nil
		case errors.Is(err, syscall.EAGAIN): // cannot happen after CheckFD
			return data, false, false, walk.ErrNotRegular
		case err != nil:
			return data, false, false, err
		case int64(len(data)) > limit:
			return data, false, false, walk.TooLarge(limit)
		case first && isZipMagic(data):
			return data, true, false, nil
		case n < want && completeJSON(data):
			return data, false, true, nil
		}
	}
}

// completeJSON reports whether b looks like a whole JSON object or array:
// the first and last significant bytes are matching brackets.
func completeJSON(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.Trim(b, " \t\r\n")
	return len(b) >= 2 && (b[0] == '{' && b[len(b)-1] == '}' || b[0] == '[' && b[len(b)-1] == ']')
}

// atFDCWD is AT_FDCWD, which package syscall does not export on Linux.
const atFDCWD = -100

func cleanDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

func openRetry(dirfd int, name string, flags int) (int, error) {
	for {
		fd, err := syscall.Openat(dirfd, name, flags, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// dirHandle is an open directory; idx is its walk.File.Dir plus one,
// so that the zero value is "none".
type dirHandle struct {
	fd  int
	idx int32
}

func (d *dirHandle) close() {
	if d.idx != 0 {
		syscall.Close(d.fd)
		d.idx = 0
	}
}

func (w *worker) release() { w.dir.close() }

// fdReader reads a file descriptor.
type fdReader int

// Read implements io.Reader, retrying when interrupted and reporting
// io.EOF for a read of nothing.
func (f fdReader) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(f), p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n == 0 && len(p) > 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}
