package match

import "path/filepath"

// Asset is one device of a hospital's inventory: the SBOM it runs and what
// the hospital knows about it. Several assets may run the same SBOM.
type Asset struct {
	// ID is the asset id; it becomes the device's id in the output.
	ID string
	// SBOM is the path of the asset's SBOM, as the SBOM loader was given
	// it.
	SBOM string
	// Source says where the asset was read ("assets.csv:3"), for
	// messages.
	Source string
	// Context is the asset's context; Context.AssetID equals ID.
	Context Context
}

// Assign makes one device result per asset from the results of a scan:
// each asset gets a copy of the findings of the result whose SBOM path is
// the asset's (compared after filepath.Clean), with its own context, so
// that the ranking decides each copy for its own asset. Results that no
// asset names are kept as they are. Assets whose SBOM is in no result are
// returned in missing. The results are not ranked: call RankOptions.Rank.
func Assign(results []*DeviceResult, assets []Asset) (out []*DeviceResult, missing []Asset) {
	byPath := make(map[string]*DeviceResult, len(results))
	for _, r := range results {
		if r.Device != nil {
			byPath[filepath.Clean(r.Device.Path)] = r
		}
	}
	used := map[*DeviceResult]bool{}
	for _, a := range assets {
		r, ok := byPath[filepath.Clean(a.SBOM)]
		if !ok {
			missing = append(missing, a)
			continue
		}
		used[r] = true
		c := a.Context
		c.AssetID = a.ID
		nr := &DeviceResult{Device: r.Device, ID: a.ID, Context: &c, Findings: make([]*Finding, len(r.Findings))}
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
