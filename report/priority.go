package report

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
)

// Priorities lists the device priorities from the most to the least
// urgent: the SSVC deployer outcomes (immediate, out-of-cycle, scheduled,
// defer), then "unassessed" (affected, but not ranked by SSVC) and "none"
// (nothing affected). It is the one place the order is written down: the
// table colours, the HTML chart, --fail-on and the sorting of every format
// use it. A priority not in the list sorts after "none".
var Priorities = []string{"immediate", "out-of-cycle", "scheduled", "defer", "unassessed", "none"}

// PriorityIndex returns the position of p in Priorities (0 most urgent),
// or len(Priorities) for a priority not in the list.
func PriorityIndex(p string) int {
	for i, q := range Priorities {
		if q == p {
			return i
		}
	}
	return len(Priorities)
}

// Severities lists the qualitative CVSS ratings from the most to the least
// severe.
var Severities = []string{"critical", "high", "medium", "low", "none"}

// SeverityIndex returns the position of s in Severities, or
// len(Severities) for an unrated finding.
func SeverityIndex(s string) int {
	for i, q := range Severities {
		if q == s {
			return i
		}
	}
	return len(Severities)
}

// Score is a computed CVSS score (see match.Score, which the ranking
// shares).
type Score = match.Score

// ParseScore computes the score of one severity entry. Entries that are
// not CVSS vectors (a distribution's "Ubuntu: high" rating) or that do
// not parse give ok false. See match.ParseScore.
func ParseScore(sev advisory.Severity) (Score, bool) { return match.ParseScore(sev) }

// FindingScore returns the highest score among the finding's CVSS
// vectors; ok is false when it has none that parses.
func FindingScore(f *match.Finding) (best Score, ok bool) {
	for _, sev := range f.Severity {
		s, good := ParseScore(sev)
		if !good {
			continue
		}
		if !ok || s.Base > best.Base || (s.Base == best.Base && SeverityIndex(s.Rating) < SeverityIndex(best.Rating)) {
			best, ok = s, true
		}
	}
	return best, ok
}

// Threshold is a --fail-on level: a priority (a device at that priority or
// a more urgent one reaches it) or a severity (a device with an affected
// finding whose highest CVSS base score is rated that severe or worse
// reaches it).
type Threshold struct {
	// Priority is set for a priority threshold, Severity for a severity
	// one.
	Priority, Severity string
}

// ParseThreshold reads a threshold: one of Priorities except "none"
// (which every device would reach), or one of critical, high, medium, low
// (case-insensitive).
func ParseThreshold(s string) (Threshold, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range Priorities[:len(Priorities)-1] {
		if s == p {
			return Threshold{Priority: p}, nil
		}
	}
	for _, sv := range Severities[:len(Severities)-1] {
		if s == sv {
			return Threshold{Severity: sv}, nil
		}
	}
	return Threshold{}, fmt.Errorf("%q is neither a priority (%s) nor a severity (critical, high, medium, low)", s, strings.Join(Priorities[:len(Priorities)-1], ", "))
}

// Reached reports whether the device reaches the threshold. A priority
// threshold compares the device's priority in the order of Priorities; a
// severity threshold looks at the device's affected findings only (VEX
// not_affected, fixed, under_investigation and unknown findings do not
// count) and ignores findings without a CVSS vector.
func (t Threshold) Reached(r *match.DeviceResult) bool {
	if t.Priority != "" {
		return PriorityIndex(r.Priority) <= PriorityIndex(t.Priority)
	}
	if t.Severity == "" {
		return false
	}
	limit := SeverityIndex(t.Severity)
	for _, f := range r.Findings {
		if f.Status != match.Affected {
			continue
		}
		if s, ok := FindingScore(f); ok && SeverityIndex(s.Rating) <= limit {
			return true
		}
	}
	return false
}

// String returns the threshold as ParseThreshold reads it.
func (t Threshold) String() string { return t.Priority + t.Severity }

// Reaching lists the devices of the scan that reach the threshold, in
// rank order.
func (t Threshold) Reaching(s *Scan) []*match.DeviceResult {
	var out []*match.DeviceResult
	for _, r := range s.Results {
		if t.Reached(r) {
			out = append(out, r)
		}
	}
	return out
}
