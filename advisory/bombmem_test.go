package advisory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/membudget"
)

// feedBombs has one bomb per feed format. The units are the smallest
// element the format's reader keeps, or (KEV, EPSS) one its reader stops
// at. Slow ones: eight bombs cost 3 GiB of decompression (10-50 s on a
// busy 2-core machine), and two formats (OSV JSON, CSAF) cover the shared
// path in CI.
var feedBombs = []boundtest.Bomb{
	bomb("osv.json", `{"id":"BOMB-1","modified":"2024-01-01T00:00:00Z","affected":[`, `{},`, `{}]}`, false),
	bomb("osv.yaml", "id: BOMB-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n", "- {}\n", "", true),
	bomb("csaf.json", `{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","publisher":{"category":"vendor","name":"X","namespace":"https://x.example"},"title":"t","tracking":{"id":"X-1","current_release_date":"2024-01-01T00:00:00Z","initial_release_date":"2024-01-01T00:00:00Z","revision_history":[],"status":"final","version":"1"}},"vulnerabilities":[`, `{},`, `{}]}`, false),
	bomb("nvd.json", `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[`, `{},`, `{}]}`, true),
	bomb("openvex.json", `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2024-01-01T00:00:00Z","version":1,"statements":[`, `{},`, `{}]}`, true),
	bomb("vex.cdx.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[`, `{},`, `{}]}`, true),
	bomb("vex.cdx.xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><vulnerabilities>`, `<vulnerability><id>x</id></vulnerability>`, `</vulnerabilities></bom>`, true),
	bomb("kev.json", `{"catalogVersion":"1","vulnerabilities":[`, `{"cveID":"CVE-2021-44228"},`, `{}]}`, true),
	bomb("epss.csv", "cve,epss,percentile\n", "CVE-2021-44228,0.97,0.99\n", "", true),
}

// bomb names the fields of a boundtest.Bomb.
func bomb(name, head, unit, tail string, slow bool) boundtest.Bomb {
	return boundtest.Bomb{Name: name, Head: head, Unit: unit, Tail: tail, Slow: slow}
}

// TestBombMemory (issue 14, bounded work): for every feed format, one
// document of a megabyte of gzip expanding to just under the 1 GiB cap,
// and eight of them read at once by eight workers, each stay under 1.5
// GiB of peak resident memory (boundtest.BombMemory).
func TestBombMemory(t *testing.T) {
	boundtest.BombMemory(t, feedBombs, DefaultMaxBytes-1<<20, func(dir string) ([]error, string) {
		res := Options{Workers: 8}.Load(context.Background(), dir)
		errs := make([]error, len(res.Errors))
		for i, e := range res.Errors {
			errs[i] = e
		}
		return errs, fmt.Sprintf("%d advisories, %d ignored", len(res.Advisories), len(res.Ignored))
	})
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
	for _, b := range []boundtest.Bomb{feedBombs[0], feedBombs[2], feedBombs[6]} {
		t.Run(b.Name, func(t *testing.T) {
			boundtest.Run(t, 60*time.Second, 1<<30, func(t *testing.T) {
				gz := boundtest.GzipBomb(b.Head, b.Unit, b.Tail, 32<<20)
				before := boundtest.Allocated()
				_, err := Options{}.ParseFeed(bytes.NewReader(gz), "est."+b.Name+".gz")
				used := boundtest.Allocated() - before
				if err == nil || !errors.Is(err, membudget.ErrOver) || !strings.Contains(err.Error(), "est."+b.Name) {
					t.Errorf("err = %v, want refused on its memory estimate, naming the file", err)
				}
				if used > 4*(32<<20) {
					t.Errorf("%d bytes allocated for 32 MiB decompressed, want at most 4 times", used)
				}
			})
		})
	}
}
