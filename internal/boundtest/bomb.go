package boundtest

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// GzipBomb returns a gzip file that decompresses to head, then unit
// repeated until the whole is about size bytes, then tail. It is made of
// gzip members (a gzip reader reads them one after the other as a single
// stream): one for head, one for tail and, in between, the same member of
// a mebibyte of units repeated, compressed once. Deflate compresses a
// repeated unit about a thousandfold, so a gibibyte takes about a
// megabyte of gzip and a few milliseconds to make (compressing the whole
// gibibyte took seconds per document).
func GzipBomb(head, unit, tail string, size int64) []byte {
	member := func(s []byte) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(s)
		zw.Close()
		return b.Bytes()
	}
	var out bytes.Buffer
	out.Write(member([]byte(head)))
	chunk := []byte(strings.Repeat(unit, max(1, (1<<20)/len(unit))))
	z := member(chunk)
	rest := size - int64(len(head)+len(tail))
	for ; rest >= int64(len(chunk)); rest -= int64(len(chunk)) {
		out.Write(z)
	}
	if n := rest / int64(len(unit)); n > 0 {
		out.Write(member(chunk[:n*int64(len(unit))]))
	}
	out.Write(member([]byte(tail)))
	return out.Bytes()
}

// limitEnv carries the heap limit of a child started by PeakOf.
const limitEnv = "BOMRANK_MEMTEST_LIMIT"

// exitOver is the exit status of a child stopped by its heap limit.
const exitOver = 3

var watchOnce sync.Once

// PeakOf runs the calling test or subtest (t.Name()) alone in a child
// process and returns the child's peak resident set size in bytes. In the
// child, call Child first: with heapLimit > 0 it starts a watchdog that
// ends the child as soon as its live heap exceeds heapLimit bytes, and
// PeakOf then returns over = true (the peak is then a lower bound of what
// the work would take): a test of a regression, or a measurement before
// a fix, cannot take the machine down. A child failing otherwise fails t.
func PeakOf(t *testing.T, heapLimit uint64) (peak int64, over bool) {
	t.Helper()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("peak memory is read from rusage on Linux and macOS only")
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), peakEnv+"=1", limitEnv+"="+strconv.FormatUint(heapLimit, 10))
	out, hwm, err := runWatched(cmd)
	over = cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == exitOver
	if err != nil && !over {
		t.Fatalf("child process for %s: %v\n%s", t.Name(), err, out)
	}
	if err == nil && !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("child process did not run %s\n%s", t.Name(), out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "    ") && !strings.HasPrefix(strings.TrimSpace(line), "--- ") {
			t.Log("child:", strings.TrimSpace(line)) // what the work logged
		}
	}
	peak, ok := childPeak(cmd.ProcessState, hwm)
	if !ok {
		t.Skip("no rusage for the child process")
	}
	return peak, over
}

// startLimit starts the heap watchdog of a child started by PeakOf with a
// limit (once).
func startLimit() {
	watchOnce.Do(func() {
		if n, err := strconv.ParseUint(os.Getenv(limitEnv), 10, 64); err == nil && n > 0 {
			watch(n)
		}
	})
}
