package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanMDS2Golden runs `bomrank scan` on the sample inventory with the
// sample MDS2 forms (the inventory's mds2 column, and --mds2 for the
// GlucoMet G7, which the inventory gives none) in the formats that show
// the disclosure, and compares the output with
// testdata/scan-mds2.<format>.golden: every affected device's
// responsibility view, the actors, the JSON's mds2 and hardening_guide.
// The contradiction warning of ONC-PUMP-03 goes to stderr.
func TestScanMDS2Golden(t *testing.T) {
	t.Setenv("COLUMNS", "") // the table fits the default 100 columns
	for _, format := range []string{"table-details", "markdown", "html", "json", "csv", "sarif"} {
		t.Run(format, func(t *testing.T) {
			args := []string{"scan", "-q", "--as-of", "2026-01-02", "-a", feedsDir, "--inventory", filepath.Join(fleetDir, "assets.csv"),
				"--mds2", filepath.Join("..", "..", "testdata", "mds2")}
			if format == "table-details" {
				args, format = append(args, "--details"), "table"
			}
			code, stdout, stderr := runCLI(t, append(args, "-f", format)...)
			if code != exitOK {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			if want := "warning: ONC-PUMP-03: MDS2 CONN-4: "; !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line starting %q", stderr, want)
			}
			name := format
			if strings.Contains(strings.Join(args, " "), "--details") {
				name = "table-details"
			}
			golden := filepath.Join("testdata", "scan-mds2."+name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/bomrank -run Golden -update)", err)
			}
			if stdout != string(want) {
				t.Errorf("output differs from %s (rerun with -update after checking the change)", golden)
			}
		})
	}
}

// TestScanMDS2Actors: on the sample inventory with its forms, the JSON
// names who installs every affected finding's fix as the forms say
// (RadiView hospital, VitaFlow, AeroCare and Bedside Hub manufacturer,
// the GlucoMet's --mds2 form both, the drifted CardioSense form unknown),
// and each device its form, how it was attached and its guide.
func TestScanMDS2Actors(t *testing.T) {
	code, stdout, stderr := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "-a", feedsDir, "--inventory", filepath.Join(fleetDir, "assets.csv"),
		"--mds2", filepath.Join("..", "..", "testdata", "mds2"), "-f", "json")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var out struct {
		Devices []struct {
			ID   string
			MDS2 *struct {
				Path, Via string
				Answers   map[string]string
			}
			HardeningGuide *struct{ Ref, Version, Review string } `json:"hardening_guide"`
			Findings       []struct{ Status, Actor string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ actor, via string }{
		"RAD-WS-01": {"hospital", "inventory"}, "ICU-PUMP-01": {"manufacturer", "inventory"}, "ICU-VENT-01": {"manufacturer", "inventory"},
		"WARD-HUB-01": {"manufacturer", "inventory"}, "LAB-GLU-01": {"both", "match"}, "ICU-MON-01": {"unknown", "inventory"},
	}
	for _, d := range out.Devices {
		if d.MDS2 == nil {
			t.Errorf("%s: no form", d.ID)
			continue
		}
		w, ok := want[d.ID]
		if !ok {
			continue
		}
		if d.MDS2.Via != w.via {
			t.Errorf("%s: via %q, want %q", d.ID, d.MDS2.Via, w.via)
		}
		for _, f := range d.Findings {
			if f.Status == "affected" && f.Actor != w.actor {
				t.Errorf("%s: an affected finding's actor %q, want %q", d.ID, f.Actor, w.actor)
			}
		}
		if d.ID == "RAD-WS-01" && (d.HardeningGuide == nil || !strings.Contains(d.HardeningGuide.Review, "the device runs 11.5.2")) {
			t.Errorf("%s: hardening_guide %+v", d.ID, d.HardeningGuide)
		}
	}
}
