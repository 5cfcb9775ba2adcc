package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/ssvc"
)

// device returns the result with id in res.
func device(t *testing.T, res *report.Scan, id string) *match.DeviceResult {
	t.Helper()
	for _, r := range res.Results {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no device %s", id)
	return nil
}

// TestIgnoreRoundTrip: an ignore file accepting every affected finding of
// the ICU pump (until 2026-06-30) leaves them in the result, marked, the
// pump at priority none; an entry that matches nothing is stale; as of
// the day after until the findings count again, with a warning.
func TestIgnoreRoundTrip(t *testing.T) {
	inv := filepath.Join(fleet, "assets.csv")
	base, err := Run(context.Background(), Config{Advisories: []string{feeds}, Inventory: inv, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	pump := device(t, base, "ICU-PUMP-01")
	if pump.Priority == ssvc.PriorityNone {
		t.Fatal("the ICU pump has nothing affected to accept")
	}
	var yaml strings.Builder
	yaml.WriteString("ignore:\n")
	ids := map[string]bool{}
	for _, f := range pump.Findings {
		if f.Status == match.Affected && !ids[f.ID] {
			ids[f.ID] = true
			fmt.Fprintf(&yaml, "  - {id: %s, device: ICU-PUMP-01, reason: isolated VLAN, until: 2026-06-30, by: j.doe}\n", f.ID)
		}
	}
	yaml.WriteString("  - {id: CVE-2099-0001, reason: long gone}\n")
	file := filepath.Join(t.TempDir(), ".bomrank.yaml")
	if err := os.WriteFile(file, []byte(yaml.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Config{Advisories: []string{feeds}, Inventory: inv, AsOf: asOf, Ignore: file})
	if err != nil {
		t.Fatal(err)
	}
	pump = device(t, res, "ICU-PUMP-01")
	if pump.Priority != ssvc.PriorityNone {
		t.Errorf("pump priority %s with every affected finding accepted", pump.Priority)
	}
	for _, f := range pump.Findings {
		if f.Status == match.Affected && (f.Ignored == nil || f.Ignored.Reason != "isolated VLAN" || f.Ignored.By != "j.doe") {
			t.Errorf("%s: ignored %+v", f.ID, f.Ignored)
		}
	}
	for _, id := range []string{"WARD-PUMP-02", "RAD-WS-01"} {
		if other := device(t, res, id); other.Priority != device(t, base, id).Priority || other.Priority == ssvc.PriorityNone && id == "WARD-PUMP-02" {
			t.Errorf("an entry naming ICU-PUMP-01 changed %s (same SBOM for the ward pump)", id)
		}
	}
	if len(res.StaleIgnores) != 1 || res.StaleIgnores[0].ID != "CVE-2099-0001" || res.StaleIgnores[0].N != len(ids)+1 || res.StaleIgnores[0].File != file {
		t.Errorf("stale %+v", res.StaleIgnores)
	}
	later, err := Run(context.Background(), Config{Advisories: []string{feeds}, Inventory: inv, AsOf: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Ignore: file})
	if err != nil {
		t.Fatal(err)
	}
	if p := device(t, later, "ICU-PUMP-01"); p.Priority == ssvc.PriorityNone {
		t.Error("the acceptance expired on 2026-06-30, the pump still has priority none on 2026-07-01")
	}
	if len(later.Warnings) != len(ids) || !strings.Contains(later.Warnings[0], "ended on 2026-06-30") {
		t.Errorf("warnings after expiry: %q", later.Warnings)
	}
}

// TestIgnoreFileRefused: an entry without a reason stops the scan with
// an *IgnoreError naming the file.
func TestIgnoreFileRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ignore.yaml")
	os.WriteFile(file, []byte("ignore:\n  - id: CVE-2021-44228\n"), 0o600)
	for _, p := range []string{file, filepath.Join(t.TempDir(), "missing.yaml")} {
		_, err := Run(context.Background(), Config{SBOMs: []string{fleet}, Advisories: []string{feeds}, AsOf: asOf, Ignore: p})
		var ie *IgnoreError
		if !errors.As(err, &ie) || ie.Path != p {
			t.Errorf("%s: error %v, want an *IgnoreError", p, err)
		}
	}
}
