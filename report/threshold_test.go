package report

import (
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
)

// TestThresholdRatings: a severity threshold rates each affected finding
// by its CVSS score, else its source's own rating (GHSA MODERATE is
// medium), else unknown, which counts as critical unless SkipUnknown; a
// KEV finding counts as at least high; other statuses never count.
func TestThresholdRatings(t *testing.T) {
	sev := func(typ, score string) []advisory.Severity { return []advisory.Severity{{Type: typ, Score: score}} }
	low := sev("CVSS_V3", "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N")
	for _, tt := range []struct {
		name   string
		f      match.Finding
		skip   bool
		levels string // the thresholds reached, most severe first: c h m l
	}{
		{"CVSS low", match.Finding{Severity: low}, false, "l"},
		{"GHSA moderate", match.Finding{Severity: sev("GHSA", "MODERATE")}, false, "ml"},
		{"unknown", match.Finding{}, false, "chml"},
		{"unknown skipped", match.Finding{}, true, ""},
		{"KEV, CVSS low", match.Finding{Severity: low, KEV: &advisory.KEV{}}, false, "hml"},
		{"KEV, unknown skipped", match.Finding{KEV: &advisory.KEV{}}, true, "hml"},
		{"not affected", match.Finding{Status: match.NotAffected}, false, ""},
	} {
		f := tt.f
		if f.Status == "" {
			f.Status = match.Affected
		}
		r := &match.DeviceResult{Findings: []*match.Finding{&f}}
		got := ""
		for _, level := range []string{"critical", "high", "medium", "low"} {
			th, err := ParseThreshold(level)
			if err != nil {
				t.Fatal(err)
			}
			th.SkipUnknown = tt.skip
			if th.Reached(r) {
				got += level[:1]
			}
		}
		if got != tt.levels {
			t.Errorf("%s: reaches %q, want %q", tt.name, got, tt.levels)
		}
	}
}
