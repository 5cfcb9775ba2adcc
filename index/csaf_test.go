package index

import (
	"testing"

	"github.com/bomrank/bomrank/advisory"
)

func TestCSAFIndexLookups(t *testing.T) {
	p := &advisory.Product{ID: "P1", Name: "Acme VitaFlow 3000", Vendor: "Acme Medical Inc.", ProductName: "VitaFlow 3000",
		ModelNumbers: []string{"VF-3*"}, SerialNumbers: []string{"SN-1"}, PURLs: []string{"pkg:npm/lodash@4.17.15"},
		CPEs: []string{"cpe:2.3:h:acme:vitaflow_3000:*:*:*:*:*:*:*:*"}, Hashes: []string{"SHA-256:ABCD"}}
	a := &advisory.Advisory{ID: "D/CVE-1", Format: advisory.FormatCSAF, Products: []advisory.ProductStatus{{Product: p, Status: advisory.ProductAffected, List: "known_affected"}}}
	ix := New([]*advisory.Advisory{a})
	if !ix.Contents().CSAF {
		t.Fatal("HasCSAF false")
	}
	checks := map[string][]CSAFEntry{
		"name":     ix.Products(Key{ByName, "acme medical", "vitaflow"}),
		"model":    ix.Products(Key{Kind: ByModel, Value: "vf-3000"}),
		"serial":   ix.Products(Key{Kind: ByModel, Value: "SN-1"}),
		"purl":     ix.Products(Key{Kind: ByPURL, Value: "npm/lodash"}),
		"cpe":      ix.Products(Key{Kind: ByCPE, Value: "cpe:2.3:h:acme:vitaflow_3000:4.2.1:*:*:*:*:*:*:*"}),
		"hash":     ix.Products(Key{Kind: ByHash, Value: "sha256:abcd"}),
		"no model": ix.Products(Key{Kind: ByModel, Value: "BH-100"}),
		"no name":  ix.Products(Key{ByName, "acme robotics", "vitaflow"}),
	}
	for k, es := range checks {
		want := 1
		if k == "no model" || k == "no name" {
			want = 0
		}
		if len(es) != want || want == 1 && es[0].Status != &a.Products[0] {
			t.Errorf("%s: %d entries", k, len(es))
		}
	}
	empty := New(nil)
	if empty.Contents().CSAF || empty.Products(Key{ByName, "acme medical", "vitaflow"}) != nil || empty.Products(Key{Kind: ByModel, Value: "x"}) != nil {
		t.Error("empty index answers")
	}
}
