package sbom

import (
	"context"
	"fmt"
	"testing"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// sbomBombs has one bomb per SBOM format. The units are the smallest
// element the format's reader keeps (an empty package or component),
// which is what makes memory grow fastest. Slow ones take most of a
// minute of CPU on eight bombs.
var sbomBombs = []boundtest.Bomb{
	bomb("cdx.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"Bomb"}},"components":[`, `{},`, `{}]}`, false),
	bomb("cdx.xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="device"><name>Bomb</name></component></metadata><components>`,
		`<component type="library"><name>a</name></component>`, `</components></bom>`, true),
	bomb("spdx.json", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"bomb","packages":[`, `{},`, `{}]}`, false),
	bomb("spdx.yaml", "spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: bomb\npackages:\n", "- {}\n", "", false),
	bomb("spdx", "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: bomb\n", "PackageName: a\n", "", false),
	bomb("spdx.rdf", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument rdf:about="#SPDXRef-DOCUMENT"><spdx:specVersion>SPDX-2.3</spdx:specVersion>`,
		`<spdx:Package/>`, `</spdx:SpdxDocument></rdf:RDF>`, false),
	bomb("spdx3.json", `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[`, `{"type":"software_Package"},`, `{}]}`, true),
}

// bomb names the fields of a boundtest.Bomb.
func bomb(name, head, unit, tail string, slow bool) boundtest.Bomb {
	return boundtest.Bomb{Name: name, Head: head, Unit: unit, Tail: tail, Slow: slow}
}

// TestBombMemory (issue 14, bounded work): for every SBOM format, one
// document of a megabyte of gzip expanding to just under the 1 GiB cap,
// and eight of them read at once by eight workers, each stay under 1.5
// GiB of peak resident memory (boundtest.BombMemory).
func TestBombMemory(t *testing.T) {
	boundtest.BombMemory(t, sbomBombs, DefaultMaxBytes-1<<20, func(dir string) ([]error, string) {
		res := Options{Workers: 8}.Load(context.Background(), dir)
		errs := make([]error, len(res.Errors))
		for i, e := range res.Errors {
			errs[i] = e
		}
		return errs, fmt.Sprintf("%d devices, %d ignored", len(res.Devices), len(res.Ignored))
	})
}
