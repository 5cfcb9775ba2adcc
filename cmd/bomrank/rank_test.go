package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/ssvc"
)

type rankedJSON struct {
	Devices []struct {
		ID, Name, Priority string
		Rank               int
		Score              float64
		Reasons            []string
		Context            struct {
			AssetID   string `json:"asset_id"`
			Exposure  string
			Safety    string `json:"safety_impact"`
			Mission   string `json:"mission_impact"`
			Units     int
			Defaulted []string
			Sources   map[string]struct{ Source, Detail string }
		}
		Findings []struct {
			ID, Status, Outcome, Action string
			SSVC                        *struct {
				Exploitation, Exposure, Outcome string
				Automatable                     bool
				HumanImpact                     string `json:"human_impact"`
				Score                           float64
				Reasons                         []string
				Sources                         map[string]struct{ Source, Detail string }
			}
			Severity struct {
				Rating       string
				RatingSource string `json:"rating_source"`
			}
			KEV *struct {
				DateAdded string `json:"date_added"`
			}
		}
	}
	Errors []struct{ Path, Error string }
	Feeds  struct {
		KEV      string `json:"kev_catalog_version"`
		EPSSDate string `json:"epss_score_date"`
		AsOf     string `json:"as_of"`
	}
}

func runRanked(t *testing.T, wantCode int, args ...string) rankedJSON {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"scan", "-q", "-f", "json", "--as-of", "2026-01-02", "-a", feedsDir}, args...)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d; stderr %s", code, wantCode, stderr)
	}
	var out rankedJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRankSampleFleet ranks the sample fleet's inventory with the KEV and
// EPSS files of testdata/feeds; every asset's priority is derived here from
// the tables (see the comments), and each device's priority is
// checked against the outcomes of its findings.
func TestRankSampleFleet(t *testing.T) {
	out := runRanked(t, exitOK, "--inventory", filepath.Join(fleetDir, "assets.csv"))
	if out.Feeds.KEV != "2025.02.25" || out.Feeds.EPSSDate != "2025-03-17T12:55:00Z" || out.Feeds.AsOf != "2026-01-02" {
		t.Errorf("feeds %+v", out.Feeds)
	}
	if len(out.Errors) != 0 {
		t.Errorf("errors %v", out.Errors)
	}
	var order []string
	for i, d := range out.Devices {
		order = append(order, d.ID)
		if d.Rank != i+1 || d.Context.AssetID != d.ID {
			t.Errorf("%s: rank %d at %d, context %+v", d.ID, d.Rank, i+1, d.Context)
		}
		top := string(ssvc.PriorityNone)
		for _, f := range d.Findings {
			if f.Status != "affected" {
				continue
			}
			s := f.SSVC
			if s == nil || f.Outcome != s.Outcome || f.Action == "" {
				t.Fatalf("%s %s: no decision", d.ID, f.ID)
			}
			if s.Outcome != string(ssvc.OutcomeOf(ssvc.Exploitation(s.Exploitation), ssvc.Exposure(s.Exposure), s.Automatable, ssvc.HumanImpact(s.HumanImpact))) {
				t.Errorf("%s %s: outcome %s off the table", d.ID, f.ID, s.Outcome)
			}
			if s.HumanImpact != string(ssvc.HumanImpactOf(ssvc.Safety(d.Context.Safety), ssvc.Mission(d.Context.Mission))) {
				t.Errorf("%s: human impact %s", d.ID, s.HumanImpact)
			}
			if (f.KEV != nil) != (s.Exploitation == "active") {
				t.Errorf("%s %s: KEV %v but exploitation %s", d.ID, f.ID, f.KEV, s.Exploitation)
			}
			if top == string(ssvc.PriorityNone) || slices.Index(report.Priorities, ssvc.Priority(s.Outcome)) < slices.Index(report.Priorities, ssvc.Priority(top)) {
				top = s.Outcome
			}
		}
		if d.Priority != top {
			t.Errorf("%s: priority %s, most urgent finding %s", d.ID, d.Priority, top)
		}
	}
	want := []string{
		// CardioSense, log4j in KEV, automatable. Open, critical x
		// mission-failure = very high: active/open/yes -> immediate.
		"ICU-MON-01",
		// Controlled, safety defaulted critical x mef-failure = high:
		// active/controlled/yes -> out-of-cycle.
		"CARD-MON-02",
		// Scheduled devices by score, human impact (safety first)
		// leading. The ICU pump (catastrophic x mission-failure = very
		// high, safety 3: 12 points) and the ICU ventilator (the same
		// human impact; its FreeRTOS, named by a CSAF relationship, is
		// automatable; small exposure: none/small/yes -> scheduled), then
		// the ward pump (critical x mef-failure = high: 8) above the
		// oncology pump (critical, mission defaulted crippled = high,
		// fewer units, small exposure), then RadiView (marginal x
		// crippled = low: 1, although open and 4 units) above the
		// GlucoMet (marginal x degraded = low, controlled).
		"ICU-PUMP-01", "ICU-VENT-01", "WARD-PUMP-02", "ONC-PUMP-03", "RAD-WS-01", "LAB-GLU-01",
		// Bedside Hub: negligible x crippled = low, not automatable,
		// open -> defer.
		"WARD-HUB-01",
	}
	if !slices.Equal(order, want) {
		t.Errorf("order %v\nwant  %v", order, want)
	}
	prio := map[string]string{}
	for _, d := range out.Devices {
		prio[d.ID] = d.Priority
	}
	for id, p := range map[string]string{"ICU-MON-01": "immediate", "CARD-MON-02": "out-of-cycle", "ICU-PUMP-01": "scheduled", "WARD-HUB-01": "defer", "ICU-VENT-01": "scheduled"} {
		if prio[id] != p {
			t.Errorf("%s: %s, want %s", id, prio[id], p)
		}
	}
	card := out.Devices[1]
	if !slices.Contains(card.Reasons, "patient-safety impact: critical (default: safety_impact empty in the inventory), mission impact: an essential function fails (inventory)") ||
		!slices.Contains(card.Reasons, "actively exploited (CISA KEV since 2021-12-10, used by ransomware)") {
		t.Errorf("CARD-MON-02 reasons %q", card.Reasons)
	}
	if hub := out.Devices[8]; hub.Context.Units != 1 || hub.Score >= 25 {
		t.Errorf("WARD-HUB-01 %+v", hub)
	}
}

// TestRankTiesDefaultsBadRows: assets equal in all but units and id are
// ordered by units, then id; empty cells take the defaults; a bad row and
// a row whose SBOM cannot be read are named errors (exit 3) and the other
// rows are still ranked.
func TestRankTiesDefaultsBadRows(t *testing.T) {
	inv := filepath.Join("testdata", "inventory-ties.csv")
	out := runRanked(t, exitPartial, "--inventory", inv)
	var order []string
	for _, d := range out.Devices {
		order = append(order, d.ID)
	}
	// body-parser's CVE-2024-45590 is automatable: controlled/yes is
	// scheduled at every human impact (SSSS), so all four are scheduled
	// and the score orders them: LAB-DEFAULT's defaulted critical x
	// crippled (high human impact) leads the marginal x degraded (low)
	// rest, then the units term puts LAB-C (5 units) above LAB-A and
	// LAB-B (2 units, segmented = controlled: equal in everything), by id.
	if want := []string{"LAB-DEFAULT", "LAB-C", "LAB-A", "LAB-B"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	a, b := out.Devices[2], out.Devices[3]
	if a.Score != b.Score || a.Priority != b.Priority || a.Context.Exposure != "controlled" {
		t.Errorf("LAB-A %+v, LAB-B %+v: not a tie", a, b)
	}
	def := out.Devices[0]
	if def.Priority != "scheduled" || !slices.Contains(def.Reasons, "patient-safety impact: critical (default: safety_impact empty in the inventory), mission impact: crippled (default: mission_impact empty in the inventory)") {
		t.Errorf("LAB-DEFAULT %s %q", def.Priority, def.Reasons)
	}
	if def.Context.Exposure != "controlled" || def.Context.Safety != "critical" || def.Context.Mission != "crippled" || def.Context.Units != 1 || len(def.Context.Defaulted) != 4 {
		t.Errorf("defaults %+v", def.Context)
	}
	var errs []string
	for _, e := range out.Errors {
		errs = append(errs, e.Path+": "+e.Error)
	}
	want := []string{
		inv + `: line 6: asset LAB-BAD: exposure "dmz"`,
		inv + ": line 7: asset LAB-GONE: SBOM ",
	}
	found := 0
	for _, w := range want {
		for _, e := range errs {
			if strings.HasPrefix(e, w) {
				found++
				break
			}
		}
	}
	if found != len(want) {
		t.Errorf("errors %q, want %q", errs, want)
	}
}

// TestFailOnHelp: the help offers the priorities bomrank produces, not the
// retired "unassessed" (still accepted, see TestFailOn and
// report.TestFailOnUnassessed).
func TestFailOnHelp(t *testing.T) {
	_, stdout, stderr := runCLI(t, "scan", "--help")
	help := stdout + stderr
	if !strings.Contains(help, "PRIORITY (immediate, out-of-cycle, scheduled, defer)") || strings.Contains(help, "unassessed") {
		t.Errorf("scan --help:\n%s", help)
	}
}

// TestRankSafetyLeads: on the sample inventory the ICU infusion pump
// (catastrophic safety, mission failure) ranks above the radiology
// workstation (marginal safety), which is more exposed (open) and has
// as many findings; each finding names where its decision came from.
func TestRankSafetyLeads(t *testing.T) {
	out := runRanked(t, exitOK, "--inventory", filepath.Join(fleetDir, "assets.csv"))
	pos := map[string]int{}
	for _, d := range out.Devices {
		pos[d.ID] = d.Rank
	}
	if pos["ICU-PUMP-01"] == 0 || pos["ICU-PUMP-01"] > pos["RAD-WS-01"] {
		t.Errorf("ICU-PUMP-01 rank %d, RAD-WS-01 rank %d", pos["ICU-PUMP-01"], pos["RAD-WS-01"])
	}
	kinds := map[string]map[string]bool{}
	for _, d := range out.Devices {
		for _, f := range d.Findings {
			if f.SSVC == nil {
				continue
			}
			for point, src := range f.SSVC.Sources {
				if kinds[point] == nil {
					kinds[point] = map[string]bool{}
				}
				kinds[point][src.Source] = true
			}
			if exp := f.SSVC.Sources["exploitation"]; (exp.Source == "kev") != (f.KEV != nil) || (f.KEV != nil && exp.Detail != f.KEV.DateAdded) {
				t.Errorf("%s %s: exploitation source %+v, KEV %+v", d.ID, f.ID, exp, f.KEV)
			}
		}
		for point, src := range d.Context.Sources {
			if kinds[point] == nil {
				kinds[point] = map[string]bool{}
			}
			kinds[point][src.Source] = true
		}
		if d.ID == "CARD-MON-02" && (d.Context.Sources["safety_impact"].Source != "default" || d.Context.Sources["mission_impact"] != struct{ Source, Detail string }{"inventory", "mission_impact"}) {
			t.Errorf("CARD-MON-02: context sources %+v", d.Context.Sources)
		}
	}
	for point, want := range map[string][]string{
		"exploitation": {"kev", "none"}, "automatable": {"cvss"}, "exposure": {"inventory"},
		"safety_impact": {"inventory", "default"}, "mission_impact": {"inventory", "default"},
	} {
		for _, k := range want {
			if !kinds[point][k] {
				t.Errorf("no %s source of kind %s in the fleet: %v", point, k, kinds[point])
			}
		}
	}
}

// TestRankAsOfBeforeKEV: --as-of 2020-01-01 is before every KEV entry and
// EPSS score of testdata/feeds: no finding is exploited, none has kev or
// epss, and no reason says "KEV since".
func TestRankAsOfBeforeKEV(t *testing.T) {
	code, stdout, stderr := runCLI(t, "scan", "-q", "-f", "json", "--as-of", "2020-01-01", "-a", feedsDir, "--inventory", filepath.Join(fleetDir, "assets.csv"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out rankedJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout, "KEV since") || strings.Contains(stdout, `"kev": {`) || strings.Contains(stdout, `"epss": {`) {
		t.Errorf("KEV or EPSS used before its date")
	}
	findings := 0
	for _, d := range out.Devices {
		for _, f := range d.Findings {
			if f.SSVC == nil {
				continue
			}
			findings++
			if f.SSVC.Exploitation == "active" || f.SSVC.Sources["exploitation"].Source == "kev" {
				t.Errorf("%s %s: exploitation %s from %+v", d.ID, f.ID, f.SSVC.Exploitation, f.SSVC.Sources["exploitation"])
			}
		}
	}
	if findings == 0 || out.Devices[0].Priority == "immediate" {
		t.Errorf("%d decided findings; top device %s %s", findings, out.Devices[0].ID, out.Devices[0].Priority)
	}
}

// TestFailOnUnknownSeverity: traefik against the real Go advisories of
// ../shared/osv/slice (none carries a CVSS vector or a rating) reaches
// --fail-on high, its findings counting as unknown at the top of the
// scale; --fail-on-unknown=false leaves them out. A GHSA record's own
// rating counts (MODERATE reaches medium, not high), and so does a KEV
// entry (at least high).
func TestFailOnUnknownSeverity(t *testing.T) {
	traefik := sharedtest.Path(t, "sboms", "software", "traefik-rkvst-syft", "traefik-cdx.xml")
	osv := sharedtest.Path(t, "osv", "slice")
	code, _, stderr := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "--fail-on", "high", "-a", osv, "-f", "json", traefik)
	if code != exitFail || !strings.Contains(stderr, "reach --fail-on high: traefik") {
		t.Errorf("traefik --fail-on high: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "--fail-on", "high", "--fail-on-unknown=false", "-a", osv, traefik); code != exitOK {
		t.Errorf("traefik --fail-on high --fail-on-unknown=false: exit %d, stderr %q", code, stderr)
	}
	dir := t.TempDir()
	ghsa, err := os.ReadFile(filepath.Join(feedsDir, "osv", "GHSA-qwph-4952-7xr6.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "GHSA-qwph-4952-7xr6.json"), ghsa, 0o644)
	sbomPath := filepath.Join(dir, "app.cdx.json")
	os.WriteFile(sbomPath, []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"App"}},
	  "components":[{"type":"library","name":"jsonwebtoken","version":"8.5.1","purl":"pkg:npm/jsonwebtoken@8.5.1"}]}`), 0o644)
	for _, tt := range []struct {
		level string
		extra []string
		want  int
	}{
		{"medium", nil, exitFail},
		{"high", nil, exitOK},
		{"high", []string{"-a", filepath.Join(dir, "kev.json")}, exitFail},
	} {
		args := append([]string{"scan", "-q", "--as-of", "2026-01-02", "--fail-on", tt.level, "-a", filepath.Join(dir, "GHSA-qwph-4952-7xr6.json")}, tt.extra...)
		code, stdout, stderr := runCLI(t, append(args, "-f", "json", sbomPath)...)
		if code != tt.want {
			t.Errorf("GHSA MODERATE --fail-on %s %v: exit %d, want %d (%s)", tt.level, tt.extra, code, tt.want, stderr)
		}
		if !strings.Contains(stdout, `"rating": "medium",`) || !strings.Contains(stdout, `"rating_source": "ghsa"`) {
			t.Errorf("no GHSA rating in %s", stdout)
		}
		if len(tt.extra) == 0 {
			os.WriteFile(filepath.Join(dir, "kev.json"), []byte(kevFor(t, stdout)), 0o644)
		}
	}
}

// kevFor is a KEV catalog holding the CVE of the first finding of a JSON
// report.
func kevFor(t *testing.T, report string) string {
	t.Helper()
	var out rankedJSON
	if err := json.Unmarshal([]byte(report), &out); err != nil || len(out.Devices) == 0 || len(out.Devices[0].Findings) == 0 {
		t.Fatalf("no finding in %s (%v)", report, err)
	}
	return `{"catalogVersion":"2025.02.25","vulnerabilities":[{"cveID":"` + out.Devices[0].Findings[0].ID + `","dateAdded":"2024-01-01"}]}`
}
