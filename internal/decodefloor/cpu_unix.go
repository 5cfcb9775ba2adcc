//go:build unix

package decodefloor

import (
	"syscall"
	"time"
)

// CPU returns the CPU time (user and system, the garbage collector's
// threads included) the process has used: benchmarks report it beside
// the wall time, which a busy machine inflates more.
func CPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
