package rank

import (
	"slices"
	"testing"

	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// Assign gives each asset its own copy of its SBOM's findings, assets
// first in their order, then the results no asset names; assets whose
// SBOM was not read are missing.
func TestAssign(t *testing.T) {
	a := &match.DeviceResult{ID: "fleet/a.json", Device: &sbom.Device{Path: "fleet/a.json"},
		Findings: []*match.Finding{{ID: "CVE-1", Status: match.Affected, Decision: &ssvc.Decision{}}}}
	b := &match.DeviceResult{ID: "fleet/b.json", Device: &sbom.Device{Path: "fleet/b.json"}}
	assets := []inventory.Asset{
		{ID: "A-2", SBOM: "fleet/./a.json", Context: ssvc.Context{Exposure: ssvc.ExposureOpen, Units: 3}},
		{ID: "X-1", SBOM: "fleet/x.json"},
		{ID: "A-1", SBOM: "fleet/a.json", Context: ssvc.Context{Exposure: ssvc.ExposureSmall, Units: 1}},
	}
	out, missing := Assign([]*match.DeviceResult{a, b}, assets)
	var ids []string
	for _, r := range out {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"A-2", "A-1", "fleet/b.json"}) {
		t.Errorf("ids %v", ids)
	}
	if len(missing) != 1 || missing[0].ID != "X-1" {
		t.Errorf("missing %+v", missing)
	}
	a2, a1 := out[0], out[1]
	if a2.Context.AssetID != "A-2" || a2.Context.Exposure != ssvc.ExposureOpen || a1.Context.Exposure != ssvc.ExposureSmall {
		t.Errorf("contexts %+v %+v", a2.Context, a1.Context)
	}
	if a2.Findings[0] == a1.Findings[0] || a2.Findings[0] == a.Findings[0] || a2.Findings[0].Decision != nil || a.Findings[0].Decision == nil {
		t.Error("each asset must get its own undecided copy of the findings")
	}
	Options{}.Rank(out)
	if a2.Findings[0].Decision.Exposure != ssvc.ExposureOpen || a1.Findings[0].Decision.Exposure != ssvc.ExposureSmall {
		t.Error("each copy is decided for its own asset")
	}
}

// An asset's mds2 path and hardening guide become its result's own
// Disclosure (the form is read and attached by package scan); an asset
// naming neither, or only a guide version, has none.
func TestAssignDisclosure(t *testing.T) {
	a := &match.DeviceResult{ID: "fleet/a.json", Device: &sbom.Device{Path: "fleet/a.json"}}
	assets := []inventory.Asset{
		{ID: "A-1", SBOM: "fleet/a.json", MDS2: "forms/a.xlsx", HardeningGuide: "https://x.example/g.pdf", HardeningGuideVersion: "4.2"},
		{ID: "A-2", SBOM: "fleet/a.json", MDS2: "forms/a.xlsx"},
		{ID: "A-3", SBOM: "fleet/a.json", HardeningGuide: "guides/a.pdf"},
		{ID: "A-4", SBOM: "fleet/a.json", HardeningGuideVersion: "4.2"},
	}
	out, _ := Assign([]*match.DeviceResult{a}, assets)
	d1, d2, d3 := out[0].Disclosure, out[1].Disclosure, out[2].Disclosure
	if d1 == nil || d1.MDS2Path != "forms/a.xlsx" || d1.MDS2Via != "inventory" || d1.MDS2 != nil || d1.Guide == nil || *d1.Guide != (match.HardeningGuide{Ref: "https://x.example/g.pdf", Version: "4.2"}) {
		t.Errorf("A-1: %+v", d1)
	}
	if d2 == nil || d2 == d1 || d2.MDS2Path != "forms/a.xlsx" || d2.Guide != nil {
		t.Errorf("A-2: %+v (each asset its own)", d2)
	}
	if d3 == nil || d3.MDS2Path != "" || d3.MDS2Via != "" || d3.Guide == nil || d3.Guide.Ref != "guides/a.pdf" || d3.Guide.Version != "" {
		t.Errorf("A-3: %+v", d3)
	}
	if out[3].Disclosure != nil || a.Disclosure != nil {
		t.Errorf("A-4: %+v, the SBOM's result %+v: want none", out[3].Disclosure, a.Disclosure)
	}
}
