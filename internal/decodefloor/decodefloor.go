// Package decodefloor measures the decode floor that benchmarks on the
// synthetic workload (../shared/bench/gen.py) report their time against:
// reading every OSV file of the workload once and decoding it with
// encoding/json into a generic map, with 4 goroutines (as
// ../shared/bench/floor does). The machine is shared and noisy, so a
// benchmark states its time as a ratio to the floor measured in the same
// run (issue 15's targets are such ratios).
package decodefloor

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var (
	mu       sync.Mutex
	measured = map[string]time.Duration{}
)

// Measure returns the decode floor of the OSV folder dir, measured once
// per process (the first call takes the time of the floor, about 2 s on
// the 100k-record workload). It fails tb when dir holds no OSV JSON file.
func Measure(tb testing.TB, dir string) time.Duration {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if d, ok := measured[dir]; ok {
		return d
	}
	var paths []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
			paths = append(paths, p)
		}
		return nil
	})
	if len(paths) == 0 {
		tb.Fatalf("decode floor: no OSV JSON file in %s", dir)
	}
	start := time.Now()
	ch := make(chan string, 1024)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for p := range ch {
				if b, err := os.ReadFile(p); err == nil {
					var v map[string]any
					_ = json.Unmarshal(b, &v)
				}
			}
		})
	}
	for _, p := range paths {
		ch <- p
	}
	close(ch)
	wg.Wait()
	d := time.Since(start)
	measured[dir] = d
	return d
}

// Report adds to b the metric "x-floor": the wall time of one operation
// as a ratio to the decode floor of the OSV folder dir. Call it after the
// timed loop.
func Report(b *testing.B, dir string) {
	b.Helper()
	if b.N == 0 {
		return
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.StopTimer()
	floor := Measure(b, dir)
	b.ReportMetric(float64(per)/float64(floor), "x-floor")
	b.ReportMetric(floor.Seconds(), "floor-s")
}
