package index

import (
	"testing"

	"github.com/bomrank/bomrank/advisory"
)

// CSAF records replace each other only within one publisher; OSV copies
// of one id replace each other, and the index lists the replacements
// that could change a finding (not identical copies, not VEX statements).
func TestReplacements(t *testing.T) {
	aff := func(fixed string) []advisory.Affected {
		return []advisory.Affected{{Ecosystem: "Maven", Name: "g:a", Ranges: []advisory.Range{{Type: advisory.RangeEcosystem,
			Events: []advisory.Event{{Introduced: "0"}, {Fixed: fixed}}}}}}
	}
	csaf := func(pub, ns, modified, src string) *advisory.Advisory {
		return &advisory.Advisory{ID: "SA-1/CVE-2026-1", Format: advisory.FormatCSAF, Modified: modified, Source: src,
			Document: &advisory.Document{ID: "SA-1", Publisher: pub, Namespace: ns}}
	}
	osv := func(id, modified, withdrawn, fixed, src string) *advisory.Advisory {
		return &advisory.Advisory{ID: id, Format: advisory.FormatOSV, Modified: modified, Withdrawn: withdrawn, Affected: aff(fixed), Source: src}
	}
	nordlicht := csaf("Nordlicht", "https://nordlicht.example", "2026-03-01T00:00:00Z", "n1.json")
	nordlicht2 := csaf("Nordlicht", "https://nordlicht.example", "2026-04-01T00:00:00Z", "n2.json")
	acme := csaf("Acme", "https://acme.example", "2026-05-01T00:00:00Z", "a.json")
	noNS := csaf("Beta", "", "2026-05-01T00:00:00Z", "b.json")
	advs := []*advisory.Advisory{
		nordlicht, nordlicht2, acme, noNS,
		osv("OSV-SAME", "2026-01-01T00:00:00Z", "", "2", "dir/OSV-SAME.json"),
		osv("OSV-SAME", "2026-01-01T00:00:00Z", "", "2", "all.zip!OSV-SAME.json"),
		osv("OSV-W", "2026-01-01T00:00:00Z", "", "2", "a/OSV-W.json"),
		osv("OSV-W", "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z", "2", "b/OSV-W.json"),
		osv("OSV-N", "2026-01-01T00:00:00Z", "", "2", "a/OSV-N.json"),
		osv("OSV-N", "2026-02-01T00:00:00Z", "", "1", "b/OSV-N.json"),
		{ID: "CVE-2026-1", Format: advisory.FormatOpenVEX, Source: "v1.json"},
		{ID: "CVE-2026-1", Format: advisory.FormatOpenVEX, Source: "v2.json"},
	}
	advs = append(advs, advs[6]) // a/OSV-W.json given twice: listed once
	ix := New(advs)
	var kept []string
	for _, a := range ix.Advisories() {
		if a.Format == advisory.FormatCSAF {
			kept = append(kept, a.Source)
		}
	}
	if got := len(kept); got != 3 || kept[0] != "a.json" || kept[1] != "b.json" || kept[2] != "n2.json" {
		t.Errorf("CSAF records kept %v, want a.json, b.json, n2.json (one per publisher, Nordlicht's latest)", kept)
	}
	rs := ix.Replacements()
	if len(rs) != 2 {
		t.Fatalf("%d replacements, want 2: %+v", len(rs), rs)
	}
	if r := rs[0]; !r.Withdrawn || r.Kept.Source != "b/OSV-W.json" || r.Replaced.Source != "a/OSV-W.json" {
		t.Errorf("first replacement %+v %+v %+v, want the withdrawal of OSV-W", r, r.Kept, r.Replaced)
	}
	if r := rs[1]; r.Withdrawn || !r.AffectedDiffers || r.Kept.Source != "b/OSV-N.json" || r.Replaced.Source != "a/OSV-N.json" {
		t.Errorf("second replacement %+v %+v %+v, want the narrowing of OSV-N", r, r.Kept, r.Replaced)
	}
	if ix.ByID("OSV-W") != nil || ix.ByID("OSV-N").Source != "b/OSV-N.json" || ix.ByID("SA-1/CVE-2026-1").Source != "a.json" {
		t.Error("ByID")
	}
}
