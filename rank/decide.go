package rank

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// scoreCache holds the parsed CVSS vectors of one goroutine: the same
// vectors come back on every device that has the component.
type scoreCache map[advisory.Severity]scoreResult

type scoreResult struct {
	s  Score
	ok bool
	// one is []Score{s} when ok: the scores of a finding with this one
	// severity, shared (read only) by every such finding.
	one []Score
}

// scores returns the finding's severities that parse as CVSS vectors, in
// order. A nil cache parses every time. The result is read only: a
// finding with one severity gets a slice shared with other findings
// (on the 600k workload, one fresh slice per finding was a sixth of the
// ranking's allocations).
func (cache scoreCache) scores(sevs []advisory.Severity) []Score {
	var out []Score
	for _, s := range sevs {
		res, hit := cache[s]
		if !hit {
			res.s, res.ok = ParseScore(s)
			if res.ok {
				res.one = []Score{res.s}
			}
			if cache != nil {
				cache[s] = res
			}
		}
		if len(sevs) == 1 {
			return res.one
		}
		if res.ok {
			out = append(out, res.s)
		}
	}
	return out
}

// maxReasons is the most reasons decide gives one finding: exploitation,
// automatable, exposure, human impact, two of action, EPSS.
const maxReasons = 7

// deviceDecisions holds what the decisions of one device's findings
// share, made once per device: the reasons that do not depend on the
// finding, and the worker's storage and shared values (see sharing). On
// the 600k workload (817,000 affected findings) one allocation per
// decision and per reason, most of them the same few strings, made the
// ranking take three times as long per finding as on the 100k workload:
// fresh memory for a growing heap is what costs there. (A per-device map
// of the upstream-fix reasons was tried and dropped: nearly every finding
// of a device has a fix of its own, and the map cost 0.75 s of CPU there.)
type deviceDecisions struct {
	c *ssvc.Context
	deviceTerms
	// device is the number of the device's terms in the worker
	// (sharing.device).
	device int32
	// affected is the number of the device's findings decided.
	affected int
	// dx is the device's disclosure (responsibility), day the as-of
	// date ("" for none; see notYetKnown).
	dx  *disclosed
	day string
	// d is the decision being made, its Reasons in scratch, until
	// sharing gives it its value.
	d       ssvc.Decision
	scratch [maxReasons]string
	w       *workerCache
	// lastSev is the last single severity scored, lastScores its
	// scores (see scores).
	lastSev    advisory.Severity
	lastScores []Score
	hasLast    bool
}

// newDeviceDecisions prepares the decisions of the findings of a device
// with context c, with worker w's caches and shared values (nil: a new
// worker's, shared with nothing).
func newDeviceDecisions(c *ssvc.Context, w *workerCache) *deviceDecisions {
	if w == nil {
		w = newWorkerCache()
	}
	dd := &deviceDecisions{c: c, w: w}
	dd.exposure = c.Exposure
	if dd.exposure.Level() < 0 {
		dd.exposure = ssvc.DefaultExposure
	}
	dd.exposureSrc = c.Source("exposure")
	if dd.exposure != c.Exposure {
		dd.exposureSrc = ssvc.Source{Kind: ssvc.SourceDefault, Detail: "exposure " + string(dd.exposure) + " (default: " + string(c.Exposure) + " is not an exposure)"}
	}
	dd.exposureWhy = "exposure: " + exposureWords(dd.exposure) + " (" + origin(dd.exposureSrc) + ")"
	dd.human, dd.humanWhy = humanImpact(c)
	dd.humanPts, dd.unitsPts = humanPoints(dd.human, c.Safety), unitsPoints(c.Units)
	dd.device = w.device(dd.deviceTerms)
	return dd
}

// scores is dd.w.scores.scores(sevs), remembering the last single severity:
// comparing it with the next finding's is cheaper than hashing that one
// for the cache (each record has its own copy of its vector, read from
// memory nothing else touched lately), and a device's findings come in
// runs of the same vector. On match.BenchmarkRank (100k workload) the
// cache's hashing was a third of the ranking's CPU time.
func (dd *deviceDecisions) scores(sevs []advisory.Severity) []Score {
	if len(sevs) != 1 {
		return dd.w.scores.scores(sevs)
	}
	if !dd.hasLast || sevs[0] != dd.lastSev {
		dd.lastSev, dd.lastScores, dd.hasLast = sevs[0], dd.w.scores.scores(sevs), true
	}
	return dd.lastScores
}

// upstreamFixed is the reason of a finding fixed upstream in the
// versions fixed. The reason of a single version is kept in the worker's
// fixes (nil: none) and shared by the findings fixed in that version: the 100k
// benchmark's 82,000 findings are fixed in 1,623 distinct versions, and
// a fresh string each was 3.9 MB of the 38 MB the ranking allocated
// (match.BenchmarkRank). fixes holds at most maxFixes reasons.
func (dd *deviceDecisions) upstreamFixed(fixed []string) string {
	fixes := dd.w.fixes
	one := len(fixed) == 1 && fixes != nil
	if one {
		if why, ok := fixes[fixed[0]]; ok {
			return why
		}
	}
	why := "no manufacturer fix; upstream fixed in " + strings.Join(fixed, ", ")
	if one && len(fixes) < maxFixes {
		fixes[fixed[0]] = why
	}
	return why
}

// maxFixes bounds a worker's upstreamFixed reasons (about 100 bytes
// each).
const maxFixes = 1 << 13

// decide applies the SSVC deployer tree to one affected finding of the
// device. Each decision point adds its reasons in turn: exploitation,
// automatable, exposure, human impact, action, score. The decision is
// shared with the findings decided from the same inputs (see sharing):
// read only.
func (o Options) decide(f *match.Finding, dd *deviceDecisions) *ssvc.Decision {
	scores := dd.scores(f.Severity)
	resp := dd.dx.responsibility(f) // once per finding: it counts them
	eos := o.pastEndOfSupport(f)
	key, memo := memoizable(f, dd, scores, resp, eos)
	if memo {
		// The decision kept has no KEV entry not known yet (remember):
		// it is this finding's when this finding has none either.
		if d := dd.w.memo[key]; d != nil &&
			(f.KEV != nil || dd.day == "" || d.Sources.Exploitation.Kind != ssvc.SourceNone || o.notYetKnown(f, dd.day) == "") {
			return d
		}
	}
	d := o.decideNew(f, dd, scores, resp, eos)
	if memo {
		dd.w.remember(key, d, dd)
	}
	return d
}

// decideNew makes the decision of decide.
func (o Options) decideNew(f *match.Finding, dd *deviceDecisions, scores []Score, resp *ssvc.Responsibility, eos bool) *ssvc.Decision {
	d := &dd.d
	*d = ssvc.Decision{Reasons: dd.scratch[:0], Responsibility: resp}
	var (
		why string
		src ssvc.Sources
	)
	if d.Exploitation, why, src.Exploitation = exploitation(f, scores); d.Exploitation != ssvc.ExploitationNone {
		d.Reasons = append(d.Reasons, why)
	}
	if d.Automatable, why, src.Automatable = automatableFinding(f, scores); d.Automatable {
		d.Reasons = append(d.Reasons, why)
	}
	d.Exposure, why, src.Exposure = dd.exposureOf(f, scores)
	if f.KEV == nil && dd.day != "" && src.Exploitation.Kind == ssvc.SourceNone {
		src.Exploitation.Detail = o.notYetKnown(f, dd.day)
	}
	d.Sources = dd.w.source(src)
	d.Reasons = append(d.Reasons, why)
	d.HumanImpact = dd.human
	d.Reasons = append(d.Reasons, dd.humanWhy)
	d.Outcome = ssvc.OutcomeOf(d.Exploitation, d.Exposure, d.Automatable, d.HumanImpact)
	d.Action, d.Reasons = dd.action(f, eos, d.Reasons)
	d.Score, d.Reasons = dd.score(f, d, scores, eos, d.Reasons)
	kept := dd.w.keepDecision(d)
	clear(dd.scratch[:]) // holds no strings of the finding's past
	return kept
}

// exploitation is SSVC Exploitation: active for a KEV entry; otherwise
// the highest of the CSAF exploit_status threats and the CVSS exploit
// maturity metrics. why names the evidence, src its source.
func exploitation(f *match.Finding, scores []Score) (e ssvc.Exploitation, why string, src ssvc.Source) {
	if f.KEV != nil {
		why = kevWords(f.ID, f.KEV)
		return ssvc.ExploitationActive, why, ssvc.Source{Kind: ssvc.SourceKEV, Detail: f.KEV.DateAdded}
	}
	e, src = ssvc.ExploitationNone, ssvc.Source{Kind: ssvc.SourceNone}
	for _, th := range f.Threats {
		if t := threatExploitation(th.Details); t != ssvc.ExploitationNone && t.Compare(e) > 0 {
			text := clip(th.Details, 100)
			e, why, src = t, exploitationWords(t)+" (CSAF advisory: "+text+")", ssvc.Source{Kind: ssvc.SourceCSAF, Detail: text}
		}
	}
	for _, s := range scores {
		if t, m := cvssExploitation(s); t.Compare(e) > 0 {
			e, why, src = t, fmt.Sprintf("%s (CVSS %s exploit maturity: %s)", exploitationWords(t), s.Version, maturityWords(m)), ssvc.Source{Kind: ssvc.SourceCVSS, Detail: s.Vector}
		}
	}
	return e, why, src
}

// automatableFinding is SSVC Automatable: the first CVSS vector that
// reads as automatable decides it; without any, the first vector says
// no; without a vector it is no by default.
func automatableFinding(f *match.Finding, scores []Score) (bool, string, ssvc.Source) {
	for _, s := range scores {
		if m, ok := automatable(s); ok {
			return true, automatableWords(s.Version, m), ssvc.Source{Kind: ssvc.SourceCVSS, Detail: s.Vector}
		}
	}
	if len(scores) > 0 {
		return false, "", ssvc.Source{Kind: ssvc.SourceCVSS, Detail: scores[0].Vector}
	}
	return false, "", ssvc.Source{Kind: ssvc.SourceDefault, Detail: "no CVSS vector"}
}

// exposureOf is the device's exposure (the default for a value outside
// the vocabulary), capped at small when every vector needs local or
// physical access.
func (dd *deviceDecisions) exposureOf(f *match.Finding, scores []Score) (ssvc.Exposure, string, ssvc.Source) {
	x := dd.exposure
	local := len(scores) > 0
	av := ""
	for _, s := range scores {
		v := s.Metric("AV")
		if v != "L" && v != "P" {
			local = false
			break
		}
		av = v
	}
	if local && x != ssvc.ExposureSmall {
		return ssvc.ExposureSmall, fmt.Sprintf("exposure: small (%s needs local or physical access, AV:%s)", f.ID, av),
			ssvc.Source{Kind: ssvc.SourceCVSS, Detail: scores[0].Vector}
	}
	return x, dd.exposureWhy, dd.exposureSrc
}

// humanImpact joins the device's safety and mission impact (the defaults'
// join when either is outside the vocabulary).
func humanImpact(c *ssvc.Context) (ssvc.HumanImpact, string) {
	h := ssvc.HumanImpactOf(c.Safety, c.Mission)
	if h == "" {
		h = ssvc.HumanImpactOf(ssvc.DefaultSafety, ssvc.DefaultMission)
	}
	return h, humanWords(c)
}

// action reads the remediations: a manufacturer fix means patch; no fix
// planned or a component past its end of support (eos) isolate or
// replace; a workaround or mitigation only mitigate; else ask the
// manufacturer. The reasons are appended to why.
func (dd *deviceDecisions) action(f *match.Finding, eos bool, why []string) (ssvc.Action, []string) {
	var a ssvc.Action
	switch {
	case vendorFix(f):
		a, why = ssvc.ActionPatch, append(why, "manufacturer fix available")
	case hasRemediation(f, "no_fix_planned") || eos:
		a = ssvc.ActionIsolateReplace
		if hasRemediation(f, "no_fix_planned") {
			why = append(why, "no fix planned by the manufacturer")
		}
	case hasRemediation(f, "workaround") || hasRemediation(f, "mitigation"):
		a, why = ssvc.ActionMitigate, append(why, "only a workaround or mitigation is published")
	case len(f.Fixed) > 0:
		a, why = ssvc.ActionAskManufacturer, append(why, dd.upstreamFixed(f.Fixed))
	default:
		a, why = ssvc.ActionAskManufacturer, append(why, "no fix known")
	}
	if eos {
		why = append(why, "component past end of support "+f.Component.EndOfSupport)
	}
	return a, why
}

// score places the finding within its outcome's band (see Options.Rank):
// the band's base plus the device's human impact and units terms and the
// finding's exploitation, EPSS, severity, exposure and end-of-support
// terms. The EPSS reason is appended to why.
func (dd *deviceDecisions) score(f *match.Finding, d *ssvc.Decision, scores []Score, eos bool, why []string) (float64, []string) {
	pts := dd.humanPts + exploitationPoints(d.Exploitation) + exposurePoints(d.Exposure) + dd.unitsPts
	if f.EPSS != nil {
		pts += 3 * min(1, max(0, f.EPSS.Percentile))
		why = append(why, EPSSWords(f.EPSS))
	}
	pts += 3 * severityBase(f, scores) / 10
	if eos {
		pts += 0.4
	}
	return round1(25*float64(d.Outcome.Level()) + min(23.9, pts)), why
}

// humanPoints is the human impact term of the score: 3 per level of
// human impact (low 0 to very high 9) plus 1 per level of safety impact
// (negligible 0 to catastrophic 3), so that safety leads within a level.
// A safety outside the vocabulary counts as the default.
func humanPoints(h ssvc.HumanImpact, s ssvc.Safety) float64 {
	if s.Level() < 0 {
		s = ssvc.DefaultSafety
	}
	return float64(3*max(0, h.Level()) + s.Level())
}

// exploitationPoints is the exploitation term: active (a KEV entry, a
// CSAF threat, CVSS E:A) 3, proof of concept 1.5, none 0.
func exploitationPoints(e ssvc.Exploitation) float64 {
	return 1.5 * float64(max(0, e.Level()))
}

// exposurePoints is the exposure term: small 0, controlled 0.75, open 1.5.
func exposurePoints(x ssvc.Exposure) float64 {
	return 0.75 * float64(max(0, x.Level()))
}

// unitsPoints is the units term: log10(units)/2, at most 1 (1 unit 0, 10
// units 0.5, 100 or more 1).
func unitsPoints(units int) float64 {
	if units <= 1 {
		return 0
	}
	return min(1, math.Log10(float64(units))/2)
}

// findingsPoints is the term of a device's number of affected findings:
// log10(n)/3, at most 1 (1 finding 0, 2 findings 0.1, 10 0.33, 104 0.67,
// 1000 or more 1).
func findingsPoints(n int) float64 {
	if n <= 1 {
		return 0
	}
	return min(1, math.Log10(float64(n))/3)
}

// severityBase is the finding's severity on the CVSS scale: the highest
// base score of its vectors, else the lowest score of the rating its
// sources wrote in words (see RatingFloor), else 0.
func severityBase(f *match.Finding, scores []Score) float64 {
	if len(scores) == 0 {
		return RatingFloor(wordRating(f.Severity).Rating)
	}
	best := 0.0
	for _, s := range scores {
		best = max(best, s.Base)
	}
	return best
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// pastEndOfSupport reports whether the finding's component reached its end
// of support on or before the as-of date.
func (o Options) pastEndOfSupport(f *match.Finding) bool {
	if o.AsOf.IsZero() || f.Component == nil || f.Component.EndOfSupport == "" {
		return false
	}
	s := f.Component.EndOfSupport
	if len(s) > 10 {
		s = s[:10]
	}
	t, err := time.Parse("2006-01-02", s)
	return err == nil && !t.After(o.AsOf)
}
