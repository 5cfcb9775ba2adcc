package match

import (
	"math"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	cvss20 "github.com/pandatix/go-cvss/20"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"
)

// Score is a CVSS vector parsed and scored with
// github.com/pandatix/go-cvss. The report package shows it; the ranking
// reads its metrics.
type Score struct {
	// Version is "2.0", "3.0", "3.1" or "4.0".
	Version string
	// Vector is the vector string as written.
	Vector string
	// Base is the score computed from the vector (CVSS 4.0: the score of
	// the metrics given, which for a base vector is the base score).
	Base float64
	// Rating is the qualitative rating of Base: "critical", "high",
	// "medium", "low" or "none" (CVSS 2.0 has no "critical": its scale
	// is low 0-3.9, medium 4-6.9, high 7-10).
	Rating string

	get func(string) (string, error)
}

// Metric returns the value of one metric of the vector by its
// abbreviation ("AV", "E", "AU"), or "" when the vector does not set it
// (a temporal or supplemental metric left at X, Not Defined).
func (s Score) Metric(abv string) string {
	if s.get == nil {
		return ""
	}
	v, err := s.get(abv)
	if err != nil || v == "X" || v == "ND" {
		return ""
	}
	return v
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
		s.Version, s.Base, s.get = "4.0", c.Score(), c.Get
	case strings.HasPrefix(v, "CVSS:3.1/"):
		c, err := cvss31.ParseVector(v)
		if err != nil {
			return s, false
		}
		s.Version, s.Base, s.get = "3.1", c.BaseScore(), c.Get
	case strings.HasPrefix(v, "CVSS:3.0/"):
		c, err := cvss30.ParseVector(v)
		if err != nil {
			return s, false
		}
		s.Version, s.Base, s.get = "3.0", c.BaseScore(), c.Get
	case strings.EqualFold(sev.Type, "CVSS_V2") || strings.HasPrefix(v, "AV:"):
		c, err := cvss20.ParseVector(strings.TrimPrefix(v, "CVSS:2.0/"))
		if err != nil {
			return s, false
		}
		s.Version, s.Base, s.get = "2.0", c.BaseScore(), c.Get
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
