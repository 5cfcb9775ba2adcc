package boundtest

// Peak measures the peak memory of a piece of work in a test, so that a
// memory regression fails CI: the work runs in a child process (the test
// binary re-executed for one test) and the parent reads the child's peak
// resident set size: from its rusage, and on Linux from its own high-water
// mark while it runs (see hwm.go: rusage alone counts the parent's). A test using it is written in two
// halves:
//
//	func TestX(t *testing.T) {
//		if boundtest.Child() {
//			work() // report failure with t.Fatal as usual
//			return
//		}
//		peak := boundtest.Peak(t, "TestX")
//		if peak > limit { t.Errorf(...) }
//	}

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"testing"
)

// env names the test a child process runs.
const peakEnv = "BOMRANK_MEMTEST_CHILD"

// Child reports whether this process is a child started by Peak or
// PeakOf; in a child of PeakOf given a heap limit, it also starts the
// watchdog that enforces it.
func Child() bool {
	if os.Getenv(peakEnv) == "" {
		return false
	}
	startLimit()
	return true
}

// Peak runs test (the name of the calling top-level test, or of a test a
// benchmark delegates its work to) alone in a child process and returns
// its peak resident set size in bytes. A failing child
// fails t with the child's output. Where rusage carries no peak RSS
// (not Linux or macOS), the test is skipped.
func Peak(t testing.TB, test string) int64 {
	t.Helper()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("peak memory is read from rusage on Linux and macOS only")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(test)+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), peakEnv+"=1")
	out, hwm, err := runWatched(cmd)
	if err != nil {
		t.Fatalf("child process for %s: %v\n%s", test, err, out)
	}
	peak, ok := childPeak(cmd.ProcessState, hwm)
	if !ok {
		t.Skip("no rusage for the child process")
	}
	return peak
}

// SelfPeak returns this process's own peak resident set size in bytes
// (VmHWM in /proc/self/status: of the memory it got at exec, unlike its
// rusage, see hwm.go), 0 where /proc gives none (not Linux).
func SelfPeak() int64 { return readHWM("/proc/self/status") }
