package match

import "github.com/bomrank/bomrank/sbom"

// cpeHits adds the verdicts of NVD configurations that name one of the
// component's CPEs (or a CPE derived from its name and version, at low
// confidence). The device gives the platform CPEs that AND-configurations
// ("running on") need.
//
// Not yet written: NVD and CPE matching is its own issue.
func (m *Matcher) cpeHits(d *sbom.Device, c *sbom.Component, fs *findingSet) {}
