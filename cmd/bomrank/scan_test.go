package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestScanFleetGolden scans the sample fleet with the sample OSV feed
// (testdata/feeds/README.md lists what must and must not match) and
// compares the JSON with the golden file, byte for byte.
func TestScanFleetGolden(t *testing.T) {
	fleet := filepath.Join("..", "..", "testdata", "fleet")
	feeds := filepath.Join("..", "..", "testdata", "feeds")
	code, stdout, stderr := runCLI(t, "scan", "--as-of", "2026-01-02", "-a", feeds, "-f", "json", fleet)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	golden := filepath.Join("testdata", "scan-fleet.golden.json")
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/bomrank -run Golden -update)", err)
	}
	if !bytes.Equal([]byte(stdout), want) {
		t.Errorf("scan output differs from %s (rerun with -update after checking the change)", golden)
	}
	var out struct {
		Devices []struct {
			Name     string
			Rank     int
			Findings []struct {
				ID, Status string
				Aliases    []string
				Component  struct{ Name, Version string }
				Fixed      []string
			}
		}
		Summary struct {
			Devices, Findings int
			Affected          int `json:"affected_devices"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	// The facts of testdata/feeds/README.md: 25 OSV findings (GO-2023-2102
	// names two CVEs: two findings on x/net), 5 CSAF ones (a sixth,
	// x/crypto by purl helper, merges with OSV's) and 6 NVD ones by CPE;
	// VEX statements change statuses, never the count.
	if out.Summary.Devices != 6 || out.Summary.Affected != 6 || out.Summary.Findings != 36 {
		t.Errorf("summary %+v, want 6 devices, 6 affected, 36 findings", out.Summary)
	}
	found := map[string]bool{}
	for _, d := range out.Devices {
		for _, f := range d.Findings {
			found[d.Name+"|"+f.Component.Name+"|"+f.ID] = f.Status == "affected"
			for _, a := range f.Aliases {
				found[d.Name+"|"+f.Component.Name+"|"+a] = f.Status == "affected"
			}
		}
	}
	for _, k := range []string{
		"CardioSense X2|log4j-core|CVE-2021-44228",
		"CardioSense X2|spring-beans|CVE-2022-22965",
		"CardioSense X2|minimist|CVE-2021-44906",
		"RadiView Workstation|tokio|RUSTSEC-2023-0001",
		"RadiView Workstation|tokio|GHSA-7rrj-xr53-82p7",
		"VitaFlow 3000|VitaFlow 3000|CVE-2026-90001",
		"Bedside Hub|Bedside Hub|CVE-2026-90004",
		"CardioSense X2|CardioSense X2|CVE-2026-90003",
		"RadiView Workstation|RadiView Workstation|CVE-2026-90005",
		"AeroCare V5|FreeRTOS|CVE-2021-31571",
		"VitaFlow 3000|linux|CVE-2017-6074", // NVD, by CPE
		"VitaFlow 3000|busybox|CVE-2021-42386",
		"VitaFlow 3000|busybox|CVE-2022-28391",
		"VitaFlow 3000|openssl|CVE-2017-3735",
		"VitaFlow 3000|zlib|CVE-2018-25032",
		"VitaFlow 3000|zlib|CVE-2022-37434",
	} {
		if !found[k] {
			t.Errorf("missing affected finding %s", k)
		}
	}
	// The VEX documents of testdata/feeds/vex keep their findings, visible
	// for audit, under the statement's status.
	status := map[string]string{}
	for _, d := range out.Devices {
		for _, f := range d.Findings {
			status[d.Name+"|"+f.Component.Name+"|"+f.ID] = f.Status
		}
	}
	for k, want := range map[string]string{
		"Bedside Hub|golang.org/x/crypto|CVE-2024-45337": "fixed",        // CycloneDX VEX, resolved
		"Bedside Hub|golang.org/x/net|CVE-2024-45338":    "not_affected", // OpenVEX
		"VitaFlow 3000|PyYAML|CVE-2020-14343":            "not_affected", // OpenVEX, subcomponent
		"CardioSense X2|log4j-core|CVE-2021-45046":       "not_affected", // CycloneDX VEX XML
		"VitaFlow 3000|requests|CVE-2018-18074":          "affected",     // OpenVEX affected: unchanged
	} {
		if got := status[k]; got != want {
			t.Errorf("%s: status %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{
		"CardioSense X2|lodash|GHSA-jf85-cpcp-j695",    // fixed in 4.17.12
		"CardioSense X2|golang.org/x/net|GO-2023-1571", // fixed in exactly v0.7.0
		"GlucoMet G7|jsonwebtoken|GHSA-27h2-hvpr-p74q", // withdrawn
		"Bedside Hub|golang.org/x/net|GO-2023-2102",    // v0.27.0 is past the fix
		"Bedside Hub|Bedside Hub|CVE-2026-90001",       // 1.0.0 is outside ">= 2.0 | < 2.4"
		"VitaFlow 3000|VitaFlow 3000|CVE-2026-90002",   // Acme Robotics, not Acme Medical
		"VitaFlow 3000|busybox|CVE-2019-5747",          // NVD: <= 1.30.0, the pump has 1.30.1
		"VitaFlow 3000|openssl|CVE-2016-2107",          // NVD: 1.0.2k is past 1.0.2h
		"VitaFlow 3000|openssl|CVE-2014-0160",          // NVD: exact versions, not 1.0.2k
		"VitaFlow 3000|linux|CVE-2016-5195",            // NVD: fixed in 4.8.3
		"VitaFlow 3000|zlib|CVE-2016-9841",             // NVD: gnu:zlib alias, <= 1.2.8
	} {
		if _, ok := found[k]; ok {
			t.Errorf("unexpected finding %s", k)
		}
	}
	// Same inputs, same bytes.
	_, again, _ := runCLI(t, "scan", "--as-of", "2026-01-02", "-a", feeds, "-f", "json", fleet)
	if again != stdout {
		t.Error("output differs between two runs")
	}
}

// TestScanOutputFileAndErrors: -o writes the report to a file; an
// unreadable feed is named on stderr and in "errors", and gives exit 3
// while the rest is still scanned.
func TestScanOutputFileAndErrors(t *testing.T) {
	fleet := filepath.Join("..", "..", "testdata", "fleet")
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken-osv.json")
	os.WriteFile(bad, []byte(`{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[`), 0o644)
	out := filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, "scan", "-a", bad, "-a", filepath.Join("..", "..", "testdata", "feeds"), "-f", "json", "-o", out, fleet)
	if code != exitPartial {
		t.Errorf("exit %d, want 3; stderr %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout not empty with -o")
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Devices []json.RawMessage
		Errors  []struct{ Path, Error string }
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Devices) != 6 || len(rep.Errors) != 1 || rep.Errors[0].Path != bad {
		t.Errorf("%d devices, errors %+v", len(rep.Devices), rep.Errors)
	}
	if !bytes.Contains([]byte(stderr), []byte(bad)) {
		t.Errorf("stderr does not name %s: %s", bad, stderr)
	}
}

// Defect 4 of issue 13: a scan that loaded no vulnerability record says so
// on stderr even under --quiet, and a --fail-on gate exits 2 instead of
// passing (it exited 0 before: "every device none, all clear").
func TestScanWithoutVulnerabilityData(t *testing.T) {
	kev, epss := filepath.Join(feedsDir, "kev"), filepath.Join(feedsDir, "epss")
	for name, feeds := range map[string][]string{
		"empty folder":   {t.TempDir()},
		"SBOM folder":    {fleetDir},
		"only KEV, EPSS": {kev, epss},
	} {
		args := []string{"scan", "-q", "--fail-on", "low"}
		for _, f := range feeds {
			args = append(args, "-a", f)
		}
		code, stdout, stderr := runCLI(t, append(args, fleetDir)...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", name, code, exitUsage)
		}
		if !strings.Contains(stderr, "warning: no vulnerability records were loaded") || !strings.Contains(stderr, "--fail-on low: no vulnerability records were loaded") {
			t.Errorf("%s: stderr %q", name, stderr)
		}
		if stdout == "" {
			t.Errorf("%s: no report written", name)
		}
	}
	// Without a gate the report is written and the exit status is 0, but
	// the warning is still printed.
	code, _, stderr := runCLI(t, "scan", "-q", "-a", t.TempDir(), fleetDir)
	if code != exitOK || !strings.Contains(stderr, "warning: no vulnerability records were loaded") {
		t.Errorf("no gate: exit %d, stderr %q", code, stderr)
	}
}
