package report_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/decodefloor"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/scan"
)

// BenchmarkJSONFleet writes the scan JSON of the synthetic workload of
// ../shared/bench/gen.py (BOMRANK_BENCH, default /tmp/bench: 200 SBOMs,
// about 82,000 findings, 135 MB of JSON), scanned once before the timing,
// and reports the time as a ratio to the decode floor of its OSV records
// (x-floor).
func BenchmarkJSONFleet(b *testing.B) {
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(dir, "osv")); err != nil {
		b.Skipf("no benchmark workload at %s: run python3 ../shared/bench/gen.py %s", dir, dir)
	}
	s, err := scan.Run(context.Background(), scan.Config{SBOMs: []string{filepath.Join(dir, "sboms")},
		Advisories: []string{filepath.Join(dir, "osv")}, AsOf: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	var n countWriter
	for b.Loop() {
		n = 0
		if err := report.JSON(&n, s); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(n))
	decodefloor.Report(b, filepath.Join(dir, "osv"))
}

// countWriter counts the bytes written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
