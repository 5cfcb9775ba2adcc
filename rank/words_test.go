package rank

import (
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// TestReasonsInWords: the reasons read as a clinical engineer reads,
// with no SSVC or CVSS jargon as their lead, and each decision point's
// default said once (in its own reason, not again from Defaulted).
func TestReasonsInWords(t *testing.T) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10", Ransomware: true}},
		[]advisory.EPSS{{CVE: "CVE-2021-44228", Score: 0.94358, Percentile: 0.99957, Date: "2025-03-17"}})
	f := finding("CVE-2021-44228", v31Auto)
	d := device("d", ssvc.DefaultContext(), f)
	Options{Exploits: x}.Rank([]*match.DeviceResult{d})
	want := []string{
		"actively exploited (CISA KEV since 2021-12-10, used by ransomware)",
		"remotely exploitable without login (CVSS 3.1 AV:N/AC:L/PR:N/UI:N)",
		"exposure: controlled network (default: no inventory)",
		"patient-safety impact: critical, mission impact: crippled (default: no inventory)",
		"EPSS 94% (top 0.1%)",
	}
	text := strings.Join(d.Reasons, "\n")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("no reason %q in\n%s", w, text)
		}
	}
	for _, jargon := range []string{"automatable:", "exploitation active", "human impact", "percentile", "mission mission"} {
		if strings.Contains(text, jargon) {
			t.Errorf("reasons speak jargon %q:\n%s", jargon, text)
		}
	}
	if n := strings.Count(text, "exposure"); n != 1 {
		t.Errorf("exposure named %d times:\n%s", n, text)
	}
}

func TestEPSSWords(t *testing.T) {
	for _, c := range []struct {
		score, pct float64
		want       string
	}{
		{0.94358, 0.99957, "EPSS 94% (top 0.1%)"},
		{0.00613, 0.69140, "EPSS 0.61% (top 30.9%)"},
		{0.5, 1, "EPSS 50% (top 0.1%)"},
		{0.00001, 0, "EPSS 0% (top 100%)"},
	} {
		if got := EPSSWords(&advisory.EPSS{Score: c.score, Percentile: c.pct}); got != c.want {
			t.Errorf("EPSSWords(%v, %v) = %q, want %q", c.score, c.pct, got, c.want)
		}
	}
}

// wordsSink keeps a reason from being built on the stack.
var wordsSink string

// TestAutomatableWords: the constant reasons are the concatenation they
// stand for, and cost no allocation.
func TestAutomatableWords(t *testing.T) {
	for _, c := range [][2]string{{"4.0", "AU:Y"}, {"4.0", "AV:N/AC:L/AT:N/PR:N/UI:N"}, {"3.1", "AV:N/AC:L/PR:N/UI:N"},
		{"3.0", "AV:N/AC:L/PR:N/UI:N"}, {"2.0", "AV:N"}, {"3.1", "AU:Y"}} {
		want := "remotely exploitable without login (CVSS " + c[0] + " " + c[1] + ")"
		if got := automatableWords(c[0], c[1]); got != want {
			t.Errorf("automatableWords(%q, %q) = %q, want %q", c[0], c[1], got, want)
		}
	}
	for _, s := range []string{v31Auto, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/AU:Y"} {
		sc, ok := ParseScore(advisory.Severity{Type: "CVSS_V3", Score: s})
		m, auto := automatable(sc)
		if !ok || !auto {
			t.Fatalf("%s: parsed %v, automatable %v", s, ok, auto)
		}
		if n := testing.AllocsPerRun(10, func() { wordsSink = automatableWords(sc.Version, m) }); n != 0 {
			t.Errorf("%s: %v allocations per reason, want the constant", s, n)
		}
	}
}
