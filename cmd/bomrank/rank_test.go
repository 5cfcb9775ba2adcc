package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
		}
		Findings []struct {
			ID, Status, Outcome, Action string
			SSVC                        *struct {
				Exploitation, Exposure, Outcome string
				Automatable                     bool
				HumanImpact                     string `json:"human_impact"`
				Score                           float64
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
		// Scheduled devices by score. The VitaFlow pumps: nothing
		// exploited, scheduled in every context; the VitaFlow CSAF and OpenVEX
		// puts PyYAML's CVSS 9.8 CVE-2020-14343 out of the score, so
		// only the ward's 30 units keep WARD-PUMP-02 above RadiView;
		// the other two pumps (12, 8 units) fall below it.
		"WARD-PUMP-02", "RAD-WS-01", "ICU-PUMP-01", "ONC-PUMP-03",
		// GlucoMet, then AeroCare (its FreeRTOS, named by a CSAF
		// relationship, is automatable; small exposure, very high
		// human impact: none/small/yes -> scheduled).
		"LAB-GLU-01", "ICU-VENT-01",
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
	if !slices.Contains(card.Reasons, "safety impact critical (default: safety_impact empty in the inventory)") ||
		!slices.Contains(card.Reasons, "exploitation active: CVE-2021-44228 in KEV since 2021-12-10, known ransomware use") {
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
	// and the score orders them: its units term puts LAB-C (5 units)
	// first, then LAB-A and LAB-B (2 units, segmented = controlled: equal
	// in everything) by id, then LAB-DEFAULT (1 unit; its defaulted high
	// human impact does not enter the score).
	if want := []string{"LAB-C", "LAB-A", "LAB-B", "LAB-DEFAULT"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	a, b := out.Devices[1], out.Devices[2]
	if a.Score != b.Score || a.Priority != b.Priority || a.Context.Exposure != "controlled" {
		t.Errorf("LAB-A %+v, LAB-B %+v: not a tie", a, b)
	}
	def := out.Devices[3]
	if def.Priority != "scheduled" || !slices.Contains(def.Reasons, "human impact high: safety critical, mission crippled") {
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
