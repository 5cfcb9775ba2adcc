package index

import (
	"context"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/decodefloor"
)

// reportFloor reports the benchmark's time per op as a ratio to the
// decode floor (decodefloor.Measure), and its CPU time per op since cpu0
// (decodefloor.CPU): on a machine shared with other jobs the wall clock
// of both is inflated alike, the CPU time much less.
func reportFloor(b *testing.B, osvDir string, cpu0 time.Duration) {
	b.ReportMetric(float64(decodefloor.CPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.StopTimer()
	fl := decodefloor.Measure(b, osvDir)
	b.ReportMetric(perOp/float64(fl.Nanoseconds()), "x-floor")
	b.ReportMetric(float64(fl.Milliseconds()), "floor-ms")
}

// benchIndex is the 100k workload's index in binary form, with its
// package keys, made once per test binary. The index itself is not kept:
// a scan through a database has only the decoded index on its heap, and
// the garbage collector's cost grows with the live heap.
var benchIndex struct {
	once    sync.Once
	data    []byte
	keys    []pkgKey
	entries int
}

func loadBenchIndex(b *testing.B) ([]byte, []pkgKey, string) {
	dir := benchDir(b, "osv")
	benchIndex.once.Do(func() {
		ix := New(advisory.Load(context.Background(), dir).Advisories)
		var err error
		if benchIndex.data, err = ix.AppendBinary(nil); err != nil {
			b.Fatal(err)
		}
		for k := range ix.byPkg {
			benchIndex.keys = append(benchIndex.keys, k)
		}
		benchIndex.entries = ix.entries
	})
	runtime.GC()
	return benchIndex.data, benchIndex.keys, dir
}

// BenchmarkDecode reads the 100k workload's index from its binary form
// (lookup tables only: records are decoded by the lookups that return
// them).
func BenchmarkDecode(b *testing.B) {
	data, _, dir := loadBenchIndex(b)
	cpu0 := decodefloor.CPU()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/(1<<20), "MiB")
	reportFloor(b, dir, cpu0)
}

// BenchmarkLookupAll looks up every package of the 100k workload: in a
// freshly decoded index ("cold", Decode included: every record is
// decoded once, by the lookup that first returns it), and again in one
// that has answered every lookup once ("warm": the cost of the lookups a
// scan repeats per component, the same for an index New built).
func BenchmarkLookupAll(b *testing.B) {
	data, keys, dir := loadBenchIndex(b)
	lookupAll := func(r Reader) {
		n := 0
		for _, k := range keys {
			n += len(r.Packages(k.eco, k.name))
		}
		if n != benchIndex.entries {
			b.Fatalf("%d entries, want %d", n, benchIndex.entries)
		}
	}
	b.Run("cold", func(b *testing.B) {
		cpu0 := decodefloor.CPU()
		for b.Loop() {
			dx, err := Decode(data)
			if err != nil {
				b.Fatal(err)
			}
			lookupAll(dx)
		}
		reportFloor(b, dir, cpu0)
	})
	b.Run("warm", func(b *testing.B) {
		dx, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		lookupAll(dx)
		cpu0 := decodefloor.CPU()
		for b.Loop() {
			lookupAll(dx)
		}
		reportFloor(b, dir, cpu0)
	})
}

// TestBinaryBench: the 100k workload's index answers the same decoded.
func TestBinaryBench(t *testing.T) {
	if testing.Short() {
		t.Skip("the 100k workload takes seconds to load")
	}
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	if _, err := os.Stat(dir + "/osv"); err != nil {
		t.Skipf("benchmark workload not found at %s/osv (python3 ../shared/bench/gen.py %s)", dir, dir)
	}
	ix := New(advisory.Load(context.Background(), dir+"/osv").Advisories)
	dx, data := roundtrip(t, ix)
	t.Logf("%d records, %d entries, %d bytes", ix.Len(), ix.Contents().Entries, len(data))
	assertSame(t, ix, dx)
}
