package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/decodefloor"
)

// asCommandEnv, set in the environment of this test binary, makes it run
// as the command (TestMain) with the arguments it was given: what
// BenchmarkScanDBCommand times, a fresh process each run, as a user runs
// bomrank.
const asCommandEnv = "BOMRANK_TEST_AS_COMMAND"

// peakFileEnv names the file a run as the command writes its own peak
// resident set to, in bytes: the parent's rusage of the child counts the
// parent's memory too (see internal/boundtest's hwm.go).
const peakFileEnv = "BOMRANK_TEST_PEAK_FILE"

// runAsCommand runs the command with this process's arguments and
// returns its exit status, first writing its peak to $BOMRANK_TEST_PEAK_FILE
// when set.
func runAsCommand() int {
	code := run(os.Args[1:], os.Stdout, os.Stderr)
	if p := os.Getenv(peakFileEnv); p != "" {
		if err := os.WriteFile(p, []byte(strconv.FormatInt(boundtest.SelfPeak(), 10)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 125
		}
	}
	return code
}

// BenchmarkScanDBCommand is issue 15's target as a user meets it:
// `bomrank scan --db DB -f json -o FILE DIR/sboms` on the 100k workload
// ($BOMRANK_BENCH, default /tmp/bench, made by ../shared/bench/gen.py),
// each run a new process (process start, the heap prefault, the page
// faults of a cold heap and the file's write all counted, which the
// in-process db.BenchmarkScanDB does not see), the output file removed
// before each run. It reports the wall time per run as a ratio to the
// decode floor measured in the same run (x-floor; target <= 0.15) and
// the largest peak resident set of the runs (MiB-peak; target < 300).
func BenchmarkScanDBCommand(b *testing.B) {
	root := os.Getenv("BOMRANK_BENCH")
	if root == "" {
		root = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(root, "sboms")); err != nil {
		b.Skipf("benchmark workload not found at %s (python3 ../shared/bench/gen.py %s)", root, root)
	}
	dir := b.TempDir()
	dbPath, out := filepath.Join(dir, "db"), filepath.Join(dir, "out.json")
	if _, err := db.Build(context.Background(), db.BuildOptions{Path: dbPath, Feeds: []string{filepath.Join(root, "osv")}}); err != nil {
		b.Fatal(err)
	}
	var elapsed time.Duration
	var peak int64
	for b.Loop() {
		d, p := runScanCommand(b, out, "scan", "--db", dbPath, "-f", "json", "-o", out, filepath.Join(root, "sboms"))
		elapsed, peak = elapsed+d, max(peak, p)
	}
	floor := decodefloor.Measure(b, filepath.Join(root, "osv"))
	b.ReportMetric(float64(elapsed)/float64(b.N)/float64(floor), "x-floor")
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "MiB-peak")
	}
}

// runScanCommand removes out, then runs this test binary as the command
// with args and returns its wall time and peak resident set (0 where
// /proc has none). A failing run fails b with its output.
func runScanCommand(b *testing.B, out string, args ...string) (time.Duration, int64) {
	b.Helper()
	if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
		b.Fatal(err)
	}
	peakFile := out + ".peak"
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asCommandEnv+"=1", peakFileEnv+"="+peakFile)
	start := time.Now()
	msg, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("bomrank %v: %v\n%s", args, err, msg)
	}
	text, err := os.ReadFile(peakFile)
	if err != nil {
		b.Fatal(err)
	}
	peak, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		b.Fatalf("peak file: %v", err)
	}
	return d, peak
}
