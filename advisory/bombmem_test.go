package advisory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/membudget"
)

// A bomb is a feed document that a megabyte of gzip expands to about a
// gibibyte of: head, unit repeated, tail. The units are the smallest
// element the format's reader keeps, or (KEV, EPSS) one its reader stops
// at.
type bomb struct {
	name, head, unit, tail string
	// slow marks a format whose eight-at-once case runs only with
	// BOMRANK_ALL_BOMBS set: eight bombs cost 3 GiB of decompression
	// (10-50 s on a busy 2-core machine), and two formats (OSV JSON,
	// CSAF) cover the shared path in CI.
	slow bool
}

// feedBombs has one bomb per feed format.
var feedBombs = []bomb{
	{"osv.json", `{"id":"BOMB-1","modified":"2024-01-01T00:00:00Z","affected":[`, `{},`, `{}]}`, false},
	{"osv.yaml", "id: BOMB-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n", "- {}\n", "", true},
	{"csaf.json", `{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","publisher":{"category":"vendor","name":"X","namespace":"https://x.example"},"title":"t","tracking":{"id":"X-1","current_release_date":"2024-01-01T00:00:00Z","initial_release_date":"2024-01-01T00:00:00Z","revision_history":[],"status":"final","version":"1"}},"vulnerabilities":[`, `{},`, `{}]}`, false},
	{"nvd.json", `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[`, `{},`, `{}]}`, true},
	{"openvex.json", `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2024-01-01T00:00:00Z","version":1,"statements":[`, `{},`, `{}]}`, true},
	{"vex.cdx.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[`, `{},`, `{}]}`, true},
	{"vex.cdx.xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><vulnerabilities>`, `<vulnerability><id>x</id></vulnerability>`, `</vulnerabilities></bom>`, true},
	{"kev.json", `{"catalogVersion":"1","vulnerabilities":[`, `{"cveID":"CVE-2021-44228"},`, `{}]}`, true},
	{"epss.csv", "cve,epss,percentile\n", "CVE-2021-44228,0.97,0.99\n", "", true},
}

// bombSize is what a bomb decompresses to: just under the 1 GiB cap, so
// that the whole of it is read.
const bombSize = DefaultMaxBytes - 1<<20

// bombHeapLimit stops a child whose live heap goes over it: a regression
// fails the test without taking the machine down.
const bombHeapLimit = 3 << 30

// TestBombMemory (issue 14, bounded work): for every feed format, one
// document of a megabyte of gzip expanding to a gibibyte, and eight of
// them read at once by eight workers, each stay under 1.5 GiB of peak
// resident memory. Each document may be read or refused (with an error
// naming it); none may panic.
func TestBombMemory(t *testing.T) {
	for _, b := range feedBombs {
		for _, n := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s/%d", b.name, n), func(t *testing.T) {
				if boundtest.Child() {
					loadBombs(t, b, n)
					return
				}
				if boundtest.Race || testing.Short() {
					t.Skip("a gibibyte per document; skipped with -short and under the race detector")
				}
				if n > 1 && b.slow && os.Getenv("BOMRANK_ALL_BOMBS") == "" {
					t.Skip("eight at once takes 10-50 s; set BOMRANK_ALL_BOMBS=1 to run it")
				}
				peak, over := boundtest.PeakOf(t, bombHeapLimit)
				t.Logf("%s x %d: peak RSS %d MiB (stopped at the heap limit: %v)", b.name, n, peak>>20, over)
				if over || peak > 1536<<20 {
					t.Errorf("%s x %d: peak RSS %d MiB, want < 1.5 GiB", b.name, n, peak>>20)
				}
			})
		}
	}
}

// loadBombs writes n copies of b and loads them with eight workers.
func loadBombs(t *testing.T, b bomb, n int) {
	dir := t.TempDir()
	gz := boundtest.GzipBomb(b.head, b.unit, b.tail, bombSize)
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("bomb%d.%s.gz", i, b.name)), gz, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := Options{Workers: 8}.Load(context.Background(), dir)
	for _, e := range res.Errors {
		if !strings.Contains(e.Error(), "bomb") || strings.Contains(e.Error(), "internal error") {
			t.Errorf("error %v: want one naming the file, not a panic", e)
		}
	}
	first := ""
	if len(res.Errors) > 0 {
		first = res.Errors[0].Error()
		first = first[:min(len(first), 300)]
	}
	t.Logf("%d bytes of gzip each: %d advisories, %d errors (first: %s), %d ignored", len(gz), len(res.Advisories), len(res.Errors), first, len(res.Ignored))
}

// TestDecodeEstimateRefuses: a document that decompresses within the
// lane but would decode to far more (32 MiB of empty OSV affected
// entries, CSAF vulnerabilities, CycloneDX VEX XML vulnerabilities:
// 11 million objects, a few GB of structs) is refused on its estimate,
// before decoding, having allocated little more than the decompressed
// bytes. Without the estimate the OSV and CSAF cases went over the
// child's 1 GiB heap limit (the CycloneDX VEX one was still refused, by
// its reader's own estimate against membudget.Default).
func TestDecodeEstimateRefuses(t *testing.T) {
	for _, b := range []bomb{feedBombs[0], feedBombs[2], feedBombs[6]} {
		t.Run(b.name, func(t *testing.T) {
			boundtest.Run(t, 60*time.Second, 1<<30, func(t *testing.T) {
				gz := boundtest.GzipBomb(b.head, b.unit, b.tail, 32<<20)
				before := boundtest.Allocated()
				_, err := Options{}.ParseFeed(bytes.NewReader(gz), "est."+b.name+".gz")
				used := boundtest.Allocated() - before
				if err == nil || !errors.Is(err, membudget.ErrOver) || !strings.Contains(err.Error(), "est."+b.name) {
					t.Errorf("err = %v, want refused on its memory estimate, naming the file", err)
				}
				if used > 4*(32<<20) {
					t.Errorf("%d bytes allocated for 32 MiB decompressed, want at most 4 times", used)
				}
			})
		})
	}
}
