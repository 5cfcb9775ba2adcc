package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/ssvc"
)

// Who installs the fixes on the disclosed status scan, as room E's
// mds2.Form.Patching words them (one shared value per class, as the
// ranking shares them).
var (
	byManufacturer = &ssvc.Responsibility{Actor: ssvc.ActorManufacturer, Action: "request manufacturer service (MDS2 CSUP-3.2)",
		Evidence: []string{"MDS2 CSUP-3.2: firmware patches need manufacturer service"}}
	byHospital = &ssvc.Responsibility{Actor: ssvc.ActorHospital, Action: "hospital can install the update (MDS2 CSUP-5.1, CSUP-5.2)",
		Evidence: []string{"MDS2 CSUP-5.1: owner installation of updates documented", "MDS2 CSUP-5.2: no manufacturer service needed"}}
	byBoth = &ssvc.Responsibility{Actor: ssvc.ActorBoth, Action: "hospital installs third-party security updates; other patches need manufacturer service (MDS2 CSUP-6.2, CSUP-6.4)",
		Evidence: []string{"MDS2 CSUP-6.2: patches need manufacturer service", "MDS2 CSUP-6.4: third-party security updates without approval"}}
)

// disclosedSources is where the decisions of disclosedScan come from:
// the exposure from the form, the inventory having none.
var disclosedSources = &ssvc.Sources{Exploitation: ssvc.Source{Kind: ssvc.SourceKEV, Detail: "2021-12-10"},
	Automatable: ssvc.Source{Kind: ssvc.SourceCVSS, Detail: v31Critical},
	Exposure:    ssvc.Source{Kind: ssvc.SourceMDS2, Detail: "exposure open (MDS2 CONN-6: requires an internet connection for its intended use)"}}

// disclosedForm is a hand-built MDS2 form of the VitaFlow 3000: the
// answers the reports show, DOC items with text, a reading warning.
func disclosedForm() *mds2.Form {
	return &mds2.Form{Path: "../testdata/mds2/vitaflow-3000.xlsx", Manufacturer: "Acme Medical Inc.", Model: "VitaFlow 3000",
		Version: "4.2.1", Date: "2024-03-01",
		Answers: map[string]mds2.Answer{
			"DOC-1":    {Value: mds2.Unknown, Text: "Acme Medical Inc."},
			"DOC-8":    {Value: mds2.Yes, Text: "Yes"},
			"CSUP-3.2": {Value: mds2.Yes, Text: "Yes"},
			"CSUP-5.1": {Value: mds2.Yes, Text: "Yes"},
			"CSUP-5.2": {Value: mds2.No, Text: "No"},
			"CSUP-6.4": {Value: mds2.NA, Text: "N/A"},
			"CSUP-7":   {Value: mds2.Yes, Text: "Yes", Note: "Security bulletins at https://acme.example/psirt"},
			"CSUP-11":  {Value: mds2.No, Text: "No"},
			"RDMP-3":   {Value: mds2.Unknown, Text: ""},
			"MLDP-2":   {Value: mds2.Yes, Text: "Yes", Note: "Whitelisting agent"},
			"CONN-6":   {Value: mds2.Yes, Text: "Yes"},
		},
		Warnings: []string{`Sheet1!A40: unknown question ID "XYZ-1", kept as written`}}
}

// disclosedScan is the status scan with the pump's disclosure (a form
// named by the inventory, a hardening guide for another version, a
// version warning) when withForm, else an unread form path; its decided
// findings say who installs each fix. The hub has no disclosure and no
// decisions: its findings' actor is unknown.
func disclosedScan(withForm bool) *Scan {
	s := statusScan()
	pump := s.Results[0]
	pump.Disclosure = &match.Disclosure{MDS2Path: "../testdata/mds2/vitaflow-3000.xlsx", MDS2Via: "inventory",
		Guide: &match.HardeningGuide{Ref: "https://acme.example/guides/vitaflow-hardening.pdf", Version: "4.1",
			Review: "hardening guide https://acme.example/guides/vitaflow-hardening.pdf is for version 4.1; the device runs 4.2.1: review the guide's settings for this version"},
		Warnings: []string{"MDS2 form ../testdata/mds2/vitaflow-3000.xlsx is for version 4.2; the device runs 4.2.1"}}
	if withForm {
		pump.Disclosure.MDS2 = disclosedForm()
		c := ssvc.DefaultContext()
		c.Exposure, c.Defaulted = ssvc.ExposureOpen, c.Defaulted[1:]
		c.Disclosed = []string{disclosedSources.Exposure.Detail}
		pump.Context = c
	}
	for id, resp := range map[string]*ssvc.Responsibility{"CVE-2021-44228": byHospital, "CVE-2019-5000": byManufacturer, "GHSA-xxxx-yyyy-zzzz": byBoth} {
		f := findingByIDIn(pump, id)
		f.Decision = &ssvc.Decision{Exploitation: ssvc.ExploitationActive, Automatable: true, Exposure: ssvc.ExposureOpen,
			HumanImpact: ssvc.HumanVeryHigh, Outcome: ssvc.OutcomeImmediate, Action: actionOf(f), Score: 90, Sources: disclosedSources,
			Responsibility: resp}
	}
	return s
}

func findingByIDIn(r *match.DeviceResult, id string) *match.Finding {
	for _, f := range r.Findings {
		if f.ID == id {
			return f
		}
	}
	panic("no finding " + id)
}

// TestFindingActor: the actor of each kind of finding.
func TestFindingActor(t *testing.T) {
	s := disclosedScan(false)
	pump, hub := s.Results[0], s.Results[1]
	accepted := *findingByIDIn(pump, "CVE-2019-5000")
	accepted.Ignored = &match.Acceptance{Reason: "isolated VLAN"}
	for _, c := range []struct {
		f    *match.Finding
		want ssvc.Actor
	}{
		{findingByIDIn(pump, "CVE-2021-44228"), ssvc.ActorHospital},
		{findingByIDIn(pump, "CVE-2019-5000"), ssvc.ActorManufacturer},
		{findingByIDIn(pump, "GHSA-xxxx-yyyy-zzzz"), ssvc.ActorBoth},
		{findingByIDIn(hub, "CVE-2023-39325"), ssvc.ActorUnknown}, // no form, not ranked
		{&match.Finding{Status: match.Affected, Decision: &ssvc.Decision{}}, ssvc.ActorUnknown},
		{findingByIDIn(pump, "CVE-2021-45046"), ""}, // not affected
		{findingByIDIn(pump, "CVE-2018-25032"), ""}, // unknown status
		{&accepted, ""},
	} {
		if got := FindingActor(c.f); got != c.want {
			t.Errorf("%s: actor %q, want %q", c.f.ID, got, c.want)
		}
	}
}

// TestFindingActionNamesInstaller: an update, or an ask for one, says who
// installs it; a mitigation and an isolation do not change; a finding
// without a form's answer reads as before.
func TestFindingActionNamesInstaller(t *testing.T) {
	s := disclosedScan(false)
	pump, hub := s.Results[0], s.Results[1]
	ask := *findingByIDIn(hub, "CVE-2023-39325")
	ask.Decision = &ssvc.Decision{Action: ssvc.ActionAskManufacturer, Responsibility: byManufacturer}
	for _, c := range []struct {
		r    *match.DeviceResult
		f    *match.Finding
		want string
	}{
		{pump, findingByIDIn(pump, "CVE-2021-44228"), "install manufacturer update: Install firmware 4.3.0 (https://acme.example/psirt/4.3.0); hospital can install the update (MDS2 CSUP-5.1, CSUP-5.2)"},
		{hub, &ask, "no fix: ask Acme Medical Inc. (fixed upstream in golang.org/x/net 0.17.0); request manufacturer service (MDS2 CSUP-3.2)"},
		{pump, findingByIDIn(pump, "GHSA-xxxx-yyyy-zzzz"), "mitigate: Disable the web UI"},
		{pump, findingByIDIn(pump, "CVE-2019-5000"), "isolate or replace: no fix planned (Replace the device)"},
		{hub, findingByIDIn(hub, "CVE-2023-39325"), "no fix: ask Acme Medical Inc. (fixed upstream in golang.org/x/net 0.17.0)"},
	} {
		if got := FindingAction(c.r, c.f); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.f.ID, got, c.want)
		}
	}
}

// TestDisclosureJSON: the device's mds2, hardening_guide and
// disclosure_warnings, and each affected finding's actor and
// actor_action, as the contract writes them; valid against the schema;
// the hand encoder and encoding/json agree on the device.
func TestDisclosureJSON(t *testing.T) {
	s := disclosedScan(true)
	var buf bytes.Buffer
	if err := JSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	sch := compileSchema(t, ScanSchemaID, map[string]string{ScanSchemaID: filepath.Join("schema", "scan.schema.json")}, true)
	if err := validate(t, sch, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	var doc scanJSON
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	pump, hub := doc.Devices[0], doc.Devices[1]
	m := pump.MDS2
	if m == nil || m.Path != "../testdata/mds2/vitaflow-3000.xlsx" || m.Via != "inventory" || m.Manufacturer != "Acme Medical Inc." ||
		m.Model != "VitaFlow 3000" || m.Version != "4.2.1" || m.Date != "2024-03-01" || len(m.Warnings) != 1 {
		t.Fatalf("mds2 %+v", m)
	}
	wantAnswers := map[string]string{"DOC-8": "yes", "CSUP-3.2": "yes", "CSUP-5.1": "yes", "CSUP-5.2": "no", "CSUP-6.4": "na",
		"CSUP-7": "yes", "CSUP-11": "no", "RDMP-3": "unknown", "MLDP-2": "yes", "CONN-6": "yes"}
	if len(m.Answers) != len(wantAnswers) {
		t.Errorf("answers %v, want %v (DOC-1's text left out)", m.Answers, wantAnswers)
	}
	for id, v := range wantAnswers {
		if m.Answers[id] != v {
			t.Errorf("answer %s = %q, want %q", id, m.Answers[id], v)
		}
	}
	if g := pump.HardeningGuide; g == nil || g.Version != "4.1" || !strings.Contains(g.Review, "review the guide") {
		t.Errorf("hardening_guide %+v", g)
	}
	if len(pump.DisclosureWarnings) != 1 || !strings.Contains(pump.DisclosureWarnings[0], "is for version 4.2") {
		t.Errorf("disclosure_warnings %q", pump.DisclosureWarnings)
	}
	if hub.MDS2 != nil || hub.HardeningGuide != nil || hub.DisclosureWarnings != nil {
		t.Errorf("hub without a disclosure: %+v %+v %q", hub.MDS2, hub.HardeningGuide, hub.DisclosureWarnings)
	}
	actors := map[string][2]string{}
	for _, d := range doc.Devices {
		for _, f := range d.Findings {
			actors[f.ID] = [2]string{f.Actor, f.ActorAction}
		}
	}
	for id, want := range map[string][2]string{
		"CVE-2021-44228":      {"hospital", byHospital.Action},
		"CVE-2019-5000":       {"manufacturer", byManufacturer.Action},
		"GHSA-xxxx-yyyy-zzzz": {"both", byBoth.Action},
		"CVE-2023-39325":      {"unknown", ""},
		"CVE-2021-45046":      {"", ""},
	} {
		if actors[id] != want {
			t.Errorf("%s: actor %q, want %q", id, actors[id], want)
		}
	}
	var e deviceEncoder
	for _, r := range s.Results {
		want, _ := json.MarshalIndent(toDeviceJSON(r), devicePrefix, deviceIndent)
		if got, _ := e.appendDevice(nil, r); !bytes.Equal(got, want) {
			t.Errorf("%s: the hand encoder differs from encoding/json:\n got %s\nwant %s", r.ID, got, want)
		}
	}
	// The form's path: the inventory's when it named one, else the file.
	s.Results[0].Disclosure.MDS2Path, s.Results[0].Disclosure.MDS2Via = "", "match"
	if mj := toMDS2JSON(s.Results[0].Disclosure); mj.Path != disclosedForm().Path || mj.Via != "match" {
		t.Errorf("a matched form: path %q via %q", mj.Path, mj.Via)
	}
}

// TestCSVAndSARIFActor: the CSV's last column and SARIF's result
// property say who installs each affected finding's fix; nothing for the
// others.
func TestCSVAndSARIFActor(t *testing.T) {
	s := disclosedScan(false)
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", s, Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][len(rows[0])-1] != "actor" {
		t.Fatalf("last column %q", rows[0][len(rows[0])-1])
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[9]] = r[len(r)-1]
	}
	for id, want := range map[string]string{"CVE-2021-44228": "hospital", "CVE-2019-5000": "manufacturer", "GHSA-xxxx-yyyy-zzzz": "both",
		"CVE-2023-39325": "unknown", "CVE-2021-45046": "", "CVE-2018-25032": "", "": ""} {
		if got[id] != want {
			t.Errorf("csv %s: actor %q, want %q", id, got[id], want)
		}
	}
	var out sarifOut
	if err := json.Unmarshal(render(t, "sarif", s, testOptions), &out); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, res := range out.Runs[0].Results {
		actor, has := res.Properties["actor"]
		switch res.RuleID {
		case "CVE-2021-44228", "CVE-2019-5000", "GHSA-xxxx-yyyy-zzzz", "CVE-2023-39325":
			seen++
			if actor != got[res.RuleID] {
				t.Errorf("sarif %s: actor %v, want %q", res.RuleID, actor, got[res.RuleID])
			}
		default:
			if has {
				t.Errorf("sarif %s (not affected): actor %v", res.RuleID, actor)
			}
		}
	}
	if seen != 4 {
		t.Errorf("%d affected SARIF results", seen)
	}
}

// TestResponsibilityViewWithoutForm: a device whose form could not be
// read still shows its hardening guide (with the review), who acts for
// each finding that has an answer, and the disclosure's warnings, in the
// table (--details), Markdown and HTML; a device without a disclosure
// and without answers shows no view at all.
func TestResponsibilityViewWithoutForm(t *testing.T) {
	s := disclosedScan(false)
	wants := []string{
		"MDS2 form ../testdata/mds2/vitaflow-3000.xlsx could not be read",
		"the hospital can do now", "patch CVE-2021-44228: hospital can install the update (MDS2 CSUP-5.1, CSUP-5.2)",
		"patch GHSA-xxxx-yyyy-zzzz (no fix yet): hospital installs third-party security updates",
		"ask the manufacturer", "CVE-2019-5000 (no fix yet): request manufacturer service (MDS2 CSUP-3.2)",
		"MDS2 CSUP-3.2: firmware patches need manufacturer service", "MDS2 CSUP-6.4: third-party security updates without approval",
		"https://acme.example/guides/vitaflow-hardening.pdf (for version 4.1)", "review the guide's settings for this version",
		"MDS2 form ../testdata/mds2/vitaflow-3000.xlsx is for version 4.2; the device runs 4.2.1",
	}
	for _, format := range []string{"table", "markdown", "html"} {
		out := string(render(t, format, s, Options{Details: true, AsOf: asOf}))
		if format == "html" {
			out = strings.NewReplacer("<bdi>", "", "</bdi>", "", "&#39;", "'", "&#43;", "+").Replace(out)
		}
		if format == "markdown" {
			out = strings.NewReplacer(`\_`, "_", `\[`, "[", `\]`, "]").Replace(out)
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", format, want)
			}
		}
		if n := strings.Count(out, "could not be read"); n != 1 {
			t.Errorf("%s: %d responsibility views, want the pump's only", format, n)
		}
	}
	// Without any disclosure nor answer: the reports are those of before.
	plain := statusScan()
	for _, format := range []string{"table", "markdown", "html"} {
		out := string(render(t, format, plain, Options{Details: true, AsOf: asOf}))
		if strings.Contains(strings.ToLower(out), "responsibility") && format != "html" {
			t.Errorf("%s shows a responsibility view for devices without a disclosure", format)
		}
		if format == "html" && strings.Contains(out, `<div class="resp">`) {
			t.Error("html shows a responsibility view for devices without a disclosure")
		}
	}
}

// TestResponsibilityViewUnknown: a device with a disclosure (a guide) but
// no form says who installs its fixes is unknown, asking the
// manufacturer, for every affected finding.
func TestResponsibilityViewUnknown(t *testing.T) {
	s := statusScan()
	hub := s.Results[1]
	hub.Disclosure = &match.Disclosure{Guide: &match.HardeningGuide{Ref: "guides/hub.pdf"}}
	out := string(render(t, "table", s, Options{Details: true}))
	for _, want := range []string{"responsibility: no MDS2 form attached: who can install updates is unknown",
		"- who installs the fix of CVE-2023-39325 is unknown (no MDS2 form): ask the manufacturer", "hardening guide:", "- guides/hub.pdf\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestIDList: a line of the view names the first ids and counts the rest.
func TestIDList(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	if got := idList(ids); got != "a, b, c, d, e, f (+2 more)" {
		t.Errorf("idList = %q", got)
	}
	if got := idList(ids[:2]); got != "a, b" {
		t.Errorf("idList = %q", got)
	}
	if !slices.Equal(ids[:2], []string{"a", "b"}) {
		t.Error("idList changed its argument")
	}
}

// TestDisclosedGolden writes the disclosed status scan (the pump with its
// MDS2 form, guide and warnings; decisions naming who installs) in the
// formats that show the disclosure, compared with
// report/testdata/disclosed.<format>.golden (go test ./report -update).
func TestDisclosedGolden(t *testing.T) {
	for _, name := range []string{"table-details", "markdown", "html", "json", "csv", "sarif"} {
		t.Run(name, func(t *testing.T) {
			format, o := name, testOptions
			if name == "table-details" {
				format, o.Details = "table", true
			}
			got := render(t, format, disclosedScan(true), o)
			golden := filepath.Join("testdata", "disclosed."+name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (rerun with -update after checking the change)", golden)
			}
		})
	}
}

// TestWrapLong: a word longer than the width is cut into lines of the
// width, the others wrapped at spaces; nothing is lost.
func TestWrapLong(t *testing.T) {
	url := "https://example.com/" + strings.Repeat("a", 50)
	got := wrapLong("guide "+url+" for 4.1", 30)
	want := []string{"guide", url[:30], url[30:60], url[60:], "for 4.1"}
	if !slices.Equal(got, want) {
		t.Errorf("wrapLong = %q, want %q", got, want)
	}
	if got := wrapLong(url, 0); !slices.Equal(got, []string{url}) {
		t.Errorf("no width: %q", got)
	}
}

// TestDeviceActor: one word per device from its findings' actors, and the
// table's WHO ACTS column only when a device of the scan has a form.
func TestDeviceActor(t *testing.T) {
	s := disclosedScan(true)
	pump, hub := s.Results[0], s.Results[1]
	if got := DeviceActor(pump); got != "both" { // hospital, manufacturer and both
		t.Errorf("pump: %q, want both", got)
	}
	if got := DeviceActor(hub); got != "unknown" {
		t.Errorf("hub without a form: %q, want unknown", got)
	}
	hospitalOnly := *pump
	hospitalOnly.Findings = []*match.Finding{findingByIDIn(pump, "CVE-2021-44228")}
	if got := DeviceActor(&hospitalOnly); got != "hospital" {
		t.Errorf("one hospital finding: %q", got)
	}
	mixed := hospitalOnly
	mixed.Findings = append(mixed.Findings, &match.Finding{Status: match.Affected, Decision: &ssvc.Decision{}})
	if got := DeviceActor(&mixed); got != "mixed" {
		t.Errorf("hospital and unknown: %q, want mixed", got)
	}
	none := hospitalOnly
	none.Findings = []*match.Finding{findingByIDIn(pump, "CVE-2021-45046")}
	if got := DeviceActor(&none); got != "" {
		t.Errorf("no finding counts: %q", got)
	}
	var with, without bytes.Buffer
	if err := Table(&with, s, false); err != nil {
		t.Fatal(err)
	}
	s.Results = s.Results[1:] // the hub alone: no form in the scan
	if err := Table(&without, s, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(with.String(), "WHO ACTS") || strings.Contains(without.String(), "WHO ACTS") {
		t.Errorf("WHO ACTS column: with a form\n%s\nwithout\n%s", with.String(), without.String())
	}
}
