package advisory

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/internal/pool"
)

// benchDir returns the synthetic workload written by
// `python3 ../shared/bench/gen.py DIR` ($BOMRANK_BENCH, else /tmp/bench),
// skipping b when it is absent.
func benchDir(b *testing.B, elem ...string) string {
	b.Helper()
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		b.Skipf("benchmark workload not found (run ../shared/bench/gen.py DIR and set BOMRANK_BENCH=DIR): %v", err)
	}
	return p
}

func BenchmarkLoadOSVDir(b *testing.B) {
	dir := benchDir(b, "osv")
	for b.Loop() {
		res := Load(context.Background(), dir)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
		b.ReportMetric(float64(len(res.Advisories)), "advisories")
	}
}

func BenchmarkLoadOSVZip(b *testing.B) {
	dir := benchDir(b, "db")
	for b.Loop() {
		res := Load(context.Background(), dir)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
		b.ReportMetric(float64(len(res.Advisories)), "advisories")
	}
}

// benchRecords returns the raw records of the benchmark workload, read
// from its zips.
func benchRecords(b *testing.B) [][]byte {
	b.Helper()
	zips, _ := filepath.Glob(filepath.Join(benchDir(b, "db"), "*", "*", "all.zip"))
	var out [][]byte
	for _, z := range zips {
		zr, err := zip.OpenReader(z)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, data)
		}
		zr.Close()
	}
	return out
}

// BenchmarkDecode decodes the 100,000 records of the workload from memory
// with GOMAXPROCS workers: the decoding cost alone, without the file
// system (compare the numbers in osv.go).
func BenchmarkDecode(b *testing.B) {
	recs := benchRecords(b)
	size := 0
	for _, r := range recs {
		size += len(r)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		pool.Each(context.Background(), len(recs), 0, func() *worker { return &worker{} }, func(w *worker, i int) error {
			if err := w.decode(recs[i], "x", DefaultMaxBytes).err; err != nil {
				b.Error(err)
			}
			w.trim()
			return nil
		})
	}
}
