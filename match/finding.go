package match

import (
	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// Status is what a finding says about one vulnerability in one component.
// The string values appear in JSON output and are part of its contract.
type Status string

// The statuses of a finding.
const (
	// Affected: the installed version lies in an affected range.
	Affected Status = "affected"
	// NotAffected: a VEX statement says the vulnerability does not affect
	// this component of this device.
	NotAffected Status = "not_affected"
	// Fixed: a VEX statement says the vulnerability is fixed here.
	Fixed Status = "fixed"
	// UnderInvestigation: the manufacturer is still investigating.
	UnderInvestigation Status = "under_investigation"
	// Unknown: the advisory names the package but bomrank cannot tell
	// whether the installed version is affected (no version in the SBOM,
	// a version or range that cannot be parsed, an ecosystem without a
	// comparator, only GIT ranges). Never read as safe; Reason says why.
	Unknown Status = "unknown"
)

// Finding is one vulnerability in one component of one device. Advisories
// from several sources about the same vulnerability that matched the same
// component (joined through their IDs and aliases) make one finding; two
// different CVE ids never do. A record naming one CVE belongs to that
// CVE's finding; a record naming several is a source of each CVE's finding
// separately (only its own ID becomes an alias of each); records naming no
// CVE join each other through shared identifiers, then the finding of
// every CVE they share an identifier with, or else make a finding of
// their own.
type Finding struct {
	// ID is the vulnerability's identifier: its CVE where a source names
	// one, else the smallest identifier of its sources (strings compared
	// bytewise). Aliases holds the other identifiers its sources gave it,
	// sorted; never a CVE id (a finding is about one CVE, its ID).
	ID      string
	Aliases []string
	// Status is Affected, Unknown, or a VEX status.
	Status Status
	// Reason explains an Unknown status (or, later, a VEX justification).
	Reason string
	// Component is the affected component (the device element itself for
	// device-level findings).
	Component *sbom.Component
	// Fixed lists the versions that fix the vulnerability for this
	// component: the smallest fixed version above the installed one.
	Fixed []string
	// Severity lists the severity scores the sources gave, deduplicated.
	Severity []advisory.Severity
	// Summary is a one-line description from the first source that has
	// one.
	Summary string
	// Informational carries a RustSec-style "informational" flag
	// ("unsound", "unmaintained") when a source is not a vulnerability in
	// the usual sense.
	Informational string
	// Sources lists the advisories behind the finding, sorted.
	Sources []Source
	// Justification is the VEX justification of a NotAffected status (or
	// the like), in the source's vocabulary; Impact its impact statement.
	Justification, Impact string
	// Remediations lists the remediations the sources give for this
	// component or device (CSAF vendor_fix, workaround, ...).
	Remediations []advisory.Remediation
	// Threats lists the CSAF exploit_status threats of the sources
	// (the ranking reads them for SSVC exploitation).
	Threats []advisory.Threat
	// KEV is the CISA KEV entry of the vulnerability (by its CVE id), and
	// EPSS its FIRST EPSS score, when the feeds have one; set by the
	// ranking (package rank).
	KEV  *advisory.KEV
	EPSS *advisory.EPSS
	// Decision is the SSVC deployer decision for an Affected finding on
	// this device (nil for other statuses); set by the ranking. Findings
	// whose decisions are made from the same inputs (the device's context,
	// the vector, KEV entry, EPSS score, upstream fix) share one value, on
	// this device and others: it is read only. To change one finding's
	// decision, replace the pointer with a changed copy.
	Decision *ssvc.Decision
	// Ignored is the acceptance of the finding recorded in an ignore
	// file (set by package scan), nil when it is not accepted: the
	// finding keeps its status but does not count (Counts).
	Ignored *Acceptance
}

// Source names one advisory behind a finding.
type Source struct {
	// ID is the advisory's identifier in its feed.
	ID string
	// Format is the feed format ("osv", ...).
	Format string
	// Path is the file (or "archive.zip!member") it was read from.
	Path string
	// Match says how the advisory was matched, e.g. "purl", "ecosystem
	// package".
	Match string
	// Confidence is how sure the match is: "high" (an exact identifier:
	// purl, ecosystem package, CPE, model or serial number, hash),
	// "medium" (vendor and product names), "low" (a derived candidate).
	// Empty means high.
	Confidence string
	// Product names the advisory's product that matched (a CSAF product
	// name, an NVD CPE criterion), when there is one.
	Product string
}

// DeviceResult is one device with its findings and its place in the
// ranking.
type DeviceResult struct {
	// Device is the device as read from its SBOM.
	Device *sbom.Device
	// ID identifies the device in the output: its SBOM path until an
	// inventory gives asset ids.
	ID string
	// Findings lists the device's findings, sorted by component order and
	// vulnerability id.
	Findings []*Finding
	// Rank is the device's place in the patch order, 1 first; 0 until
	// the ranking (package rank) sets it.
	Rank int
	// Priority is the patch priority of the device; set by the ranking.
	Priority ssvc.Priority
	// Score orders devices within a priority.
	Score float64
	// Reasons explains the priority, one line per rule that fired.
	Reasons []string
	// Context is what the hospital knows about the device (from an
	// inventory, or the defaults); the ranking sets the defaults when it
	// is nil.
	Context *ssvc.Context
	// Disclosure is what the manufacturer disclosed about the device and
	// the hospital attached to it (an MDS2 form, a hardening guide); nil
	// when nothing is attached.
	Disclosure *Disclosure
}

// Disclosure is the manufacturer's disclosure attached to one device: its
// MDS2 form and the hardening guide the inventory names.
type Disclosure struct {
	// MDS2 is the device's MDS2 form; nil when none is attached or it
	// could not be read.
	MDS2 *mds2.Form
	// MDS2Path is the form's file as the inventory's mds2 column named
	// it (joined to the inventory's folder), before it is read; "" when
	// the form came from --mds2 (Config.MDS2) or there is none.
	MDS2Path string
	// MDS2Via says how the form was attached: "inventory" (the mds2
	// column) or "match" (a --mds2 form whose manufacturer and model are
	// the device's).
	MDS2Via string
	// Guide is the hardening guide the inventory names; nil when none.
	Guide *HardeningGuide
	// Warnings lists what the reader must know about the disclosure: a
	// form for another version applied, a form contradicting the
	// inventory's exposure (each naming the question). They are shown
	// with the device and on stderr.
	Warnings []string
}

// HardeningGuide is the manufacturer's hardening guide of a device, as the
// inventory names it.
type HardeningGuide struct {
	// Ref is the guide's URL or path, as written in the inventory.
	Ref string
	// Version is the device software version the guide is for, "" when
	// the inventory does not say.
	Version string
	// Review is set by the ranking when the device's SBOM version differs
	// from Version: the sentence saying the guide must be reviewed for
	// this version. "" otherwise.
	Review string
}

// Affected reports the number of findings with status Affected.
func (r *DeviceResult) Affected() int { return r.Count(Affected) }

// Count reports the number of findings with status s.
func (r *DeviceResult) Count(s Status) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == s {
			n++
		}
	}
	return n
}
