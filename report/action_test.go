package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// findingByID returns the device's finding with the id.
func findingByID(t *testing.T, r *match.DeviceResult, id string) *match.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("%s has no finding %s", r.ID, id)
	return nil
}

// deviceByID returns the scan's device with the id (an asset id with an
// inventory).
func deviceByID(t *testing.T, s *Scan, id string) *match.DeviceResult {
	t.Helper()
	for _, r := range s.Results {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no device %s", id)
	return nil
}

// TestFindingAction: each SSVC action in plain words.
func TestFindingAction(t *testing.T) {
	s := statusScan()
	pump, hub := s.Results[0], s.Results[1]
	eos := &match.Finding{ID: "CVE-2020-1", Status: match.Affected, Decision: &ssvc.Decision{Action: ssvc.ActionIsolateReplace},
		Component: &sbom.Component{Name: "linux", Version: "4.9", EndOfSupport: "2024-12-31T00:00:00Z"}}
	for _, c := range []struct {
		f    *match.Finding
		r    *match.DeviceResult
		want string
	}{
		{findingByID(t, pump, "CVE-2021-44228"), pump, "install manufacturer update: Install firmware 4.3.0 (https://acme.example/psirt/4.3.0)"},
		{findingByID(t, pump, "GHSA-xxxx-yyyy-zzzz"), pump, "mitigate: Disable the web UI"},
		{findingByID(t, pump, "CVE-2019-5000"), pump, "isolate or replace: no fix planned (Replace the device)"},
		{findingByID(t, hub, "CVE-2023-39325"), hub, "no fix: ask Acme Medical Inc. (fixed upstream in golang.org/x/net 0.17.0)"},
		{eos, pump, "isolate or replace: past end of support 2024-12-31"},
		{findingByID(t, pump, "CVE-2021-45046"), pump, ""},
		{findingByID(t, pump, "CVE-2018-25032"), pump, ""},
	} {
		if got := FindingAction(c.r, c.f); got != c.want {
			t.Errorf("%s: FindingAction = %q, want %q", c.f.ID, got, c.want)
		}
	}
}

// TestNextStepNamesManufacturerFix: on the sample inventory, the VitaFlow
// pumps' most urgent finding has no manufacturer fix, and their next step
// still names the CSAF vendor fix (firmware 4.3.0) of another finding.
func TestNextStepNamesManufacturerFix(t *testing.T) {
	s := rankedFleetScan(t)
	for _, id := range []string{"ICU-PUMP-01", "WARD-PUMP-02", "ONC-PUMP-03"} {
		r := deviceByID(t, s, id)
		worst := UrgencyOrder(r.Findings)[0]
		if actionOf(worst) == ssvc.ActionPatch {
			t.Fatalf("%s: the most urgent finding %s has a manufacturer fix: the test proves nothing", id, worst.ID)
		}
		step := NextStep(r)
		if !strings.HasPrefix(step, "install manufacturer update 4.3.0 (CSAF ") {
			t.Errorf("%s: next step %q", id, step)
		}
	}
	if got := NextStep(deviceByID(t, s, "WARD-HUB-01")); !strings.HasPrefix(got, "isolate or replace: no fix planned") {
		t.Errorf("bedside hub: next step %q", got)
	}
	none := &match.DeviceResult{Device: &sbom.Device{Component: sbom.Component{Name: "x"}}}
	if got := NextStep(none); got != "" {
		t.Errorf("no findings: next step %q", got)
	}
	all := &match.DeviceResult{Device: none.Device, Findings: []*match.Finding{
		{ID: "CVE-1", Status: match.Affected, Ignored: &match.Acceptance{Reason: "r"}},
		{ID: "CVE-2", Status: match.Affected, Ignored: &match.Acceptance{Reason: "r"}}}}
	if got := NextStep(all); got != "none: 2 affected finding(s) accepted in the ignore file" {
		t.Errorf("all accepted: next step %q", got)
	}
}

// TestExploitation: KEV and EPSS in words, and not before they were
// known.
func TestExploitation(t *testing.T) {
	f := &match.Finding{KEV: &advisory.KEV{DateAdded: "2021-12-10", Ransomware: true},
		EPSS: &advisory.EPSS{Score: 0.94358, Percentile: 0.99957, Date: "2025-03-17T12:55:00Z"}}
	if got, want := Exploitation(f, time.Time{}), "KEV since 2021-12-10, ransomware; EPSS 94% (top 0.1%)"; got != want {
		t.Errorf("Exploitation = %q, want %q", got, want)
	}
	if got := Exploitation(f, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); got != "" {
		t.Errorf("as of 2020: %q, want nothing", got)
	}
	if got, want := Exploitation(f, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)), "KEV since 2021-12-10, ransomware"; got != want {
		t.Errorf("as of 2022: %q, want %q", got, want)
	}
	for _, c := range []struct {
		score, pct float64
		want       string
	}{{0.0061, 0.691, "EPSS 0.61% (top 30.9%)"}, {0.025, 0.851, "EPSS 2.5% (top 14.9%)"}, {0.5, 0.9, "EPSS 50% (top 10%)"}, {0.0001, 0.01, "EPSS 0.01% (top 99%)"}} {
		if got := EPSSText(&match.Finding{EPSS: &advisory.EPSS{Score: c.score, Percentile: c.pct}}, time.Time{}); got != c.want {
			t.Errorf("EPSS %v/%v = %q, want %q", c.score, c.pct, got, c.want)
		}
	}
}

// TestUrgencyOrder: affected first (accepted after), then the other
// statuses in the order of Statuses; by score within a status.
func TestUrgencyOrder(t *testing.T) {
	s := statusScan()
	fs := s.Results[0].Findings
	fs[0].Ignored = &match.Acceptance{Reason: "r"}
	var got []string
	for _, f := range UrgencyOrder(fs) {
		got = append(got, f.ID+" "+string(f.Status))
	}
	want := []string{"GHSA-xxxx-yyyy-zzzz affected", "CVE-2019-5000 affected", "CVE-2021-44228 affected",
		"CVE-2023-0286 under_investigation", "CVE-2018-25032 unknown", "CVE-2021-42374 fixed",
		"CVE-2021-45046 not_affected", "CVE-2022-0001 not_affected", "CVE-2022-0002 not_affected"}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
	if fs[0].ID != "CVE-2021-44228" {
		t.Error("UrgencyOrder reordered its argument")
	}
}

// TestHumanFormatsActAndContext: every human format shows the asset id,
// the location, the next step, each affected finding's action, KEV and
// EPSS on the sample inventory.
func TestHumanFormatsActAndContext(t *testing.T) {
	s := rankedFleetScan(t)
	wants := []string{"ICU-PUMP-01", "Oncology day unit", "install manufacturer update 4.3.0 (CSAF ",
		"no fix: ask Acme Medical Inc. (fixed upstream in requests 2.20.0)", "KEV since 2021-12-10", "EPSS 94% (top 0.1%)"}
	for _, format := range []string{"table", "markdown", "html", "csv"} {
		out := string(render(t, format, s, Options{Details: true, AsOf: s.AsOf}))
		for _, want := range wants {
			if format == "csv" && strings.HasPrefix(want, "EPSS") {
				want = ",0.94358," // a number for spreadsheets
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", format, want)
			}
		}
	}
}

// TestCSVContextColumns: the new columns come at the end, with the
// inventory's values, the outcome, action, KEV date and EPSS score.
func TestCSVContextColumns(t *testing.T) {
	s := rankedFleetScan(t)
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", s, Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	tail := []string{"accepted", "asset_id", "location", "exposure", "safety", "mission", "units", "outcome", "action", "kev", "epss", "next_step", "actor"}
	if !slices.Equal(head[len(head)-len(tail):], tail) || head[0] != "rank" || head[26] != "accepted" {
		t.Fatalf("header %q", head)
	}
	col := func(name string) int { return slices.Index(head, name) }
	found := false
	for _, r := range rows[1:] {
		if r[col("asset_id")] != "ICU-MON-01" || r[col("vulnerability")] != "CVE-2021-44228" {
			continue
		}
		found = true
		got := []string{r[col("location")], r[col("exposure")], r[col("safety")], r[col("mission")], r[col("units")], r[col("kev")], r[col("epss")]}
		want := []string{"ICU", "open", "critical", "mission-failure", "12", "2021-12-10", "0.94358"}
		if !slices.Equal(got, want) {
			t.Errorf("ICU-MON-01 log4j: %q, want %q", got, want)
		}
		if r[col("outcome")] == "" || !strings.HasPrefix(r[col("action")], "no fix: ask ") || !strings.HasPrefix(r[col("next_step")], "install manufacturer update 2.1.0") {
			t.Errorf("outcome %q action %q next step %q", r[col("outcome")], r[col("action")], r[col("next_step")])
		}
	}
	if !found {
		t.Error("no row for log4j on ICU-MON-01")
	}
}

// TestTableFitsWidth: at 80 columns no line of the table (with and
// without --details) is longer; the reasons are cut with "…"; with no
// width everything is printed.
func TestTableFitsWidth(t *testing.T) {
	s := rankedFleetScan(t)
	for _, details := range []bool{false, true} {
		out := string(render(t, "table", s, Options{Details: details, Width: 80, AsOf: s.AsOf}))
		for _, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("details %v: %d columns: %q", details, n, line)
			}
		}
		if !strings.Contains(out, "…") || !strings.Contains(out, "ICU-PUMP-01") {
			t.Errorf("details %v: no … or asset id:\n%s", details, out)
		}
	}
	wide := string(render(t, "table", s, Options{}))
	if strings.Contains(wide, "…") || !strings.Contains(wide, "LOCATION") || !strings.Contains(wide, "Nordlicht Medizintechnik GmbH") {
		t.Errorf("no width: cut or columns missing:\n%s", wide)
	}
	if got := fitText("RadiView Workstation [RAD-WS-01]", 20, middle); got != "RadiView …RAD-WS-01]" || utf8.RuneCountInString(got) != 20 {
		t.Errorf("fitText middle = %q", got)
	}
}

// TestTableDetailsTellsApart: devices sharing a name show their SBOM's
// file name; components sharing a name and version show their place.
func TestTableDetailsTellsApart(t *testing.T) {
	s := statusScan()
	twin := *s.Results[2]
	twinDev := *twin.Device
	twinDev.Path = "other/monitor-b.cdx.json"
	twin.Device, twin.ID = &twinDev, twinDev.Path
	s.Results = append(s.Results, &twin)
	pump := s.Results[0]
	a := &sbom.Component{Name: "libz", Version: "1.2", Ref: "fw/libz", Parent: "firmware"}
	b := &sbom.Component{Name: "libz", Version: "1.2", Ref: "app/libz"}
	pump.Findings = append(pump.Findings,
		&match.Finding{ID: "CVE-2022-9", Status: match.Affected, Component: a},
		&match.Finding{ID: "CVE-2022-9", Status: match.Affected, Component: b})
	out := string(render(t, "table", s, Options{Details: true}))
	for _, want := range []string{"CardioSense X2 (monitor.cdx.xml)", "CardioSense X2 (monitor-b.cdx.json)", "libz 1.2 (in firmware)", "libz 1.2 (ref app/libz)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestLimit: --top and --min-priority list fewer devices in every format;
// the summaries count them all.
func TestLimit(t *testing.T) {
	s := rankedFleetScan(t)
	top := s.Limit(3, "")
	if len(top.Results) != 3 || len(s.Results) != 9 || top.Results[0] != s.Results[0] {
		t.Fatalf("Limit(3): %d of %d", len(top.Results), len(s.Results))
	}
	var doc struct {
		Devices []json.RawMessage `json:"devices"`
		Summary struct {
			Devices int `json:"devices"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", top, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Devices) != 3 || doc.Summary.Devices != 9 {
		t.Errorf("json: %d devices listed, summary %d", len(doc.Devices), doc.Summary.Devices)
	}
	note := "listing the 3 most urgent of 9 devices (--top 3)"
	for _, format := range []string{"table", "markdown", "html"} {
		out := string(render(t, format, top, Options{}))
		if !strings.Contains(out, note) || strings.Contains(out, "GlucoMet") {
			t.Errorf("%s: no note or a device too many", format)
		}
	}
	md := string(render(t, "markdown", top, Options{}))
	if !strings.Contains(md, "9 device(s), 9 with affected findings") {
		t.Errorf("markdown summary does not count all:\n%s", md[:400])
	}
	urgent := s.Limit(0, ssvc.PriorityOutOfCycle)
	for _, r := range urgent.Results {
		if PriorityIndex(r.Priority) > PriorityIndex(ssvc.PriorityOutOfCycle) {
			t.Errorf("min-priority out-of-cycle lists %s at %s", r.ID, r.Priority)
		}
	}
	if len(urgent.Results) == 0 || len(urgent.Results) == len(s.Results) {
		t.Errorf("min-priority out-of-cycle lists %d devices", len(urgent.Results))
	}
	if s.Limit(0, "") != s || s.Limit(20, "").LimitNote() != "" {
		t.Error("a limit that leaves nothing out changes the scan")
	}
}

// TestHTMLFindings: summaries clipped with the full text in <details>,
// purls breakable at / and @, not-affected findings muted without a red
// score.
func TestHTMLFindings(t *testing.T) {
	s := statusScan()
	long := strings.Repeat("A very long NVD description. ", 20)
	findingByID(t, s.Results[0], "CVE-2021-44228").Summary = long
	out := string(render(t, "html", s, testOptions))
	if !strings.Contains(out, "<details><summary><bdi>A very long") || !strings.Contains(out, "…</bdi></summary><bdi>"+long+"</bdi></details>") {
		t.Error("long summary not clipped into <details>")
	}
	if !strings.Contains(out, "pkg:maven/<wbr>org.apache.logging.log4j/<wbr>log4j-core<wbr>@2.14.1") {
		t.Error("purl not breakable")
	}
	i := strings.Index(out, `<a href="https://www.cve.org/CVERecord?id=CVE-2021-45046">`)
	row := out[strings.LastIndex(out[:i], "<tr"):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.HasPrefix(row, `<tr class="muted">`) || strings.Contains(row, "sev-critical") || !strings.Contains(row, "sev-muted") {
		t.Errorf("not-affected row not muted: %s", row)
	}
	if strings.Contains(out, "<script") {
		t.Error("script in the report")
	}
}

// TestHTMLLessUrgentFindings: past the htmlFullFindings most urgent, a
// device's findings are listed as escaped, aligned lines in a closed
// <details>.
func TestHTMLLessUrgentFindings(t *testing.T) {
	s := statusScan()
	pump := s.Results[0]
	evil := &sbom.Component{Name: "<script>alert(1)</script>\u202e", Version: "1"}
	for i := range htmlFullFindings {
		pump.Findings = append(pump.Findings, &match.Finding{ID: "CVE-2030-" + strings.Repeat("1", 4) + string(rune('a'+i%26)),
			Status: match.NotAffected, Component: evil, Justification: "code_not_present"})
	}
	out := string(render(t, "html", s, testOptions))
	n := len(pump.Findings) - htmlFullFindings
	if !strings.Contains(out, `<details class="more"><summary>`+strconv.Itoa(n)+` less urgent finding(s)</summary>`) {
		t.Fatalf("no <details> of %d less urgent findings", n)
	}
	pre := out[strings.Index(out, "<pre>"):strings.Index(out, "</pre>")]
	if got := strings.Count(pre, "\n"); got != n {
		t.Errorf("%d lines in <pre>, want %d", got, n)
	}
	if strings.Contains(pre, "<script") || strings.Contains(pre, "\u202e") || !strings.Contains(pre, "&lt;script&gt;alert(1)&lt;/script&gt;\\u202e 1") {
		t.Errorf("text not escaped in <pre>:\n%s", pre)
	}
	if c := strings.Count(out[:strings.Index(out, "<details class=\"more\">")], "<td class=\"vuln\">"); c != htmlFullFindings {
		t.Errorf("%d full rows before the details, want %d", c, htmlFullFindings)
	}
}
