//go:build unix

package match

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the test process has
// used: benchmarks report it beside the wall time, which a busy machine
// inflates.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
