package rank

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

const (
	v31Auto  = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
	v31UI    = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"
	v31Local = "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
	v31PoC   = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P"
	v40Auto  = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
	v40AT    = "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
	v40AU    = "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/AU:Y"
	v40Att   = "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A"
	v40PoC   = "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P"
)

func finding(id string, vectors ...string) *match.Finding {
	f := &match.Finding{ID: id, Status: match.Affected, Component: &sbom.Component{Name: "lib", Version: "1.0"}}
	for _, v := range vectors {
		typ := "CVSS_V3"
		if strings.HasPrefix(v, "CVSS:4.0") {
			typ = "CVSS_V4"
		}
		f.Severity = append(f.Severity, advisory.Severity{Type: typ, Score: v})
	}
	return f
}

func ctx(exposure ssvc.Exposure, safety ssvc.Safety, mission ssvc.Mission, units int) *ssvc.Context {
	return &ssvc.Context{Exposure: exposure, Safety: safety, Mission: mission, Units: units}
}

func TestDecisionPoints(t *testing.T) {
	kev := []advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10", Ransomware: true, Catalog: "2025.02.25"}}
	epss := []advisory.EPSS{{CVE: "CVE-2021-44228", Score: 0.94358, Percentile: 0.99957, Date: "2025-03-17"}, {CVE: "CVE-2023-44487", Score: 0.9, Percentile: 0.99, Date: "2025-03-17"}}
	x := NewExploits(kev, epss)
	opts := Options{Exploits: x, AsOf: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := ctx(ssvc.ExposureOpen, ssvc.SafetyCritical, ssvc.MissionMEF, 1)
	tests := []struct {
		name         string
		f            *match.Finding
		exploitation ssvc.Exploitation
		automatable  bool
		exposure     ssvc.Exposure
		action       ssvc.Action
		reason       string
	}{
		{"KEV", finding("CVE-2021-44228", v31Auto), "active", true, "open", ssvc.ActionAskManufacturer, "actively exploited (CISA KEV since 2021-12-10, used by ransomware)"},
		// A finding without a CVE id (built by hand: package match never
		// puts a CVE among aliases) is looked up by the CVEs among its
		// aliases.
		{"EPSS by alias", func() *match.Finding {
			f := finding("GHSA-xxxx-yyyy-zzzz", v31UI)
			f.Aliases = []string{"CVE-2023-44487", "GO-2023-2102"}
			return f
		}(), "none", false, "open", ssvc.ActionAskManufacturer, "EPSS 90% (top 1%)"},
		{"CVSS 3 E:P", finding("CVE-1", v31PoC), "poc", false, "open", ssvc.ActionAskManufacturer, "exploit code public (CVSS 3.1 exploit maturity: proof of concept)"},
		{"CVSS 4 E:P", finding("CVE-1", v40PoC), "poc", false, "open", ssvc.ActionAskManufacturer, "exploit code public (CVSS 4.0 exploit maturity: proof of concept)"},
		{"CVSS 4 E:A", finding("CVE-1", v40Att), "active", false, "open", ssvc.ActionAskManufacturer, "actively exploited (CVSS 4.0 exploit maturity: attacked)"},
		{"CSAF exploited", func() *match.Finding {
			f := finding("CVE-1", v31UI)
			f.Threats = []advisory.Threat{{Category: "exploit_status", Details: "This vulnerability has been exploited in the wild."}}
			return f
		}(), "active", false, "open", ssvc.ActionAskManufacturer, "actively exploited (CSAF advisory: This vulnerability has been exploited in the wild.)"},
		{"CSAF negated", func() *match.Finding {
			f := finding("CVE-1", v31UI)
			f.Threats = []advisory.Threat{{Category: "exploit_status", Details: "No known public exploits specifically target these vulnerabilities."}}
			return f
		}(), "none", false, "open", ssvc.ActionAskManufacturer, "exposure: open network (device context)"},
		{"CSAF poc", func() *match.Finding {
			f := finding("CVE-1", v31UI)
			f.Threats = []advisory.Threat{{Category: "exploit_status", Details: "Exploits that target these vulnerabilities are publicly available."}}
			return f
		}(), "poc", false, "open", ssvc.ActionAskManufacturer, "exploit code public (CSAF advisory: Exploits"},
		{"v4 AT:N automatable", finding("CVE-1", v40Auto), "none", true, "open", ssvc.ActionAskManufacturer, "AV:N/AC:L/AT:N/PR:N/UI:N"},
		{"v4 AT:P not automatable", finding("CVE-1", v40AT), "none", false, "open", ssvc.ActionAskManufacturer, ""},
		{"v4 AU:Y", finding("CVE-1", v40AU), "none", true, "open", ssvc.ActionAskManufacturer, "remotely exploitable without login (CVSS 4.0 AU:Y)"},
		{"AV:L caps exposure", finding("CVE-1", v31Local), "none", false, "small", ssvc.ActionAskManufacturer, "exposure: small (CVE-1 needs local or physical access, AV:L)"},
		{"AV:L and AV:N: not capped", finding("CVE-1", v31Local, v31UI), "none", false, "open", ssvc.ActionAskManufacturer, ""},
		{"vendor fix", func() *match.Finding {
			f := finding("CVE-1", v31UI)
			f.Remediations = []advisory.Remediation{{Category: "vendor_fix"}, {Category: "mitigation"}}
			return f
		}(), "none", false, "open", ssvc.ActionPatch, "manufacturer fix available"},
		{"mitigation only", func() *match.Finding {
			f := finding("CVE-1", v31UI)
			f.Remediations = []advisory.Remediation{{Category: "mitigation"}}
			return f
		}(), "none", false, "open", ssvc.ActionMitigate, "only a workaround"},
		{"no fix planned", func() *match.Finding {
			f := finding("CVE-1", v31UI)
			f.Remediations = []advisory.Remediation{{Category: "no_fix_planned"}}
			return f
		}(), "none", false, "open", ssvc.ActionIsolateReplace, "no fix planned"},
		{"upstream fix", func() *match.Finding { f := finding("CVE-1", v31UI); f.Fixed = []string{"2.15.0"}; return f }(), "none", false, "open", ssvc.ActionAskManufacturer, "no manufacturer fix; upstream fixed in 2.15.0"},
		{"end of support", func() *match.Finding { f := finding("CVE-1", v31UI); f.Component.EndOfSupport = "2024-01-09"; return f }(), "none", false, "open", ssvc.ActionIsolateReplace, "component past end of support 2024-01-09"},
		{"support not yet ended", func() *match.Finding { f := finding("CVE-1", v31UI); f.Component.EndOfSupport = "2026-01-09"; return f }(), "none", false, "open", ssvc.ActionAskManufacturer, "no fix known"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.KEV, tt.f.EPSS = x.lookup(tt.f)
			d := opts.decide(tt.f, newDeviceDecisions(c, nil))
			if d.Exploitation != tt.exploitation || d.Automatable != tt.automatable || d.Exposure != tt.exposure || d.Action != tt.action {
				t.Errorf("decision = %+v", d)
			}
			if tt.reason != "" && !slices.ContainsFunc(d.Reasons, func(r string) bool { return strings.Contains(r, tt.reason) }) {
				t.Errorf("no reason containing %q in %q", tt.reason, d.Reasons)
			}
			if d.Outcome != ssvc.OutcomeOf(d.Exploitation, d.Exposure, d.Automatable, ssvc.HumanHigh) {
				t.Errorf("outcome %q does not follow the table", d.Outcome)
			}
			lo := 25 * float64(d.Outcome.Level())
			if d.Score < lo || d.Score >= lo+25 {
				t.Errorf("score %v outside the %s band", d.Score, d.Outcome)
			}
		})
	}
}

func device(id string, c *ssvc.Context, fs ...*match.Finding) *match.DeviceResult {
	return &match.DeviceResult{ID: id, Device: &sbom.Device{}, Context: c, Findings: fs}
}

func TestRankOrder(t *testing.T) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10"}}, nil)
	fix := func(f *match.Finding) *match.Finding {
		f.Remediations = []advisory.Remediation{{Category: "vendor_fix"}}
		return f
	}
	results := []*match.DeviceResult{
		device("a-none", ctx(ssvc.ExposureOpen, ssvc.SafetyCatastrophic, ssvc.MissionFailure, 50)),
		device("b-unknown-only", nil, &match.Finding{ID: "CVE-9", Status: match.Unknown, Component: &sbom.Component{Name: "x"}}),
		// Same everything; units break the tie.
		device("c-units-1", ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 1), finding("CVE-2", v31UI)),
		device("d-units-30", ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 30), finding("CVE-2", v31UI)),
		// KEV and open, very high human impact: immediate.
		device("e-kev", ctx(ssvc.ExposureOpen, ssvc.SafetyCatastrophic, ssvc.MissionFailure, 1), finding("CVE-2021-44228", v31Auto)),
		// Ties on everything but the vendor fix, then the id.
		device("g-nofix", ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 2), finding("CVE-3", v31UI)),
		device("f-fix", ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 2), fix(finding("CVE-3", v31UI))),
		device("h-fix", ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 2), fix(finding("CVE-3", v31UI))),
	}
	Options{Exploits: x}.Rank(results)
	var order []string
	for i, r := range results {
		if r.Rank != i+1 {
			t.Errorf("%s: rank %d at position %d", r.ID, r.Rank, i+1)
		}
		order = append(order, r.ID)
	}
	want := []string{"e-kev", "d-units-30", "f-fix", "h-fix", "g-nofix", "c-units-1", "a-none", "b-unknown-only"}
	if !slices.Equal(order, want) {
		t.Errorf("order = %v\nwant    %v", order, want)
	}
	e := results[0]
	if e.Priority != ssvc.PriorityImmediate || e.Score < 75 || e.Score > 100 {
		t.Errorf("e-kev: %s %v", e.Priority, e.Score)
	}
	if !slices.Contains(e.Reasons, "actively exploited (CISA KEV since 2021-12-10)") ||
		!slices.Contains(e.Reasons, "patient-safety impact: catastrophic, mission impact: the mission fails (device context)") {
		t.Errorf("e-kev reasons: %q", e.Reasons)
	}
	for _, r := range results[len(results)-2:] {
		if r.Priority != ssvc.PriorityNone || r.Score != 0 {
			t.Errorf("%s: %s %v, want none 0", r.ID, r.Priority, r.Score)
		}
	}
	if b := results[len(results)-1]; b.Context == nil || len(b.Context.Defaulted) != 3 || !slices.Contains(b.Reasons, "1 finding(s) could not be decided (status unknown)") {
		t.Errorf("defaults: %+v %q", b.Context, b.Reasons)
	}
	if f := results[1].Findings[0]; f.Decision == nil || f.Decision.Outcome.Priority() != results[1].Priority {
		t.Errorf("finding decision %+v", f.Decision)
	}
}

// The number of affected findings counts, last and bounded: 104 findings
// of one kind rank above 2 of the same kind, and no number of findings
// adds more than 1 to the most urgent finding's score.
func TestScoreCountsFindings(t *testing.T) {
	c := ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 1)
	mk := func(id string, n int) *match.DeviceResult {
		d := device(id, c)
		for range n {
			d.Findings = append(d.Findings, finding("CVE-1", v31UI))
		}
		return d
	}
	// "a-two" sorts first by id: only the count can put "b-many" above.
	one, two, many, huge := mk("c-one", 1), mk("a-two", 2), mk("b-many", 104), mk("d-huge", 100000)
	ranked, _ := Options{}.Rank([]*match.DeviceResult{one, two, many, huge})
	if ranked[0] != huge || ranked[1] != many || ranked[2] != two || ranked[3] != one {
		t.Errorf("order %s %s %s %s", ranked[0].ID, ranked[1].ID, ranked[2].ID, ranked[3].ID)
	}
	top := one.Findings[0].Decision.Score
	for _, tt := range []struct {
		d    *match.DeviceResult
		plus float64
	}{{one, 0}, {two, 0.1}, {many, 0.7}, {huge, 1}} {
		if tt.d.Priority != one.Priority || math.Abs(tt.d.Score-(top+tt.plus)) > 1e-9 {
			t.Errorf("%s: %s %v, want %v", tt.d.ID, tt.d.Priority, tt.d.Score, top+tt.plus)
		}
	}
}

func BenchmarkRank(b *testing.B) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2021-44228"}}, []advisory.EPSS{{CVE: "CVE-2021-44228", Percentile: 0.9}})
	var results []*match.DeviceResult
	for i := range 200 {
		d := device(strings.Repeat("d", i%7)+string(rune('a'+i%26)), ctx(ssvc.ExposureOpen, ssvc.SafetyCritical, ssvc.MissionMEF, i))
		for j := range 20 {
			d.Findings = append(d.Findings, finding("CVE-2021-4422"+string(rune('0'+j%10)), v31Auto, v40PoC))
		}
		results = append(results, d)
	}
	opts := Options{Exploits: x}
	for b.Loop() {
		opts.Rank(results)
	}
}

func TestDocuments(t *testing.T) {
	d1 := &advisory.Document{ID: "ICSMA-22-174-01", Version: "2", Publisher: "CISA"}
	d0 := &advisory.Document{ID: "ICSMA-22-174-01", Version: "1"}
	advs := []*advisory.Advisory{{ID: "GHSA-1"}, {ID: "CVE-1", Document: d1}, {ID: "CVE-2", Document: d1}, {ID: "CVE-3", Document: d0}}
	got := Documents(advs)
	if len(got) != 2 || got[0].Version != "1" || got[1].Version != "2" || got[1].Publisher != "CISA" {
		t.Errorf("Documents = %+v", got)
	}
}

// A device whose ranking panics is named and left out; the others are
// ranked and numbered without a gap.
func TestRankDevicePanic(t *testing.T) {
	dev := func(path string, fs ...*match.Finding) *match.DeviceResult {
		return &match.DeviceResult{Device: &sbom.Device{Path: path, Component: sbom.Component{Name: path}}, ID: path, Findings: fs}
	}
	good := &match.Finding{ID: "CVE-1", Status: match.Affected, Component: &sbom.Component{Name: "c"}}
	results := []*match.DeviceResult{dev("a", good), dev("broken", nil), dev("c")}
	ranked, failed := Options{}.Rank(results)
	if len(failed) != 1 || failed[0].Path != "broken" || !strings.Contains(failed[0].Error(), "ranking: internal error (panic)") {
		t.Fatalf("failed %v", failed)
	}
	if len(ranked) != 2 || ranked[0].ID != "a" || ranked[0].Rank != 1 || ranked[1].ID != "c" || ranked[1].Rank != 2 {
		t.Fatalf("ranked %v", ranked)
	}
}

// TestDecisionsShareStorage ranks one device whose findings use every
// reason (KEV, automatable, no fix planned and end of support, EPSS), a
// capped exposure, one severity (shared scores) or several, or none: each
// decision must be what deciding the finding alone gives, so the storage
// the worker's decisions share (and the reasons made once per device)
// never leaks from one finding into another.
func TestDecisionsShareStorage(t *testing.T) {
	kev := []advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10", Ransomware: true, Catalog: "2025.02.25"}}
	epss := []advisory.EPSS{{CVE: "CVE-2021-44228", Score: 0.94358, Percentile: 0.99957, Date: "2025-03-17"}, {CVE: "CVE-3", Score: 0.5, Percentile: 0.7, Date: "2025-03-17"}}
	opts := Options{Exploits: NewExploits(kev, epss), AsOf: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	mkFull := func() *match.Finding {
		full := finding("CVE-2021-44228", v31Auto)
		full.Fixed, full.Component.EndOfSupport = []string{"2.17.1"}, "2024-01-01"
		full.Remediations = []advisory.Remediation{{Category: "no_fix_planned"}}
		return full
	}
	mk := func() []*match.Finding {
		full := mkFull()
		local := finding("CVE-2", v31Local)
		local.Fixed = []string{"1.1", "1.2"}
		same := finding("CVE-3", v31Auto)
		same.Fixed = []string{"2.17.1"}
		unknown := finding("CVE-4", v31UI)
		unknown.Status = match.Unknown
		// Fixed in the version same is fixed in: the worker's reason
		// for it is shared.
		again := finding("CVE-7", v31UI)
		again.Fixed = []string{"2.17.1"}
		// Two more findings with every reason at the end.
		return []*match.Finding{full, local, unknown, same, finding("CVE-5"), finding("CVE-6", v31UI, v31Auto), again, mkFull(), mkFull()}
	}
	c := ctx(ssvc.ExposureControlled, ssvc.SafetyMarginal, ssvc.MissionCrippled, 3)
	res := []*match.DeviceResult{{ID: "d", Findings: mk(), Context: c}}
	ranked, failed := opts.Rank(res)
	if len(ranked) != 1 || len(failed) != 0 {
		t.Fatalf("%d ranked, %d failed", len(ranked), len(failed))
	}
	for i, f := range mk() {
		got := ranked[0].Findings[i]
		if f.Status != match.Affected {
			if got.Decision != nil {
				t.Errorf("%s: decision for a %s finding", f.ID, f.Status)
			}
			continue
		}
		f.KEV, f.EPSS = opts.Exploits.lookupOn(f, "2025-06-01")
		dd := newDeviceDecisions(c, nil)
		dd.day = "2025-06-01"
		if want := opts.decide(f, dd); got.Decision == nil || !reflect.DeepEqual(*got.Decision, *want) {
			t.Errorf("%s: decision %+v, want %+v", f.ID, got.Decision, want)
		}
	}
	if n := len(ranked[0].Findings[0].Decision.Reasons); n != maxReasons {
		t.Errorf("the first finding has %d reasons, want every one (%d)", n, maxReasons)
	}
}

// TestSharedDecisions ranks devices of several contexts (more devices
// than workers, so that each worker meets several) whose findings differ
// from each other in one input of the decision each (EPSS, KEV, a KEV
// entry by an alias, a KEV entry not known yet on the as-of date (and
// the same finding without it), vector,
// vector with the same words and score, version fixed upstream, end of
// support, exposure capped by the vector, remediation, threat, units):
// every finding's decision must equal (deeply) the one deciding it alone
// gives, so that two findings with different decisions never hold the
// same value. Findings with the same inputs hold one value per worker.
func TestSharedDecisions(t *testing.T) {
	kev := []advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10"}, {CVE: "CVE-2030-1", DateAdded: "2030-01-01"}}
	epss := []advisory.EPSS{{CVE: "CVE-1", Score: 0.5, Percentile: 0.7}, {CVE: "CVE-2", Score: 0.5, Percentile: 0.71}}
	opts := Options{Exploits: NewExploits(kev, epss), AsOf: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	// Same base score and automatable words, other vectors: the sources
	// alone tell them apart.
	const ciH, icH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:H"
	const kinds = 21
	mk := func(i int) *match.Finding {
		var f *match.Finding
		switch i % kinds {
		case 0:
			f = finding("CVE-1", v31Auto) // EPSS 0.7
		case 1:
			f = finding("CVE-2", v31Auto) // EPSS 0.71
		case 2:
			f = finding("CVE-2021-44228", v31Auto) // KEV
		case 3:
			f = finding("GHSA-1", v31Auto) // KEV by its alias: named
			f.Aliases = []string{"CVE-2021-44228"}
		case 4:
			f = finding("CVE-2030-1", v31Auto) // KEV after the as-of date
		case 5:
			f = finding("CVE-3", ciH)
		case 6:
			f = finding("CVE-4", icH)
		case 7, 8, 9: // the reasons alone tell 7 and 8 apart; 9 is 7 again
			f = finding(fmt.Sprint("CVE-", i%kinds), v31Auto)
			f.Fixed = []string{map[int]string{7: "1.7", 8: "1.8", 9: "1.7"}[i%kinds]}
		case 10:
			f = finding("CVE-10", v31Auto)
			f.Component.EndOfSupport = "2024-01-01"
		case 11:
			f = finding("CVE-11", v31Auto)
			f.Component.EndOfSupport = "2023-01-01"
		case 12, 13: // capped by the vector: the reason names the finding
			f = finding(fmt.Sprint("CVE-", i%kinds), v31Local)
		case 14:
			f = finding("CVE-14", v31Auto, v40PoC)
		case 15:
			f = finding("CVE-15", v31Auto)
			f.Remediations = []advisory.Remediation{{Category: "vendor_fix"}}
		case 16:
			f = finding("CVE-16", v31Auto)
			f.Threats = []advisory.Threat{{Category: "exploit_status", Details: "exploited in the wild"}}
		case 17:
			f = finding("CVE-17", v31Auto)
			f.Fixed = []string{"1.7", "1.8"}
		case 18:
			f = finding("CVE-18") // no vector
		case 19:
			f = finding("CVE-19", v31UI)
		default: // 4 but for its KEV entry
			f = finding("CVE-20", v31Auto)
		}
		return f
	}
	contexts := []*ssvc.Context{
		ctx(ssvc.ExposureOpen, ssvc.SafetyCritical, ssvc.MissionMEF, 1),
		ctx(ssvc.ExposureControlled, ssvc.SafetyCritical, ssvc.MissionMEF, 1),
		ctx(ssvc.ExposureOpen, ssvc.SafetyMarginal, ssvc.MissionMEF, 1),
		ctx(ssvc.ExposureOpen, ssvc.SafetyCritical, ssvc.MissionMEF, 30), // the score alone tells it apart
		ctx(ssvc.ExposureSmall, ssvc.SafetyCritical, ssvc.MissionMEF, 1), // not capped: shared
	}
	var results []*match.DeviceResult
	for i := range 4 * len(contexts) {
		d := device(fmt.Sprint("d", i), contexts[i%len(contexts)])
		for j := range 3 * kinds {
			d.Findings = append(d.Findings, mk(j+i))
		}
		results = append(results, d)
	}
	ranked, _ := opts.Rank(results)
	shared := 0
	for _, r := range ranked {
		values := map[string]map[*ssvc.Decision]int{} // by the words, the values held and their findings
		for _, f := range r.Findings {
			dd := newDeviceDecisions(r.Context, nil)
			dd.day = "2025-06-01"
			want := opts.decide(f, dd)
			if !reflect.DeepEqual(*f.Decision, *want) {
				t.Fatalf("%s %s: decision %+v, want %+v", r.ID, f.ID, *f.Decision, *want)
			}
			w := *want
			w.Sources, w.Responsibility = nil, nil // %v would print addresses
			key := fmt.Sprintf("%+v %+v", w, *want.Sources)
			if values[key] == nil {
				values[key] = map[*ssvc.Decision]int{}
			}
			values[key][f.Decision]++
		}
		// A device's findings of one kind hold one value, or one each.
		for key, ps := range values {
			switch {
			case len(ps) == 1:
				shared++
			case slices.ContainsFunc(slices.Collect(maps.Values(ps)), func(n int) bool { return n > 1 }):
				t.Errorf("%s: %d values for %v findings: %s", r.ID, len(ps), ps, key)
			}
		}
	}
	// Every kind of finding is shared but those past their end of
	// support (2), with a remediation, a threat, two fixes, two vectors,
	// no vector or a KEV entry not known yet, and those capped by the
	// vector (2, but in the small context, where they are not); 9 is 7.
	perDevice := kinds - 1 - 10
	if want := len(results)*perDevice + len(results)/len(contexts); shared != want {
		t.Errorf("%d decisions shared, want %d", shared, want)
	}
}

// TestKeepBlocks: the reasons of many decisions are kept in blocks, each
// decision's exactly (no room to append into the next one's).
func TestKeepBlocks(t *testing.T) {
	var s sharing
	var kept [][]string
	for i := range 3 * reasonsBlock / 4 {
		rs := []string{fmt.Sprint("a", i), fmt.Sprint("b", i), fmt.Sprint("c", i)}[:1+i%3]
		k := s.keep(rs)
		if !slices.Equal(k, rs) || cap(k) != len(k) {
			t.Fatalf("kept %q (cap %d) for %q", k, cap(k), rs)
		}
		kept = append(kept, k)
	}
	for i, k := range kept {
		if want := []string{fmt.Sprint("a", i), fmt.Sprint("b", i), fmt.Sprint("c", i)}[:1+i%3]; !slices.Equal(k, want) {
			t.Fatalf("decision %d: reasons %q, want %q", i, k, want)
		}
	}
	if k := s.keep(nil); k != nil {
		t.Errorf("keep(nil) = %#v", k)
	}
	if k := s.keep([]string{}); k == nil || len(k) != 0 {
		t.Errorf("keep([]string{}) = %#v", k)
	}
}

// TestDecisionSourcesShared: findings of a device with the same decision
// sources share one value, whether they follow each other or not, and
// findings with other sources get their own, with their own contents.
func TestDecisionSourcesShared(t *testing.T) {
	vs := []string{v31Auto, v31Auto, v31UI, v31Auto, v31Local, v31UI, v40Att, v31Auto}
	d := device("d", ctx(ssvc.ExposureOpen, ssvc.SafetyCritical, ssvc.MissionMEF, 1))
	for i, v := range vs {
		d.Findings = append(d.Findings, finding(fmt.Sprintf("CVE-2024-%04d", i), strings.Clone(v)))
	}
	Options{}.Rank([]*match.DeviceResult{d})
	byVector := map[string]*ssvc.Sources{}
	for i, f := range d.Findings {
		src := f.Decision.Sources
		want := ssvc.Sources{Exploitation: ssvc.Source{Kind: ssvc.SourceNone}, Automatable: ssvc.Source{Kind: ssvc.SourceCVSS, Detail: vs[i]},
			Exposure: ssvc.Source{Kind: ssvc.SourceContext, Detail: "exposure open"}}
		switch vs[i] {
		case v31Local:
			want.Exposure = ssvc.Source{Kind: ssvc.SourceCVSS, Detail: v31Local}
		case v40Att:
			want.Exploitation = ssvc.Source{Kind: ssvc.SourceCVSS, Detail: v40Att}
		}
		if src.Automatable != want.Automatable || src.Exploitation != want.Exploitation || src.Exposure.Kind != want.Exposure.Kind {
			t.Errorf("finding %d (%s): sources %+v, want %+v", i, vs[i], *src, want)
		}
		if p, ok := byVector[vs[i]]; ok && p != src {
			t.Errorf("finding %d (%s): its own sources, not the device's value", i, vs[i])
		}
		byVector[vs[i]] = src
	}
	if len(byVector) != 4 || byVector[v31Auto] == byVector[v31UI] {
		t.Errorf("%d values for 4 sets of sources", len(byVector))
	}
}

// TestWarm: warm reads the first byte of the strings it names and
// nothing else (the result is their XOR), and takes findings without
// them (nil lists, empty strings) without a panic.
func TestWarm(t *testing.T) {
	full := finding("CVE-1", v31Auto)
	full.Fixed = []string{"2.0"}
	full.Component.EndOfSupport = "E"
	empty := &match.Finding{Severity: []advisory.Severity{{}}, Fixed: []string{""}, Component: &sbom.Component{}}
	want := byte('C') ^ 'C' ^ v31Auto[0] ^ '2' ^ 'E'
	if got := warm([]*match.Finding{full, empty, {}}); got != want {
		t.Errorf("warm = %#x, want %#x", got, want)
	}
	if got := warm(nil); got != 0 {
		t.Errorf("warm(nil) = %#x", got)
	}
}

// TestNumOutcomes: rankDevice counts the outcomes in an array of
// numOutcomes levels.
func TestNumOutcomes(t *testing.T) {
	if n := len(ssvc.Outcomes()); n != numOutcomes {
		t.Errorf("%d outcomes, numOutcomes %d", n, numOutcomes)
	}
}
