package report_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/bomrank/bomrank/internal/decodefloor"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/scan"
)

// dbScan is the scan `bomrank scan --db DIR/bomrank.db DIR/sboms` makes
// (DIR: BOMRANK_BENCH, default /tmp/bench), made once for the benchmarks
// below.
var dbScan = sync.OnceValues(func() (*report.Scan, error) {
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	path := filepath.Join(dir, "bomrank.db")
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	return scan.Run(context.Background(), scan.Config{SBOMs: []string{filepath.Join(dir, "sboms")}, DBPath: path})
})

// benchDBScan is dbScan, or skips b without the workload's database.
func benchDBScan(b *testing.B) *report.Scan {
	s, err := dbScan()
	if err != nil {
		b.Skipf("no benchmark database (python3 ../shared/bench/gen.py /tmp/bench, then bomrank db build): %v", err)
	}
	return s
}

// BenchmarkJSONDB writes the JSON report of the 100k workload's scan
// through its database (185 MB) to a counting writer, and reports the CPU
// time of the process per report (cpu-s/op: the encoding on every core,
// and the collections it causes).
func BenchmarkJSONDB(b *testing.B) {
	s := benchDBScan(b)
	b.ReportAllocs()
	var n countWriter
	cpu := decodefloor.CPU()
	for b.Loop() {
		n = 0
		if err := report.JSON(&n, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(decodefloor.CPU()-cpu)/float64(b.N)/1e9, "cpu-s/op")
	b.SetBytes(int64(n))
}

// BenchmarkRankDB ranks the devices of the 100k workload's scan through
// its database again (without exploitation data) and reports the CPU
// time of the process per ranking.
func BenchmarkRankDB(b *testing.B) {
	s := benchDBScan(b)
	b.ReportAllocs()
	cpu := decodefloor.CPU()
	for b.Loop() {
		rank.Options{}.Rank(s.Results)
	}
	b.ReportMetric(float64(decodefloor.CPU()-cpu)/float64(b.N)/1e9, "cpu-s/op")
}
