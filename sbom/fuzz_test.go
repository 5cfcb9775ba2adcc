package sbom

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// addSeeds adds the small fixtures of one kind as fuzz seeds.
func addSeeds(f *testing.F, globs ...string) {
	for _, g := range globs {
		m, _ := filepath.Glob(g)
		for _, p := range m {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
}

// fuzzParse checks the parser's contract on arbitrary bytes: no panic, an
// error or a device, and a device's components all named or kept as read.
func fuzzParse(t *testing.T, data []byte) {
	d, err := Options{MaxBytes: 4 << 20}.Parse(bytes.NewReader(data), "fuzz")
	if err != nil {
		if d != nil {
			t.Fatal("device returned with an error")
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		return
	}
	if d == nil {
		t.Fatal("nil device without error")
	}
	for _, c := range d.Components {
		if c == nil {
			t.Fatal("nil component")
		}
	}
}

func FuzzCycloneDXJSON(f *testing.F) {
	f.Add([]byte(miniCDX))
	addSeeds(f, "../testdata/fleet/*.cdx.json")
	f.Fuzz(fuzzParse)
}

func FuzzCycloneDXXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><metadata><component type="device"><name>pump</name></component></metadata><components><component type="library" bom-ref="a"><name>zlib</name><version>1.2.11</version><components><component type="library"><name>inner</name></component></components></component></components><dependencies><dependency ref="a"/></dependencies></bom>`))
	addSeeds(f, "../testdata/fleet/*.cdx.xml")
	f.Fuzz(fuzzParse)
}

func FuzzSPDXTagValue(f *testing.F) {
	f.Add([]byte("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: pump\nDocumentNamespace: https://example.com/pump\nCreator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n\nPackageName: pump\nSPDXID: SPDXRef-pump\nPackageVersion: 1.0\nPackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\nExternalRef: PACKAGE-MANAGER purl pkg:generic/pump@1.0\nRelationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-pump\n"))
	addSeeds(f, "../testdata/fleet/*.spdx")
	f.Fuzz(fuzzParse)
}

func FuzzSPDXJSON(f *testing.F) {
	f.Add([]byte(`{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"pump","documentNamespace":"https://example.com/p","dataLicense":"CC0-1.0","creationInfo":{"created":"2024-01-01T00:00:00Z","creators":["Tool: x"]},"documentDescribes":["SPDXRef-pump"],"packages":[{"SPDXID":"SPDXRef-pump","name":"pump","versionInfo":"1","downloadLocation":"NOASSERTION"},{"SPDXID":"SPDXRef-z","name":"zlib","versionInfo":"1.2.11","downloadLocation":"NOASSERTION","externalRefs":[{"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*"}]}],"relationships":[{"spdxElementId":"SPDXRef-pump","relationshipType":"CONTAINS","relatedSpdxElement":"SPDXRef-z"}]}`))
	addSeeds(f, "../testdata/fleet/*.spdx.json")
	f.Fuzz(fuzzParse)
}

func FuzzSPDXYAML(f *testing.F) {
	f.Add([]byte("spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: pump\ndocumentNamespace: https://example.com/p\ndataLicense: CC0-1.0\ncreationInfo:\n  created: \"2024-01-01T00:00:00Z\"\n  creators: [\"Tool: x\"]\ndocumentDescribes: [SPDXRef-pump]\npackages:\n- SPDXID: SPDXRef-pump\n  name: pump\n  versionInfo: \"1\"\n  downloadLocation: NOASSERTION\n"))
	f.Fuzz(fuzzParse)
}

func FuzzSPDXRDF(f *testing.F) {
	skipRDFUnderRace(f)
	addSeeds(f, "testdata/spdx2-*.rdf")
	f.Fuzz(fuzzParse)
}
