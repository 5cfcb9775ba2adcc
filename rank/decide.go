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
// automatable, exposure, human impact, two of action, EPSS;
// typicalReasons is the usual number (automatable or EPSS, exposure,
// human impact, action).
const maxReasons, typicalReasons = 7, 5

// deviceDecisions holds what the decisions of one device's findings
// share, made once per device: the reasons that do not depend on the
// finding, and the storage of the decisions and their reasons. On the
// 600k workload (817,000 affected findings) one allocation per decision
// and per reason, most of them the same few strings, made the ranking
// take three times as long per finding as on the 100k workload: fresh
// memory for a growing heap is what costs there. (A per-device map of
// the upstream-fix reasons was tried and dropped: nearly every finding of
// a device has a fix of its own, and the map cost 0.75 s of CPU there.)
type deviceDecisions struct {
	c           *ssvc.Context
	exposure    ssvc.Exposure
	exposureWhy string
	exposureSrc ssvc.Source
	human       ssvc.HumanImpact
	humanWhy    string
	// humanPts and unitsPts are the device's terms of the score.
	humanPts, unitsPts float64
	decisions          []ssvc.Decision
	reasons            []string // the reasons kept, and room for more
	kept               int      // the number of reasons kept
	scratch            [maxReasons]string
	cache              scoreCache
	// lastSev is the last single severity scored, lastScores its
	// scores (see scores).
	lastSev    advisory.Severity
	lastScores []Score
	hasLast    bool
	// fixes holds the worker's reasons of findings fixed upstream, by
	// version (see upstreamFixed); nil keeps none.
	fixes   map[string]string
	decided int
	// sources holds one value of each set of decision sources met on
	// the device, shared by its findings (see ssvc.Decision.Sources).
	sources map[ssvc.Sources]*ssvc.Sources
	// lastSources is the value shared returned last.
	lastSources *ssvc.Sources
}

// newDeviceDecisions prepares the decisions of n affected findings on a
// device with context c.
func newDeviceDecisions(c *ssvc.Context, n int, cache scoreCache) *deviceDecisions {
	dd := &deviceDecisions{c: c, cache: cache, decisions: make([]ssvc.Decision, n)}
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
	return dd
}

// next returns the storage of the next decision, its Reasons the empty
// scratch list (keep moves them to the device's storage).
func (dd *deviceDecisions) next() *ssvc.Decision {
	var d *ssvc.Decision
	if dd.decided < len(dd.decisions) {
		d = &dd.decisions[dd.decided]
		dd.decided++
	} else {
		d = &ssvc.Decision{}
	}
	d.Reasons = dd.scratch[:0]
	return d
}

// shared returns the device's one value equal to src. The value is
// allocated only when src is new: taking &src up front made every
// decision allocate one (96 bytes a finding, 7.8 MB of the 38 MB the
// ranking of the 100k benchmark allocated, match.BenchmarkRank).
//
// The last value returned is compared first: a device's findings mostly
// have the same sources, whose strings are the device's and the score
// cache's (equal by address, compared without reading them), while the
// map hashes every byte of the six strings (a vector among them).
// BenchmarkRankDB in report (the 100k scan ranked again, CPU profile of
// 40 rankings): shared 0.23 s of 4.5 s before, 0.03 s after.
func (dd *deviceDecisions) shared(src ssvc.Sources) *ssvc.Sources {
	if dd.lastSources != nil && src == *dd.lastSources {
		return dd.lastSources
	}
	p, ok := dd.sources[src]
	if !ok {
		if dd.sources == nil {
			dd.sources = map[ssvc.Sources]*ssvc.Sources{}
		}
		p = new(ssvc.Sources)
		*p = src
		dd.sources[src] = p
	}
	dd.lastSources = p
	return p
}

// keep copies a decision's reasons from the scratch list into the
// device's storage, taking exactly as many slots as there are reasons
// (a finding has typicalReasons or so of the maxReasons possible: room
// for every one would hold 40 MB more through the report on the 600k
// workload). When the storage is full a new block is started for the
// findings left; the reasons already kept stay where they are.
//
// The first block is made for the first finding: room for as many
// reasons per finding as it has, typicalReasons at most; a later block
// for as many as the findings kept so far had on average. The findings
// of a device are alike: on the 100k workload every one has four reasons,
// and room for five left 1.3 MB unused through the report.
func (dd *deviceDecisions) keep(rs []string) []string {
	if len(rs) > cap(dd.reasons)-len(dd.reasons) {
		left := len(dd.decisions) - dd.decided + 1 // this one and those to come
		per := min(len(rs), typicalReasons)
		if done := dd.decided - 1; done > 0 {
			per = (dd.kept + done - 1) / done
		}
		dd.reasons = make([]string, 0, max(len(rs), left*per))
	}
	start := len(dd.reasons)
	dd.reasons = append(dd.reasons, rs...)
	dd.kept += len(rs)
	clear(rs)
	return dd.reasons[start:len(dd.reasons):len(dd.reasons)]
}

// scores is dd.cache.scores(sevs), remembering the last single severity:
// comparing it with the next finding's is cheaper than hashing that one
// for the cache (each record has its own copy of its vector, read from
// memory nothing else touched lately), and a device's findings come in
// runs of the same vector. On match.BenchmarkRank (100k workload) the
// cache's hashing was a third of the ranking's CPU time.
func (dd *deviceDecisions) scores(sevs []advisory.Severity) []Score {
	if len(sevs) != 1 {
		return dd.cache.scores(sevs)
	}
	if !dd.hasLast || sevs[0] != dd.lastSev {
		dd.lastSev, dd.lastScores, dd.hasLast = sevs[0], dd.cache.scores(sevs), true
	}
	return dd.lastScores
}

// upstreamFixed is the reason of a finding fixed upstream in the
// versions fixed. The reason of a single version is kept in the worker's
// fixes and shared by the findings fixed in that version: the 100k
// benchmark's 82,000 findings are fixed in 1,623 distinct versions, and
// a fresh string each was 3.9 MB of the 38 MB the ranking allocated
// (match.BenchmarkRank). fixes holds at most maxFixes reasons.
func (dd *deviceDecisions) upstreamFixed(fixed []string) string {
	one := len(fixed) == 1 && dd.fixes != nil
	if one {
		if why, ok := dd.fixes[fixed[0]]; ok {
			return why
		}
	}
	why := "no manufacturer fix; upstream fixed in " + strings.Join(fixed, ", ")
	if one && len(dd.fixes) < maxFixes {
		dd.fixes[fixed[0]] = why
	}
	return why
}

// maxFixes bounds a worker's upstreamFixed reasons (about 100 bytes
// each).
const maxFixes = 1 << 13

// decide applies the SSVC deployer tree to one affected finding of the
// device. Each decision point adds its reasons in turn: exploitation,
// automatable, exposure, human impact, action, score.
func (o Options) decide(f *match.Finding, dd *deviceDecisions) *ssvc.Decision {
	scores := dd.scores(f.Severity)
	d := dd.next()
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
	d.Sources = dd.shared(src)
	d.Reasons = append(d.Reasons, why)
	d.HumanImpact = dd.human
	d.Reasons = append(d.Reasons, dd.humanWhy)
	d.Outcome = ssvc.OutcomeOf(d.Exploitation, d.Exposure, d.Automatable, d.HumanImpact)
	eos := o.pastEndOfSupport(f)
	d.Action, d.Reasons = dd.action(f, eos, d.Reasons)
	d.Score, d.Reasons = dd.score(f, d, scores, eos, d.Reasons)
	d.Reasons = dd.keep(d.Reasons)
	return d
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
