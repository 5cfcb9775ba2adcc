package advisory

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

func readVEXFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "vex", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenVEXFleet(t *testing.T) {
	data := readVEXFixture(t, "vitaflow-3000.openvex.json")
	if !looksLikeOpenVEX(data) || looksLikeCycloneDXVEX(data) {
		t.Fatal("sniffing: want OpenVEX only")
	}
	advs, err := Parse(bytes.NewReader(data), "vitaflow.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(advs) != 3 {
		t.Fatalf("%d advisories, want one per statement (3)", len(advs))
	}
	byID := map[string]*Advisory{}
	for _, a := range advs {
		if a.Format != FormatOpenVEX || a.Source != "vitaflow.json" || a.Modified != "" {
			t.Errorf("%s: format %q source %q modified %q", a.ID, a.Format, a.Source, a.Modified)
		}
		byID[a.ID] = a
	}
	a := byID["CVE-2020-14343"]
	if a == nil || len(a.Products) != 1 {
		t.Fatalf("CVE-2020-14343: %+v", a)
	}
	ps := a.Products[0]
	if ps.Status != ProductNotAffected || ps.List != "not_affected" || ps.Justification != "vulnerable_code_not_in_execute_path" || !strings.Contains(ps.Impact, "safe_load") {
		t.Errorf("status %+v", ps)
	}
	p := ps.Product
	if p.ID != "urn:cdx:bf408f48-05ba-53e5-a30e-7f8a49ee52bd/1#vitaflow-3000" || !slices.Equal(p.GenericURIs, []string{p.ID}) {
		t.Errorf("product %+v", p)
	}
	if len(p.Subcomponents) != 1 || !slices.Equal(p.Subcomponents[0].PURLs, []string{"pkg:pypi/pyyaml@5.3.1"}) {
		t.Errorf("subcomponents %+v", p.Subcomponents)
	}
	d := a.Document
	if d == nil || d.ID != "https://acme-medical.example/vex/VEX-2024-0007" || d.Publisher != "Acme Medical Product Security" ||
		d.Version != "2" || d.Released != "2024-03-18T10:00:00Z" || d.Updated != "2024-04-02T08:15:00Z" {
		t.Errorf("document %+v", d)
	}
	r := byID["CVE-2018-18074"]
	if r == nil || !slices.Equal(r.Aliases, []string{"GHSA-x84v-xcm2-53pg"}) || r.Products[0].Status != ProductAffected ||
		r.Products[0].Action != "Update the pump software to VitaFlow 4.3.0." {
		t.Errorf("CVE-2018-18074: %+v", r)
	}
	if sub := r.Products[0].Product.Subcomponents; len(sub) != 1 || sub[0].ID != "requests" || !slices.Equal(sub[0].PURLs, []string{"pkg:pypi/requests@2.19.1"}) {
		t.Errorf("identifiers not read: %+v", sub)
	}
	if u := byID["CVE-2019-11324"]; u == nil || u.Products[0].Status != ProductUnderInvestigation {
		t.Errorf("CVE-2019-11324: %+v", u)
	}
}

// A date-only timestamp, a string version and the v0.0.1 shapes
// (vulnerability and products as strings, statement-level subcomponents)
// are read; go-vex's Parse rejects each of them.
func TestOpenVEXLenient(t *testing.T) {
	docs := map[string]string{
		"date-only": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2025-01-06","version":"1",
		  "statements":[{"vulnerability":{"name":"CVE-2024-1"},"products":[{"@id":"pkg:npm/a@1.0.0","hashes":{"SHA-256":"ABCD"}}],"status":"fixed"}]}`,
		"v0.0.1": `{"@context":"https://openvex.dev/ns","@id":"x","author":"a","timestamp":"2023-01-08T18:02:03.647787998-06:00","version":"1",
		  "statements":[{"vulnerability":"CVE-2024-1","products":["pkg:npm/a@1.0.0"],"subcomponents":["pkg:npm/b@2"],"status":"not_affected","justification":"component_not_present"}]}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			advs, err := Parse(strings.NewReader(doc), name)
			if err != nil {
				t.Fatal(err)
			}
			if len(advs) != 1 || advs[0].ID != "CVE-2024-1" || len(advs[0].Products) != 1 {
				t.Fatalf("%+v", advs)
			}
			p := advs[0].Products[0].Product
			if !slices.Equal(p.PURLs, []string{"pkg:npm/a@1.0.0"}) {
				t.Errorf("purls %v", p.PURLs)
			}
			if name == "date-only" && !slices.Equal(p.Hashes, []string{"sha256:abcd"}) {
				t.Errorf("hashes %v", p.Hashes)
			}
			if name == "v0.0.1" && (len(p.Subcomponents) != 1 || p.Subcomponents[0].PURLs[0] != "pkg:npm/b@2") {
				t.Errorf("subcomponents %+v", p.Subcomponents)
			}
		})
	}
}

func TestOpenVEXErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"truncated":      `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":`,
		"bad status":     `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"p"}],"status":"maybe"}]}`,
		"no vuln":        `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"products":[{"@id":"p"}],"status":"fixed"}]}`,
		"statements obj": `{"@context":"https://openvex.dev/ns/v0.2.0","statements":{}}`,
	} {
		_, err := Parse(strings.NewReader(doc), "bad.json")
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "openvex") {
			t.Errorf("%s: error %q does not name the format", name, err)
		}
	}
}

func TestCycloneDXVEXFleet(t *testing.T) {
	for _, tc := range []struct {
		file, id, status, list, just, ref string
		purls                             []string
		target                            bool
	}{
		{"bedside-hub.cdx-vex.json", "CVE-2024-45337", ProductFixed, "resolved", "",
			"urn:cdx:948e7444-7b5d-5398-a08d-71c38692f81e/1#pkg:golang/golang.org/x/crypto@v0.25.0", nil, false},
		{"cardiosense-x2.cdx-vex.xml", "CVE-2021-45046", ProductNotAffected, "not_affected", "requires_configuration",
			"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", []string{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}, true},
	} {
		data := readVEXFixture(t, tc.file)
		if !looksLikeCycloneDXVEX(data) || looksLikeOpenVEX(data) {
			t.Fatalf("%s: sniffing", tc.file)
		}
		advs, err := Parse(bytes.NewReader(data), tc.file)
		if err != nil {
			t.Fatal(err)
		}
		var a *Advisory
		for _, x := range advs {
			if x.ID == tc.id {
				a = x
			}
		}
		if a == nil || a.Format != FormatCycloneDXVEX || len(a.Products) != 1 {
			t.Fatalf("%s: %+v", tc.file, advs)
		}
		ps := a.Products[0]
		if ps.Status != tc.status || ps.List != tc.list || ps.Justification != tc.just || ps.Impact == "" || ps.Product.ID != tc.ref ||
			!slices.Equal(ps.Product.PURLs, tc.purls) || (ps.Product.Relationship != nil) != tc.target {
			t.Errorf("%s: %+v %+v", tc.file, ps, ps.Product)
		}
		if len(a.Severity) != 1 || !strings.HasPrefix(a.Severity[0].Score, "CVSS:3.1/AV:N/") || len(a.CWEs) != 1 {
			t.Errorf("%s: severity %v cwes %v", tc.file, a.Severity, a.CWEs)
		}
		if tc.target {
			tg := ps.Product.Relationship.Target
			if tg.ID != "cardiosense-x2" || tg.ProductName != "CardioSense X2" || tg.Version != "2.0.3" {
				t.Errorf("target %+v", tg)
			}
			if a.Document.Publisher != "Nordlicht Medizintechnik GmbH" || a.Document.ID != "urn:uuid:0b6f3c52-8f0e-5d8b-a1f4-3e9d7c2b6a10" {
				t.Errorf("document %+v", a.Document)
			}
			if len(advs) != 2 || advs[1].Products[0].Status != ProductUnderInvestigation {
				t.Errorf("in_triage: %+v", advs[1])
			}
		} else if !slices.Equal(a.Aliases, []string{"GHSA-v778-237x-gjrc"}) || ps.Action != "update" {
			t.Errorf("aliases %v action %q", a.Aliases, ps.Action)
		}
	}
}

// Plain CycloneDX SBOMs (the sample fleet's device SBOMs, the conformance
// suite's BOMs without vulnerabilities) are not VEX.
func TestCycloneDXSBOMIsNotVEX(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "fleet", "*.cdx.*"))
	if len(files) < 3 {
		t.Fatalf("fleet SBOMs: %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if looksLikeCycloneDXVEX(data) || looksLikeOpenVEX(data) {
			t.Errorf("%s sniffs as VEX", f)
		}
	}
	// Empty vulnerabilities array.
	if looksLikeCycloneDXVEX([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","vulnerabilities":[]}`)) {
		t.Error("empty vulnerabilities sniffs as VEX")
	}
}

// TestCycloneDXVEXConformance reads every valid-* file of the CycloneDX
// specification's test suite (1.2-1.7, JSON and XML): those with
// vulnerabilities must sniff and decode as VEX, the others must not sniff.
func TestCycloneDXVEXConformance(t *testing.T) {
	dir := sharedtest.Path(t, "conformance", "cyclonedx")
	files, _ := filepath.Glob(filepath.Join(dir, "1.*", "valid-*"))
	if len(files) == 0 {
		t.Skip("no conformance files")
	}
	vex, products, notAffected := 0, 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		has := bytes.Contains(data, []byte(`"vulnerabilities": [`)) || bytes.Contains(data, []byte("<vulnerability "))
		if got := looksLikeCycloneDXVEX(data); got != has {
			t.Errorf("%s: sniffs as VEX %v, want %v", f, got, has)
			continue
		}
		if !has {
			continue
		}
		feed, err := decodeCycloneDXVEX(data, f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		vex++
		for _, a := range feed.Advisories {
			if a.ID == "" {
				t.Errorf("%s: advisory without id", f)
			}
			for _, ps := range a.Products {
				products++
				if ps.Status == ProductNotAffected {
					notAffected++
				}
			}
		}
	}
	t.Logf("%d files, %d VEX documents, %d product statuses (%d not_affected)", len(files), vex, products, notAffected)
	if vex < 14 || notAffected < 8 {
		t.Errorf("%d VEX documents, %d not_affected: want the 1.4-1.7 vulnerability and compositions examples", vex, notAffected)
	}
}
