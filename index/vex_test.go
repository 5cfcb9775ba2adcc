package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/advisory"
)

// Load reads the fleet's VEX directory alongside other feeds, and the
// index finds the products by every kind of identifier.
func TestVEXIndex(t *testing.T) {
	res := advisory.Load(context.Background(), filepath.Join("..", "testdata", "feeds", "vex"))
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if len(res.Advisories) != 7 {
		t.Errorf("%d advisories, want 7 (3+1 OpenVEX statements, 1+2 CycloneDX vulnerabilities)", len(res.Advisories))
	}
	ix := New(res.Advisories)
	if !ix.Contents().VEX {
		t.Fatal("no VEX")
	}
	if New(nil).Contents().VEX {
		t.Error("empty index has VEX")
	}
	if es := ix.Statements(Key{Kind: ByBOMSerial, Value: "urn:uuid:BF408F48-05BA-53E5-A30E-7F8A49EE52BD"}); len(es) != 3 {
		t.Errorf("by serial: %d entries, want 3", len(es))
	}
	if es := ix.Statements(Key{Kind: ByPURL, Value: "pkg:golang/golang.org/x/net@v0.7.0"}); len(es) != 1 || es[0].Advisory.ID != "CVE-2024-45338" {
		t.Errorf("by purl (any version): %+v", es)
	}
	if es := ix.Statements(Key{Kind: ByPURL, Value: "pkg:pypi/PyYAML@5.3.1"}); len(es) != 1 || es[0].Advisory.ID != "CVE-2020-14343" {
		t.Errorf("subcomponent by purl: %+v", es)
	}
	if es := ix.Statements(Key{Kind: ByPURL, Value: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}); len(es) != 2 {
		t.Errorf("cyclonedx by purl: %d", len(es))
	}
	// Two statements with one ID: both indexed, the record of the ID kept.
	a := &advisory.Advisory{ID: "CVE-1", Format: advisory.FormatOpenVEX, Products: []advisory.ProductStatus{{Product: &advisory.Product{ID: "h", Hashes: []string{advisory.HashKey("SHA-256", "AB")}}, Status: advisory.ProductFixed}}}
	b := &advisory.Advisory{ID: "CVE-1", Format: advisory.FormatOpenVEX, Products: []advisory.ProductStatus{{Product: &advisory.Product{ID: "h2", Hashes: []string{"sha256:ab"}}, Status: advisory.ProductNotAffected}}}
	osv := &advisory.Advisory{ID: "CVE-1", Format: advisory.FormatOSV, Modified: "2024-01-01T00:00:00Z"}
	ix = New([]*advisory.Advisory{a, osv, b})
	if es := ix.Statements(Key{Kind: ByHash, Value: "sha256:AB"}); len(es) != 2 || es[0].Seq != 0 || es[1].Seq != 1 {
		t.Errorf("by hash: %+v", es)
	}
	if ix.ByID("CVE-1") != osv {
		t.Error("a VEX statement displaced the CVE's own record")
	}
}
