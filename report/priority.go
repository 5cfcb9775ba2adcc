package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	cvss20 "github.com/pandatix/go-cvss/20"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"
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

// Score is a computed CVSS score.
type Score struct {
	// Version is "2.0", "3.0", "3.1" or "4.0".
	Version string
	// Vector is the vector string as written.
	Vector string
	// Base is the score computed from the vector with
	// github.com/pandatix/go-cvss (CVSS 4.0: the score of the metrics
	// given, which for a base vector is the base score).
	Base float64
	// Rating is the qualitative rating of Base: "critical", "high",
	// "medium", "low" or "none" (CVSS 2.0 has no "critical": its scale
	// is low 0-3.9, medium 4-6.9, high 7-10).
	Rating string
}

// ParseScore computes the score of one severity entry. Entries that are
// not CVSS vectors (a distribution's "Ubuntu: high" rating) or that do
// not parse give ok false.
func ParseScore(sev advisory.Severity) (Score, bool) {
	v := strings.TrimSpace(sev.Score)
	var s Score
	s.Vector = v
	switch {
	case strings.HasPrefix(v, "CVSS:4.0/"):
		c, err := cvss40.ParseVector(v)
		if err != nil {
			return s, false
		}
		s.Version, s.Base = "4.0", c.Score()
	case strings.HasPrefix(v, "CVSS:3.1/"):
		c, err := cvss31.ParseVector(v)
		if err != nil {
			return s, false
		}
		s.Version, s.Base = "3.1", c.BaseScore()
	case strings.HasPrefix(v, "CVSS:3.0/"):
		c, err := cvss30.ParseVector(v)
		if err != nil {
			return s, false
		}
		s.Version, s.Base = "3.0", c.BaseScore()
	case strings.EqualFold(sev.Type, "CVSS_V2") || strings.HasPrefix(v, "AV:"):
		c, err := cvss20.ParseVector(strings.TrimPrefix(v, "CVSS:2.0/"))
		if err != nil {
			return s, false
		}
		s.Version, s.Base = "2.0", c.BaseScore()
	default:
		return s, false
	}
	if math.IsNaN(s.Base) || s.Base < 0 || s.Base > 10 {
		return s, false
	}
	s.Base = math.Round(s.Base*10) / 10
	s.Rating = rating(s.Version, s.Base)
	return s, true
}

// rating is the qualitative scale of CVSS v3 and v4 (and the NVD scale for
// v2, which stops at high).
func rating(version string, score float64) string {
	switch {
	case score == 0:
		return "none"
	case score < 4:
		return "low"
	case score < 7:
		return "medium"
	case score < 9 || version == "2.0":
		return "high"
	}
	return "critical"
}

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
