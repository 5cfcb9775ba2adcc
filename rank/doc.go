// Package rank orders a hospital's devices for patching: it decides each
// affected finding of a scan with the CERT/CC SSVC deployer tree (the
// vocabulary is package ssvc) and sorts the devices.
//
// [Options.Rank] takes the device results of a scan (package match) and
// gives each affected finding an ssvc.Decision from its exploitation
// (CISA KEV through [NewExploits], CSAF exploit_status threats, CVSS
// exploit maturity), its automatability (CVSS), the device's exposure and
// its human impact (from the ssvc.Context an inventory gives, see
// [Assign]); a device's priority is its most urgent outcome, its score its
// most urgent finding's score plus a little for the number of affected
// findings: within the outcome's band, human impact (safety first) weighs
// most, then exploitation evidence (KEV, EPSS), severity, exposure and
// units (the formula is on [Options.Rank]). KEV entries and EPSS scores
// count only from their dates on (Options.AsOf). Each decision names its
// sources (ssvc.Decision.Sources). Findings decided from the same inputs
// share one decision (see match.Finding.Decision): do not modify it. [FindingRating] rates every finding:
// CVSS where a vector parses, else the source's own rating (GHSA
// "MODERATE"), else [RatingUnknown]. [ParseScore] computes CVSS 2.0, 3.0,
// 3.1 and 4.0 scores with github.com/pandatix/go-cvss.
//
// A device's manufacturer disclosure (match.DeviceResult.Disclosure: its
// MDS2 form, read by package mds2, and its hardening guide) adds to the
// ranking, each in the device's reasons with the question behind it:
// who can install each affected finding's fix (ssvc.Decision.Responsibility,
// the form's CSUP answers for the class of the finding's component, said
// once per class in the reasons); the device's exposure by design
// (mds2.Form.Exposure) when the exposure is the default, before the
// findings are decided; a warning when the form contradicts the exposure
// the inventory gave, that is implies a wider one (small < controlled <
// open: inventory small and CONN-6 "requires an internet connection"),
// the inventory's being kept; the compensating controls in place, listed
// but never counted in the score or priority (a yes on the form says the
// device has the control, not that this hospital configured it, and no
// control undoes active exploitation); and a hardening guide to review
// when it is for another version than the device's SBOM. A device without
// a disclosure ranks exactly as before.
//
// The ranking never reads the clock (Options.AsOf is passed in) and its
// order is total: the same results rank the same way on every run.
package rank
