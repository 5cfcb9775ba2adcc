package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type ignoreScan struct {
	Devices []struct {
		ID, Priority string
		Findings     []struct {
			ID, Status string
			Ignored    *struct{ Reason, Until, By string }
		}
	}
	StaleIgnores []struct {
		File   string
		Entry  int
		ID     string
		Reason string
	} `json:"stale_ignores"`
}

func decodeIgnoreScan(t *testing.T, stdout string) (ignoreScan, map[string]int) {
	t.Helper()
	var out ignoreScan
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	at := map[string]int{}
	for i, d := range out.Devices {
		at[d.ID] = i
	}
	return out, at
}

// TestIgnoreFileRoundTrip is the "done when" for accepted
// findings: every affected finding of the ICU monitor accepted until
// 2026-06-30 leaves it in the report (status kept, "ignored" added), at
// priority none, no longer reaching --fail-on immediate; an entry that
// matches nothing is stale (stderr and stale_ignores); as of 2026-07-01
// the findings count again, with a warning; an entry without a reason is
// a usage error.
func TestIgnoreFileRoundTrip(t *testing.T) {
	inv := filepath.Join(fleetDir, "assets.csv")
	base := []string{"scan", "-q", "-a", feedsDir, "--inventory", inv, "-f", "json"}
	code, stdout, _ := runCLI(t, append(base, "--as-of", "2026-01-02", "--fail-on", "immediate")...)
	before, bat := decodeIgnoreScan(t, stdout)
	if code != exitFail || before.Devices[bat["ICU-MON-01"]].Priority != "immediate" {
		t.Fatalf("without ignores: exit %d, ICU-MON-01 %s", code, before.Devices[bat["ICU-MON-01"]].Priority)
	}
	var yaml strings.Builder
	yaml.WriteString("ignore:\n")
	seen := map[string]bool{}
	for _, f := range before.Devices[bat["ICU-MON-01"]].Findings {
		if f.Status == "affected" && !seen[f.ID] {
			seen[f.ID] = true
			fmt.Fprintf(&yaml, "  - id: %s\n    device: ICU-MON-01\n    reason: isolated VLAN\n    until: 2026-06-30\n    by: j.doe\n", f.ID)
		}
	}
	yaml.WriteString("  - {id: CVE-2099-0001, reason: long gone}\n")
	file := filepath.Join(t.TempDir(), "accepted.yaml")
	os.WriteFile(file, []byte(yaml.String()), 0o600)

	code, stdout, stderr := runCLI(t, append(base, "--as-of", "2026-01-02", "--fail-on", "immediate", "--ignore", file)...)
	out, at := decodeIgnoreScan(t, stdout)
	mon := out.Devices[at["ICU-MON-01"]]
	if code != exitOK || mon.Priority != "none" {
		t.Errorf("with ignores: exit %d, ICU-MON-01 %s; stderr %s", code, mon.Priority, stderr)
	}
	for _, f := range mon.Findings {
		if f.Status == "affected" && (f.Ignored == nil || *f.Ignored != struct{ Reason, Until, By string }{"isolated VLAN", "2026-06-30", "j.doe"}) {
			t.Errorf("%s: ignored %+v", f.ID, f.Ignored)
		}
	}
	if card := out.Devices[at["CARD-MON-02"]]; card.Priority != before.Devices[bat["CARD-MON-02"]].Priority || card.Findings[0].Ignored != nil {
		t.Error("entries naming ICU-MON-01 changed CARD-MON-02, the same SBOM")
	}
	if len(out.StaleIgnores) != 1 || out.StaleIgnores[0].ID != "CVE-2099-0001" || out.StaleIgnores[0].Entry != len(seen)+1 || out.StaleIgnores[0].File != file {
		t.Errorf("stale_ignores %+v", out.StaleIgnores)
	}
	if !strings.Contains(stderr, fmt.Sprintf("warning: stale ignore entry %d of %s (CVE-2099-0001)", len(seen)+1, file)) {
		t.Errorf("stderr %q", stderr)
	}
	_, table, _ := runCLI(t, "scan", "-q", "-a", feedsDir, "--inventory", inv, "--as-of", "2026-01-02", "--ignore", file, "--details")
	if !strings.Contains(table, "accepted by j.doe: isolated VLAN until 2026-06-30") {
		t.Error("the table does not say who accepted the findings")
	}

	code, stdout, stderr = runCLI(t, append(base, "--as-of", "2026-07-01", "--fail-on", "immediate", "--ignore", file)...)
	later, at := decodeIgnoreScan(t, stdout)
	if code != exitFail || later.Devices[at["ICU-MON-01"]].Priority == "none" || !strings.Contains(stderr, "ended on 2026-06-30, before 2026-07-01") {
		t.Errorf("after until: exit %d, ICU-MON-01 %s, stderr %q", code, later.Devices[at["ICU-MON-01"]].Priority, stderr)
	}

	os.WriteFile(file, []byte("ignore:\n  - id: CVE-2021-44228\n    until: 2026-06-30\n"), 0o600)
	code, stdout, stderr = runCLI(t, append(base, "--ignore", file)...)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "no reason") || !strings.Contains(stderr, file) {
		t.Errorf("entry without a reason: exit %d, stderr %q", code, stderr)
	}
}

// TestIgnoreFileInWorkingDirectory: .bomrank.yaml in the working
// directory is read without --ignore, and stderr says so.
func TestIgnoreFileInWorkingDirectory(t *testing.T) {
	feeds, _ := filepath.Abs(feedsDir)
	pump, _ := filepath.Abs(filepath.Join(fleetDir, "infusion-pump-vitaflow-3000.cdx.json"))
	t.Chdir(t.TempDir())
	os.WriteFile(".bomrank.yaml", []byte("ignore:\n  - {id: CVE-2018-18074, reason: not reachable}\n"), 0o600)
	code, stdout, stderr := runCLI(t, "scan", "-a", feeds, "-f", "json", "--as-of", "2026-01-02", pump)
	if code != exitOK || !strings.Contains(stderr, "note: reading the accepted findings of .bomrank.yaml") || !strings.Contains(stdout, `"reason": "not reachable"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr = runCLI(t, "scan", "-a", feeds, "-f", "json", "--as-of", "2026-01-02", "--ignore", "", pump)
	if code != exitOK || strings.Contains(stderr, ".bomrank.yaml") || strings.Contains(stdout, `"ignored"`) {
		t.Errorf("--ignore '': exit %d, stderr %q", code, stderr)
	}
	os.WriteFile(".bomrank.yaml", []byte("ignore:\n  - {id: CVE-2018-18074, reasn: typo}\n"), 0o600)
	if code, _, stderr := runCLI(t, "scan", "-q", "-a", feeds, pump); code != exitUsage || !strings.Contains(stderr, "reasn") {
		t.Errorf("a misspelt key: exit %d, stderr %q", code, stderr)
	}
}
