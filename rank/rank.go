package rank

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// Options holds what the ranking needs besides the scan results.
type Options struct {
	// Exploits holds the KEV and EPSS data; nil means none.
	Exploits *Exploits
	// AsOf is the date the ranking is made for (end of support is judged
	// against it). The ranking never reads the clock; the zero time
	// means no component is judged past its end of support.
	AsOf time.Time
}

// Rank decides every affected finding with the SSVC deployer tree, sets
// each device's priority (the most urgent outcome of its affected
// findings, ssvc.PriorityNone without any), score and reasons, sorts the
// devices and numbers them from 1. A device without a context gets
// ssvc.DefaultContext. Ranking again (after Assign, with other
// exploitation data) decides everything anew.
//
// A KEV entry counts only from its dateAdded, and an EPSS score from its
// score date, on (calendar days, against AsOf): before that the finding
// has neither, as nobody knew them yet. A zero AsOf uses every entry.
//
// Within a priority band devices are ordered by what a hospital weighs,
// in this order of weight: human impact (safety first), exploitation
// evidence (KEV, EPSS), severity, exposure and units, the number of
// affected findings. A finding's score is its outcome band's base (defer
// 0, scheduled 25, out-of-cycle 50, immediate 75) plus at most 23.9:
//
//	human impact   3 x level (low 0 .. very high 3) + safety level
//	               (negligible 0 .. catastrophic 3)        0 - 12
//	exploitation   active 3 (KEV, CSAF, CVSS E:A), poc 1.5,
//	               + 3 x the EPSS percentile                0 - 6
//	severity       3 x the highest CVSS base score / 10, or the lowest
//	               score of the source's own rating         0 - 3
//	exposure       small 0, controlled 0.75, open 1.5,
//	               + units: log10(units) / 2, at most 1     0 - 2.5
//	end of support 0.4 when the component is past it        0 - 0.4
//
// A device's score is its most urgent finding's score (the highest within
// the device's priority) plus log10(affected findings) / 3, at most 1 (2
// findings 0.1, 104 findings 0.67), rounded to 0.1.
//
// The order is total: priority, score, then (each higher first) human
// impact, safety impact, mission impact, a KEV entry present, exposure,
// units, the number of affected findings, a manufacturer fix available
// (first), then device id.
//
// A device whose ranking fails (a panic, a defect that must not end the
// run) is left out of ranked and listed in failed, naming its SBOM, so
// that it is reported rather than shown unranked. ranked reuses results'
// array: when nothing fails it is results itself, sorted in place.
func (o Options) Rank(results []*match.DeviceResult) (ranked []*match.DeviceResult, failed []*match.DeviceError) {
	// Devices are decided independently. The same vectors come back on
	// every device that has the component: each worker parses each once.
	errs := pool.Each(context.Background(), len(results), 0, newWorkerCache,
		func(cache *workerCache, i int) error {
			o.rankDevice(results[i], cache)
			return nil
		})
	if errs != nil {
		kept := results[:0]
		for i, r := range results {
			if errs[i] != nil {
				failed = append(failed, &match.DeviceError{Path: r.Device.Path, Device: r.Device.Name, Err: fmt.Errorf("ranking: %w", errs[i])})
				continue
			}
			kept = append(kept, r)
		}
		results = kept
	}
	keys := make([]deviceKey, len(results))
	for i, r := range results {
		keys[i] = deviceKey{r: r, kev: hasKEV(r), ranked: countRanked(r), fix: hasVendorFix(r)}
	}
	slices.SortStableFunc(keys, compareDevices)
	for i := range keys {
		results[i] = keys[i].r
		results[i].Rank = i + 1
	}
	return results, failed
}

// deviceKey is a device with what its order needs from its findings,
// counted once: compareDevices's cmp.Or evaluates every argument, and
// counting the findings in each comparison was 30 ms of a 100k-workload
// scan on one core (200 devices, 480 findings each).
type deviceKey struct {
	r        *match.DeviceResult
	kev, fix bool
	ranked   int
}

// compareDevices is the order of Rank, the most urgent first.
func compareDevices(ka, kb deviceKey) int {
	a, b := ka.r, kb.r
	ha, hb := ssvc.HumanImpactOf(a.Context.Safety, a.Context.Mission), ssvc.HumanImpactOf(b.Context.Safety, b.Context.Mission)
	return cmp.Or(
		-a.Priority.Compare(b.Priority),
		-cmp.Compare(a.Score, b.Score),
		-ha.Compare(hb),
		-a.Context.Safety.Compare(b.Context.Safety),
		-a.Context.Mission.Compare(b.Context.Mission),
		-cmpBool(ka.kev, kb.kev),
		-a.Context.Exposure.Compare(b.Context.Exposure),
		-cmp.Compare(a.Context.Units, b.Context.Units),
		-cmp.Compare(ka.ranked, kb.ranked),
		-cmpBool(ka.fix, kb.fix),
		strings.Compare(a.ID, b.ID),
	)
}

// countRanked is the number of the device's findings that take part in
// the ranking.
func countRanked(r *match.DeviceResult) int {
	n := 0
	for _, f := range r.Findings {
		if counted(f) {
			n++
		}
	}
	return n
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func hasKEV(r *match.DeviceResult) bool {
	return slices.ContainsFunc(r.Findings, func(f *match.Finding) bool { return counted(f) && f.KEV != nil })
}

func hasVendorFix(r *match.DeviceResult) bool {
	return slices.ContainsFunc(r.Findings, func(f *match.Finding) bool { return counted(f) && vendorFix(f) })
}

func vendorFix(f *match.Finding) bool { return hasRemediation(f, "vendor_fix") }

func hasRemediation(f *match.Finding, cat string) bool {
	return slices.ContainsFunc(f.Remediations, func(r advisory.Remediation) bool { return r.Category == cat })
}

// rankDevice decides the device's findings and sets its priority, score
// and reasons.
func (o Options) rankDevice(r *match.DeviceResult, cache *workerCache) {
	if r.Context == nil {
		r.Context = ssvc.DefaultContext()
	}
	r.Priority, r.Score, r.Reasons = ssvc.PriorityNone, 0, nil
	dx := disclose(r) // may replace r.Context: the exposure by design
	c := r.Context
	day := ""
	if !o.AsOf.IsZero() {
		day = o.AsOf.UTC().Format("2006-01-02")
	}
	affected := 0
	var warmth byte
	for i, f := range r.Findings {
		if i%warmAhead == 0 {
			warmth ^= warm(r.Findings[i:min(i+warmAhead, len(r.Findings))])
		}
		f.KEV, f.EPSS = o.Exploits.lookupOn(f, day)
		f.Decision = nil
		if counted(f) {
			affected++
		}
	}
	dd := newDeviceDecisions(c, cache)
	dd.dx, dd.day, dd.affected = dx, day, affected
	var top *match.Finding
	topLevel := 0 // top's outcome level
	// counts[l+1] counts the outcomes of level l (-1: not an outcome,
	// which OutcomeOf does not return); a map was a hash per finding.
	var counts [numOutcomes + 1]int
	for _, f := range r.Findings {
		if !counted(f) {
			continue
		}
		f.Decision = o.decide(f, dd)
		l := f.Decision.Outcome.Level()
		counts[l+1]++
		if top == nil || l > topLevel || (f.Decision.Outcome == top.Decision.Outcome && f.Decision.Score > top.Decision.Score) {
			top, topLevel = f, l
		}
	}
	if top != nil {
		r.Priority, r.Score = top.Decision.Outcome.Priority(), round1(top.Decision.Score+findingsPoints(affected))
		var parts []string
		for _, o := range urgentFirst {
			if n := counts[o.Level()+1]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, o))
			}
		}
		r.Reasons = append(r.Reasons, top.Decision.Reasons...)
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d affected finding(s) (%s), the most urgent %s in %s", affected, strings.Join(parts, ", "), top.ID, componentName(top)))
	}
	if a := acceptedReason(r); a != "" {
		r.Reasons = append(r.Reasons, a)
	}
	if u := r.Count(match.Unknown); u > 0 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d finding(s) could not be decided (status unknown)", u))
	}
	if top != nil {
		r.Reasons = append(r.Reasons, otherDefaults(c)...)
	}
	r.Reasons = append(r.Reasons, dx.reasons(top != nil)...)
	cache.warmth ^= warmth
}

// warmAhead is the number of findings warm reads ahead of the ranking.
const warmAhead = 64

// warm reads a byte of each string of fs the ranking reads that lives
// apart from the finding (the matched record's id, vector and fixed
// version, each an allocation of its own, scattered over the heap, and
// the component's end of support), and returns them mixed. The ranking of a finding reads them one after the
// other, each a cache miss that stalls it; here the loads of many
// findings are independent and the processor has many misses in flight
// at once, so the ranking finds them in the cache. `bomrank scan --db
// -f json` of the 100k workload, CPU profiles of 6 interleaved runs each
// (machine under load): rankDevice 0.57 -> 0.39 s (warm 0.05 s of it).
// TestWarm holds it to the bytes it names, on findings with empty
// fields too.
func warm(fs []*match.Finding) byte {
	var x byte
	for _, f := range fs {
		x ^= head(f.ID)
		if len(f.Severity) > 0 {
			x ^= head(f.Severity[0].Type) ^ head(f.Severity[0].Score)
		}
		if len(f.Fixed) > 0 {
			x ^= head(f.Fixed[0])
		}
		if c := f.Component; c != nil { // pastEndOfSupport
			x ^= head(c.EndOfSupport)
		}
	}
	return x
}

// head is the first byte of s, 0 for "".
func head(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// workerCache is what one ranking goroutine keeps from device to device.
type workerCache struct {
	scores scoreCache
	fixes  map[string]string // see deviceDecisions.upstreamFixed
	warmth byte              // keeps what warm read (so that it is read)
	sharing
}

func newWorkerCache() *workerCache {
	return &workerCache{scores: scoreCache{}, fixes: map[string]string{}}
}

// notYetKnown is the exploitation source's detail of a finding without
// exploitation evidence that has a KEV entry added after day (the as-of
// date): it was not known yet on that date. "" when it has none.
func (o Options) notYetKnown(f *match.Finding, day string) string {
	if k, _ := o.Exploits.lookup(f); k != nil {
		return "KEV entry added " + k.DateAdded + ", after the as-of date " + day
	}
	return ""
}

// numOutcomes is the number of SSVC outcomes (TestNumOutcomes).
const numOutcomes = 4

// urgentFirst lists the outcomes from the most urgent.
var urgentFirst = func() []ssvc.Outcome {
	o := ssvc.Outcomes()
	slices.Reverse(o)
	return o
}()

func componentName(f *match.Finding) string {
	if f.Component == nil {
		return ""
	}
	if f.Component.Version != "" {
		return f.Component.Name + " " + f.Component.Version
	}
	return f.Component.Name
}

// otherDefaults lists the defaults taken that no reason names already:
// the exposure, safety and mission reasons say "(default: ...)"
// themselves, so only the others (units) are added, each once.
func otherDefaults(c *ssvc.Context) []string {
	var out []string
	for _, d := range c.Defaulted {
		if !strings.HasPrefix(d, "exposure ") && !strings.HasPrefix(d, "safety ") && !strings.HasPrefix(d, "mission ") {
			out = append(out, d)
		}
	}
	return out
}
