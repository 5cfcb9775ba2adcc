package rank

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// TestAsOf: a KEV entry counts from its dateAdded on, an EPSS score from
// its score date on (calendar days); before, the finding has neither, and
// no reason speaks of them. A zero AsOf and an unreadable date use the
// entry.
func TestAsOf(t *testing.T) {
	kev := []advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10"}, {CVE: "CVE-2", DateAdded: "soon"}}
	epss := []advisory.EPSS{{CVE: "CVE-2021-44228", Score: 0.9, Percentile: 0.99, Date: "2025-03-17T12:55:00Z"}}
	x := NewExploits(kev, epss)
	day := func(s string) time.Time {
		t, _ := time.Parse("2006-01-02", s)
		return t
	}
	for _, tt := range []struct {
		asOf      time.Time
		kev, epss bool
	}{
		{day("2020-01-01"), false, false},
		{day("2021-12-09"), false, false},
		{day("2021-12-10"), true, false},
		{day("2025-03-17"), true, true},
		{day("2025-03-16").Add(23 * time.Hour), true, false},
		{time.Time{}, true, true},
	} {
		f := finding("CVE-2021-44228", v31Auto)
		d := device("d", ctx(ssvc.ExposureOpen, ssvc.SafetyCatastrophic, ssvc.MissionFailure, 1), f)
		Options{Exploits: x, AsOf: tt.asOf}.Rank([]*match.DeviceResult{d})
		if (f.KEV != nil) != tt.kev || (f.EPSS != nil) != tt.epss {
			t.Errorf("as of %v: KEV %v, EPSS %v; want %v, %v", tt.asOf, f.KEV, f.EPSS, tt.kev, tt.epss)
		}
		if (f.Decision.Exploitation == ssvc.ExploitationActive) != tt.kev || (f.Decision.Sources.Exploitation.Kind == ssvc.SourceKEV) != tt.kev {
			t.Errorf("as of %v: exploitation %s from %+v", tt.asOf, f.Decision.Exploitation, f.Decision.Sources.Exploitation)
		}
		if src := f.Decision.Sources.Exploitation; !tt.kev && !tt.asOf.IsZero() && src != (ssvc.Source{Kind: ssvc.SourceNone, Detail: "KEV entry added 2021-12-10, after the as-of date " + tt.asOf.Format("2006-01-02")}) {
			t.Errorf("as of %v: exploitation source %+v", tt.asOf, src)
		}
		text := strings.Join(d.Reasons, "; ")
		if strings.Contains(text, "KEV") != tt.kev || strings.Contains(text, "EPSS") != tt.epss {
			t.Errorf("as of %v: reasons %q", tt.asOf, text)
		}
	}
	f := finding("CVE-2", v31Auto)
	Options{Exploits: x, AsOf: day("2000-01-01")}.Rank([]*match.DeviceResult{device("d", nil, f)})
	if f.KEV == nil {
		t.Errorf("a KEV entry with an unreadable date was dropped")
	}
}

// TestDecisionSources: each decision point names where it came from.
func TestDecisionSources(t *testing.T) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10"}}, nil)
	csaf := finding("CVE-7", v31UI)
	csaf.Threats = []advisory.Threat{{Category: "exploit_status", Details: "This vulnerability has been exploited in the wild."}}
	inv := &ssvc.Context{AssetID: "ICU-1", Exposure: ssvc.ExposureOpen, Safety: ssvc.SafetyCritical, Mission: ssvc.MissionMEF, Units: 1,
		Defaulted: []string{"mission impact mef-failure (default: mission_impact empty in the inventory)"}}
	src := func(k, d string) ssvc.Source { return ssvc.Source{Kind: k, Detail: d} }
	for _, tt := range []struct {
		name                    string
		f                       *match.Finding
		c                       *ssvc.Context
		exploit, auto, exposure ssvc.Source
		safetyKind, missionKind string
	}{
		{"KEV", finding("CVE-2021-44228", v31Auto), inv, src("kev", "2021-12-10"), src("cvss", v31Auto), src("inventory", "exposure"), "inventory", "default"},
		{"CSAF", csaf, inv, src("csaf", "This vulnerability has been exploited in the wild."), src("cvss", v31UI), src("inventory", "exposure"), "inventory", "default"},
		{"CVSS E:P, local", finding("CVE-8", v31Local+"/E:P"), inv, src("cvss", v31Local+"/E:P"), src("cvss", v31Local+"/E:P"), src("cvss", v31Local+"/E:P"), "inventory", "default"},
		{"nothing", finding("CVE-9"), nil, src("none", ""), src("default", "no CVSS vector"), src("default", "exposure controlled (default: no inventory)"), "default", "default"},
		{"library context", finding("CVE-9"), ctx(ssvc.ExposureSmall, ssvc.SafetyMarginal, ssvc.MissionMEF, 1), src("none", ""), src("default", "no CVSS vector"), src("context", ""), "context", "context"},
		{"exposure outside the vocabulary", finding("CVE-9"), ctx("dmz", ssvc.SafetyMarginal, ssvc.MissionMEF, 1), src("none", ""), src("default", "no CVSS vector"),
			src("default", "exposure controlled (default: dmz is not an exposure)"), "context", "context"},
	} {
		d := device("d", tt.c, tt.f)
		Options{Exploits: x}.Rank([]*match.DeviceResult{d})
		got := tt.f.Decision.Sources
		if got.Exploitation != tt.exploit || got.Automatable != tt.auto || got.Exposure != tt.exposure {
			t.Errorf("%s: sources %+v", tt.name, got)
		}
		if k := d.Context.Source("safety impact").Kind; k != tt.safetyKind {
			t.Errorf("%s: safety from %s", tt.name, k)
		}
		if k := d.Context.Source("mission impact").Kind; k != tt.missionKind {
			t.Errorf("%s: mission from %s", tt.name, k)
		}
	}
	if s := inv.Source("safety impact"); s.Detail != "safety_impact" {
		t.Errorf("inventory column %q", s.Detail)
	}
}

// TestFindingRating: CVSS where a vector parses, else the source's own
// rating in words (the most severe), else unknown.
func TestFindingRating(t *testing.T) {
	sev := func(typ, score string) advisory.Severity { return advisory.Severity{Type: typ, Score: score} }
	var rater Rater
	for _, tt := range []struct {
		sevs           []advisory.Severity
		rating, source string
	}{
		{[]advisory.Severity{sev("CVSS_V3", v31Auto), sev("GHSA", "MODERATE")}, "critical", "cvss"},
		{[]advisory.Severity{sev("GHSA", "MODERATE")}, "medium", "ghsa"},
		{[]advisory.Severity{sev("CVSS_V3", "CVSS:3.1/broken"), sev("GHSA", "HIGH")}, "high", "ghsa"},
		{[]advisory.Severity{sev("Ubuntu", "negligible"), sev("GHSA", "LOW")}, "low", "ubuntu"},
		{[]advisory.Severity{sev("Ubuntu", "medium"), sev("GHSA", "CRITICAL")}, "critical", "ghsa"},
		{[]advisory.Severity{sev("Ubuntu", "untriaged"), sev("CVSS_V3", "high")}, RatingUnknown, RatingSourceNone},
		{nil, RatingUnknown, RatingSourceNone},
		// One severity each (the Rater's memo of the last one): the
		// same score under another type, a vector met before.
		{[]advisory.Severity{sev("CVSS_V3", v31Auto)}, "critical", "cvss"},
		{[]advisory.Severity{sev("CVSS_V3", v31Local)}, "high", "cvss"},
		{[]advisory.Severity{sev("GHSA", "HIGH")}, "high", "ghsa"},
		{[]advisory.Severity{sev("Ubuntu", "HIGH")}, "high", "ubuntu"},
		{[]advisory.Severity{sev("CVSS_V3", v31Auto)}, "critical", "cvss"},
		{[]advisory.Severity{sev("CVSS_V3", "CVSS:3.1/broken")}, RatingUnknown, RatingSourceNone},
	} {
		f := &match.Finding{Severity: tt.sevs}
		if r := FindingRating(f); r.Rating != tt.rating || r.Source != tt.source {
			t.Errorf("%v: %s from %s, want %s from %s", tt.sevs, r.Rating, r.Source, tt.rating, tt.source)
		}
		for range 2 { // the second time from the cache
			if r, want := rater.Rating(f), FindingRating(f); r.Rating != want.Rating || r.Source != want.Source || r.Score.Vector != want.Score.Vector || r.Score.Base != want.Score.Base {
				t.Errorf("%v: Rater %+v, FindingRating %+v", tt.sevs, r, FindingRating(f))
			}
		}
	}
	for in, want := range map[string]string{"Important": "high", " MODERATE ": "medium", "none": "none", "7.5": "", "": ""} {
		if got := RatingWord(in); got != want {
			t.Errorf("RatingWord(%q) = %q, want %q", in, got, want)
		}
	}
	// In the score, a rating in words stands for the lowest score of its
	// band: a GHSA "HIGH" finding scores as a CVSS 7.0 one.
	c := ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 1)
	word := &match.Finding{ID: "CVE-1", Status: match.Affected, Severity: []advisory.Severity{sev("GHSA", "HIGH")}}
	none := &match.Finding{ID: "CVE-1", Status: match.Affected}
	Options{}.Rank([]*match.DeviceResult{device("w", c, word), device("n", c, none)})
	if diff := word.Decision.Score - none.Decision.Score; diff < 2.05 || diff > 2.15 {
		t.Errorf("GHSA HIGH adds %v to the score, want 2.1", diff)
	}
}

// TestHumanImpactLeads: within a band, a catastrophic-safety device
// ranks above a low-impact one even when the latter is more exposed,
// has more units and findings, and a higher EPSS; with equal human
// impact, safety leads mission.
func TestHumanImpactLeads(t *testing.T) {
	x := NewExploits(nil, []advisory.EPSS{{CVE: "CVE-2", Percentile: 0.99}})
	pump := device("pump", ctx(ssvc.ExposureControlled, ssvc.SafetyCatastrophic, ssvc.MissionFailure, 1), finding("CVE-1", v31Auto))
	ws := device("ws", ctx(ssvc.ExposureOpen, ssvc.SafetyMarginal, ssvc.MissionCrippled, 40), finding("CVE-2", v31Auto), finding("CVE-3", v31Auto), finding("CVE-4", v31Auto))
	// Both very high human impact: catastrophic safety first.
	vent := device("a-vent", ctx(ssvc.ExposureControlled, ssvc.SafetyNegligible, ssvc.MissionFailure, 1), finding("CVE-1", v31Auto))
	ranked, _ := Options{Exploits: x}.Rank([]*match.DeviceResult{ws, vent, pump})
	var order []string
	for _, r := range ranked {
		order = append(order, r.ID+" "+string(r.Priority))
	}
	if want := []string{"pump scheduled", "a-vent scheduled", "ws scheduled"}; !slices.Equal(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
}

// TestSourcesShared: findings of a device with the same sources share one
// value, and naming a KEV entry not yet known on one finding replaces its
// value without changing the others'.
func TestSourcesShared(t *testing.T) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10"}}, nil)
	later, a, b := finding("CVE-2021-44228", v31Auto), finding("CVE-7", v31Auto), finding("CVE-8", v31Auto)
	d := device("d", ctx(ssvc.ExposureOpen, ssvc.SafetyCatastrophic, ssvc.MissionCrippled, 1), later, a, b)
	Options{Exploits: x, AsOf: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}.Rank([]*match.DeviceResult{d})
	if a.Decision.Sources != b.Decision.Sources {
		t.Error("two findings with the same sources hold two values")
	}
	if a.Decision.Sources.Exploitation.Detail != "" || !strings.Contains(later.Decision.Sources.Exploitation.Detail, "after the as-of date") {
		t.Errorf("sources: %+v and %+v", a.Decision.Sources.Exploitation, later.Decision.Sources.Exploitation)
	}
}
