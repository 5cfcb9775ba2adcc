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
// sources (ssvc.Decision.Sources). [FindingRating] rates every finding:
// CVSS where a vector parses, else the source's own rating (GHSA
// "MODERATE"), else [RatingUnknown]. [ParseScore] computes CVSS 2.0, 3.0,
// 3.1 and 4.0 scores with github.com/pandatix/go-cvss.
//
// The ranking never reads the clock (Options.AsOf is passed in) and its
// order is total: the same results rank the same way on every run.
package rank
