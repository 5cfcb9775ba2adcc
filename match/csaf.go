package match

import "github.com/bomrank/bomrank/sbom"

// csafComponentHits adds the verdicts of CSAF products that name the
// component by an identification helper (purl, CPE, hash), or through a
// relationship naming the component inside the device.
//
// Not yet written: CSAF matching is its own issue.
func (m *Matcher) csafComponentHits(d *sbom.Device, c *sbom.Component, fs *findingSet) {}

// deviceHits adds the verdicts of CSAF products that name the device
// itself: by vendor, product name or model number, and version range.
//
// Not yet written: CSAF matching is its own issue.
func (m *Matcher) deviceHits(d *sbom.Device, fs *findingSet) {}

// csafStatements returns the VEX statements of the CSAF documents of the
// index about device d: products in known_not_affected, fixed,
// first_fixed and under_investigation that match the device (or, through
// a relationship, a component of it), with their flags and threats.
//
// Not yet written: CSAF matching is its own issue.
func (m *Matcher) csafStatements(d *sbom.Device) []statement { return nil }
