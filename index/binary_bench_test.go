package index

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
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
// as a database does, with DecodeString (lookup tables only: records are
// decoded by the lookups that return them).
func BenchmarkDecode(b *testing.B) {
	bin, _, dir := loadBenchIndex(b)
	data := string(bin)
	cpu0 := decodefloor.CPU()
	for b.Loop() {
		if _, err := DecodeString(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/(1<<20), "MiB")
	reportFloor(b, dir, cpu0)
}

// BenchmarkLookupAll looks up every package of the 100k workload: in a
// freshly decoded index ("cold", DecodeString included: every record is
// decoded once, by the lookup that first returns it), and again in one
// that has answered every lookup once ("warm": the cost of the lookups a
// scan repeats per component, the same for an index New built). The
// "candidates" runs make the lookups a scan of a database makes
// (PackageCandidates: each entry's affected package decoded alone, no
// record).
func BenchmarkLookupAll(b *testing.B) {
	bin, keys, dir := loadBenchIndex(b)
	data := string(bin)
	lookupAll := func(lookup func(eco, name string) []Entry) {
		n := 0
		for _, k := range keys {
			n += len(lookup(k.eco, k.name))
		}
		if n != benchIndex.entries {
			b.Fatalf("%d entries, want %d", n, benchIndex.entries)
		}
	}
	for _, c := range []struct {
		name    string
		partial bool
	}{{"", false}, {"candidates/", true}} {
		look := func(dx *Memory) func(eco, name string) []Entry {
			if c.partial {
				return dx.PackageCandidates
			}
			return dx.Packages
		}
		b.Run(c.name+"cold", func(b *testing.B) {
			cpu0 := decodefloor.CPU()
			for b.Loop() {
				dx, err := DecodeString(data)
				if err != nil {
					b.Fatal(err)
				}
				lookupAll(look(dx))
			}
			reportFloor(b, dir, cpu0)
		})
		b.Run(c.name+"warm", func(b *testing.B) {
			dx, err := DecodeString(data)
			if err != nil {
				b.Fatal(err)
			}
			lookupAll(look(dx))
			cpu0 := decodefloor.CPU()
			for b.Loop() {
				lookupAll(look(dx))
			}
			reportFloor(b, dir, cpu0)
		})
	}
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

// BenchmarkPackageLookup looks up every package key of the 100k workload
// with PackageEntries, in a shuffled order and with keys of their own (as
// a scan's components give them): through the decoded index's pkgTable,
// and through its byPkg map as before the table.
func BenchmarkPackageLookup(b *testing.B) {
	bin, keys, _ := loadBenchIndex(b)
	ks := make([]pkgKey, len(keys))
	for i, k := range keys {
		ks[i] = pkgKey{strings.Clone(k.eco), strings.Clone(k.name)}
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
	for _, table := range []bool{true, false} {
		b.Run(map[bool]string{true: "table", false: "map"}[table], func(b *testing.B) {
			dx, err := DecodeString(string(bin))
			if err != nil {
				b.Fatal(err)
			}
			if !table {
				dx.pkgTab = nil
			} else if dx.pkgTab == nil {
				b.Fatal("no package table")
			}
			var dst []int
			for b.Loop() {
				n := 0
				for _, k := range ks {
					dst = dx.PackageEntries(dst[:0], k.eco, k.name)
					n += len(dst)
				}
				if n != benchIndex.entries {
					b.Fatalf("%d entries, want %d", n, benchIndex.entries)
				}
			}
		})
	}
}
