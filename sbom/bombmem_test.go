package sbom

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// A bomb is a document of one supported format that a megabyte of gzip
// expands to about a gibibyte of: head, unit repeated, tail. The units
// are the smallest element the format's reader keeps (an empty package or
// component), which is what makes memory grow fastest.
type bomb struct {
	name, head, unit, tail string
	// slow marks a reader that takes most of a minute of CPU on eight
	// bombs: that case runs only with BOMRANK_ALL_BOMBS set (CI time).
	slow bool
}

// sbomBombs has one bomb per SBOM format.
var sbomBombs = []bomb{
	{"cdx.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"Bomb"}},"components":[`, `{},`, `{}]}`, false},
	{"cdx.xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="device"><name>Bomb</name></component></metadata><components>`,
		`<component type="library"><name>a</name></component>`, `</components></bom>`, true},
	{"spdx.json", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"bomb","packages":[`, `{},`, `{}]}`, false},
	{"spdx.yaml", "spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: bomb\npackages:\n", "- {}\n", "", false},
	{"spdx", "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: bomb\n", "PackageName: a\n", "", false},
	{"spdx.rdf", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument rdf:about="#SPDXRef-DOCUMENT"><spdx:specVersion>SPDX-2.3</spdx:specVersion>`,
		`<spdx:Package/>`, `</spdx:SpdxDocument></rdf:RDF>`, false},
	{"spdx3.json", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[`, `{"type":"software_Package"},`, `{}]}`, true},
}

// bombSize is what a bomb decompresses to: just under the 1 GiB cap, so
// that the whole of it is read.
const bombSize = DefaultMaxBytes - 1<<20

// bombHeapLimit stops a child whose live heap goes over it: a regression
// fails the test without taking the machine down.
const bombHeapLimit = 3 << 30

// TestBombMemory (issue 14, bounded work): for every SBOM format, one
// document of a megabyte of gzip expanding to a gibibyte, and eight of
// them read at once by eight workers, each stay under 1.5 GiB of peak
// resident memory. Each document may be read or refused (with an error
// naming it); none may panic.
func TestBombMemory(t *testing.T) {
	for _, b := range sbomBombs {
		for _, n := range []int{1, 8} {
			t.Run(fmt.Sprintf("%s/%d", b.name, n), func(t *testing.T) {
				if boundtest.Child() {
					readBombs(t, b, n)
					return
				}
				if raceDetector || testing.Short() {
					t.Skip("a gibibyte per document; skipped with -short and under the race detector")
				}
				if n > 1 && b.slow && os.Getenv("BOMRANK_ALL_BOMBS") == "" {
					t.Skip("eight at once takes a minute of CPU; set BOMRANK_ALL_BOMBS=1 to run it")
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

// readBombs writes n copies of b and reads them with eight workers.
func readBombs(t *testing.T, b bomb, n int) {
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
	t.Logf("%d bytes of gzip each: %d devices, %d errors (first: %s), %d ignored", len(gz), len(res.Devices), len(res.Errors), first, len(res.Ignored))
}
