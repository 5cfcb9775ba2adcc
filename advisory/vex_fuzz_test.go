package advisory

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func vexSeeds(f *testing.F, glob string, extra ...string) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "feeds", "vex", glob))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkVEX asserts what every successfully decoded VEX feed must hold.
func checkVEX(t *testing.T, feed *Feed, format string) {
	for _, a := range feed.Advisories {
		if a.ID == "" || a.Format != format || a.Source != "fuzz" || a.Modified != "" {
			t.Fatalf("advisory %+v", a)
		}
		for _, ps := range a.Products {
			if ps.Product == nil {
				t.Fatal("nil product")
			}
			switch ps.Status {
			case ProductAffected, ProductNotAffected, ProductFixed, ProductUnderInvestigation:
			default:
				t.Fatalf("status %q", ps.Status)
			}
		}
	}
}

// FuzzOpenVEX checks that the OpenVEX reader never panics, that what it
// accepts is well formed, and that sniffing agrees with @context.
func FuzzOpenVEX(f *testing.F) {
	vexSeeds(f, "*.openvex.json",
		`{"@context":"https://openvex.dev/ns","statements":[{"vulnerability":"CVE-1","products":["pkg:npm/a"],"subcomponents":["x"],"status":"fixed"}]}`,
		`{"@context":["https://openvex.dev/ns/v0.2.0"],"statements":[{"vulnerability":{"@id":"https://x/CVE-1"},"products":[{"@id":"p","hashes":{"sha-256":"AB"},"subcomponents":[{"@id":"q"}]}],"status":"affected"}]}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		sniff := looksLikeOpenVEX(data)
		if !bytes.Contains(data, []byte("openvex")) && sniff {
			t.Fatal("sniffed without openvex in the document")
		}
		feed, err := decodeOpenVEX(data, "fuzz")
		if err != nil {
			return
		}
		checkVEX(t, feed, FormatOpenVEX)
	})
}

// FuzzCycloneDXVEX checks that the CycloneDX VEX reader (JSON and XML)
// never panics, that what it accepts is well formed and has at least one
// vulnerability.
func FuzzCycloneDXVEX(f *testing.F) {
	vexSeeds(f, "*.cdx-vex.*",
		`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"bom-ref":"a","name":"a","components":[{"bom-ref":"a","name":"b"}]}],"vulnerabilities":[{"id":"X","affects":[{"ref":"a"},{"ref":"urn:cdx:/1#a"}]}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[]}`,
		`<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><vulnerabilities><vulnerability><id>X</id></vulnerability></vulnerabilities></bom>`)
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = looksLikeCycloneDXVEX(data)
		feed, err := decodeCycloneDXVEX(data, "fuzz")
		if err != nil {
			return
		}
		if len(feed.Advisories) == 0 {
			t.Fatal("a BOM without vulnerabilities decoded as VEX")
		}
		checkVEX(t, feed, FormatCycloneDXVEX)
	})
}
