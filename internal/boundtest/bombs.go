package boundtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bomb is a document of one format that a megabyte of gzip expands to
// about a gibibyte of (GzipBomb): Head, Unit repeated, Tail. Slow marks a
// format whose eight-at-once case runs only with BOMRANK_ALL_BOMBS set
// (it takes tens of seconds on a busy 2-core machine: CI time).
type Bomb struct {
	Name, Head, Unit, Tail string
	Slow                   bool
}

// bombHeapLimit stops a child whose live heap goes over it: a regression
// fails the test without taking the machine down.
const bombHeapLimit = 3 << 30

// BombMemory is issue 14's bounded-work test, shared by the SBOM and feed
// readers: for each bomb, one and then eight gzipped copies expanding to
// size bytes each are written to a folder and read by load (with eight
// workers) in a child process, whose peak resident memory must stay under
// 1.5 GiB. load returns the errors the reader gave and a line for the
// log; every error must name its file ("bomb...") and none may be a
// recovered panic. Skipped with -short and under the race detector.
func BombMemory(t *testing.T, bombs []Bomb, size int64, load func(dir string) (errs []error, summary string)) {
	for _, b := range bombs {
		for _, n := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s/%d", b.Name, n), func(t *testing.T) {
				if Child() {
					readBombs(t, b, n, size, load)
					return
				}
				if Race || testing.Short() {
					t.Skip("a gibibyte per document; skipped with -short and under the race detector")
				}
				if n > 1 && b.Slow && os.Getenv("BOMRANK_ALL_BOMBS") == "" {
					t.Skip("eight at once takes tens of seconds; set BOMRANK_ALL_BOMBS=1 to run it")
				}
				peak, over := PeakOf(t, bombHeapLimit)
				t.Logf("%s x %d: peak RSS %d MiB (stopped at the heap limit: %v)", b.Name, n, peak>>20, over)
				if over || peak > 1536<<20 {
					t.Errorf("%s x %d: peak RSS %d MiB, want < 1.5 GiB", b.Name, n, peak>>20)
				}
			})
		}
	}
}

// readBombs writes n copies of b and reads them with load.
func readBombs(t *testing.T, b Bomb, n int, size int64, load func(dir string) ([]error, string)) {
	dir := t.TempDir()
	gz := GzipBomb(b.Head, b.Unit, b.Tail, size)
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("bomb%d.%s.gz", i, b.Name)), gz, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	errs, summary := load(dir)
	for _, e := range errs {
		if !strings.Contains(e.Error(), "bomb") || strings.Contains(e.Error(), "internal error") {
			t.Errorf("error %v: want one naming the file, not a panic", e)
		}
	}
	first := ""
	if len(errs) > 0 {
		first = errs[0].Error()
		first = first[:min(len(first), 300)]
	}
	t.Logf("%d bytes of gzip each: %s, %d errors (first: %s)", len(gz), summary, len(errs), first)
}
