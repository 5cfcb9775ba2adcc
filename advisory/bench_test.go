package advisory

import (
	"context"
	"os"
	"path/filepath"
	"testing"
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

// BenchmarkLoadAndIndex is the whole advisory side of a scan: load the
// 100,000-file directory and index it.
func BenchmarkLoadAndIndex(b *testing.B) {
	dir := benchDir(b, "osv")
	for b.Loop() {
		res := Load(context.Background(), dir)
		ix := NewIndex(res.Advisories)
		if ix.Len() == 0 {
			b.Fatal("empty index")
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	res := Load(context.Background(), benchDir(b, "db"))
	b.ResetTimer()
	for b.Loop() {
		NewIndex(res.Advisories)
	}
}
