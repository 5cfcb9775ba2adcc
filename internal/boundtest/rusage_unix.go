//go:build unix

package boundtest

import (
	"os"
	"runtime"
	"syscall"
)

func maxRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	peak := int64(ru.Maxrss)
	if runtime.GOOS != "darwin" {
		peak *= 1024 // kilobytes, except on macOS (bytes)
	}
	return peak, true
}
