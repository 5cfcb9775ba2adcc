package match_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/match"
)

// BenchmarkNVDDatabase is NVD at its real size through a compiled
// database: the synthetic NVD of BenchmarkCPEFleet scaled to 300,000
// records ($BOMRANK_NVD_RECORDS to change it) written as a database
// (index and write; the records are generated, not parsed from JSON),
// then 1,000 devices x 20 CPE components matched through it with a fresh
// matcher each time. It reports the database's size and build time, and
// the scan time per operation, wall and CPU (user and system, which a
// busy machine does not inflate as it does the wall time). The first
// operation decodes the records its lookups return; later ones find them
// decoded.
func BenchmarkNVDDatabase(b *testing.B) {
	n := 300000
	if s := os.Getenv("BOMRANK_NVD_RECORDS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ix, devs := match.NVDWorkload(n, 1000)
	path := filepath.Join(b.TempDir(), "nvd.db")
	start := time.Now()
	if _, err := db.Write(context.Background(), db.BuildOptions{Path: path}, &advisory.LoadResult{Advisories: ix.Advisories()}); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	d, err := db.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	b.ResetTimer()
	findings := 0
	cpu := match.ProcessCPU()
	for b.Loop() {
		findings = 0
		for _, r := range scanned(&match.Matcher{Index: d}, context.Background(), devs) {
			findings += len(r.Findings)
		}
	}
	b.ReportMetric((match.ProcessCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(build.Seconds(), "s-build")
	b.ReportMetric(float64(st.Size())/1e6, "MB-db")
	b.ReportMetric(float64(findings), "findings")
}
