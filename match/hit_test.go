package match

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/sbom"
)

// findingsOf folds hits about one component into findings, in the order
// given.
func findingsOf(advs ...*advisory.Advisory) []*Finding {
	fs := newFindingSet(&sbom.Component{Name: "c"})
	for _, a := range advs {
		fs.add(hit{adv: a, verdict: verdict{status: Affected}, match: "test"})
	}
	return fs.sorted()
}

// summary renders findings as "ID[aliases]{sources}" lines.
func summary(fs []*Finding) string {
	var b strings.Builder
	for _, f := range fs {
		var srcs []string
		for _, s := range f.Sources {
			srcs = append(srcs, s.ID)
		}
		b.WriteString(f.ID + "[" + strings.Join(f.Aliases, " ") + "]{" + strings.Join(srcs, " ") + "}\n")
	}
	return b.String()
}

func adv(id string, aliases ...string) *advisory.Advisory {
	return &advisory.Advisory{ID: id, Aliases: aliases, Format: advisory.FormatOSV}
}

// TestFindingSetRules: the rules of findingSet, each independent of the
// order of the hits (issue 14, defect 1).
func TestFindingSetRules(t *testing.T) {
	tests := []struct {
		name string
		advs []*advisory.Advisory
		want string
	}{
		{"one CVE: every record of it is one finding",
			[]*advisory.Advisory{adv("GHSA-a", "CVE-1"), adv("PYSEC-1", "CVE-1", "GHSA-a"), adv("CVE-1")},
			"CVE-1[GHSA-a PYSEC-1]{CVE-1 GHSA-a PYSEC-1}\n"},
		{"a record naming two CVEs is a source of each, only its ID an alias",
			[]*advisory.Advisory{adv("GO-2022-0536", "CVE-2019-9512", "CVE-2019-9514", "GHSA-39qc", "GHSA-hgr8"), adv("GHSA-hgr8", "CVE-2019-9512")},
			"CVE-2019-9512[GHSA-hgr8 GO-2022-0536]{GHSA-hgr8 GO-2022-0536}\nCVE-2019-9514[GO-2022-0536]{GO-2022-0536}\n"},
		{"a record whose ID is one CVE and alias another",
			[]*advisory.Advisory{adv("CVE-2021-44228", "CVE-2021-45046"), adv("GHSA-jfh8", "CVE-2021-44228")},
			"CVE-2021-44228[GHSA-jfh8]{CVE-2021-44228 GHSA-jfh8}\nCVE-2021-45046[]{CVE-2021-44228}\n"},
		{"records without a CVE join each other, keyed by the smallest id",
			[]*advisory.Advisory{adv("GO-1", "GHSA-b"), adv("GHSA-b"), adv("RUSTSEC-9")},
			"GHSA-b[GO-1]{GHSA-b GO-1}\nRUSTSEC-9[]{RUSTSEC-9}\n"},
		{"records without a CVE join the CVE finding they share an id with, transitively",
			[]*advisory.Advisory{adv("RUSTSEC-1", "GHSA-y"), adv("GHSA-y", "CVE-1"), adv("OTHER-1", "RUSTSEC-1")},
			"CVE-1[GHSA-y OTHER-1 RUSTSEC-1]{GHSA-y OTHER-1 RUSTSEC-1}\n"},
		{"a group sharing ids with two CVE findings is a source of each, never joining them",
			[]*advisory.Advisory{adv("JUNK-1", "GHSA-a", "GHSA-b"), adv("GHSA-a", "CVE-1"), adv("GHSA-b", "CVE-2")},
			"CVE-1[GHSA-a JUNK-1]{GHSA-a JUNK-1}\nCVE-2[GHSA-b JUNK-1]{GHSA-b JUNK-1}\n"},
		{"a shared non-CVE alias never joins two CVEs",
			[]*advisory.Advisory{adv("GHSA-a", "CVE-1", "X-1"), adv("GHSA-b", "CVE-2", "X-1")},
			"CVE-1[GHSA-a X-1]{GHSA-a}\nCVE-2[GHSA-b X-1]{GHSA-b}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(findingsOf(tt.advs...)); got != tt.want {
				t.Errorf("got\n%swant\n%s", got, tt.want)
			}
			r := slices.Clone(tt.advs)
			slices.Reverse(r)
			if got := summary(findingsOf(r...)); got != tt.want {
				t.Errorf("reversed: got\n%swant\n%s", got, tt.want)
			}
		})
	}
}

// TestAboutFinding: a VEX statement names a finding by the finding's own
// ids; one naming a CVE never names another CVE's finding.
func TestAboutFinding(t *testing.T) {
	f9512 := &Finding{ID: "CVE-2019-9512", Aliases: []string{"GHSA-hgr8", "GO-2022-0536"}}
	loose := &Finding{ID: "GHSA-x", Aliases: []string{"GO-7"}}
	tests := []struct {
		adv  *advisory.Advisory
		f    *Finding
		want bool
	}{
		{adv("CVE-2019-9512"), f9512, true},
		{adv("CVE-2019-9514"), f9512, false},
		{adv("CVE-2019-9514", "GO-2022-0536"), f9512, false},
		{adv("GO-2022-0536"), f9512, true},
		{adv("X", "GHSA-hgr8"), f9512, true},
		{adv("X", "CVE-2019-9512", "CVE-2019-9514"), f9512, true},
		{adv("GO-7"), loose, true},
		{adv("CVE-3", "GHSA-x"), loose, true},
		{adv("CVE-3"), loose, false},
	}
	for _, tt := range tests {
		if got := aboutFinding(tt.adv, tt.f, nil); got != tt.want {
			t.Errorf("statement %s %q about %s: %v, want %v", tt.adv.ID, tt.adv.Aliases, tt.f.ID, got, tt.want)
		}
	}
	// An alias two findings of one component carry (a junk record giving
	// CVE-2021-44228 the GHSA id of CVE-2021-45046) names neither.
	c := &sbom.Component{Name: "log4j-core"}
	shell := &Finding{ID: "CVE-2021-44228", Aliases: []string{"GHSA-7rjr", "GHSA-jfh8", "JUNK-1"}, Component: c}
	other := &Finding{ID: "CVE-2021-45046", Aliases: []string{"GHSA-7rjr"}, Component: c}
	shared := sharedAliases([]*Finding{shell, other})
	if aboutFinding(adv("GHSA-7rjr"), shell, shared) || aboutFinding(adv("GHSA-7rjr"), other, shared) {
		t.Error("a statement about an alias two findings carry applies")
	}
	if !aboutFinding(adv("GHSA-jfh8"), shell, shared) || !aboutFinding(adv("CVE-2021-45046"), other, shared) {
		t.Error("a statement about a finding's own id does not apply")
	}
}

// TestGO20220536XNet: the real record GO-2022-0536 (../shared) gives x/net
// before its fix two findings, one per CVE, each with the record as its
// source; it gives a PyPI package nothing.
func TestGO20220536XNet(t *testing.T) {
	p := sharedtest.Path(t, "osv", "slice", "go", "GO-2022-0536.json")
	fh, err := os.Open(p)
	if err != nil {
		t.Skipf("GO-2022-0536 absent: %v", err)
	}
	defer fh.Close()
	advs, err := advisory.Parse(fh, p)
	if err != nil {
		t.Fatal(err)
	}
	m := &Matcher{Index: index.New(advs)}
	xnet := &sbom.Component{Name: "golang.org/x/net", Version: "v0.0.0-20190311183353-d8887717615a", PURL: "pkg:golang/golang.org/x/net@v0.0.0-20190311183353-d8887717615a"}
	got := summary(m.Component(xnet))
	want := "CVE-2019-9512[GO-2022-0536]{GO-2022-0536}\nCVE-2019-9514[GO-2022-0536]{GO-2022-0536}\n"
	if got != want {
		t.Errorf("x/net: got\n%swant\n%s", got, want)
	}
	if fs := m.Component(&sbom.Component{Name: "h2lib", Version: "1.0.0", PURL: "pkg:pypi/h2lib@1.0.0"}); len(fs) != 0 {
		t.Errorf("h2lib: %s", summary(fs))
	}
}
