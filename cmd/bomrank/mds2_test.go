package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeGlucoMetForm writes a CSV export of the GlucoMet G7's form for
// version 3.2.0 (the SBOM says 3.3.0) into dir.
func writeGlucoMetForm(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "glucomet-3.2.csv")
	doc := "question_id,answer,note\nManufacturer,Meridian Diagnostics Inc.,\nDevice Model,GlucoMet G7,\nSoftware Revision,3.2.0,\nCSUP-2,No,\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A form that cannot be read is named on stderr and in the JSON errors,
// counted as skipped, and exits 3 as an unreadable SBOM does; the scan
// goes on. A --mds2 form for another version is attached with a warning
// on stderr after the device's id.
func TestScanMDS2Errors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "corrupt.xlsx")
	os.WriteFile(bad, []byte("PK\x03\x04 not a zip archive"), 0o644)
	forms := filepath.Join(dir, "forms")
	os.Mkdir(forms, 0o755)
	form := writeGlucoMetForm(t, forms)
	code, stdout, stderr := runCLI(t, "scan", "-q", "-f", "json", "--as-of", "2026-01-02", "-a", feedsDir,
		"--inventory", filepath.Join(fleetDir, "assets.csv"), "--mds2", bad, "--mds2", forms)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitPartial, stderr)
	}
	if !strings.Contains(stderr, "error: mds2: "+bad+": damaged workbook") {
		t.Errorf("stderr does not name the form:\n%s", stderr)
	}
	want := "warning: LAB-GLU-01: MDS2 form " + form + " is for version 3.2.0; the device runs 3.3.0\n"
	if strings.Count(stderr, want) != 1 || strings.Count(stderr, "is for version") != 1 {
		t.Errorf("stderr, want the version warning once:\n%s", stderr)
	}
	var out struct {
		Devices []struct{ ID string }
		Errors  []struct{ Path, Error string }
		Summary struct {
			Skipped int `json:"skipped_inputs"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) != 1 || out.Errors[0].Path != bad || !strings.HasPrefix(out.Errors[0].Error, "MDS2 form: damaged workbook") || out.Summary.Skipped != 1 {
		t.Errorf("errors %+v, skipped %d", out.Errors, out.Summary.Skipped)
	}
	if len(out.Devices) != 9 {
		t.Errorf("%d devices, want the inventory's 9", len(out.Devices))
	}
}

// An inventory row naming a form that does not exist is an error of that
// row (exit 3); the configuration file's mds2 list (relative to the file)
// is read as --mds2 is.
func TestScanMDS2InventoryAndConfig(t *testing.T) {
	dir := t.TempDir()
	pump, _ := filepath.Abs(filepath.Join(fleetDir, "infusion-pump-vitaflow-3000.cdx.json"))
	glu, _ := filepath.Abs(filepath.Join(fleetDir, "glucose-analyzer-glucomet-g7.spdx3.json"))
	inv := filepath.Join(dir, "assets.csv")
	os.WriteFile(inv, []byte("asset_id,sbom,mds2\nP-1,"+pump+",none.xlsx\nG-1,"+glu+",\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "forms"), 0o755)
	form := writeGlucoMetForm(t, filepath.Join(dir, "forms"))
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte("mds2: [forms]\n"), 0o644)
	code, _, stderr := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "-a", feedsDir, "--inventory", inv, "--config", cfg)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitPartial, stderr)
	}
	if !strings.Contains(stderr, "error: "+inv+":2: asset P-1: MDS2 form "+filepath.Join(dir, "none.xlsx")+": no such file") {
		t.Errorf("stderr does not name the row:\n%s", stderr)
	}
	if !strings.Contains(stderr, "warning: G-1: MDS2 form "+form+" is for version 3.2.0") {
		t.Errorf("the configuration file's form was not attached:\n%s", stderr)
	}
	code, stdout, _ := runCLI(t, "scan", "-h")
	if code != exitOK || !strings.Contains(stdout, "--mds2 stringArray") || !strings.Contains(stdout, "hardening_guide") {
		t.Errorf("scan -h (exit %d) does not document --mds2 and the inventory columns", code)
	}
}
