package report

import (
	"bytes"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
)

// FuzzParseScore: any severity string is scored or refused, never a
// panic, and a score is always within 0-10 with a known rating.
func FuzzParseScore(f *testing.F) {
	for _, v := range []string{v31Critical, v31Medium, v30High, v2High, v40Critical, "CVSS:3.1/", "AV:N", "high", ""} {
		f.Add("CVSS_V3", v)
	}
	f.Fuzz(func(t *testing.T, typ, vector string) {
		s, ok := ParseScore(advisory.Severity{Type: typ, Score: vector})
		if ok && (s.Base < 0 || s.Base > 10 || SeverityIndex(s.Rating) == len(Severities)) {
			t.Errorf("%q: %+v", vector, s)
		}
	})
}

// FuzzFormats: hostile text in every field the formats print never makes
// a writer fail or panic, the HTML never carries it as markup, and no
// human-readable format (table, Markdown, CSV, HTML) carries a control or
// bidi character raw.
func FuzzFormats(f *testing.F) {
	f.Add("<script>x</script>", "=cmd|' /C calc'!A0", "\x1b[2J", "vulnerable_code_not_present")
	// Issue 14: every escape class, bidi overrides, ';'-split formulas.
	for _, s := range escapeClasses {
		f.Add("Pump"+s, "4.2.1"+s, "x;=1+41"+s, "vulnerable_code_not_present"+s)
	}
	f.Add("VitaFlow \u202e", "4.2.1 (patched)", "a|@SUM(1)\t+cmd", "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, name, version, summary, justification string) {
		s := statusScan()
		r := s.Results[0]
		r.Device.Name, r.Device.Version = name, version
		for _, fd := range r.Findings {
			fd.Summary = summary
			if fd.Status == match.NotAffected {
				fd.Justification = justification
			}
		}
		for _, format := range FormatNames() {
			var buf bytes.Buffer
			if err := Write(&buf, format, s, optionsFor(format)); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			switch format {
			case "table", "markdown", "csv", "html":
				if r, bad := rawUnsafe(buf.String()); bad {
					t.Errorf("%s: %U raw", format, r)
				}
			}
		}
	})
}
