package match

import (
	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/sbom"
)

// statement is one VEX statement, from any format, about one
// vulnerability in one device or in one component of it. The CSAF reader
// (match/csaf.go: CSAF known_not_affected, fixed, under_investigation
// products that match the device) and the VEX documents (OpenVEX,
// CycloneDX VEX: match/vex.go) both produce them; applyStatements applies
// them the same way.
type statement struct {
	// adv is the advisory the statement belongs to; its ID and aliases
	// name the vulnerability (joined through the index's alias groups).
	adv *advisory.Advisory
	// status is NotAffected, Fixed, UnderInvestigation or Affected.
	status Status
	// component is the component of the device the statement is about;
	// nil means the device as a whole, i.e. every finding of the device.
	component *sbom.Component
	// justification, impact and action are the statement's texts, in the
	// source's vocabulary.
	justification, impact, action string
	// match, confidence and product say how the statement met the device
	// or component, as for a hit.
	match, confidence, product string
	// remediations are the statement's remediations.
	remediations []advisory.Remediation
}

// applyVEX applies the VEX statements (CSAF known_not_affected, OpenVEX,
// CycloneDX analysis) about device d to its findings: a statement turns
// the findings it names to its status, with its justification and source,
// and keeps them in the output.
func (m *Matcher) applyVEX(d *sbom.Device, fs []*Finding) {
	if m.Index == nil || len(fs) == 0 {
		return
	}
	var sts []statement
	sts = append(sts, m.csafStatements(d)...)
	sts = append(sts, m.vexStatements(d)...)
	m.applyStatements(sts, fs)
}

// vexStatements returns the statements of the OpenVEX and CycloneDX VEX
// documents of the index that name device d or one of its components.
//
// Not yet written: VEX is part of the CSAF issue.
func (m *Matcher) vexStatements(d *sbom.Device) []statement { return nil }

// applyStatements applies sts to the findings fs of one device.
//
// Not yet written: VEX is part of the CSAF issue.
func (m *Matcher) applyStatements(sts []statement, fs []*Finding) {}
