package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanTrustVEX: a hospital's own OpenVEX about CardioSense X2's
// log4j-core changes Log4Shell only with --trust-vex naming its author;
// without it the statement is listed, not applied, and --fail-on fires.
func TestScanTrustVEX(t *testing.T) {
	dir := t.TempDir()
	vex := `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://hospital.example/vex/1",
	  "author":"St. Example Hospital Security Team","timestamp":"2026-01-05T00:00:00Z","version":1,
	  "statements":[{"vulnerability":{"name":"CVE-2021-44228"},
	    "products":[{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
	    "status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]}`
	if err := os.WriteFile(filepath.Join(dir, "hospital.openvex.json"), []byte(vex), 0o644); err != nil {
		t.Fatal(err)
	}
	osv := filepath.Join("..", "..", "testdata", "feeds", "osv", "GHSA-jfh8-c2jp-5v3q.json")
	sbomPath := filepath.Join("..", "..", "testdata", "fleet", "patient-monitor-cardiosense-x2.cdx.xml")
	status := func(stdout string) (string, string) {
		var out struct {
			Devices []struct {
				Findings []struct {
					ID, Status string
					Sources    []struct{ Match string }
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatal(err)
		}
		for _, d := range out.Devices {
			for _, f := range d.Findings {
				if f.ID == "CVE-2021-44228" {
					var m []string
					for _, s := range f.Sources {
						m = append(m, s.Match)
					}
					return f.Status, strings.Join(m, "\n")
				}
			}
		}
		t.Fatalf("no Log4Shell finding in %s", stdout)
		return "", ""
	}
	args := []string{"scan", "--as-of", "2026-01-02", "-a", osv, "-a", dir, "-f", "json", "--fail-on", "critical", sbomPath}
	code, stdout, stderr := runCLI(t, args...)
	st, src := status(stdout)
	if code != exitFail || st != "affected" || !strings.Contains(src, "not applied: author St. Example Hospital Security Team is not the manufacturer of CardioSense X2") {
		t.Errorf("untrusted: exit %d, %s, sources:\n%s\nstderr: %s", code, st, src, stderr)
	}
	trusted := append(append([]string{}, args[:len(args)-1]...), "--trust-vex", "Someone Else", "--trust-vex", "St. Example Hospital", sbomPath)
	code, stdout, stderr = runCLI(t, trusted...)
	if st, src := status(stdout); code != exitOK || st != "not_affected" {
		t.Errorf("--trust-vex: exit %d, %s, sources:\n%s\nstderr: %s", code, st, src, stderr)
	}
	// The same author trusted through the configuration file's trust_vex,
	// by --config and by $BOMRANK_CONFIG.
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("trust_vex: [St. Example Hospital]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	byFlag := append(append([]string{}, args[:len(args)-1]...), "--config", cfg, sbomPath)
	code, stdout, stderr = runCLI(t, byFlag...)
	if st, src := status(stdout); code != exitOK || st != "not_affected" {
		t.Errorf("--config trust_vex: exit %d, %s, sources:\n%s\nstderr: %s", code, st, src, stderr)
	}
	t.Setenv("BOMRANK_CONFIG", cfg)
	code, stdout, stderr = runCLI(t, args...)
	if st, _ := status(stdout); code != exitOK || st != "not_affected" {
		t.Errorf("$BOMRANK_CONFIG trust_vex: exit %d, %s, stderr: %s", code, st, stderr)
	}
}

// TestScanConfigErrors: a configuration file that is missing, misspelt or
// a directory stops the scan with a usage error naming it.
func TestScanConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("trust_vexx: [Acme]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sbomPath := filepath.Join("..", "..", "testdata", "fleet", "patient-monitor-cardiosense-x2.cdx.xml")
	for _, path := range []string{bad, filepath.Join(dir, "missing.yaml"), dir} {
		code, _, stderr := runCLI(t, "scan", "--config", path, sbomPath)
		if code != exitUsage || !strings.Contains(stderr, path) {
			t.Errorf("--config %s: exit %d, stderr %q", path, code, stderr)
		}
	}
}
