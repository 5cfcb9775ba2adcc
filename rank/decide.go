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
	human       ssvc.HumanImpact
	humanWhy    string
	decisions   []ssvc.Decision
	reasons     []string // the reasons kept, and room for more
	scratch     [maxReasons]string
	cache       scoreCache
	decided     int
}

// newDeviceDecisions prepares the decisions of n affected findings on a
// device with context c.
func newDeviceDecisions(c *ssvc.Context, n int, cache scoreCache) *deviceDecisions {
	dd := &deviceDecisions{c: c, cache: cache, decisions: make([]ssvc.Decision, n), reasons: make([]string, 0, n*typicalReasons)}
	dd.exposure = c.Exposure
	if dd.exposure.Level() < 0 {
		dd.exposure = ssvc.DefaultExposure
	}
	dd.exposureWhy = "exposure " + string(dd.exposure)
	dd.human, dd.humanWhy = humanImpact(c)
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

// keep copies a decision's reasons from the scratch list into the
// device's storage, taking exactly as many slots as there are reasons
// (a finding has typicalReasons or so of the maxReasons possible: room
// for every one would hold 40 MB more through the report on the 600k
// workload). When the storage is full a new block is started for the
// findings left; the reasons already kept stay where they are.
func (dd *deviceDecisions) keep(rs []string) []string {
	if len(rs) > cap(dd.reasons)-len(dd.reasons) {
		left := len(dd.decisions) - dd.decided + 1 // this one and those to come
		dd.reasons = make([]string, 0, max(len(rs), left*typicalReasons))
	}
	start := len(dd.reasons)
	dd.reasons = append(dd.reasons, rs...)
	clear(rs)
	return dd.reasons[start:len(dd.reasons):len(dd.reasons)]
}

// decide applies the SSVC deployer tree to one affected finding of the
// device. Each decision point adds its reasons in turn: exploitation,
// automatable, exposure, human impact, action, score.
func (o Options) decide(f *match.Finding, dd *deviceDecisions) *ssvc.Decision {
	scores := dd.cache.scores(f.Severity)
	d := dd.next()
	var why string
	if d.Exploitation, why = exploitation(f, scores); d.Exploitation != ssvc.ExploitationNone {
		d.Reasons = append(d.Reasons, fmt.Sprintf("exploitation %s: %s", d.Exploitation, why))
	}
	if d.Automatable, why = automatableFinding(f, scores); d.Automatable {
		d.Reasons = append(d.Reasons, why)
	}
	d.Exposure, why = dd.exposureOf(f, scores)
	d.Reasons = append(d.Reasons, why)
	d.HumanImpact = dd.human
	d.Reasons = append(d.Reasons, dd.humanWhy)
	c := dd.c
	d.Outcome = ssvc.OutcomeOf(d.Exploitation, d.Exposure, d.Automatable, d.HumanImpact)
	eos := o.pastEndOfSupport(f)
	d.Action, d.Reasons = dd.action(f, eos, d.Reasons)
	d.Score, d.Reasons = score(f, c, scores, d.Outcome, eos, d.Reasons)
	d.Reasons = dd.keep(d.Reasons)
	return d
}

// exploitation is SSVC Exploitation: active for a KEV entry; otherwise
// the highest of the CSAF exploit_status threats and the CVSS exploit
// maturity metrics. why names the evidence.
func exploitation(f *match.Finding, scores []Score) (e ssvc.Exploitation, why string) {
	if f.KEV != nil {
		why = fmt.Sprintf("%s in KEV since %s", f.KEV.CVE, f.KEV.DateAdded)
		if f.KEV.Ransomware {
			why += ", known ransomware use"
		}
		return ssvc.ExploitationActive, why
	}
	e = ssvc.ExploitationNone
	for _, th := range f.Threats {
		if t := threatExploitation(th.Details); t != ssvc.ExploitationNone && t.Compare(e) > 0 {
			e, why = t, "CSAF exploit_status: "+clip(th.Details, 100)
		}
	}
	for _, s := range scores {
		if t, m := cvssExploitation(s); t.Compare(e) > 0 {
			e, why = t, fmt.Sprintf("CVSS %s E:%s", s.Version, m)
		}
	}
	return e, why
}

// automatableFinding is SSVC Automatable: the first CVSS vector that
// reads as automatable decides it.
func automatableFinding(f *match.Finding, scores []Score) (bool, string) {
	for _, s := range scores {
		if m, ok := automatable(s); ok {
			return true, "automatable: " + f.ID + " " + m + " (CVSS " + s.Version + ")"
		}
	}
	return false, ""
}

// exposureOf is the device's exposure (the default for a value outside
// the vocabulary), capped at small when every vector needs local or
// physical access.
func (dd *deviceDecisions) exposureOf(f *match.Finding, scores []Score) (ssvc.Exposure, string) {
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
		return ssvc.ExposureSmall, fmt.Sprintf("exposure capped at small: %s needs local or physical access (AV:%s)", f.ID, av)
	}
	return x, dd.exposureWhy
}

// humanImpact joins the device's safety and mission impact (the defaults'
// join when either is outside the vocabulary).
func humanImpact(c *ssvc.Context) (ssvc.HumanImpact, string) {
	h := ssvc.HumanImpactOf(c.Safety, c.Mission)
	if h == "" {
		h = ssvc.HumanImpactOf(ssvc.DefaultSafety, ssvc.DefaultMission)
	}
	return h, fmt.Sprintf("human impact %s: safety %s, mission %s", h, c.Safety, c.Mission)
}

// action reads the remediations: a manufacturer fix means patch; no fix
// planned or a component past its end of support (eos) isolate or
// replace; a workaround or mitigation only mitigate; else ask the
// manufacturer. The reasons are appended to why.
func (dd *deviceDecisions) action(f *match.Finding, eos bool, why []string) (ssvc.Action, []string) {
	var a ssvc.Action
	switch {
	case vendorFix(f):
		a, why = ssvc.ActionPatch, append(why, "manufacturer fix available (vendor_fix)")
	case hasRemediation(f, "no_fix_planned") || eos:
		a = ssvc.ActionIsolateReplace
		if hasRemediation(f, "no_fix_planned") {
			why = append(why, "no fix planned by the manufacturer")
		}
	case hasRemediation(f, "workaround") || hasRemediation(f, "mitigation"):
		a, why = ssvc.ActionMitigate, append(why, "only a workaround or mitigation is published")
	case len(f.Fixed) > 0:
		a, why = ssvc.ActionAskManufacturer, append(why, "no manufacturer fix; upstream fixed in "+strings.Join(f.Fixed, ", "))
	default:
		a, why = ssvc.ActionAskManufacturer, append(why, "no fix known")
	}
	if eos {
		why = append(why, "component past end of support "+f.Component.EndOfSupport)
	}
	return a, why
}

// score places the finding within its outcome's band (see Options.Rank);
// the EPSS reason is appended to why.
func score(f *match.Finding, c *ssvc.Context, scores []Score, outcome ssvc.Outcome, eos bool, why []string) (float64, []string) {
	extra := 0.0
	if f.EPSS != nil {
		extra += 10 * f.EPSS.Percentile
		why = append(why, fmt.Sprintf("EPSS %.5f (percentile %.5f) on %s", f.EPSS.Score, f.EPSS.Percentile, f.EPSS.Date))
	}
	best := 0.0
	for _, s := range scores {
		best = max(best, s.Base)
	}
	extra += 8 * best / 10
	if c.Units > 1 {
		extra += 4 * min(1, math.Log10(float64(c.Units))/2)
	}
	if eos {
		extra += 3
	}
	return math.Round((25*float64(outcome.Level())+min(24.9, extra))*10) / 10, why
}

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
