package match_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/decodefloor"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
)

// benchDir is the synthetic workload of shared/bench/gen.py
// (BOMRANK_BENCH, default /tmp/bench); benchmarks skip without it.
func benchDir(b *testing.B) string {
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(dir, "osv")); err != nil {
		b.Skipf("no benchmark workload at %s: run python3 ../shared/bench/gen.py %s", dir, dir)
	}
	return dir
}

// meter measures a benchmark's CPU time (user and system, every
// goroutine) besides the wall time the testing package measures: on the
// shared machine the wall time of a run depends on the other jobs more
// than the CPU time does.
type meter struct{ cpu time.Duration }

func startMeter(b *testing.B) *meter {
	b.ResetTimer()
	return &meter{cpu: decodefloor.CPU()}
}

// report stops the timer and reports the CPU time per operation
// ("cpu-s/op") and the wall time as a ratio to the decode floor of the
// workload in dir, measured in the same run (decodefloor).
func (m *meter) report(b *testing.B, dir string) {
	cpu := decodefloor.CPU() - m.cpu
	b.ReportMetric(float64(cpu)/float64(b.N)/1e9, "cpu-s/op")
	decodefloor.Report(b, filepath.Join(dir, "osv"))
}

// benchInputs loads the workload's advisories (indexed) and SBOMs.
func benchInputs(b *testing.B) (string, *index.Memory, []*sbom.Device) {
	dir := benchDir(b)
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join(dir, "osv"))
	ix := index.New(ares.Advisories)
	sres := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(dir, "sboms"))
	return dir, ix, sres.Devices
}

// BenchmarkScan matches the SBOMs of the workload (200 x 500 components
// against 100k OSV records by default) with the index built outside the
// timing, as `bomrank scan` does after loading; each iteration starts
// from a new Matcher (nothing compiled yet).
func BenchmarkScan(b *testing.B) {
	dir, ix, devices := benchInputs(b)
	ctx := context.Background()
	b.ReportAllocs()
	mt := startMeter(b)
	for i := 0; i < b.N; i++ {
		m := &match.Matcher{Index: ix}
		res := scanned(m, ctx, devices)
		if len(res) != len(devices) {
			b.Fatalf("%d results", len(res))
		}
	}
	mt.report(b, dir)
}

// BenchmarkRank ranks the matched devices of the workload (matched once,
// outside the timing).
func BenchmarkRank(b *testing.B) {
	dir, ix, devices := benchInputs(b)
	res := scanned(&match.Matcher{Index: ix}, context.Background(), devices)
	b.ReportAllocs()
	mt := startMeter(b)
	for i := 0; i < b.N; i++ {
		ranked, failed := rank.Options{}.Rank(res)
		if len(ranked) != len(devices) || len(failed) > 0 {
			b.Fatalf("%d ranked, %d failed", len(ranked), len(failed))
		}
	}
	mt.report(b, dir)
}
