//go:build unix

package walk

import (
	"fmt"
	"io/fs"
	"syscall"
)

const oNonblock = syscall.O_NONBLOCK

// CheckFD applies Open's rule to a file descriptor a caller opened itself
// with raw system calls (O_NONBLOCK included): fstat, a regular file of
// at most limit bytes (limit > 0), else the error.
func CheckFD(fd int, limit int64) error {
	var st syscall.Stat_t
	for {
		err := syscall.Fstat(fd, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return NotRegular(unixMode(uint32(st.Mode)))
	}
	if limit > 0 && st.Size > limit {
		return fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, st.Size, limit)
	}
	return nil
}

func unixMode(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}
