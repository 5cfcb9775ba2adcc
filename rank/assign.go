package rank

import (
	"path/filepath"

	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
)

// Assign makes one device result per asset from the results of a scan:
// each asset gets a copy of the findings of the result whose SBOM path is
// the asset's (compared after filepath.Clean), with its own context, so
// that the ranking decides each copy for its own asset. The assets' results
// come first, in the order of assets; results that no asset names follow
// as they are, in their order. Assets whose SBOM is in no result are
// returned in missing. The results are not ranked: call Options.Rank.
// An asset's MDS2 form path and hardening guide (inventory columns mds2,
// hardening_guide, hardening_guide_version) become its result's
// Disclosure (MDS2Via "inventory"); the form itself is read and attached
// by package scan.
func Assign(results []*match.DeviceResult, assets []inventory.Asset) (out []*match.DeviceResult, missing []inventory.Asset) {
	byPath := make(map[string]*match.DeviceResult, len(results))
	for _, r := range results {
		if r.Device != nil {
			byPath[filepath.Clean(r.Device.Path)] = r
		}
	}
	used := map[*match.DeviceResult]bool{}
	for _, a := range assets {
		r, ok := byPath[filepath.Clean(a.SBOM)]
		if !ok {
			missing = append(missing, a)
			continue
		}
		used[r] = true
		c := a.Context
		c.AssetID = a.ID
		nr := &match.DeviceResult{Device: r.Device, ID: a.ID, Context: &c, Findings: make([]*match.Finding, len(r.Findings))}
		nr.Disclosure = disclosureOf(a)
		for i, f := range r.Findings {
			cp := *f
			cp.Decision = nil
			nr.Findings[i] = &cp
		}
		out = append(out, nr)
	}
	for _, r := range results {
		if !used[r] {
			out = append(out, r)
		}
	}
	return out, missing
}

// disclosureOf is what the asset's row says of its disclosure: its MDS2
// form's path and its hardening guide; nil when neither is given.
func disclosureOf(a inventory.Asset) *match.Disclosure {
	if a.MDS2 == "" && a.HardeningGuide == "" {
		return nil
	}
	d := &match.Disclosure{MDS2Path: a.MDS2}
	if a.MDS2 != "" {
		d.MDS2Via = "inventory"
	}
	if a.HardeningGuide != "" {
		d.Guide = &match.HardeningGuide{Ref: a.HardeningGuide, Version: a.HardeningGuideVersion}
	}
	return d
}
