package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/ssvc"
)

// Priorities lists the device priorities from the most to the least
// urgent: the SSVC deployer outcomes (immediate, out-of-cycle, scheduled,
// defer), then ssvc.PriorityNone (nothing affected). The order is
// package ssvc's (ssvc.Priorities, reversed); the table colours, the
// charts, --fail-on and the sorting of every format read it here. A
// priority not in the list sorts after none.
var Priorities = mostUrgentFirst()

func mostUrgentFirst() []ssvc.Priority {
	p := ssvc.Priorities()
	slices.Reverse(p)
	return p
}

// PriorityIndex returns the position of p in Priorities (0 most urgent),
// or len(Priorities) for a priority not in the list.
func PriorityIndex(p ssvc.Priority) int {
	if i := slices.Index(Priorities, p); i >= 0 {
		return i
	}
	return len(Priorities)
}

// priorityUnassessed is a retired priority ("affected, but not ranked by
// SSVC") that bomrank never produced. `--fail-on unassessed` is still read,
// as a deprecated synonym reaching what it always reached: every device
// whose priority is above none. The devices-by-priority charts (Markdown,
// HTML) keep its row, always 0, so that their bytes do not change.
const priorityUnassessed ssvc.Priority = "unassessed"

// chartPriorities are the rows of the devices-by-priority charts.
var chartPriorities = slices.Insert(slices.Clone(Priorities), len(Priorities)-1, priorityUnassessed)

// Severities lists the qualitative CVSS ratings from the most to the least
// severe (rank.Ratings).
var Severities = rank.Ratings()

// SeverityIndex returns the position of s in Severities, or
// len(Severities) for an unrated finding.
func SeverityIndex(s string) int {
	if i := slices.Index(Severities, s); i >= 0 {
		return i
	}
	return len(Severities)
}

// Score is a computed CVSS score (see rank.Score, which the ranking
// shares).
type Score = rank.Score

// ParseScore computes the score of one severity entry. Entries that are
// not CVSS vectors (a distribution's "Ubuntu: high" rating) or that do
// not parse give ok false. See rank.ParseScore.
func ParseScore(sev advisory.Severity) (Score, bool) { return rank.ParseScore(sev) }

// FindingScore returns the highest score among the finding's CVSS
// vectors; ok is false when it has none that parses. See
// rank.FindingScore.
func FindingScore(f *match.Finding) (best Score, ok bool) { return rank.FindingScore(f) }

// Threshold is a --fail-on level: a priority (a device at that priority or
// a more urgent one reaches it) or a severity (a device with an affected
// finding rated that severe or worse reaches it; see Reached).
type Threshold struct {
	// Priority is set for a priority threshold, Severity for a severity
	// one.
	Priority ssvc.Priority
	Severity string
	// SkipUnknown leaves findings of unknown severity (no CVSS vector and
	// no rating of their source) out of a severity threshold
	// (--fail-on-unknown=false); by default they count at the top of the
	// scale, as critical.
	SkipUnknown bool
}

// ParseThreshold reads a threshold: one of Priorities except none (which
// every device would reach), or one of critical, high, medium, low
// (case-insensitive). The retired priority "unassessed" is read too, as a
// deprecated synonym: it reaches every device above none.
func ParseThreshold(s string) (Threshold, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	levels := Priorities[:len(Priorities)-1]
	for _, p := range append(slices.Clip(levels), priorityUnassessed) {
		if s == string(p) {
			return Threshold{Priority: p}, nil
		}
	}
	for _, sv := range Severities[:len(Severities)-1] {
		if s == sv {
			return Threshold{Severity: sv}, nil
		}
	}
	names := make([]string, len(levels))
	for i, p := range levels {
		names[i] = string(p)
	}
	return Threshold{}, fmt.Errorf("%q is neither a priority (%s) nor a severity (critical, high, medium, low)", s, strings.Join(names, ", "))
}

// Reached reports whether the device reaches the threshold. A priority
// threshold compares the device's priority in the order of Priorities; a
// severity threshold looks at the device's affected findings only (VEX
// not_affected, fixed, under_investigation and unknown-status findings do
// not count, nor do findings accepted in an ignore file:
// match.Finding.Counts), each rated by rank.FindingRating (see
// FindingReaches).
func (t Threshold) Reached(r *match.DeviceResult) bool {
	if t.Priority == priorityUnassessed {
		return r.Priority.Compare(ssvc.PriorityNone) > 0
	}
	if t.Priority != "" {
		return PriorityIndex(r.Priority) <= PriorityIndex(t.Priority)
	}
	if t.Severity == "" {
		return false
	}
	for _, f := range r.Findings {
		if f.Counts() && t.FindingReaches(f) {
			return true
		}
	}
	return false
}

// FindingReaches reports whether one finding reaches a severity
// threshold, whatever its status: its rating (the highest CVSS score of
// its vectors, else its source's own rating such as GHSA's "HIGH") is
// the threshold's or worse; a finding of unknown severity counts as
// critical unless SkipUnknown; a finding in CISA KEV counts as at least
// high. A priority threshold reaches no finding.
func (t Threshold) FindingReaches(f *match.Finding) bool {
	if t.Severity == "" {
		return false
	}
	limit := SeverityIndex(t.Severity)
	rating := rank.FindingRating(f).Rating
	switch {
	case rating == rank.RatingUnknown && !t.SkipUnknown:
		return true
	case f.KEV != nil && limit >= SeverityIndex("high"):
		return true
	}
	return SeverityIndex(rating) <= limit
}

// String returns the threshold as ParseThreshold reads it.
func (t Threshold) String() string { return string(t.Priority) + t.Severity }

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

// SeverityLabel is a finding's severity as the human formats write it:
// "critical 9.8" from its CVSS vectors, "medium (GHSA)" from its source's
// own rating (the Severity type, so that it is not taken for a CVSS
// rating), "unknown" without either (rank.FindingRating).
func SeverityLabel(f *match.Finding) string {
	r := rank.FindingRating(f)
	switch r.Source {
	case rank.RatingSourceCVSS:
		return fmt.Sprintf("%s %.1f", r.Rating, r.Score.Base)
	case rank.RatingSourceNone:
		return r.Rating
	}
	return r.Rating + " (" + strings.ToUpper(r.Source) + ")"
}
