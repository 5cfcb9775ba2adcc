package index

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
)

// The decode floor (issue 15): the time to read every OSV file of the
// workload and decode it into generic maps, measured once per test binary
// by running $BOMRANK_FLOOR (default /tmp/floor) on the workload's osv
// folder. Benchmarks report their time as a ratio to it ("x-floor").
var floor struct {
	once sync.Once
	d    time.Duration
}

// reportFloor reports the benchmark's time per op as a ratio to the
// floor, and its CPU time per op since cpu0 (cpuTime): on a machine
// shared with other jobs the wall clock of both is inflated alike, the
// CPU time much less.
func reportFloor(b *testing.B, osvDir string, cpu0 int64) {
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	floor.once.Do(func() {
		bin := os.Getenv("BOMRANK_FLOOR")
		if bin == "" {
			bin = "/tmp/floor"
		}
		if _, err := os.Stat(bin); err != nil {
			return
		}
		start := time.Now()
		if err := exec.Command(bin, osvDir).Run(); err == nil {
			floor.d = time.Since(start)
		}
	})
	if floor.d == 0 {
		b.Log("no decode floor binary ($BOMRANK_FLOOR, /tmp/floor): no x-floor figure")
		return
	}
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/float64(floor.d.Nanoseconds()), "x-floor")
	b.ReportMetric(float64(floor.d.Milliseconds()), "floor-ms")
}

// cpuTime returns the process's user and system CPU time in nanoseconds
// (the garbage collector's threads included).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
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
	cpu0 := cpuTime()
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
		cpu0 := cpuTime()
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
		cpu0 := cpuTime()
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
