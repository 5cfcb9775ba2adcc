package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// benchDir returns a folder of the benchmark workload ($BOMRANK_BENCH,
// default /tmp/bench, made by ../shared/bench/gen.py), skipping without it.
func benchDir(b *testing.B, elem string) string {
	b.Helper()
	root := os.Getenv("BOMRANK_BENCH")
	if root == "" {
		root = "/tmp/bench"
	}
	dir := filepath.Join(root, elem)
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("benchmark workload not found at %s (python3 ../shared/bench/gen.py %s)", dir, root)
	}
	return dir
}

// BenchmarkLoadAndIndex is the whole advisory side of a scan: load the
// 100,000-file directory and index it.
func BenchmarkLoadAndIndex(b *testing.B) {
	dir := benchDir(b, "osv")
	for b.Loop() {
		res := advisory.Load(context.Background(), dir)
		ix := New(res.Advisories)
		if ix.Len() == 0 {
			b.Fatal("empty index")
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	res := advisory.Load(context.Background(), benchDir(b, "db"))
	b.ResetTimer()
	for b.Loop() {
		New(res.Advisories)
	}
}

// BenchmarkCSAFIndex indexes the records of every real CISA advisory of
// shared/csaf.
func BenchmarkCSAFIndex(b *testing.B) {
	dir := sharedtest.Path(b, "csaf")
	res := advisory.Load(context.Background(), filepath.Join(dir, "cisa-icsma"), filepath.Join(dir, "cisa-icsa-selected"), filepath.Join(dir, "cisagov-CSAF"))
	b.ResetTimer()
	for b.Loop() {
		ix := New(res.Advisories)
		if !ix.Contents().CSAF {
			b.Fatal("no CSAF")
		}
	}
}

// BenchmarkIndexCPE indexes the sample's configurations.
func BenchmarkIndexCPE(b *testing.B) {
	feed := advisory.Load(context.Background(), filepath.Join("..", "testdata", "feeds", "nvd"))
	if len(feed.Advisories) == 0 {
		b.Fatal("no NVD records")
	}
	for b.Loop() {
		New(feed.Advisories)
	}
}
