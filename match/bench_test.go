package match_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/match"
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

// BenchmarkScan matches the 200 SBOMs x 500 components of the workload
// against its 100k OSV records (loaded and indexed once, outside the
// timing), as `bomrank scan` does after loading.
func BenchmarkScan(b *testing.B) {
	dir := benchDir(b)
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join(dir, "osv"))
	ix := index.New(ares.Advisories)
	sres := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(dir, "sboms"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := &match.Matcher{Index: ix}
		res := scanned(m, ctx, sres.Devices)
		if len(res) != 200 {
			b.Fatalf("%d results", len(res))
		}
	}
}
