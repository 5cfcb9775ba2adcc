package rank

import (
	"math"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	cvss20 "github.com/pandatix/go-cvss/20"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"
)

// Score is a CVSS vector parsed and scored with
// github.com/pandatix/go-cvss. The ranking reads its metrics; package
// report shows it.
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

// ratings is the qualitative scale, least severe first.
var ratings = []string{"none", "low", "medium", "high", "critical"}

// Ratings returns the qualitative CVSS ratings from the most to the least
// severe: critical, high, medium, low, none.
func Ratings() []string {
	r := slices.Clone(ratings)
	slices.Reverse(r)
	return r
}

// RatingLevel orders ratings: none 0, low 1 to critical 4; -1 for a
// string that is not a rating (an unrated finding).
func RatingLevel(rating string) int { return slices.Index(ratings, rating) }

// FindingScore returns the highest score among the finding's CVSS
// vectors (on a tie, the more severe rating); ok is false when it has
// none that parses.
func FindingScore(f *match.Finding) (best Score, ok bool) {
	for _, sev := range f.Severity {
		s, good := ParseScore(sev)
		if !good {
			continue
		}
		if !ok || s.Base > best.Base || (s.Base == best.Base && RatingLevel(s.Rating) > RatingLevel(best.Rating)) {
			best, ok = s, true
		}
	}
	return best, ok
}

// rating is the qualitative scale of CVSS v3 and v4 (and the NVD scale for
// v2, which stops at high).
func rating(version string, score float64) string {
	switch {
	case score == 0:
		return ratings[0]
	case score < 4:
		return ratings[1]
	case score < 7:
		return ratings[2]
	case score < 9 || version == "2.0":
		return ratings[3]
	}
	return ratings[4]
}

// RatingUnknown is the rating of a finding that has neither a CVSS vector
// nor a rating of its source's own.
const RatingUnknown = "unknown"

// Rating is a finding's qualitative severity and where it came from.
type Rating struct {
	// Rating is critical, high, medium, low, none or RatingUnknown.
	Rating string
	// Source is "cvss" when Rating was computed from a CVSS vector
	// (Score), else the source's own rating scheme, its Severity type in
	// lower case ("ghsa" for GitHub's database_specific severity,
	// "ubuntu" for an OSV severity of type Ubuntu), or "none" for
	// RatingUnknown.
	Source string
	// Score is the highest CVSS score when Source is "cvss".
	Score Score
}

// The Rating sources that are not a Severity type.
const (
	RatingSourceCVSS = "cvss"
	RatingSourceNone = "none"
)

// FindingRating gives every finding a rating: the highest CVSS score of
// its vectors (FindingScore) where one parses, else the most severe
// rating its sources wrote in words (GHSA "MODERATE", Ubuntu "medium"; on
// a tie the first, in the finding's order), else RatingUnknown.
func FindingRating(f *match.Finding) Rating {
	if s, ok := FindingScore(f); ok {
		return Rating{Rating: s.Rating, Source: RatingSourceCVSS, Score: s}
	}
	return wordRating(f.Severity)
}

// wordRating is the most severe rating written in words among sevs.
func wordRating(sevs []advisory.Severity) Rating {
	best := Rating{Rating: RatingUnknown, Source: RatingSourceNone}
	for _, sev := range sevs {
		w := RatingWord(sev.Score)
		if w == "" || strings.HasPrefix(strings.ToUpper(sev.Type), "CVSS") {
			continue
		}
		if RatingLevel(w) > RatingLevel(best.Rating) {
			best = Rating{Rating: w, Source: strings.ToLower(sev.Type)}
		}
	}
	return best
}

// RatingWord reads a severity written in words as one of the CVSS
// qualitative ratings: critical; high (also Red Hat's "important");
// medium ("moderate"); low ("negligible", Ubuntu's lowest); none. Case
// and spaces do not matter; anything else ("untriaged", a number) is "".
func RatingWord(s string) string {
	switch w := strings.ToLower(strings.TrimSpace(s)); w {
	case "critical", "high", "medium", "low", "none":
		return w
	case "important":
		return "high"
	case "moderate":
		return "medium"
	case "negligible":
		return "low"
	}
	return ""
}

// RatingFloor is the CVSS base score a rating in words stands for in the
// ranking (and in SARIF's security-severity): the lowest score of its
// band (low 0.1, medium 4, high 7, critical 9), 0 for none and unknown.
func RatingFloor(rating string) float64 {
	switch rating {
	case "low":
		return 0.1
	case "medium":
		return 4
	case "high":
		return 7
	case "critical":
		return 9
	}
	return 0
}

// Rater rates findings as FindingRating does, parsing each distinct
// severity entry once: a report rates every finding, and the same vectors
// come back on every device that has the component. The zero value is
// ready; a Rater is not safe for concurrent use.
type Rater struct {
	cache scoreCache
	// last is the severity of the last finding rated that had one, and
	// lastRating its rating (when hasLast).
	last       advisory.Severity
	lastRating Rating
	hasLast    bool
}

// Rating is FindingRating(f).
//
// A finding with one severity equal to the last one's gets the last
// rating without a look in the cache: comparing two strings is cheaper
// than hashing them, and findings come in runs of the same vector (the
// report rates a device's findings in order). On the 100k workload's
// report (BenchmarkJSONFleet, every finding CVSS 3.1 from its own
// record), the cache's hashing of each record's severity was a fifth of
// the encoder's CPU time.
func (r *Rater) Rating(f *match.Finding) Rating {
	if len(f.Severity) == 1 {
		if r.hasLast && f.Severity[0] == r.last {
			return r.lastRating
		}
		r.last, r.lastRating, r.hasLast = f.Severity[0], r.rate(f), true
		return r.lastRating
	}
	return r.rate(f)
}

// rate is FindingRating(f), parsing each vector once.
func (r *Rater) rate(f *match.Finding) Rating {
	if r.cache == nil {
		r.cache = scoreCache{}
	}
	var best Score
	ok := false
	for _, s := range r.cache.scores(f.Severity) {
		if !ok || s.Base > best.Base || (s.Base == best.Base && RatingLevel(s.Rating) > RatingLevel(best.Rating)) {
			best, ok = s, true
		}
	}
	if ok {
		return Rating{Rating: best.Rating, Source: RatingSourceCVSS, Score: best}
	}
	return wordRating(f.Severity)
}
