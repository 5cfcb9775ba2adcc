package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/advisory"
)

func TestIndexCPE(t *testing.T) {
	res := advisory.Load(context.Background(), filepath.Join("..", "testdata", "feeds", "nvd"))
	ix := New(res.Advisories)
	if !ix.Contents().CPE {
		t.Fatal("no CPE configurations indexed")
	}
	ids := func(es []CPEEntry) (out []string) {
		for _, e := range es {
			out = append(out, e.Advisory.ID)
		}
		return out
	}
	for _, tc := range []struct {
		vendor, product string
		want            []string
	}{
		{"busybox", "busybox", []string{"CVE-2019-5747", "CVE-2021-42386", "CVE-2022-28391"}},
		{"openssl", "openssl", []string{"CVE-2014-0160", "CVE-2016-2107", "CVE-2017-3735"}},
		{"linux", "linux_kernel", []string{"CVE-2016-5195", "CVE-2017-6074"}},
		{"gnu", "zlib", []string{"CVE-2016-9841"}},
		{"zlib", "zlib", []string{"CVE-2018-25032", "CVE-2022-37434"}},
		{`python\-requests`, "requests", []string{"CVE-2018-18074"}},
		{"haxx", "curl", []string{"CVE-2023-38545"}},
		{"windriver", "vxworks", []string{"CVE-2019-12256"}},
		{"siemens", "nx", nil},
		{"linux", "linux", nil},
	} {
		got := ids(ix.Configurations(tc.vendor, tc.product))
		if len(got) != len(tc.want) {
			t.Errorf("ByCPE(%s, %s) = %v, want %v", tc.vendor, tc.product, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("ByCPE(%s, %s) = %v, want %v", tc.vendor, tc.product, got, tc.want)
			}
		}
	}
	// Heartbleed's eleven criteria make one configuration, indexed once.
	if es := ix.Configurations("openssl", "openssl"); len(es) != 3 || len(es[0].Config.Nodes[0].Matches) != 11 {
		t.Errorf("openssl entries %+v", es)
	}
	if n, ok := ix.Criterion("cpe:2.3:a:openssl:openssl:1.0.1:beta1:*:*:*:*:*:*"); !ok || n.Update != "beta1" {
		t.Errorf("criterion %+v %v", n, ok)
	}
	if _, ok := ix.Criterion("cpe:2.3:a:nope"); ok {
		t.Error("unknown criterion found")
	}
	// Without NVD records: nothing, at once.
	empty := New(nil)
	if empty.Contents().CPE || empty.Configurations("openssl", "openssl") != nil {
		t.Error("empty index answers")
	}
}

// Platform criteria (not vulnerable) and criteria with wildcard vendors
// are not keys.
func TestIndexCPEPlatformNotKey(t *testing.T) {
	a := &advisory.Advisory{ID: "CVE-2000-1", Format: advisory.FormatNVD, Configurations: []advisory.Configuration{{Operator: "AND", Nodes: []advisory.Node{
		{Operator: "OR", Matches: []advisory.CPEMatch{{Vulnerable: true, Criteria: "cpe:2.3:o:acme:fw:1.0:*:*:*:*:*:*:*"}}},
		{Operator: "OR", Matches: []advisory.CPEMatch{{Criteria: "cpe:2.3:h:acme:box:-:*:*:*:*:*:*:*"},
			{Vulnerable: true, Criteria: "cpe:2.3:a:*:thing:1:*:*:*:*:*:*:*"}, {Vulnerable: true, Criteria: "garbage"}}},
	}}}}
	ix := New([]*advisory.Advisory{a})
	if len(ix.Configurations("acme", "fw")) != 1 || ix.Configurations("acme", "box") != nil || ix.Configurations("*", "thing") != nil {
		t.Error("wrong keys")
	}
	if _, ok := ix.Criterion("cpe:2.3:h:acme:box:-:*:*:*:*:*:*:*"); !ok {
		t.Error("platform criterion not parsed")
	}
}
