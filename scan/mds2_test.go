package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/report"
)

var formDir = filepath.Join(td, "mds2")

// byID returns the scan's devices by id.
func byID(t *testing.T, res *report.Scan) map[string]*match.DeviceResult {
	t.Helper()
	m := map[string]*match.DeviceResult{}
	for _, r := range res.Results {
		m[r.ID] = r
	}
	return m
}

// The sample inventory names a form for every asset but LAB-GLU-01,
// whose form comes from --mds2 by its manufacturer and model; each file
// is read once (the three pump groups share one *mds2.Form), the guides
// are the inventory's, and nothing is skipped.
func TestAttachSampleFleet(t *testing.T) {
	res, err := Run(context.Background(), Config{Inventory: filepath.Join(fleet, "assets.csv"), MDS2: []string{formDir}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.MDS2Errors) != 0 || res.Skipped() != 0 {
		t.Fatalf("MDS2 errors %v, skipped %d", res.MDS2Errors, res.Skipped())
	}
	devs := byID(t, res)
	for _, c := range []struct {
		id, via, file, model, guide, guideVersion string
	}{
		{"ICU-PUMP-01", "inventory", "acme-vitaflow-3000.xlsx", "VitaFlow 3000", "https://acme-medical.example/vitaflow-3000/hardening-guide-4.2.1.pdf", "4.2.1"},
		{"WARD-PUMP-02", "inventory", "acme-vitaflow-3000.xlsx", "VitaFlow 3000", "https://acme-medical.example/vitaflow-3000/hardening-guide-4.2.1.pdf", "4.2.1"},
		{"ONC-PUMP-03", "inventory", "acme-vitaflow-3000.xlsx", "VitaFlow 3000", "https://acme-medical.example/vitaflow-3000/hardening-guide-4.2.1.pdf", "4.2.1"},
		{"ICU-MON-01", "inventory", "nordlicht-cardiosense-x2.xlsx", "CardioSense X2", "https://nordlicht-medizintechnik.example/cardiosense-x2/security-configuration-guide", "2.0.3"},
		{"CARD-MON-02", "inventory", "nordlicht-cardiosense-x2.xlsx", "CardioSense X2", "https://nordlicht-medizintechnik.example/cardiosense-x2/security-configuration-guide", "2.0.3"},
		{"RAD-WS-01", "inventory", "helix-radiview.xlsx", "RadiView Workstation", "https://helix-imaging.example/radiview/hardening-guide-11.4.pdf", "11.4.0"},
		{"ICU-VENT-01", "inventory", "brightwater-aerocare-v5.csv", "AeroCare V5", "", ""},
		{"LAB-GLU-01", "match", "meridian-glucomet-g7.xlsx", "GlucoMet G7", "https://meridian-diagnostics.example/glucomet-g7/hardening-guide.pdf", "3.3.0"},
		{"WARD-HUB-01", "inventory", "acme-bedside-hub.xlsx", "Bedside Hub", "", ""},
	} {
		r := devs[c.id]
		if r == nil || r.Disclosure == nil || r.Disclosure.MDS2 == nil {
			t.Errorf("%s: no form attached (%+v)", c.id, r)
			continue
		}
		d := r.Disclosure
		// The forms are for the SBOMs' versions: no warning of the
		// attachment. ONC-PUMP-03's inventory says small where the form
		// says the pump talks outside the hospital: the ranking's
		// contradiction warning.
		wantWarnings := 0
		if c.id == "ONC-PUMP-03" {
			wantWarnings = 1
		}
		if d.MDS2Via != c.via || filepath.Base(d.MDS2.Path) != c.file || d.MDS2.Model != c.model || len(d.Warnings) != wantWarnings ||
			wantWarnings == 1 && !strings.HasPrefix(d.Warnings[0], "MDS2 CONN-4: ") {
			t.Errorf("%s: via %q form %s (%s), warnings %q; want %s %s", c.id, d.MDS2Via, d.MDS2.Path, d.MDS2.Model, d.Warnings, c.via, c.file)
		}
		wantPath := ""
		if c.via == "inventory" {
			wantPath = filepath.Join(fleet, "..", "mds2", c.file)
		}
		if d.MDS2Path != wantPath {
			t.Errorf("%s: MDS2Path %q, want %q", c.id, d.MDS2Path, wantPath)
		}
		switch {
		case c.guide == "" && d.Guide != nil:
			t.Errorf("%s: guide %+v, want none", c.id, d.Guide)
		case c.guide != "" && (d.Guide == nil || d.Guide.Ref != c.guide || d.Guide.Version != c.guideVersion):
			t.Errorf("%s: guide %+v, want %s %s", c.id, d.Guide, c.guide, c.guideVersion)
		}
	}
	if p := devs["ICU-PUMP-01"].Disclosure.MDS2; p != devs["ONC-PUMP-03"].Disclosure.MDS2 || p != devs["WARD-PUMP-02"].Disclosure.MDS2 {
		t.Error("the pump groups' form was read more than once")
	}
	// The inventory's path and the --mds2 directory's name one file: one
	// form, read once, whichever named it first.
	if devs["ICU-PUMP-01"].Disclosure == devs["WARD-PUMP-02"].Disclosure {
		t.Error("two devices share one Disclosure: its Warnings and Guide.Review are per device")
	}
}

// Without an inventory every device of the fleet gets its form from the
// --mds2 directory by manufacturer and model; the blank template names
// no device.
func TestAttachByMatch(t *testing.T) {
	res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, MDS2: []string{formDir}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.MDS2Errors) != 0 || len(res.Results) != 6 {
		t.Fatalf("MDS2 errors %v, %d devices", res.MDS2Errors, len(res.Results))
	}
	for _, r := range res.Results {
		d := r.Disclosure
		if d == nil || d.MDS2 == nil || d.MDS2Via != "match" || d.MDS2Path != "" || d.Guide != nil {
			t.Errorf("%s: disclosure %+v", r.Device.Name, d)
			continue
		}
		if d.MDS2.Model != r.Device.Name && !strings.HasPrefix(r.Device.Name, d.MDS2.Model) {
			t.Errorf("%s: form for %s", r.Device.Name, d.MDS2.Model)
		}
		if filepath.Base(d.MDS2.Path) == "blank-template.xlsx" {
			t.Errorf("%s: the blank template attached", r.Device.Name)
		}
	}
}

// writeForm writes a CSV export naming manufacturer, model, version and
// date, in dir; it returns its path.
func writeForm(t *testing.T, dir, name, manufacturer, model, version, date string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("question_id,answer,note\n")
	for _, l := range [][2]string{{"Manufacturer", manufacturer}, {"Device Model", model}, {"Software Revision", version}, {"Document Release Date", date}} {
		if l[1] != "" {
			fmt.Fprintf(&b, "%s,%s,\n", l[0], l[1])
		}
	}
	b.WriteString("CSUP-2.2,Yes,\nCONN-6,No,\n")
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Of several forms naming the ventilator (Brightwater Respiratory Ltd,
// AeroCare V5, 5.1.0), the exact name wins over a run of its words, then
// the device's version, then the newest date, then path order; a form
// for another version applies with a warning; another manufacturer's form
// of the same model name never applies.
func TestAttachTieBreak(t *testing.T) {
	vent := filepath.Join(fleet, "ventilator-aerocare-v5.spdx")
	const mf = "Brightwater Respiratory Ltd"
	for _, c := range []struct {
		name  string
		forms [][5]string // file, manufacturer, model, version, date
		want  string      // file attached, "" for none
		warn  string
	}{
		{"manufacturer and model normalised", [][5]string{{"a.csv", "BRIGHTWATER RESPIRATORY LTD.", "aerocare-v5", "5.1.0", "2025-06-30"}}, "a.csv", ""},
		{"another manufacturer", [][5]string{{"a.csv", "Acme Medical Inc.", "AeroCare V5", "5.1.0", "2025-06-30"}}, "", ""},
		{"another model", [][5]string{{"a.csv", mf, "AeroCare V6", "5.1.0", "2025-06-30"}}, "", ""},
		{"no manufacturer", [][5]string{{"a.csv", "", "AeroCare V5", "5.1.0", "2025-06-30"}}, "", ""},
		{"another version warns", [][5]string{{"a.csv", mf, "AeroCare V5", "v5.0", "2025-06-30"}}, "a.csv", "a.csv is for version v5.0; the device runs 5.1.0"},
		{"same version written v5.1.0", [][5]string{{"a.csv", mf, "AeroCare V5", "V5.1.0", "2025-06-30"}}, "a.csv", ""},
		{"version equal wins over newer", [][5]string{{"a.csv", mf, "AeroCare V5", "5.2.0", "2026-06-30"}, {"b.csv", mf, "AeroCare V5", "5.1.0", "2024-01-01"}}, "b.csv", ""},
		{"newest date wins", [][5]string{{"a.csv", mf, "AeroCare V5", "5.0.0", "2024-01-01"}, {"b.csv", mf, "AeroCare V5", "4.9.0", "2025-02-01"}, {"c.csv", mf, "AeroCare V5", "5.0.1", "14 March 2024"}}, "b.csv", "b.csv is for version 4.9.0"},
		{"undated is oldest", [][5]string{{"a.csv", mf, "AeroCare V5", "5.0.0", ""}, {"b.csv", mf, "AeroCare V5", "5.0.0", "2019-01-01"}}, "b.csv", "b.csv is for version 5.0.0"},
		{"path order last", [][5]string{{"a.csv", mf, "AeroCare V5", "5.1.0", "2025-06-30"}, {"b.csv", mf, "AeroCare V5", "5.1.0", "2025-06-30"}}, "a.csv", ""},
		{"path order, not name order", [][5]string{{"a-b.csv", mf, "AeroCare V5", "5.1.0", "2025-06-30"}, {"a/x.csv", mf, "AeroCare V5", "5.1.0", "2025-06-30"}}, "x.csv", ""},
		{"exact name wins over a run of words", [][5]string{{"a.csv", mf, "AeroCare", "5.1.0", "2026-01-01"}, {"b.csv", mf, "AeroCare V5", "4.0", "2020-01-01"}}, "b.csv", "b.csv is for version 4.0"},
		{"a run of the name's words", [][5]string{{"a.csv", "Brightwater", "AeroCare", "", ""}}, "a.csv", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range c.forms {
				writeForm(t, dir, f[0], f[1], f[2], f[3], f[4])
			}
			res, err := Run(context.Background(), Config{SBOMs: []string{vent}, MDS2: []string{dir}, AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.MDS2Errors) != 0 || len(res.Results) != 1 {
				t.Fatalf("MDS2 errors %v, %d devices", res.MDS2Errors, len(res.Results))
			}
			d := res.Results[0].Disclosure
			got := ""
			if d != nil && d.MDS2 != nil {
				got = filepath.Base(d.MDS2.Path)
			}
			if got != c.want {
				t.Fatalf("attached %q, want %q", got, c.want)
			}
			if c.want == "" {
				return
			}
			if c.warn == "" && len(d.Warnings) != 0 || c.warn != "" && (len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], c.warn)) {
				t.Errorf("warnings %q, want %q", d.Warnings, c.warn)
			}
		})
	}
}

// A form that cannot be read is a named error in MDS2Errors (and so in
// Err and Skipped); the scan goes on, and the devices whose form could
// be read still get it. In a --mds2 directory, files that are not forms
// by name (README.txt) or by content (a CSV that is no MDS2 form) are
// passed over; a named file that is not a form is an error.
func TestAttachBadForms(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.xlsx")
	os.WriteFile(corrupt, []byte("PK\x03\x04 not a zip archive"), 0o644)
	legacy := filepath.Join(dir, "legacy.xlsx")
	os.WriteFile(legacy, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, 0o644)
	os.WriteFile(filepath.Join(dir, "README.txt"), []byte("forms of the ICU"), 0o644)
	os.WriteFile(filepath.Join(dir, "prices.csv"), []byte("item,price\npump,100\n"), 0o644)
	named := filepath.Join(t.TempDir(), "named.csv")
	os.WriteFile(named, []byte("item,price\npump,100\n"), 0o644)
	missing := filepath.Join(t.TempDir(), "missing.xlsx")
	good := filepath.Join(formDir, "brightwater-aerocare-v5.csv")
	other := writeForm(t, t.TempDir(), "vf9000.csv", "Acme Medical Inc.", "VitaFlow 9000", "1.0", "")
	res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, MDS2: []string{dir, named, missing, good, other}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	// A named form that names no device is a warning; a form found in a
	// folder is not (a hospital's folder holds forms of every product).
	var warned []string
	for _, w := range res.Warnings {
		if strings.Contains(w, "MDS2") {
			warned = append(warned, w)
		}
	}
	if want := "MDS2 form " + other + ` (manufacturer "Acme Medical Inc.", model "VitaFlow 9000") names no device of the scan: attached to none`; !slices.Equal(warned, []string{want}) {
		t.Errorf("warnings %q, want %q", warned, want)
	}
	want := map[string]error{corrupt: mds2.ErrCorrupt, legacy: mds2.ErrEncrypted, named: mds2.ErrNotMDS2, missing: os.ErrNotExist}
	if len(res.MDS2Errors) != len(want) {
		t.Errorf("MDS2 errors %q, want %d", res.MDS2Errors, len(want))
	}
	for _, e := range res.MDS2Errors {
		var fe *mds2.Error
		if !errors.As(e, &fe) || want[fe.Path] == nil || !errors.Is(e, want[fe.Path]) || !strings.Contains(e.Error(), fe.Path) {
			t.Errorf("error %v: not one of %v", e, want)
		}
	}
	if res.Skipped() != len(want) || !errors.Is(res.Err(), mds2.ErrCorrupt) {
		t.Errorf("skipped %d, err %v", res.Skipped(), res.Err())
	}
	if len(res.Results) != 6 {
		t.Fatalf("%d devices ranked, want 6", len(res.Results))
	}
	for _, r := range res.Results {
		attached := r.Disclosure != nil && r.Disclosure.MDS2 != nil
		if r.Priority == "" || attached != (r.Device.Name == "AeroCare V5") {
			t.Errorf("%s: priority %q, form attached %v", r.Device.Name, r.Priority, attached)
		}
	}
}

// An inventory form that is missing is an error of each row naming it
// (the asset ranked without a form); one that names another device is
// attached with a warning, as is one for another version.
func TestAttachInventoryForms(t *testing.T) {
	dir := t.TempDir()
	pump, _ := filepath.Abs(filepath.Join(fleet, "infusion-pump-vitaflow-3000.cdx.json"))
	vent, _ := filepath.Abs(filepath.Join(fleet, "ventilator-aerocare-v5.spdx"))
	hub, _ := filepath.Abs(filepath.Join(fleet, "bedside-hub-legacy.cdx.json.gz"))
	writeForm(t, dir, "old-vent.csv", "Brightwater Respiratory Ltd", "AeroCare V5", "5.0.2", "2024-01-01")
	writeForm(t, dir, "other.csv", "Brightwater Respiratory Ltd", "AeroCare V5", "5.1.0", "2025-06-30")
	inv := filepath.Join(dir, "assets.csv")
	os.WriteFile(inv, []byte("asset_id,sbom,mds2\nP-1,"+pump+",forms/none.xlsx\nP-2,"+pump+",forms/none.xlsx\nV-1,"+vent+",old-vent.csv\nH-1,"+hub+",other.csv\n"), 0o644)
	res, err := Run(context.Background(), Config{Inventory: inv, MDS2: []string{formDir}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, e := range res.MDS2Errors {
		var re *inventory.RowError
		if !errors.As(e, &re) || re.Path != inv || !strings.Contains(e.Error(), filepath.Join(dir, "forms", "none.xlsx")) {
			t.Errorf("error %v: want an inventory row error naming the form", e)
			continue
		}
		rows = append(rows, fmt.Sprintf("%s:%d", re.AssetID, re.Line))
	}
	if !slices.Equal(rows, []string{"P-1:2", "P-2:3"}) {
		t.Errorf("row errors %q, want P-1:2 and P-2:3", rows)
	}
	devs := byID(t, res)
	for _, id := range []string{"P-1", "P-2"} {
		// The inventory's form wins: no --mds2 form stands in for it.
		if d := devs[id].Disclosure; d == nil || d.MDS2 != nil || d.MDS2Via != "inventory" {
			t.Errorf("%s: disclosure %+v, want the inventory's path without a form", id, d)
		}
	}
	v := devs["V-1"].Disclosure
	if v.MDS2 == nil || v.MDS2Via != "inventory" || !slices.Equal(v.Warnings, []string{"MDS2 form " + filepath.Join(dir, "old-vent.csv") + " is for version 5.0.2; the device runs 5.1.0"}) {
		t.Errorf("V-1: %+v", v)
	}
	h := devs["H-1"].Disclosure
	if h.MDS2 == nil || len(h.Warnings) != 1 || !strings.Contains(h.Warnings[0], "is for Brightwater Respiratory Ltd AeroCare V5; the device is Acme Medical Inc. Bedside Hub") {
		t.Errorf("H-1: %+v", h)
	}
}
