package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/sbom"
)

var (
	td    = filepath.Join("..", "testdata")
	feeds = filepath.Join(td, "feeds")
	fleet = filepath.Join(td, "fleet")
	asOf  = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
)

// The door does the whole job: every device of the fleet matched and
// ranked once (ranks 1..n, priorities in order), the feeds' versions and
// documents recorded, nothing skipped.
func TestRunFleet(t *testing.T) {
	res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, Advisories: []string{feeds}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) == 0 || len(res.Results) != len(res.Loaded) {
		t.Fatalf("%d results, %d devices loaded", len(res.Results), len(res.Loaded))
	}
	for i, r := range res.Results {
		if r.Rank != i+1 {
			t.Errorf("result %d has rank %d", i, r.Rank)
		}
		if r.Priority == "" || r.Context == nil {
			t.Errorf("%s not ranked: priority %q", r.ID, r.Priority)
		}
	}
	if res.Skipped() != 0 || res.Err() != nil || res.NoData || len(res.Warnings) > 0 {
		t.Errorf("skipped %d (%v), no data %v, warnings %v", res.Skipped(), res.Err(), res.NoData, res.Warnings)
	}
	if res.Feeds.KEVEntries == 0 || res.Feeds.EPSSScores == 0 || len(res.Documents) == 0 || res.Advisories == 0 {
		t.Errorf("feeds %+v, %d documents, %d advisories", res.Feeds, len(res.Documents), res.Advisories)
	}
}

// Skipped inputs stay in the result, each inspectable with errors.As,
// while the rest of the run goes on.
func TestRunSkippedInputs(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.cdx.json")
	os.WriteFile(broken, []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[`), 0o644)
	badFeed := filepath.Join(dir, "GHSA-bad.json")
	os.WriteFile(badFeed, []byte(`{"id":"GHSA-bad","affected":[`), 0o644)
	inv := filepath.Join(dir, "assets.csv")
	pump, err := filepath.Abs(filepath.Join(fleet, "infusion-pump-vitaflow-3000.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(inv, []byte("asset_id,sbom\nA-1,"+pump+"\nA-2,missing.cdx.json\n"), 0o644)
	res, err := Run(context.Background(), Config{SBOMs: []string{broken, fleet}, Advisories: []string{feeds, badFeed}, Inventory: inv, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	var pe *sbom.ParseError
	var le *advisory.LoadError
	var re *inventory.RowError
	all := res.Err()
	if !errors.As(all, &pe) || pe.Path != broken {
		t.Errorf("no SBOM error for %s in %v", broken, all)
	}
	if !errors.As(all, &le) || le.Path != badFeed {
		t.Errorf("no feed error for %s in %v", badFeed, all)
	}
	if !errors.As(all, &re) || re.AssetID != "A-2" {
		t.Errorf("no inventory error for A-2 in %v", all)
	}
	if len(res.Results) < 2 || res.Skipped() < 3 {
		t.Errorf("%d results, %d skipped", len(res.Results), res.Skipped())
	}
}

// A cancelled run gives ctx.Err() and no result, never a partial one that
// looks whole.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, Config{SBOMs: []string{fleet}, Advisories: []string{feeds}, AsOf: asOf})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("got %v, %v; want nil and context.Canceled", res, err)
	}
}

// An inventory that cannot be read at all is an error of the run.
func TestRunInventoryError(t *testing.T) {
	_, err := Run(context.Background(), Config{Inventory: filepath.Join(t.TempDir(), "none.csv")})
	var ie *InventoryError
	if !errors.As(err, &ie) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err %v, want an *InventoryError wrapping os.ErrNotExist", err)
	}
}

// Defect 4: with no vulnerability record loaded (no feed, an empty
// folder, the SBOM folder given as a feed, only KEV and EPSS), the result
// says it could not look.
func TestRunNoData(t *testing.T) {
	for name, feedPaths := range map[string][]string{
		"no feed":        nil,
		"empty folder":   {t.TempDir()},
		"SBOMs as feeds": {fleet},
		"only KEV, EPSS": {filepath.Join(feeds, "kev"), filepath.Join(feeds, "epss")},
		"only VEX":       {filepath.Join(feeds, "vex")},
	} {
		res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, Advisories: feedPaths, AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		if !res.NoData || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "no vulnerability records were loaded") {
			t.Errorf("%s: no data %v, warnings %q", name, res.NoData, res.Warnings)
		}
	}
	res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, Advisories: []string{filepath.Join(feeds, "osv")}, AsOf: asOf})
	if err != nil || res.NoData || len(res.Warnings) != 0 {
		t.Errorf("OSV feed: no data %v, warnings %q, err %v", res.NoData, res.Warnings, err)
	}
}
