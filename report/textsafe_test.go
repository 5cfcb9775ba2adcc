package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// escapeClasses holds one sample of every escape class an SBOM, an
// advisory or a file name could carry to a terminal, a report or a
// spreadsheet.
var escapeClasses = map[string]string{
	"clear screen": "\x1b[2J\x1b[H",
	"window title": "\x1b]0;owned\x07",
	"OSC 8 link":   "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
	"ESC c":        "\x1bc",
	"8-bit CSI":    "\u009b2J",
	"8-bit OSC":    "\u009d0;owned\u009c",
	"CR":           "\rFAKE",
	"RLO":          "\u202e",
	"LRE":          "\u202a",
	"RLI":          "\u2067",
	"PDI":          "\u2069",
	"RLM":          "\u200f",
	"ALM":          "\u061c",
	"not UTF-8":    "\x9b2J",
}

// rawUnsafe finds a control or bidi character (or a byte that is not
// UTF-8) in out; newlines and tabs are the format's own.
func rawUnsafe(out string) (rune, bool) {
	if !utf8.ValidString(out) {
		return utf8.RuneError, true
	}
	for _, r := range out {
		if textsafe.Unsafe(r) && r != '\n' && r != '\t' {
			return r, true
		}
	}
	return 0, false
}

// hostileScan puts s into every text the human-readable formats print:
// device name, version, manufacturer, SBOM path, asset id, component,
// finding id, summary, reason, impact, remediation, source, warnings and
// skipped inputs.
func hostileScan(s string) *Scan {
	sc := statusScan()
	r := sc.Results[0]
	r.Device.Name = "Pump" + s
	r.Device.Version = "4.2.1" + s
	r.Device.Manufacturer = "Acme" + s
	r.Device.Path = "fleet/pump" + s + ".json"
	r.ID = "asset" + s
	r.Context = &ssvc.Context{AssetID: "asset" + s}
	r.Reasons = append(r.Reasons, "reason"+s)
	for _, f := range r.Findings {
		f.Summary += s
		f.Reason += s
		f.Impact += s
		f.Sources = append(f.Sources, match.Source{ID: "SRC" + s, Format: "osv"})
		f.Remediations = append(f.Remediations, advisory.Remediation{Category: "workaround", Details: "do" + s})
		if f.Component != nil && f.Component != &r.Device.Component {
			c := *f.Component
			c.Name += s
			f.Component = &c
		}
	}
	r.Findings[0].ID = "CVE-2021-44228" + s
	// The disclosure: an unread form's path, the guide, the warnings, who
	// installs the fix (the form's own text: hostileForm).
	r.Disclosure = &match.Disclosure{MDS2Path: "forms/pump" + s + ".xlsx", MDS2Via: "inventory",
		Guide:    &match.HardeningGuide{Ref: "guides/pump" + s + ".pdf", Version: "4.1" + s, Review: "review" + s},
		Warnings: []string{"disclosure warning" + s},
		MDS2: &mds2.Form{Path: "forms/pump" + s + ".xlsx", Manufacturer: "Acme" + s, Model: "Pump" + s, Version: "4.2" + s, Date: "2024" + s,
			Answers: map[string]mds2.Answer{"CSUP-7": {Value: mds2.Yes, Note: "bulletins" + s}, "MLDP-2": {Value: mds2.Yes, Note: "agent" + s},
				"CONN-6": {Value: mds2.Yes, Note: "cloud" + s}, "XYZ-1" + s: {Value: mds2.Yes}},
			Warnings: []string{"form warning" + s}}}
	r.Findings[0].Decision = &ssvc.Decision{Action: ssvc.ActionPatch, Responsibility: &ssvc.Responsibility{Actor: ssvc.ActorManufacturer,
		Action: "request manufacturer service" + s, Evidence: []string{"MDS2 CSUP-2.2" + s}}}
	sc.Warnings = append(sc.Warnings, "warning"+s)
	sc.Sources[2].Kind += s // the oldest: in the data-age line
	sc.SBOMErrors = append(sc.SBOMErrors, &sbom.ParseError{Path: "fleet/bad" + s + ".json", Err: sbom.ErrNotSBOM})
	sc.AdvisoryErrors = append(sc.AdvisoryErrors, &advisory.LoadError{Path: "feeds/bad" + s + ".json", Err: advisory.ErrNotAdvisory})
	return sc
}

// TestHostileTextEveryOutput is issue 14 defect 9: no escape class from
// the inputs reaches a human-readable output raw (on main the sbom table,
// Markdown and CSV printed them all; the scan table let bidi through; the
// HTML let bidi and C1 through).
func TestHostileTextEveryOutput(t *testing.T) {
	for class, s := range escapeClasses {
		sc := hostileScan(s)
		for _, tc := range []struct {
			format string
			o      Options
		}{{"table", Options{}}, {"table", Options{Details: true}}, {"table", Options{Details: true, Color: true}},
			{"markdown", testOptions}, {"csv", testOptions}, {"html", testOptions}} {
			out := string(render(t, tc.format, sc, tc.o))
			if tc.o.Color {
				out = strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "", "\x1b[1;31m", "", "\x1b[31m", "", "\x1b[32m", "", "\x1b[33m", "", "\x1b[36m", "").Replace(out)
			}
			if r, bad := rawUnsafe(out); bad {
				t.Errorf("%s: %s (details %v) prints %U raw", class, tc.format, tc.o.Details, r)
			}
			if !strings.Contains(out, "Pump") {
				t.Errorf("%s: %s lost the device", class, tc.format)
			}
			if (tc.o.Details || tc.format == "markdown" || tc.format == "html") && !strings.Contains(out, "disclosure warning") {
				t.Errorf("%s: %s lost the responsibility view", class, tc.format)
			}
			if (tc.format == "markdown" || tc.format == "html") && !strings.Contains(out, "bulletins") {
				t.Errorf("%s: %s lost the manufacturer's commitments", class, tc.format)
			}
		}
		// SARIF viewers show message texts and location names: they hold
		// no raw control or bidi character either (JSON would escape the
		// controls, not the bidi ones).
		var log struct {
			Runs []struct {
				Results []struct {
					Message   struct{ Text string }
					Locations []struct {
						LogicalLocations []struct{ Name string }
					}
				}
				Invocations []struct {
					ToolExecutionNotifications []struct{ Message struct{ Text string } }
				}
			}
		}
		if err := json.Unmarshal(render(t, "sarif", sc, testOptions), &log); err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, run := range log.Runs {
			for _, res := range run.Results {
				texts = append(texts, res.Message.Text)
				for _, l := range res.Locations {
					for _, ll := range l.LogicalLocations {
						texts = append(texts, ll.Name)
					}
				}
			}
			for _, inv := range run.Invocations {
				for _, n := range inv.ToolExecutionNotifications {
					texts = append(texts, n.Message.Text)
				}
			}
		}
		if len(texts) < 3 {
			t.Fatalf("%s: SARIF texts not found", class)
		}
		if r, bad := rawUnsafe(strings.Join(texts, "\n")); bad {
			t.Errorf("%s: SARIF text holds %U raw", class, r)
		}
		var buf bytes.Buffer
		res := &sbom.Result{Devices: []*sbom.Device{sc.Results[0].Device}}
		res.Devices[0].Components = append(res.Devices[0].Components, &sbom.Component{Name: "lib" + s, Version: "1" + s, PURL: "pkg:generic/lib" + s})
		if err := SBOMTable(&buf, res); err != nil {
			t.Fatal(err)
		}
		if r, bad := rawUnsafe(buf.String()); bad {
			t.Errorf("%s: sbom table prints %U raw:\n%q", class, r, buf.String())
		}
	}
}

// TestHTMLBidiHeading: an unterminated U+202E in a device name can no
// longer make the heading read version "1.2.4" for "4.2.1 (patched)":
// the name is isolated in <bdi> and the override shown as \u202e.
func TestHTMLBidiHeading(t *testing.T) {
	sc := statusScan()
	sc.Results[0].Device.Name = "VitaFlow \u202e"
	sc.Results[0].Device.Version = "4.2.1 (patched)"
	out := string(render(t, "html", sc, testOptions))
	if strings.ContainsRune(out, '\u202e') {
		t.Error("raw U+202E in the HTML")
	}
	if want := `<h3>1. <bdi>VitaFlow \u202e</bdi> <bdi>4.2.1 (patched)</bdi></h3>`; !strings.Contains(out, want) {
		t.Errorf("heading not isolated; want %s", want)
	}
	md := string(render(t, "markdown", sc, testOptions))
	if strings.ContainsRune(md, '\u202e') || !strings.Contains(md, `VitaFlow \\u202e`) {
		t.Error("Markdown: U+202E not escaped")
	}
}

// TestCSVSemicolonFormula is issue 14 defect 10: imported with ';' (or
// tab, '|') as separator, no part of a cell is a formula; cells holding a
// separator are quoted.
func TestCSVSemicolonFormula(t *testing.T) {
	sc := statusScan()
	sc.Results[0].Device.Name = "x;=1+41"
	sc.Results[0].Device.Manufacturer = "a|@SUM(1)"
	sc.Results[0].Findings[0].Summary = "x\t+cmd; -2+3, =HYPERLINK(\"https://evil.example\")"
	out := string(render(t, "csv", sc, testOptions))
	if !strings.Contains(out, `"x;'=1+41"`) || !strings.Contains(out, `"a|'@SUM(1)"`) {
		t.Errorf("cells not quoted and guarded:\n%s", out)
	}
	// Read back as a spreadsheet importing with each separator would:
	// no field may start with a formula character.
	for _, sep := range []rune{',', ';', '\t', '|'} {
		r := csv.NewReader(strings.NewReader(out))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%q: %v", sep, err)
		}
		for _, row := range rows {
			for _, f := range row {
				if f = strings.TrimLeft(f, " \""); f != "" && strings.ContainsRune("=+-@", rune(f[0])) {
					t.Errorf("separator %q: field %q is a formula", sep, f)
				}
			}
		}
	}
	// With ',' every cell reads back whole.
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][2] != "x;'=1+41" || rows[1][4] != "a|'@SUM(1)" {
		t.Errorf("cells read back as %q, %q", rows[1][2], rows[1][4])
	}
}

// TestOnlyHTTPURLs is issue 14 defect 10: a javascript: URL from a CSAF
// remediation reaches no output (dropped: neither a link nor text); an
// https one stays.
func TestOnlyHTTPURLs(t *testing.T) {
	sc := statusScan()
	f := sc.Results[0].Findings[0]
	f.Remediations = append(f.Remediations,
		advisory.Remediation{Category: "vendor_fix", Details: "Update", URL: "javascript:alert(41)"},
		advisory.Remediation{Category: "mitigation", Details: "Isolate", URL: "data:text/html,<script>alert(42)</script>"})
	for _, format := range FormatNames() {
		o := optionsFor(format)
		o.Details = true
		out := string(render(t, format, sc, o))
		if strings.Contains(out, "alert(41)") || strings.Contains(out, "alert(42)") || strings.Contains(out, "alert\\u0028") {
			t.Errorf("%s: a javascript: or data: URL is copied", format)
		}
		if format != "openvex" && !strings.Contains(out, "https://acme.example/psirt/4.3.0") {
			t.Errorf("%s: the https remediation URL is lost", format)
		}
	}
}
