package report

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
)

// fleetForms names the form of testdata/mds2 of each device of the sample
// fleet, by device name.
var fleetForms = map[string]string{
	"VitaFlow 3000":        "acme-vitaflow-3000.xlsx",
	"CardioSense X2":       "nordlicht-cardiosense-x2.xlsx",
	"RadiView Workstation": "helix-radiview.xlsx",
	"AeroCare V5":          "brightwater-aerocare-v5.csv",
	"GlucoMet G7":          "meridian-glucomet-g7.xlsx",
	"Bedside Hub":          "acme-bedside-hub.xlsx",
}

// disclosedFleetScan is rankedFleetScan with the forms of testdata/mds2
// attached to their devices as an inventory's mds2 column attaches them
// (each form read once), and a hardening guide for version 4.1 on the
// VitaFlow pumps (which run 4.2.1), ranked with their effects.
func disclosedFleetScan(t testing.TB) *Scan {
	t.Helper()
	root := filepath.Join("..", "testdata")
	ctx := context.Background()
	feeds := advisory.Load(ctx, filepath.Join(root, "feeds"))
	inv, err := inventory.Load(filepath.Join(root, "fleet", "assets.csv"))
	if err != nil || len(inv.Errors) > 0 {
		t.Fatalf("inventory: %v %v", err, inv.Errors)
	}
	res := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(root, "fleet"))
	m := &match.Matcher{Index: index.New(feeds.Advisories)}
	scanned, failed, err := m.Scan(ctx, res.Devices)
	if err != nil || len(failed) > 0 {
		t.Fatalf("scan: %v %v", err, failed)
	}
	results, missing := rank.Assign(scanned, inv.Assets)
	if len(missing) > 0 {
		t.Fatalf("missing %v", missing)
	}
	forms := map[string]*mds2.Form{}
	for _, r := range results {
		name := fleetForms[r.Device.Name]
		if name == "" {
			t.Fatalf("no form for %s", r.Device.Name)
		}
		path := filepath.Join(root, "mds2", name)
		if forms[path] == nil {
			if forms[path], err = mds2.ParseFile(path); err != nil {
				t.Fatal(err)
			}
		}
		r.Disclosure = &match.Disclosure{MDS2: forms[path], MDS2Path: path, MDS2Via: "inventory"}
		if r.Device.Name == "VitaFlow 3000" {
			r.Disclosure.Guide = &match.HardeningGuide{Ref: "https://example.com/acme/vitaflow-3000-hardening.pdf", Version: "4.1"}
		}
	}
	asOf := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	x := rank.NewExploits(feeds.KEV, feeds.EPSS)
	rank.Options{Exploits: x, AsOf: asOf}.Rank(results)
	return &Scan{Results: results, Advisories: len(feeds.Advisories), Feeds: x.Feeds(), AsOf: asOf}
}
