package db_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/decodefloor"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/scan"
)

// benchRoot returns the benchmark workload ($BOMRANK_BENCH, default
// /tmp/bench, made by ../shared/bench/gen.py), skipping without it.
func benchRoot(b *testing.B) string {
	b.Helper()
	root := os.Getenv("BOMRANK_BENCH")
	if root == "" {
		root = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(root, "osv")); err != nil {
		b.Skipf("benchmark workload not found at %s (python3 ../shared/bench/gen.py %s)", root, root)
	}
	return root
}

// perFloor reports the time per operation as a ratio to the decode
// floor of the workload's OSV records (decodefloor.Measure).
func perFloor(b *testing.B, elapsed time.Duration, root string) {
	if b.N > 0 {
		b.ReportMetric(float64(elapsed)/float64(b.N)/float64(decodefloor.Measure(b, filepath.Join(root, "osv"))), "x-floor")
	}
}

// BenchmarkBuild builds the 100k workload's database from its OSV
// directory (the target: at most 3x the decode floor).
func BenchmarkBuild(b *testing.B) {
	root := benchRoot(b)
	path := filepath.Join(b.TempDir(), "db")
	start := time.Now()
	for b.Loop() {
		if _, err := db.Build(context.Background(), db.BuildOptions{Path: path, Feeds: []string{filepath.Join(root, "osv")}}); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	perFloor(b, elapsed, root)
	if st, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "MB-db")
	}
}

// BenchmarkScanDB is `bomrank scan --db DB -f json -o FILE DIR/sboms` on
// the 100k workload in process: open the database, read the 200 SBOMs,
// match, rank, write the JSON report to a file (the target: at most 0.15x
// the decode floor).
func BenchmarkScanDB(b *testing.B) {
	root := benchRoot(b)
	dir := b.TempDir()
	path := filepath.Join(dir, "db")
	if _, err := db.Build(context.Background(), db.BuildOptions{Path: path, Feeds: []string{filepath.Join(root, "osv")}}); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	asOf := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		// Mapped, as the command opens it (each run's mapping stays:
		// OpenMapped).
		res, err := scan.Run(context.Background(), scan.Config{SBOMs: []string{filepath.Join(root, "sboms")}, DBPath: path, AsOf: asOf, MapDB: true})
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if err := report.Write(w, "json", res, report.Options{AsOf: asOf}); err != nil {
			b.Fatal(err)
		}
		w.Flush()
		f.Close()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	perFloor(b, elapsed, root)
	// The peak memory of one such scan in a fresh process, as the
	// command runs it.
	os.Setenv("BOMRANK_SCANDB", path)
	b.ReportMetric(float64(boundtest.Peak(b, "TestScanDBChild"))/(1<<20), "MiB-peak")
}

// TestScanDBChild is the scan BenchmarkScanDB measures the peak memory of,
// run in a child process; it does nothing otherwise.
func TestScanDBChild(t *testing.T) {
	path := os.Getenv("BOMRANK_SCANDB")
	if !boundtest.Child() || path == "" {
		t.Skip("run by BenchmarkScanDB")
	}
	root := os.Getenv("BOMRANK_BENCH")
	if root == "" {
		root = "/tmp/bench"
	}
	// GOGC as the command runs with it: Go's default, 100 (see
	// cmd/bomrank's main).
	asOf := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	res, err := scan.Run(context.Background(), scan.Config{SBOMs: []string{filepath.Join(root, "sboms")}, DBPath: path, AsOf: asOf, MapDB: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := report.Write(w, "json", res, report.Options{AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkOpen opens the 100k workload's database (header, checksums,
// index decode), read into memory (db.Open) and mapped (db.OpenMapped,
// as the command opens it; each run's mapping stays).
func BenchmarkOpen(b *testing.B) {
	b.Run("read", func(b *testing.B) { benchOpen(b, db.Open) })
	b.Run("mapped", func(b *testing.B) { benchOpen(b, db.OpenMapped) })
}

func benchOpen(b *testing.B, open func(string) (*db.DB, error)) {
	root := benchRoot(b)
	path := filepath.Join(b.TempDir(), "db")
	if _, err := db.Build(context.Background(), db.BuildOptions{Path: path, Feeds: []string{filepath.Join(root, "osv")}}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for b.Loop() {
		d, err := open(path)
		if err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
	perFloor(b, time.Since(start), root)
}
