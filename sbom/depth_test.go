package sbom

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/xmlguard"
)

// deepXML writes head, n nested unknown elements <x>, and tail, gzipped:
// a few million levels are a few kilobytes on disk.
func deepXML(t testing.TB, head string, n int, tail string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(head))
	open := bytes.Repeat([]byte("<x>"), 4096)
	closeTags := bytes.Repeat([]byte("</x>"), 4096)
	for i := 0; i < n; i += 4096 {
		zw.Write(open[:3*min(4096, n-i)])
	}
	for i := 0; i < n; i += 4096 {
		zw.Write(closeTags[:4*min(4096, n-i)])
	}
	zw.Write([]byte(tail))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	cdxXMLHead = `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata><component type="device"><name>pump</name></component></metadata>`
	rdfHead    = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument rdf:about="https://example.com/doc#SPDXRef-DOCUMENT"><spdx:specVersion>SPDX-2.3</spdx:specVersion>`
)

// deepCases are the XML SBOMs nested deeper than the readers allow: unknown
// elements at the top level of a CycloneDX BOM (Skip), inside its metadata
// and inside a component (Unmarshal), and in SPDX RDF/XML.
func deepCases(t testing.TB, n int) map[string][]byte {
	return map[string][]byte{
		"top.cdx.xml.gz":       deepXML(t, cdxXMLHead, n, `</bom>`),
		"metadata.cdx.xml.gz":  deepXML(t, `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><metadata>`, n, `</metadata></bom>`),
		"component.cdx.xml.gz": deepXML(t, cdxXMLHead+`<components><component type="library"><name>z</name>`, n, `</component></components></bom>`),
		"unknown.cdx.xml.gz":   deepXML(t, cdxXMLHead+`<components>`, n, `</components></bom>`),
		// RDF/XML is read up to 4 MB: 500,000 levels fit.
		"deep.spdx.rdf.gz": deepXML(t, rdfHead, min(n, 500_000), `</spdx:SpdxDocument></rdf:RDF>`),
	}
}

// TestDeepXMLRefused: XML SBOMs nested a million levels deep (issue 14,
// defect 6: 9M levels in 61 KB took 8 GB) are refused quickly with an error
// naming the file and the limit. On main the CycloneDX ones were read (Skip
// has no limit) taking hundreds of megabytes per million levels.
func TestDeepXMLRefused(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 100_000 // ten times the limit is as good a test, and fast under -race
	}
	for name, doc := range deepCases(t, n) {
		for _, noValidate := range []bool{false, true} {
			start := time.Now()
			_, err := Options{NoValidate: noValidate}.Parse(bytes.NewReader(doc), name)
			if !errors.Is(err, xmlguard.ErrTooDeep) || !strings.Contains(err.Error(), name) {
				t.Errorf("%s (%d bytes): got %v, want a depth error naming the file", name, len(doc), err)
				continue
			}
			limit := "10000"
			if strings.Contains(name, "rdf") {
				limit = "2000"
			}
			if !strings.Contains(err.Error(), limit) {
				t.Errorf("%s: error does not name the limit %s: %v", name, limit, err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s: refused after %v", name, d)
			}
		}
	}
	// Nesting within the limit is still read.
	d, err := Parse(bytes.NewReader(deepXML(t, cdxXMLHead+`<components><component type="library"><name>z</name><version>1</version>`, 5000, `</component></components></bom>`)), "ok.cdx.xml.gz")
	if err != nil || len(d.Components) != 1 {
		t.Fatalf("5,000 levels: %v", err)
	}
}

// TestDeepXMLMemory measures the peak memory of refusing 9 million levels
// (the size of the reported attack) in a child process.
func TestDeepXMLMemory(t *testing.T) {
	if raceDetector {
		t.Skip("memory is not measured under the race detector")
	}
	if boundtest.Child() {
		for name, doc := range deepCases(t, 9_000_000) {
			if _, err := Parse(bytes.NewReader(doc), name); !errors.Is(err, xmlguard.ErrTooDeep) {
				t.Fatalf("%s: %v", name, err)
			}
		}
		return
	}
	peak := boundtest.Peak(t, "TestDeepXMLMemory")
	t.Logf("peak RSS %d MiB", peak>>20)
	if peak > 400<<20 {
		t.Errorf("peak RSS %d MiB refusing deep XML, want < 400 MiB", peak>>20)
	}
}

// TestSPDX2RDFDepth: the byte scan used when encoding/xml stops early
// counts what encoding/xml would count.
func TestSPDX2RDFDepth(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("<x>", n) + strings.Repeat("</x>", n) }
	for doc, tooDeep := range map[string]bool{
		deep(2000): false,
		deep(2001): true,
		strings.Repeat(`<x a="/>" b='>'/>`, 5000):                           false,
		strings.Repeat(`<x><!-- <a> --><![CDATA[<b>]]><?p <c>?></x>`, 3000): false,
		`<!DOCTYPE r [<!ENTITY e "v">]>` + deep(2001):                       true,
		`<r><a></b>` + deep(2001):                                           true,
	} {
		if err := spdx2RDFDepth([]byte(doc)); (err != nil) != tooDeep {
			t.Errorf("%.60s…: got %v, want too deep %v", doc, err, tooDeep)
		}
	}
	// Malformed for encoding/xml, deep after the error: still refused.
	_, err := Parse(strings.NewReader(rdfHead+`<a></b>`+deep(3000)+`</spdx:SpdxDocument></rdf:RDF>`), "bad.rdf")
	if !errors.Is(err, xmlguard.ErrTooDeep) {
		t.Errorf("malformed deep RDF: %v", err)
	}
}
