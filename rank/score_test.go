package rank

import (
	"slices"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
)

func TestParseScore(t *testing.T) {
	for _, tt := range []struct {
		sev     advisory.Severity
		version string
		base    float64
		rating  string
		ok      bool
	}{
		{advisory.Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, "3.1", 9.8, "critical", true},
		{advisory.Severity{Type: "CVSS_V3", Score: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"}, "3.0", 0, "none", true},
		{advisory.Severity{Type: "CVSS_V2", Score: "AV:N/AC:L/Au:N/C:C/I:C/A:C"}, "2.0", 10, "high", true},
		{advisory.Severity{Type: "CVSS_V4", Score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}, "4.0", 9.3, "critical", true},
		{advisory.Severity{Type: "Ubuntu", Score: "high"}, "", 0, "", false},
		{advisory.Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:X"}, "", 0, "", false},
	} {
		s, ok := ParseScore(tt.sev)
		if ok != tt.ok || s.Version != tt.version || s.Base != tt.base || s.Rating != tt.rating {
			t.Errorf("ParseScore(%s) = %+v, %v", tt.sev.Score, s, ok)
		}
	}
}

func TestFindingScore(t *testing.T) {
	f := &match.Finding{Severity: []advisory.Severity{
		{Type: "CVSS_V2", Score: "AV:N/AC:L/Au:N/C:C/I:C/A:C"},                   // 10.0 high (v2 has no critical)
		{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}, // 10.0 critical
		{Type: "Ubuntu", Score: "medium"},
	}}
	if s, ok := FindingScore(f); !ok || s.Base != 10 || s.Rating != "critical" {
		t.Errorf("FindingScore = %+v, %v; want the tie broken by the more severe rating", s, ok)
	}
	if _, ok := FindingScore(&match.Finding{}); ok {
		t.Error("no vector, no score")
	}
	if !slices.Equal(Ratings(), []string{"critical", "high", "medium", "low", "none"}) || RatingLevel("critical") != 4 || RatingLevel("none") != 0 || RatingLevel("") != -1 {
		t.Errorf("Ratings %v", Ratings())
	}
}
