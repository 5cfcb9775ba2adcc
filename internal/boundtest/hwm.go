package boundtest

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// The peak of a child process is not its rusage's ru_maxrss alone on
// Linux: os/exec starts children with clone(CLONE_VM|CLONE_VFORK), and at
// exec the kernel folds the high-water mark of the memory the child left
// (the parent's) into the child's maxrss. A child started by a process
// holding 500 MiB reports 500 MiB even when it is /bin/true (measured:
// 503 MiB), and BenchmarkScanDB's child reported 313-330 MiB where the
// same scan run alone peaks at 225 MiB. So the parent also reads the
// child's own high-water mark (VmHWM in /proc/PID/status, of the memory
// the child got at exec) while it runs, and the peak is the smaller of
// the two: VmHWM only grows, so the last reading misses a new peak only
// if the child reached it in the last pollEvery before it exited.

// pollEvery is how often the child's VmHWM is read.
const pollEvery = time.Millisecond

// runWatched runs cmd (stdout and stderr together, as CombinedOutput
// does) and returns its output, the child's VmHWM as last
// read in bytes (0 where /proc gives none: not Linux) and its error.
func runWatched(cmd *exec.Cmd) (out []byte, hwm int64, err error) {
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	if runtime.GOOS != "linux" {
		err = cmd.Wait()
		return buf.Bytes(), 0, err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		status := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"
		tick := time.NewTicker(pollEvery)
		defer tick.Stop()
		for {
			if v := readHWM(status); v > hwm {
				hwm = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	wg.Wait()
	return buf.Bytes(), hwm, err
}

// readHWM returns the VmHWM line of a /proc status file in bytes, 0 when
// it cannot be read (the process has gone, or there is no /proc).
func readHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("\nVmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(line), []byte(" kB"))), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}

// childPeak is the child's peak from its rusage and its last VmHWM: the
// smaller of the two when both are known (see above).
func childPeak(ps *os.ProcessState, hwm int64) (int64, bool) {
	peak, ok := maxRSS(ps)
	switch {
	case !ok && hwm > 0:
		return hwm, true
	case ok && hwm > 0 && hwm < peak:
		return hwm, true
	}
	return peak, ok
}
