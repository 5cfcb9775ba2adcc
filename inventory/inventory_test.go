package inventory

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/ssvc"
)

func TestSampleFleet(t *testing.T) {
	path := filepath.Join("..", "testdata", "fleet", "assets.csv")
	inv, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 {
		t.Fatalf("errors: %v", inv.Errors)
	}
	if len(inv.Assets) != 9 {
		t.Fatalf("%d assets, want 9", len(inv.Assets))
	}
	units := 0
	byID := map[string]Asset{}
	for _, a := range inv.Assets {
		units += a.Context.Units
		byID[a.ID] = a
	}
	// 86 units given, plus WARD-HUB-01's default 1.
	if units != 87 {
		t.Errorf("%d units, want 87", units)
	}
	pump := byID["ICU-PUMP-01"]
	if pump.SBOM != filepath.Join("..", "testdata", "fleet", "infusion-pump-vitaflow-3000.cdx.json") ||
		(pump.Context.Exposure != "controlled" || pump.Context.Safety != "catastrophic" || pump.Context.Mission != "mission-failure" || pump.Context.Units != 12 || pump.Context.Location != "ICU" || len(pump.Context.Defaulted) != 0) {
		t.Errorf("ICU-PUMP-01 = %+v", pump)
	}
	if pump.Source != path+":2" || pump.Context.AssetID != "ICU-PUMP-01" {
		t.Errorf("source %q", pump.Source)
	}
	onc := byID["ONC-PUMP-03"]
	if onc.Context.Mission != ssvc.MissionCrippled || !slices.Contains(onc.Context.Defaulted, "mission impact crippled (default: mission_impact empty in the inventory)") {
		t.Errorf("ONC-PUMP-03 = %+v", onc.Context)
	}
	card := byID["CARD-MON-02"]
	if card.Context.Safety != ssvc.SafetyCritical || card.Context.Location != "Cardiology, cath lab 2" || len(card.Context.Defaulted) != 1 {
		t.Errorf("CARD-MON-02 = %+v", card.Context)
	}
	// SSVC 2's "MEF Support Crippled" is accepted for crippled.
	if rad := byID["RAD-WS-01"]; rad.Context.Mission != ssvc.MissionCrippled {
		t.Errorf("RAD-WS-01 mission %q", rad.Context.Mission)
	}
	hub := byID["WARD-HUB-01"]
	if hub.Context.Units != 1 || !slices.Contains(hub.Context.Defaulted, "units 1 (default: units empty in the inventory)") {
		t.Errorf("WARD-HUB-01 = %+v", hub.Context)
	}
	// The disclosure columns: forms relative to the inventory's folder,
	// guides as written; LAB-GLU-01's form comes from --mds2 in the scan.
	forms := filepath.Join("..", "testdata", "mds2")
	if pump.MDS2 != filepath.Join(forms, "acme-vitaflow-3000.xlsx") || pump.HardeningGuide != "https://acme-medical.example/vitaflow-3000/hardening-guide-4.2.1.pdf" || pump.HardeningGuideVersion != "4.2.1" {
		t.Errorf("ICU-PUMP-01 disclosure %q %q %q", pump.MDS2, pump.HardeningGuide, pump.HardeningGuideVersion)
	}
	if rad := byID["RAD-WS-01"]; rad.MDS2 != filepath.Join(forms, "helix-radiview.xlsx") || rad.HardeningGuideVersion != "11.4.0" {
		t.Errorf("RAD-WS-01 disclosure %q %q", rad.MDS2, rad.HardeningGuideVersion)
	}
	if glu := byID["LAB-GLU-01"]; glu.MDS2 != "" || glu.HardeningGuide == "" {
		t.Errorf("LAB-GLU-01 disclosure %q %q", glu.MDS2, glu.HardeningGuide)
	}
	if vent := byID["ICU-VENT-01"]; vent.MDS2 != filepath.Join(forms, "brightwater-aerocare-v5.csv") || vent.HardeningGuide != "" || vent.HardeningGuideVersion != "" {
		t.Errorf("ICU-VENT-01 disclosure %q %q %q", vent.MDS2, vent.HardeningGuide, vent.HardeningGuideVersion)
	}
}

// The mds2 column is a path relative to the inventory's folder (an
// absolute one kept), hardening_guide and hardening_guide_version are
// kept as written.
func TestReadDisclosureColumns(t *testing.T) {
	doc := "asset_id,sbom,MDS2,Hardening_Guide,hardening_guide_version\n" +
		"A,a.json,forms/a.xlsx,https://x.example/guide.pdf, 4.2 \n" +
		"B,b.json,/abs/b.csv,guides/b.pdf,\n" +
		"C,c.json,,,\n" +
		"D,d.json,,,1.0\n"
	inv, err := Read(strings.NewReader(doc), "inv.csv", "dir")
	if err != nil {
		t.Fatal(err)
	}
	// A guide version without a guide does not cost the asset its
	// ranking: the row is read (rank.Assign then attaches no guide).
	if len(inv.Assets) != 4 || len(inv.Errors) != 0 {
		t.Fatalf("assets %+v, errors %v", inv.Assets, inv.Errors)
	}
	for i, want := range [][3]string{
		{filepath.Join("dir", "forms", "a.xlsx"), "https://x.example/guide.pdf", "4.2"},
		{"/abs/b.csv", "guides/b.pdf", ""},
		{"", "", ""},
		{"", "", "1.0"},
	} {
		a := inv.Assets[i]
		if got := [3]string{a.MDS2, a.HardeningGuide, a.HardeningGuideVersion}; got != want {
			t.Errorf("%s: %q, want %q", a.ID, got, want)
		}
	}
}

func TestRead(t *testing.T) {
	doc := "Units , SBOM,asset_id,exposure,extra,mission_impact,safety_impact\n" + // line 1
		"3,a.json,A1,isolated,x,MEF Failure,Negligible\n" + // 2: aliases, case, spaces
		"1,b.json,B1,internet,,,\n" + // 3: defaults
		",c.json,,open,,,\n" + // 4: no asset id
		"1,,D1,open,,,\n" + // 5: no sbom
		"1,e.json,E1,dmz,,,\n" + // 6: bad exposure
		"0,f.json,F1,,,,\n" + // 7: bad units
		"two,g.json,G1,,,,\n" + // 8: bad units
		"1,h.json,A1,,,,\n" + // 9: repeated id
		"1,i.json,I1,,,severe,critical\n" + // 10: bad mission
		"\n" + // blank
		"1,/abs/j.json,J1,segmented,,,catastrophic\n" + // 12
		"1,k.json,K1,,,,fatal\n" // 13: bad safety
	inv, err := Read(strings.NewReader(doc), "inv.csv", "dir")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range inv.Assets {
		ids = append(ids, a.ID)
	}
	if want := []string{"A1", "B1", "J1"}; !slices.Equal(ids, want) {
		t.Errorf("assets %v, want %v", ids, want)
	}
	a := inv.Assets[0]
	if a.SBOM != filepath.Join("dir", "a.json") || a.Context.Exposure != "small" || a.Context.Mission != "mef-failure" || a.Context.Safety != "negligible" || a.Context.Units != 3 {
		t.Errorf("A1 = %+v", a)
	}
	b := inv.Assets[1]
	if b.Context.Exposure != "open" || b.Context.Safety != "critical" || b.Context.Mission != "crippled" || len(b.Context.Defaulted) != 2 {
		t.Errorf("B1 = %+v", b.Context)
	}
	if j := inv.Assets[2]; j.SBOM != "/abs/j.json" || j.Context.Exposure != "controlled" {
		t.Errorf("J1 = %+v", j)
	}
	want := []string{
		"inv.csv:4: empty asset_id",
		"inv.csv:5: asset D1: empty sbom",
		`inv.csv:6: asset E1: exposure "dmz": want small, controlled, open (or isolated, segmented, internet)`,
		`inv.csv:7: asset F1: units "0": want a whole number of at least 1`,
		`inv.csv:8: asset G1: units "two"`,
		"inv.csv:9: asset A1: asset_id repeats line 2",
		`inv.csv:10: asset I1: mission_impact "severe"`,
		`inv.csv:13: asset K1: safety_impact "fatal"`,
	}
	if len(inv.Errors) != len(want) {
		t.Fatalf("errors %v, want %d", inv.Errors, len(want))
	}
	for i, e := range inv.Errors {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("error %d = %q, want %q", i, e, want[i])
		}
	}
}

func TestReadWholeFileErrors(t *testing.T) {
	for doc, want := range map[string]string{
		"":                       "empty",
		"asset_id,location\nA,B": "no sbom column",
		"sbom\nx":                "no asset_id column",
		"asset_id,sbom,sbom\n":   `column "sbom" twice`,
	} {
		if _, err := Read(strings.NewReader(doc), "inv.csv", "."); err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "inv.csv: ") {
			t.Errorf("%q: err %v, want %q", doc, err, want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.csv")); err == nil {
		t.Error("missing file: no error")
	}
}

// A quoted field left open is one row error; the rows before it are used.
func TestReadBadQuote(t *testing.T) {
	inv, err := Read(strings.NewReader("asset_id,sbom\nA,a.json\nB,\"b.json\n"), "inv.csv", ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Assets) != 1 || len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Error(), "inv.csv:3") {
		t.Errorf("assets %v errors %v", inv.Assets, inv.Errors)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("asset_id,sbom,exposure,units\nA,a.json,open,2\nB,b.json,,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Read(strings.NewReader(string(data)), "f.csv", ".")
		if err != nil {
			return
		}
		for _, a := range inv.Assets {
			c := a.Context
			if a.ID == "" || a.SBOM == "" || c.Units < 1 || ssvc.HumanImpactOf(c.Safety, c.Mission) == "" ||
				ssvc.OutcomeOf("none", c.Exposure, false, "low") == "" {
				t.Fatalf("bad asset %+v", a)
			}
		}
	})
}
