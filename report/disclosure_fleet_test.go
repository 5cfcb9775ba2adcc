package report

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
)

// fleetForms names the form of testdata/mds2 of each device of the sample
// fleet, by device name.
var fleetForms = map[string]string{
	"VitaFlow 3000":        "acme-vitaflow-3000.xlsx",
	"CardioSense X2":       "nordlicht-cardiosense-x2.xlsx",
	"RadiView Workstation": "helix-radiview.xlsx",
	"AeroCare V5":          "brightwater-aerocare-v5.csv",
	"GlucoMet G7":          "meridian-glucomet-g7.xlsx",
	"Bedside Hub":          "acme-bedside-hub.xlsx",
}

// disclosedFleetScan is rankedFleetScan with the forms of testdata/mds2
// attached to their devices as an inventory's mds2 column attaches them
// (each form read once), and a hardening guide for version 4.1 on the
// VitaFlow pumps (which run 4.2.1), ranked with their effects.
func disclosedFleetScan(t testing.TB) *Scan {
	t.Helper()
	root := filepath.Join("..", "testdata")
	ctx := context.Background()
	feeds := advisory.Load(ctx, filepath.Join(root, "feeds"))
	inv, err := inventory.Load(filepath.Join(root, "fleet", "assets.csv"))
	if err != nil || len(inv.Errors) > 0 {
		t.Fatalf("inventory: %v %v", err, inv.Errors)
	}
	res := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(root, "fleet"))
	m := &match.Matcher{Index: index.New(feeds.Advisories)}
	scanned, failed, err := m.Scan(ctx, res.Devices)
	if err != nil || len(failed) > 0 {
		t.Fatalf("scan: %v %v", err, failed)
	}
	results, missing := rank.Assign(scanned, inv.Assets)
	if len(missing) > 0 {
		t.Fatalf("missing %v", missing)
	}
	forms := map[string]*mds2.Form{}
	for _, r := range results {
		name := fleetForms[r.Device.Name]
		if name == "" {
			t.Fatalf("no form for %s", r.Device.Name)
		}
		path := filepath.Join(root, "mds2", name)
		if forms[path] == nil {
			if forms[path], err = mds2.ParseFile(path); err != nil {
				t.Fatal(err)
			}
		}
		r.Disclosure = &match.Disclosure{MDS2: forms[path], MDS2Path: path, MDS2Via: "inventory"}
		if r.Device.Name == "VitaFlow 3000" {
			r.Disclosure.Guide = &match.HardeningGuide{Ref: "https://example.com/acme/vitaflow-3000-hardening.pdf", Version: "4.1"}
		}
	}
	asOf := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	x := rank.NewExploits(feeds.KEV, feeds.EPSS)
	rank.Options{Exploits: x, AsOf: asOf}.Rank(results)
	return &Scan{Results: results, Advisories: len(feeds.Advisories), Feeds: x.Feeds(), AsOf: asOf}
}

// TestFleetResponsibility is the "done when" on the sample fleet
// with its forms attached and ranked: for every affected device the
// responsibility view names who acts for each of its affected findings
// (every finding in exactly one line, or two for both), with the answers
// behind it, in the table (--details), Markdown and HTML; the JSON's
// actors are those of the forms (RadiView hospital, VitaFlow, AeroCare
// and Bedside Hub manufacturer, GlucoMet both, the drifted CardioSense
// form unknown) and it validates against the schema.
func TestFleetResponsibility(t *testing.T) {
	s := disclosedFleetScan(t)
	for _, r := range s.Results {
		v := responsibilityOfDevice(r)
		if v == nil {
			t.Fatalf("%s: no view", r.ID)
		}
		n := 0
		for _, g := range actorGroups(r) {
			n += len(g.ids)
			if g.resp.Action == "" || len(g.resp.Evidence) == 0 {
				t.Errorf("%s: %s findings %v without the form's words", r.ID, g.actor, g.ids)
			}
		}
		if want := r.Affected() - accepted(r); n != want || want == 0 {
			t.Errorf("%s: the view names %d finding(s), %d affected", r.ID, n, want)
		}
	}
	wants := map[string][]string{
		"all": {"MDS2 form ../testdata/mds2/helix-radiview.xlsx (Helix Imaging Oy RadiView Workstation 11.5.2, 2026-01-20, named by the inventory)",
			"hospital can install the update (MDS2 CSUP-5.1, CSUP-5.2)", "MDS2 CSUP-5.2: patches of off-the-shelf components need manufacturer service",
			"request manufacturer service (MDS2 CSUP-2.2)", "install third-party security updates (MDS2 CSUP-5.4)",
			"ask the manufacturer who installs updates (MDS2 CSUP-5.1, CSUP-5.2 not answered)",
			"mitigate: check that the controls the form lists are configured", "MDS2 MLDP-4: application allow-listing restricts what may run",
			"is for version 4.1; the device runs 4.2.1: review the guide", "https://example.com/acme/vitaflow-3000-hardening.pdf (for version 4.1)"},
		"commitments": {"MDS2 CSUP-7: ", "MDS2 CSUP-11: ", "MDS2 RDMP-3: ", "MDS2 RDMP-4: "},
	}
	for _, format := range []string{"table", "markdown", "html"} {
		out := string(render(t, format, s, Options{Details: true, AsOf: s.AsOf}))
		out = strings.NewReplacer("<bdi>", "", "</bdi>", "", "&#39;", "'", "&#43;", "+", `\_`, "_", `\[`, "[", `\]`, "]").Replace(out)
		for _, want := range wants["all"] {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", format, want)
			}
		}
		for _, want := range wants["commitments"] {
			if got := strings.Contains(out, want); got != (format != "table") {
				t.Errorf("%s: commitment %q shown: %v", format, want, got)
			}
		}
		if n := strings.Count(out, "the hospital can do now"); n != len(s.Results) {
			t.Errorf("%s: %d views, want %d", format, n, len(s.Results))
		}
	}
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
	actors := map[string]map[string]bool{}
	for _, d := range doc.Devices {
		actors[d.ID] = map[string]bool{}
		for _, f := range d.Findings {
			if f.Status == "affected" {
				actors[d.ID][f.Actor] = true
			}
		}
		if d.MDS2 == nil || d.MDS2.Via != "inventory" || len(d.MDS2.Answers) < 20 {
			t.Errorf("%s: mds2 %+v", d.ID, d.MDS2)
		}
		// The drifted form's reading doubts, as read (variant IDs are
		// normalised: no SHAD, CSUP-3.1A kept as written).
		if d.MDS2 != nil && (d.MDS2.Model == "CardioSense X2") != (len(d.MDS2.Warnings) > 0) {
			t.Errorf("%s: form warnings %q", d.ID, d.MDS2.Warnings)
		}
	}
	for id, want := range map[string]string{"RAD-WS-01": "hospital", "ICU-PUMP-01": "manufacturer", "ICU-VENT-01": "manufacturer",
		"WARD-HUB-01": "manufacturer", "LAB-GLU-01": "both", "ICU-MON-01": "unknown"} {
		if !actors[id][want] || actors[id][""] {
			t.Errorf("%s: actors %v, want %s among them and none empty", id, actors[id], want)
		}
	}
	if got := doc.Devices[0].MDS2; got.Answers["CSUP-2.2"] == "" {
		t.Errorf("%s: no CSUP-2.2 in %v", doc.Devices[0].ID, got.Answers)
	}
}

// TestMDS2GoldenValidates: the CLI's JSON of the sample inventory with
// its forms (cmd/bomrank's scan-mds2 golden) is valid against the
// published schema.
func TestMDS2GoldenValidates(t *testing.T) {
	sch := compileSchema(t, ScanSchemaID, map[string]string{ScanSchemaID: filepath.Join("schema", "scan.schema.json")}, true)
	doc := mustRead(t, filepath.Join("..", "cmd", "bomrank", "testdata", "scan-mds2.json.golden"))
	if err := validate(t, sch, doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte(`"via": "match"`)) || !bytes.Contains(doc, []byte(`"actor": "both"`)) {
		t.Error("the golden lacks a matched form or an actor both")
	}
}
