package match_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// BenchmarkScanDatabase matches the SBOMs of the workload (200 x 500
// components against 100k OSV records by default) through a compiled
// database, as `bomrank scan --db` does: each iteration opens the
// database anew (outside the timing: nothing decoded yet) and scans with a
// new Matcher, so that it measures the first decode of every entry and
// record the scan needs, as the command pays it. cpu-s/op is the CPU of
// the scans alone.
func BenchmarkScanDatabase(b *testing.B) {
	dir := benchDir(b)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "db")
	if _, err := db.Build(ctx, db.BuildOptions{Path: path, Feeds: []string{filepath.Join(dir, "osv")}}); err != nil {
		b.Fatal(err)
	}
	devices := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(dir, "sboms")).Devices
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	findings := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d, err := db.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := match.ProcessCPU()
		findings = 0
		for _, r := range scanned(&match.Matcher{Index: d}, ctx, devices) {
			findings += len(r.Findings)
		}
		cpu += match.ProcessCPU() - start
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(findings), "findings")
}
