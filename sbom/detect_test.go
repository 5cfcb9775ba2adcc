package sbom

import (
	"errors"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		doc  string
		want Format
	}{
		{`{"bomFormat":"CycloneDX","specVersion":"1.6"}`, CycloneDXJSON},
		{"\xef\xbb\xbf  {\n \"specVersion\": \"1.4\", \"components\": []}", CycloneDXJSON}, // BOM, no bomFormat
		{`{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}`, SPDXJSON},
		{`{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}`, SPDX3JSONLD},
		{`<?xml version="1.0"?><!-- c --><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>`, CycloneDXXML},
		{`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"/>`, SPDXRDF},
		{"## comment\nSPDXVersion: SPDX-2.2\n", SPDXTagValue},
		{"---\ndocumentNamespace: x\nspdxVersion: SPDX-2.3\n", SPDXYAML},
		// Schemas of the formats carry the same keys, as objects: not SBOMs.
		{`{"$schema":"http://json-schema.org/draft-07/schema#","properties":{"bomFormat":{"type":"string"},"specVersion":{"type":"string"},"components":{}}}`, ""},
		{`{"$schema":"http://json-schema.org/draft-07/schema#","properties":{"spdxVersion":{"type":"string"}}}`, ""},
		{`<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://cyclonedx.org/schema/bom/1.5"/>`, ""},
		{`{"bomFormat":"SomethingElse","specVersion":"1.5","components":[]}`, ""},
	}
	for _, tt := range tests {
		got, err := detect([]byte(tt.doc))
		if got != tt.want {
			t.Errorf("detect(%.60q) = %q, %v; want %q", tt.doc, got, err, tt.want)
		}
		if tt.want == "" && !errors.Is(err, ErrNotSBOM) {
			t.Errorf("detect(%.60q): error %v, want ErrNotSBOM", tt.doc, err)
		}
	}
}
