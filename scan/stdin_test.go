package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunStdin: Config.Stdin is one more SBOM, named "-", read first; a
// reader that is not an SBOM is a skipped input named "-".
func TestRunStdin(t *testing.T) {
	f, err := os.Open(filepath.Join(fleet, "infusion-pump-vitaflow-3000.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var phases []string
	prog := Progress{Phase: func(name string, n int) { phases = append(phases, name) }}
	res, err := Run(context.Background(), Config{Stdin: f, SBOMs: []string{filepath.Join(fleet, "ventilator-aerocare-v5.spdx")}, Advisories: []string{feeds}, AsOf: asOf, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Loaded) != 2 || res.Loaded[0].Path != "-" || res.Loaded[0].Name != "VitaFlow 3000" || len(res.Results) != 2 {
		t.Fatalf("loaded %d, first %+v", len(res.Loaded), res.Loaded[0].Path)
	}
	if strings.Join(phases, ",") != "matching,ranking" {
		t.Errorf("phases %q", phases)
	}
	res, err = Run(context.Background(), Config{Stdin: strings.NewReader("hello"), Advisories: []string{feeds}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SBOMErrors) != 1 || res.SBOMErrors[0].Path != "-" || len(res.Loaded) != 0 {
		t.Errorf("errors %v", res.SBOMErrors)
	}
}
