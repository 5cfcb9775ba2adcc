package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/report"
)

func advisorySeverity(typ, score string) advisory.Severity {
	return advisory.Severity{Type: typ, Score: score}
}

func init() {
	// Golden files must not depend on how the test binary was built.
	toolVersion = "v0.0.0-test"
}

var (
	fleetDir = filepath.Join("..", "..", "testdata", "fleet")
	feedsDir = filepath.Join("..", "..", "testdata", "feeds")
)

// TestScanFormatsGolden runs `bomrank scan` on the sample fleet in every
// format and compares the output with
// testdata/scan-fleet.<format>.golden (the json format keeps its
// historical testdata/scan-fleet.golden.json). The document date is fixed
// with --as-of; csaf describes the top-ranked device.
func TestScanFormatsGolden(t *testing.T) {
	t.Setenv("COLUMNS", "") // the table fits the default 100 columns
	for _, format := range append(report.FormatNames(), "table-details") {
		t.Run(format, func(t *testing.T) {
			args := []string{"scan", "-q", "--as-of", "2026-01-02", "-a", feedsDir, fleetDir}
			golden := filepath.Join("testdata", "scan-fleet."+format+".golden")
			switch format {
			case "json":
				golden = filepath.Join("testdata", "scan-fleet.golden.json")
			case "csaf":
				args = append(args, "--device", "CardioSense X2")
			case "table-details":
				args = append(args, "--details")
				format = "table"
			}
			code, stdout, stderr := runCLI(t, append(args, "-f", format)...)
			if code != exitOK {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr not empty under --quiet: %q", stderr)
			}
			if strings.Contains(stdout, "\x1b[") {
				t.Error("colour escapes when stdout is not a terminal")
			}
			if format != "json" { // the JSON golden file is written by TestScanFleetGolden
				if *update {
					if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/bomrank -run Golden -update)", err)
			}
			if stdout != string(want) {
				t.Errorf("output differs from %s (rerun with -update after checking the change)", golden)
			}
			_, again, _ := runCLI(t, append(args, "-f", format)...)
			if again != stdout {
				t.Error("output differs between two runs")
			}
		})
	}
}

// failOnWant computes from the JSON report which thresholds the fleet
// reaches, independently of the exit code under test.
func failOnWant(t *testing.T, stdout string) map[string]bool {
	t.Helper()
	var out struct {
		Devices []struct {
			Priority string
			Findings []struct {
				Status   string
				Severity struct {
					Vectors []struct{ Type, Score string }
				}
				KEV *struct{}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	order := []string{"immediate", "out-of-cycle", "scheduled", "defer", "unassessed"}
	sevs := []string{"critical", "high", "medium", "low"}
	reached := map[string]bool{}
	for _, d := range out.Devices {
		for i, p := range order {
			for _, q := range order[i:] {
				if d.Priority == p {
					reached[q] = true
				}
			}
		}
		for _, f := range d.Findings {
			if f.Status != "affected" {
				continue
			}
			// The rating: the highest CVSS one, else the source's own
			// word, else unknown (counted as critical); KEV at least high.
			rating, best := "", -1.0
			for _, v := range f.Severity.Vectors {
				if sc, ok := report.ParseScore(advisorySeverity(v.Type, v.Score)); ok && sc.Base > best {
					rating, best = sc.Rating, sc.Base
				}
			}
			if rating == "" {
				words := map[string]string{"CRITICAL": "critical", "HIGH": "high", "MODERATE": "medium", "MEDIUM": "medium", "LOW": "low"}
				for _, v := range f.Severity.Vectors {
					if w := words[strings.ToUpper(v.Score)]; w != "" && (rating == "" || slices.Index(sevs, w) < slices.Index(sevs, rating)) {
						rating = w
					}
				}
			}
			if rating == "" {
				rating = "critical"
			}
			if f.KEV != nil && slices.Index(sevs, rating) > 1 {
				rating = "high"
			}
			for i, s := range sevs {
				if rating == s {
					for _, q := range sevs[i:] {
						reached[q] = true
					}
				}
			}
		}
	}
	return reached
}

// TestFailOn: --fail-on gives exit 1 exactly when a device reaches the
// threshold, names the devices on stderr, still writes the report; a bad
// threshold is a usage error; 1 takes precedence over 3 (skipped inputs),
// and 2 (nothing readable) over 1.
func TestFailOn(t *testing.T) {
	_, stdout, _ := runCLI(t, "scan", "-q", "-f", "json", "-a", feedsDir, fleetDir)
	want := failOnWant(t, stdout)
	if !want["high"] || !want["out-of-cycle"] || want["immediate"] {
		t.Fatalf("the sample fleet (default context, KEV) should reach high and out-of-cycle, not immediate: %v", want)
	}
	for _, level := range []string{"immediate", "out-of-cycle", "scheduled", "defer", "unassessed", "critical", "high", "medium", "low"} {
		code, stdout, stderr := runCLI(t, "scan", "-q", "--fail-on", level, "-a", feedsDir, fleetDir)
		wantCode := exitOK
		if want[level] {
			wantCode = exitFail
		}
		if code != wantCode {
			t.Errorf("--fail-on %s: exit %d, want %d; stderr %s", level, code, wantCode, stderr)
		}
		if want[level] && !strings.Contains(stderr, "reach --fail-on "+level) {
			t.Errorf("--fail-on %s: stderr %q does not name the devices", level, stderr)
		}
		if !strings.Contains(stdout, "RANK") {
			t.Errorf("--fail-on %s: no report written", level)
		}
	}
	// A device without findings reaches nothing (AeroCare V5 has none
	// from OSV; the CSAF feed has one about its FreeRTOS).
	aero := filepath.Join(fleetDir, "ventilator-aerocare-v5.spdx")
	if code, _, stderr := runCLI(t, "scan", "-q", "--fail-on", "low", "-a", filepath.Join(feedsDir, "osv"), aero); code != exitOK {
		t.Errorf("clean device: exit %d (%s)", code, stderr)
	}
	for _, bad := range []string{"urgent", "none", "9"} {
		if code, _, stderr := runCLI(t, "scan", "--fail-on", bad, "-a", feedsDir, fleetDir); code != exitUsage || !strings.Contains(stderr, "--fail-on") {
			t.Errorf("--fail-on %s: exit %d, stderr %q", bad, code, stderr)
		}
	}
	// Precedence.
	broken := filepath.Join(t.TempDir(), "broken-osv.json")
	os.WriteFile(broken, []byte(`{"id":"X-1","affected":[`), 0o644)
	if code, _, _ := runCLI(t, "scan", "-q", "--fail-on", "high", "-a", broken, "-a", feedsDir, fleetDir); code != exitFail {
		t.Errorf("fail-on reached with a skipped feed: exit %d, want 1", code)
	}
	if code, _, _ := runCLI(t, "scan", "-q", "--fail-on", "immediate", "-a", broken, "-a", feedsDir, fleetDir); want["immediate"] == false && code != exitPartial {
		t.Errorf("fail-on not reached with a skipped feed: exit %d, want 3", code)
	}
	if code, _, _ := runCLI(t, "scan", "-q", "--fail-on", "low", "-a", feedsDir, broken); code != exitUsage {
		t.Errorf("nothing readable: exit %d, want 2", code)
	}
}

func TestScanFormatErrors(t *testing.T) {
	for _, args := range [][]string{
		{"scan", "-f", "yaml", fleetDir},
		{"scan", "-f", "csaf", "-a", feedsDir, fleetDir},                               // several devices, no --device
		{"scan", "-f", "csaf", "--device", "No Such Device", "-a", feedsDir, fleetDir}, // unknown device
		{"scan", "--as-of", "yesterday", fleetDir},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "bomrank: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	// One SBOM needs no --device.
	pump := filepath.Join(fleetDir, "infusion-pump-vitaflow-3000.cdx.json")
	code, stdout, stderr := runCLI(t, "scan", "-q", "-f", "csaf", "--as-of", "2026-01-02", "--publisher", "Acme Medical Inc.", "--publisher-namespace", "https://acme.example", "-a", feedsDir, pump)
	if code != exitOK || !strings.Contains(stdout, `"namespace": "https://acme.example"`) || !strings.Contains(stdout, `"category": "vendor"`) {
		t.Errorf("csaf of one SBOM: exit %d, stderr %s", code, stderr)
	}
}

// TestProgressAndColour: the progress bar and colours appear only on a
// terminal, never with --quiet or NO_COLOR.
func TestProgressAndColour(t *testing.T) {
	saved := isTerminal
	defer func() { isTerminal = saved }()
	isTerminal = func(w io.Writer) bool { return true }
	t.Setenv("NO_COLOR", "")
	code, stdout, stderr := runCLI(t, "scan", "-a", feedsDir, fleetDir)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	// The last frame shows everything read (the fleet folder holds 6
	// SBOMs and 2 other files, the feeds 28 OSV records, 6 CSAF
	// documents, a KEV catalog, an EPSS file, 4 VEX documents, 3 NVD
	// files and a README).
	if !strings.Contains(stderr, "reading feeds [####################] 44/44  SBOMs [####################] 8/8") || !strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Errorf("progress: %q", stderr)
	}
	if !strings.Contains(stdout, "\x1b[31mout-of-cycle\x1b[0m") {
		t.Errorf("no colour on a terminal: %q", stdout[:min(200, len(stdout))])
	}
	coloured := stdout
	_, stdout, stderr = runCLI(t, "scan", "--quiet", "-a", feedsDir, fleetDir)
	if stderr != "" {
		t.Errorf("--quiet: stderr %q", stderr)
	}
	// --quiet silences stderr only: the report is the same.
	if stdout != coloured {
		t.Errorf("--quiet changed the report:\n%s\nwant\n%s", stdout, coloured)
	}
	t.Setenv("NO_COLOR", "1")
	_, stdout, _ = runCLI(t, "scan", "-q", "-a", feedsDir, fleetDir)
	if strings.Contains(stdout, "\x1b[") {
		t.Error("colour despite NO_COLOR")
	}
	isTerminal = func(w io.Writer) bool { return false }
	t.Setenv("NO_COLOR", "")
	_, stdout, stderr = runCLI(t, "scan", "-a", feedsDir, fleetDir)
	if strings.Contains(stdout, "\x1b[") || strings.Contains(stderr, "reading feeds") {
		t.Error("colour or progress without a terminal")
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCLI(t, "version")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"bomrank v0.0.0-test\n", "\ngo go1.", "github.com/spf13/cobra v", "github.com/CycloneDX/cyclonedx-go v"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("version output lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != exitUsage {
		t.Errorf("version with an argument: exit %d", code)
	}
}

// TestSARIFPointsAtSBOM: each SARIF result's location is the SBOM file as
// given on the command line.
func TestSARIFPointsAtSBOM(t *testing.T) {
	_, stdout, _ := runCLI(t, "scan", "-q", "-f", "sarif", "-a", feedsDir, fleetDir)
	var out struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Runs[0].Results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range out.Runs[0].Results {
		uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if _, err := os.Stat(filepath.FromSlash(uri)); err != nil {
			t.Errorf("location %q is not the SBOM file: %v", uri, err)
		}
	}
}
