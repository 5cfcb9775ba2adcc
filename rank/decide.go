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
}

// scores returns the finding's severities that parse as CVSS vectors, in
// order. A nil cache parses every time.
func (cache scoreCache) scores(sevs []advisory.Severity) []Score {
	var out []Score
	for _, s := range sevs {
		res, hit := cache[s]
		if !hit {
			res.s, res.ok = ParseScore(s)
			if cache != nil {
				cache[s] = res
			}
		}
		if res.ok {
			out = append(out, res.s)
		}
	}
	return out
}

// decide applies the SSVC deployer tree to one affected finding on a
// device with context c. Each decision point adds its reasons in turn:
// exploitation, automatable, exposure, human impact, action, score.
func (o Options) decide(f *match.Finding, c *ssvc.Context, cache scoreCache) *ssvc.Decision {
	scores := cache.scores(f.Severity)
	d := &ssvc.Decision{}
	var why string
	if d.Exploitation, why = exploitation(f, scores); d.Exploitation != ssvc.ExploitationNone {
		d.Reasons = append(d.Reasons, fmt.Sprintf("exploitation %s: %s", d.Exploitation, why))
	}
	if d.Automatable, why = automatableFinding(f, scores); d.Automatable {
		d.Reasons = append(d.Reasons, why)
	}
	d.Exposure, why = exposure(f, c, scores)
	d.Reasons = append(d.Reasons, why)
	d.HumanImpact, why = humanImpact(c)
	d.Reasons = append(d.Reasons, why)
	d.Outcome = ssvc.OutcomeOf(d.Exploitation, d.Exposure, d.Automatable, d.HumanImpact)
	eos := o.pastEndOfSupport(f)
	d.Action, d.Reasons = action(f, eos, d.Reasons)
	d.Score, d.Reasons = score(f, c, scores, d.Outcome, eos, d.Reasons)
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
			return true, fmt.Sprintf("automatable: %s %s (CVSS %s)", f.ID, m, s.Version)
		}
	}
	return false, ""
}

// exposure is the device's exposure (the default for a value outside the
// vocabulary), capped at small when every vector needs local or physical
// access.
func exposure(f *match.Finding, c *ssvc.Context, scores []Score) (ssvc.Exposure, string) {
	x := c.Exposure
	if x.Level() < 0 {
		x = ssvc.DefaultExposure
	}
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
	return x, "exposure " + string(x)
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
func action(f *match.Finding, eos bool, why []string) (ssvc.Action, []string) {
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
