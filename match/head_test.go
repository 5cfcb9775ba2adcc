package match

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/sbom"
)

// randomRecord makes an OSV-like record from small pools of ids,
// severities and threats, so that records of one component share CVEs,
// aliases, severities and threats in every way.
func randomRecord(r *rand.Rand, i int) *advisory.Advisory {
	ids := []string{"CVE-1", "CVE-2", "CVE-3", "GHSA-a", "GHSA-b", "GO-1", "PYSEC-1", "", "CVE-1"}
	sevs := []advisory.Severity{{Type: "CVSS_V3", Score: "9.8"}, {Type: "CVSS_V3", Score: "5.0"}, {Type: "GHSA", Score: "HIGH"}, {Type: "CVSS_V2", Score: "9.8"}}
	threats := []advisory.Threat{
		{Category: "exploit_status", Details: "poc", Date: "2024"},
		{Category: "exploit_status", Details: "poc", Date: "2024", ProductIDs: []string{"p1"}},
		{Category: "exploit_status", Details: "active", Date: "2025"},
		{Category: "impact", Details: "poc", Date: "2023"},
	}
	a := &advisory.Advisory{ID: fmt.Sprintf("REC-%d", i), Format: advisory.FormatOSV, Source: fmt.Sprintf("/feed/%d.json", i)}
	if r.IntN(3) == 0 {
		a.ID = ids[r.IntN(len(ids))]
		if a.ID == "" {
			a.ID = "X-" + fmt.Sprint(i)
		}
	}
	for range r.IntN(4) {
		a.Aliases = append(a.Aliases, ids[r.IntN(len(ids))])
	}
	for range r.IntN(4) {
		a.Severity = append(a.Severity, sevs[r.IntN(len(sevs))])
	}
	for range r.IntN(4) {
		a.Threats = append(a.Threats, threats[r.IntN(len(threats))])
	}
	if r.IntN(2) == 0 {
		a.Summary = "summary of " + a.ID
	}
	if r.IntN(4) == 0 {
		a.Informational = []string{"unsound", "unmaintained"}[r.IntN(2)]
	}
	return a
}

// headCopy is a deep copy of what a head shares with findings.
func headCopy(hd *recordHead) recordHead {
	c := *hd
	if hd.more != nil {
		c.more = &headLists{aliases: slices.Clone(hd.more.aliases), severity: slices.Clone(hd.more.severity),
			threats: slices.Clone(hd.more.threats)}
	}
	return c
}

// TestAddHeadIsAdd holds findingSet.addHead (a hit through its record's
// shared head) to findingSet.add (the hit with its record): random
// records of one component, folded in random order with random verdicts
// and ways of matching, each through its head where its record names one
// CVE, give the findings that add gives them all; and no finding changes
// a head it shares (their lists are appended to and sorted again).
func TestAddHeadIsAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	matches := []string{"ecosystem package", "ecosystem package", "purl"}
	fixes := []string{"", "", "1.2.3", "1.0.0", "2.0"}
	for round := range 3000 {
		comp := &sbom.Component{Name: "c"}
		var recs []*advisory.Advisory
		for i := range 1 + r.IntN(8) {
			recs = append(recs, randomRecord(r, i))
		}
		heads := map[*advisory.Advisory]*recordHead{}
		var kept []recordHead
		var hs []*recordHead
		ref, got := newFindingSet(comp), newFindingSet(comp)
		got.slab = round%2 == 0 // the worker's set: findings from its slab
		for range 1 + r.IntN(12) {
			a := recs[r.IntN(len(recs))]
			v := verdict{status: Affected, fixed: fixes[r.IntN(len(fixes))]}
			if r.IntN(3) == 0 {
				v = verdict{status: Unknown, reason: []string{"no version", "bad range"}[r.IntN(2)]}
			}
			m := matches[r.IntN(len(matches))]
			ref.add(hit{adv: a, verdict: v, match: m})
			n, cve := cveIDs(a)
			if n != 1 {
				got.add(hit{adv: a, verdict: v, match: m})
				continue
			}
			hd := heads[a]
			if hd == nil {
				hd = newRecordHead(a, cve, m)
				heads[a] = hd
				hs, kept = append(hs, hd), append(kept, headCopy(hd))
			}
			got.addHead(hd, v, m)
		}
		want, have := ref.sorted(), got.sorted()
		if !reflect.DeepEqual(want, have) {
			t.Fatalf("round %d: through heads\n%s\nwant (add)\n%s", round, dump(have), dump(want))
		}
		for _, f := range have {
			if !slices.IsSortedFunc(f.Severity, func(a, b advisory.Severity) int {
				if severityLess(b, a) {
					return 1
				}
				return -1 // equal ones are out of order too
			}) {
				t.Fatalf("round %d: %s: severities %v not sorted and distinct", round, f.ID, f.Severity)
			}
		}
		for i, hd := range hs {
			if c := headCopy(hd); !reflect.DeepEqual(c, kept[i]) {
				t.Fatalf("round %d: a finding changed the head of %s: %+v, was %+v", round, hd.cve, c, kept[i])
			}
		}
	}
}

func dump(fs []*Finding) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf("%+v\n", *f)
	}
	return s
}
