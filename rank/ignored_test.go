package rank

import (
	"slices"
	"testing"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// TestAcceptedFindingsDoNotCount: a finding accepted in the ignore file
// is not decided and does not move its device; a device whose affected
// findings are all accepted has priority none and ranks below one with a
// counted finding.
func TestAcceptedFindingsDoNotCount(t *testing.T) {
	accepted := func(f *match.Finding) *match.Finding { f.Ignored = &match.Acceptance{Reason: "isolated"}; return f }
	c := ctx(ssvc.ExposureOpen, ssvc.SafetyCatastrophic, ssvc.MissionMEF, 10)
	all := &match.DeviceResult{ID: "a-all-accepted", Device: &sbom.Device{}, Context: c,
		Findings: []*match.Finding{accepted(finding("CVE-1", v31Auto)), accepted(finding("CVE-2", v31Auto))}}
	c2 := ctx(ssvc.ExposureSmall, ssvc.SafetyNegligible, ssvc.MissionDegraded, 1)
	some := &match.DeviceResult{ID: "b-one-counted", Device: &sbom.Device{}, Context: c2,
		Findings: []*match.Finding{accepted(finding("CVE-1", v31Auto)), finding("CVE-3", v31Local)}}
	ranked, failed := Options{}.Rank([]*match.DeviceResult{all, some})
	if len(failed) != 0 {
		t.Fatal(failed)
	}
	if all.Priority != ssvc.PriorityNone || all.Score != 0 || all.Rank != 2 || ranked[0] != some {
		t.Errorf("all accepted: priority %s score %v rank %d", all.Priority, all.Score, all.Rank)
	}
	for _, f := range all.Findings {
		if f.Decision != nil {
			t.Errorf("accepted %s decided: %+v", f.ID, f.Decision)
		}
	}
	if !slices.Contains(all.Reasons, "2 affected finding(s) accepted in the ignore file (not counted)") {
		t.Errorf("reasons %q", all.Reasons)
	}
	if some.Priority == ssvc.PriorityNone || some.Findings[1].Decision == nil || some.Findings[0].Decision != nil {
		t.Errorf("one counted: priority %s", some.Priority)
	}
	// Without the acceptance (it expired) the finding counts again.
	all.Findings[0].Ignored = nil
	Options{}.Rank([]*match.DeviceResult{all, some})
	if all.Priority == ssvc.PriorityNone || all.Findings[0].Decision == nil || all.Rank != 1 {
		t.Errorf("expired acceptance: priority %s rank %d", all.Priority, all.Rank)
	}
}
