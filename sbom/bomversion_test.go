package sbom

import (
	"strings"
	"testing"
)

// BOMVersion is the CycloneDX BOM's version, JSON and XML, 0 when absent:
// VEX BOM-Links name one version (issue 14, defect 4).
func TestBOMVersion(t *testing.T) {
	tests := []struct {
		name, doc string
		want      int
	}{
		{"json", `{"bomFormat":"CycloneDX","specVersion":"1.5","serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":7,
		  "metadata":{"component":{"type":"device","name":"D","version":"1"}}}`, 7},
		{"json without version", `{"bomFormat":"CycloneDX","specVersion":"1.5",
		  "metadata":{"component":{"type":"device","name":"D","version":"1"}}}`, 0},
		{"xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="3">
		  <metadata><component type="device"><name>D</name><version>1</version></component></metadata></bom>`, 3},
	}
	for _, tc := range tests {
		d, err := Parse(strings.NewReader(tc.doc), "x")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.BOMVersion != tc.want {
			t.Errorf("%s: BOMVersion %d, want %d", tc.name, d.BOMVersion, tc.want)
		}
	}
}
