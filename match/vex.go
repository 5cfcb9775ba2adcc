package match

import "github.com/bomrank/bomrank/sbom"

// applyVEX applies the VEX statements (CSAF known_not_affected, OpenVEX,
// CycloneDX analysis) about device d to its findings: a statement turns
// the findings it names to its status, with its justification and source,
// and keeps them in the output.
//
// Not yet written: VEX is part of the CSAF issue.
func (m *Matcher) applyVEX(d *sbom.Device, fs []*Finding) {}
