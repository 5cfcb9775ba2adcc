package match

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bomrank/bomrank/advisory"
)

// Context is what the hospital knows about one device: the SSVC decision
// points that come from the deployment, not from the vulnerability.
type Context struct {
	// AssetID and Location come from the inventory.
	AssetID, Location string
	// Exposure is ExposureSmall, ExposureControlled or ExposureOpen.
	Exposure string
	// Safety is one of the Safety* values, Mission one of the Mission*
	// values.
	Safety, Mission string
	// Units is the number of physical devices the entry stands for (at
	// least 1).
	Units int
	// Defaulted lists one line per value that was not given and took its
	// default, e.g. "safety impact critical (default: not in the
	// inventory)".
	Defaulted []string
}

// Defaults of the device context, used for values an inventory leaves
// empty and for devices without an inventory. Safety and mission default
// to a cautious middle (a medical device whose role nobody wrote down is
// assumed to matter) and say so in the reasons.
const (
	DefaultExposure = ExposureControlled
	DefaultSafety   = SafetyCritical
	DefaultMission  = MissionCrippled
)

// DefaultContext returns the context of a device nobody described: every
// value defaulted, one unit.
func DefaultContext() *Context {
	return &Context{
		Exposure: DefaultExposure, Safety: DefaultSafety, Mission: DefaultMission, Units: 1,
		Defaulted: []string{
			"exposure " + DefaultExposure + " (default: no inventory)",
			"safety impact " + DefaultSafety + " (default: no inventory)",
			"mission impact " + DefaultMission + " (default: no inventory)",
		},
	}
}

// Decision is the SSVC deployer decision for one affected finding on one
// device.
type Decision struct {
	// Exploitation is ExploitationNone, ExploitationPoC or
	// ExploitationActive.
	Exploitation string
	// Automatable is the SSVC Automatable decision point.
	Automatable bool
	// Exposure is the device's exposure, capped at small when the
	// vulnerability needs local or physical access.
	Exposure string
	// HumanImpact is one of the Human* values.
	HumanImpact string
	// Outcome is the deployer outcome (OutcomeDefer .. OutcomeImmediate).
	Outcome string
	// Action is what to do: ActionPatch, ActionMitigate,
	// ActionAskManufacturer or ActionIsolateReplace.
	Action string
	// Score is 0-100 within the outcome's band (see RankOptions.Rank).
	Score float64
	// Reasons lists one line per rule that fired.
	Reasons []string
}

// The action types of a finding.
const (
	// ActionPatch: the manufacturer ships a fix (CSAF vendor_fix).
	ActionPatch = "patch"
	// ActionMitigate: only a workaround or mitigation is published.
	ActionMitigate = "mitigate"
	// ActionAskManufacturer: no manufacturer fix is known, but the
	// component is fixed upstream (or nothing is known yet).
	ActionAskManufacturer = "ask-manufacturer"
	// ActionIsolateReplace: no fix is planned, or the component is past
	// its end of support.
	ActionIsolateReplace = "isolate-replace"
)

// Exploits holds the exploitation feeds by CVE id: CISA KEV entries and
// FIRST EPSS scores.
type Exploits struct {
	kev  map[string]*advisory.KEV
	epss map[string]*advisory.EPSS
	// Feeds records the versions of the feeds read.
	Feeds FeedVersions
}

// FeedVersions names the exploitation feeds a ranking used.
type FeedVersions struct {
	// KEVCatalog is the KEV catalogVersion and KEVReleased its
	// dateReleased; KEVEntries counts the entries read.
	KEVCatalog, KEVReleased string
	KEVEntries              int
	// EPSSModel and EPSSDate are the EPSS model_version and score_date;
	// EPSSScores counts the scores read.
	EPSSModel, EPSSDate string
	EPSSScores          int
}

// NewExploits indexes KEV entries and EPSS scores (as advisory.Load
// returns them). When several catalogs or score files were read, the
// entry read last wins and the versions are those of the newest catalog
// and score date.
func NewExploits(kev []advisory.KEV, epss []advisory.EPSS) *Exploits {
	x := &Exploits{kev: make(map[string]*advisory.KEV, len(kev)), epss: make(map[string]*advisory.EPSS, len(epss))}
	for i := range kev {
		k := &kev[i]
		x.kev[strings.ToUpper(k.CVE)] = k
		if k.Catalog > x.Feeds.KEVCatalog {
			x.Feeds.KEVCatalog, x.Feeds.KEVReleased = k.Catalog, k.Released
		}
	}
	for i := range epss {
		e := &epss[i]
		x.epss[strings.ToUpper(e.CVE)] = e
		if e.Date > x.Feeds.EPSSDate {
			x.Feeds.EPSSDate, x.Feeds.EPSSModel = e.Date, e.Model
		}
	}
	x.Feeds.KEVEntries, x.Feeds.EPSSScores = len(x.kev), len(x.epss)
	return x
}

// lookup returns the KEV entry and the EPSS score (the highest
// percentile) for the finding's id or any alias.
func (x *Exploits) lookup(f *Finding) (*advisory.KEV, *advisory.EPSS) {
	if x == nil {
		return nil, nil
	}
	var k *advisory.KEV
	var e *advisory.EPSS
	for i := -1; i < len(f.Aliases); i++ {
		id := f.ID
		if i >= 0 {
			id = f.Aliases[i]
		}
		if !strings.HasPrefix(id, "CVE-") {
			continue
		}
		if kk, ok := x.kev[id]; ok && k == nil {
			k = kk
		}
		if ee, ok := x.epss[id]; ok && (e == nil || ee.Percentile > e.Percentile) {
			e = ee
		}
	}
	return k, e
}

// RankOptions holds what the ranking needs besides the scan results.
type RankOptions struct {
	// Exploits holds the KEV and EPSS data; nil means none.
	Exploits *Exploits
	// AsOf is the date the ranking is made for (end of support is judged
	// against it). The ranking never reads the clock; the zero time
	// means no component is judged past its end of support.
	AsOf time.Time
}

// Rank orders devices for patching with default options (no KEV or EPSS
// data). See RankOptions.Rank.
func Rank(results []*DeviceResult) { RankOptions{}.Rank(results) }

// Rank decides every affected finding with the SSVC deployer tree, sets
// each device's priority (the most urgent outcome of its affected
// findings, "none" without any), score and reasons, sorts the devices and
// numbers them from 1.
//
// A finding's score is its outcome band's base (defer 0, scheduled 25,
// out-of-cycle 50, immediate 75) plus up to 24.9: 10 x the EPSS
// percentile, 8 x the highest CVSS base score / 10, 4 x the device's units
// on a log scale (1 unit 0, 100 units or more 4) and 3 when the component
// is past its end of support. A device's score is the highest score of its
// findings, so it never grows with the size of the SBOM.
//
// The order is total: priority, score, KEV entry present, safety impact,
// exposure, units (each higher first), a manufacturer fix available
// (first), then device id.
func (o RankOptions) Rank(results []*DeviceResult) {
	// Devices are decided independently, on GOMAXPROCS goroutines. The
	// same vectors come back on every device that has the component: each
	// goroutine parses each once.
	workers := min(runtime.GOMAXPROCS(0), max(len(results)/8, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			cache := map[advisory.Severity]scoreResult{}
			for i := w; i < len(results); i += workers {
				o.rankDevice(results[i], cache)
			}
		})
	}
	wg.Wait()
	slices.SortStableFunc(results, func(a, b *DeviceResult) int {
		return cmp.Or(
			-cmp.Compare(outcomeLevel(a.Priority), outcomeLevel(b.Priority)),
			-cmp.Compare(a.Score, b.Score),
			-cmpBool(hasKEV(a), hasKEV(b)),
			-cmp.Compare(indexOf(safeties, a.Context.Safety), indexOf(safeties, b.Context.Safety)),
			-cmp.Compare(indexOf(exposures, a.Context.Exposure), indexOf(exposures, b.Context.Exposure)),
			-cmp.Compare(a.Context.Units, b.Context.Units),
			-cmpBool(hasVendorFix(a), hasVendorFix(b)),
			strings.Compare(a.ID, b.ID),
		)
	})
	for i, r := range results {
		r.Rank = i + 1
	}
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

func hasKEV(r *DeviceResult) bool {
	return slices.ContainsFunc(r.Findings, func(f *Finding) bool { return f.Status == Affected && f.KEV != nil })
}

func hasVendorFix(r *DeviceResult) bool {
	return slices.ContainsFunc(r.Findings, func(f *Finding) bool { return f.Status == Affected && vendorFix(f) })
}

func vendorFix(f *Finding) bool {
	return slices.ContainsFunc(f.Remediations, func(r advisory.Remediation) bool { return r.Category == "vendor_fix" })
}

type scoreResult struct {
	s  Score
	ok bool
}

func (o RankOptions) rankDevice(r *DeviceResult, cache map[advisory.Severity]scoreResult) {
	if r.Context == nil {
		r.Context = DefaultContext()
	}
	c := r.Context
	r.Priority, r.Score, r.Reasons = "none", 0, nil
	var top *Finding
	counts := map[string]int{}
	affected := 0
	for _, f := range r.Findings {
		f.KEV, f.EPSS = o.Exploits.lookup(f)
		f.Decision = nil
		if f.Status != Affected {
			continue
		}
		affected++
		f.Decision = o.decide(f, c, cache)
		counts[f.Decision.Outcome]++
		if top == nil || outcomeLevel(f.Decision.Outcome) > outcomeLevel(top.Decision.Outcome) ||
			(f.Decision.Outcome == top.Decision.Outcome && f.Decision.Score > top.Decision.Score) {
			top = f
		}
	}
	if top != nil {
		r.Priority, r.Score = top.Decision.Outcome, top.Decision.Score
		var parts []string
		for i := len(outcomes) - 1; i >= 0; i-- {
			if n := counts[outcomes[i]]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, outcomes[i]))
			}
		}
		r.Reasons = append(r.Reasons, top.Decision.Reasons...)
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d affected finding(s): %s; highest %s in %s", affected, strings.Join(parts, ", "), top.ID, componentName(top)))
	}
	if u := r.Count(Unknown); u > 0 {
		r.Reasons = append(r.Reasons, fmt.Sprintf("%d finding(s) could not be decided (status unknown)", u))
	}
	if top != nil {
		r.Reasons = append(r.Reasons, c.Defaulted...)
	}
}

func componentName(f *Finding) string {
	if f.Component == nil {
		return ""
	}
	if f.Component.Version != "" {
		return f.Component.Name + " " + f.Component.Version
	}
	return f.Component.Name
}

// decide applies the SSVC deployer tree to one affected finding.
func (o RankOptions) decide(f *Finding, c *Context, cache map[advisory.Severity]scoreResult) *Decision {
	d := &Decision{}
	var scores []Score
	for _, s := range f.Severity {
		res, hit := cache[s]
		if !hit {
			res.s, res.ok = ParseScore(s)
			if cache != nil {
				cache[s] = res
			}
		}
		if res.ok {
			scores = append(scores, res.s)
		}
	}

	// Exploitation.
	d.Exploitation = ExploitationNone
	why := ""
	switch {
	case f.KEV != nil:
		d.Exploitation = ExploitationActive
		why = fmt.Sprintf("%s in KEV since %s", kevID(f), f.KEV.DateAdded)
		if f.KEV.Ransomware {
			why += ", known ransomware use"
		}
	default:
		for _, th := range f.Threats {
			if e := threatExploitation(th.Details); e != ExploitationNone && indexOf(exploitations, e) > indexOf(exploitations, d.Exploitation) {
				d.Exploitation, why = e, "CSAF exploit_status: "+clip(th.Details, 100)
			}
		}
		for _, s := range scores {
			e, m := cvssExploitation(s)
			if indexOf(exploitations, e) > indexOf(exploitations, d.Exploitation) {
				d.Exploitation, why = e, fmt.Sprintf("CVSS %s E:%s", s.Version, m)
			}
		}
	}
	if d.Exploitation != ExploitationNone {
		d.Reasons = append(d.Reasons, fmt.Sprintf("exploitation %s: %s", d.Exploitation, why))
	}

	// Automatable.
	for _, s := range scores {
		if m, ok := automatable(s); ok {
			d.Automatable = true
			d.Reasons = append(d.Reasons, fmt.Sprintf("automatable: %s %s (CVSS %s)", f.ID, m, s.Version))
			break
		}
	}

	// Exposure, capped when every vector needs local or physical access.
	d.Exposure = c.Exposure
	if indexOf(exposures, d.Exposure) < 0 {
		d.Exposure = DefaultExposure
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
	if local && d.Exposure != ExposureSmall {
		d.Reasons = append(d.Reasons, fmt.Sprintf("exposure capped at small: %s needs local or physical access (AV:%s)", f.ID, av))
		d.Exposure = ExposureSmall
	} else {
		d.Reasons = append(d.Reasons, "exposure "+d.Exposure)
	}

	// Human impact.
	d.HumanImpact = HumanImpact(c.Safety, c.Mission)
	if d.HumanImpact == "" {
		d.HumanImpact = HumanImpact(DefaultSafety, DefaultMission)
	}
	d.Reasons = append(d.Reasons, fmt.Sprintf("human impact %s: safety %s, mission %s", d.HumanImpact, c.Safety, c.Mission))

	d.Outcome = Outcome(d.Exploitation, d.Exposure, d.Automatable, d.HumanImpact)

	// Action.
	eos := o.pastEndOfSupport(f)
	switch {
	case vendorFix(f):
		d.Action = ActionPatch
		d.Reasons = append(d.Reasons, "manufacturer fix available (vendor_fix)")
	case hasRemediation(f, "no_fix_planned") || eos:
		d.Action = ActionIsolateReplace
		if hasRemediation(f, "no_fix_planned") {
			d.Reasons = append(d.Reasons, "no fix planned by the manufacturer")
		}
	case hasRemediation(f, "workaround") || hasRemediation(f, "mitigation"):
		d.Action = ActionMitigate
		d.Reasons = append(d.Reasons, "only a workaround or mitigation is published")
	default:
		d.Action = ActionAskManufacturer
		if len(f.Fixed) > 0 {
			d.Reasons = append(d.Reasons, "no manufacturer fix; upstream fixed in "+strings.Join(f.Fixed, ", "))
		} else {
			d.Reasons = append(d.Reasons, "no fix known")
		}
	}
	if eos {
		d.Reasons = append(d.Reasons, "component past end of support "+f.Component.EndOfSupport)
	}

	// Score within the band.
	extra := 0.0
	if f.EPSS != nil {
		extra += 10 * f.EPSS.Percentile
		d.Reasons = append(d.Reasons, fmt.Sprintf("EPSS %.5f (percentile %.5f) on %s", f.EPSS.Score, f.EPSS.Percentile, f.EPSS.Date))
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
	d.Score = math.Round((25*float64(outcomeLevel(d.Outcome))+min(24.9, extra))*10) / 10
	return d
}

func kevID(f *Finding) string {
	return f.KEV.CVE
}

func hasRemediation(f *Finding, cat string) bool {
	return slices.ContainsFunc(f.Remediations, func(r advisory.Remediation) bool { return r.Category == cat })
}

// pastEndOfSupport reports whether the finding's component reached its end
// of support on or before the as-of date.
func (o RankOptions) pastEndOfSupport(f *Finding) bool {
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

// cvssExploitation reads the exploit maturity metric: CVSS 3 E:P, E:F or
// E:H and CVSS 4 E:P are proof of concept; CVSS 4 E:A (attacked) is
// active; CVSS 2 E:POC, E:F, E:H are proof of concept.
func cvssExploitation(s Score) (string, string) {
	m := s.Metric("E")
	switch {
	case s.Version == "4.0" && m == "A":
		return ExploitationActive, m
	case s.Version == "4.0" && m == "P":
		return ExploitationPoC, m
	case (s.Version == "3.0" || s.Version == "3.1") && (m == "P" || m == "F" || m == "H"):
		return ExploitationPoC, m
	case s.Version == "2.0" && (m == "POC" || m == "F" || m == "H"):
		return ExploitationPoC, m
	}
	return ExploitationNone, m
}

// automatable is SSVC Automatable read from CVSS: CVSS 4 AU:Y, or
// AV:N/AC:L/PR:N/UI:N (CVSS 3) with AT:N (CVSS 4).
func automatable(s Score) (string, bool) {
	switch s.Version {
	case "4.0":
		if s.Metric("AU") == "Y" {
			return "AU:Y", true
		}
		if s.Metric("AV") == "N" && s.Metric("AC") == "L" && s.Metric("AT") == "N" && s.Metric("PR") == "N" && s.Metric("UI") == "N" {
			return "AV:N/AC:L/AT:N/PR:N/UI:N", true
		}
	case "3.0", "3.1":
		if s.Metric("AV") == "N" && s.Metric("AC") == "L" && s.Metric("PR") == "N" && s.Metric("UI") == "N" {
			return "AV:N/AC:L/PR:N/UI:N", true
		}
	}
	return "", false
}

// threatExploitation reads a CSAF exploit_status threat, which is free
// text. CISA writes "No known public exploits specifically target these
// vulnerabilities", "No known public exploitation ... has been reported to
// CISA", or "Exploits that target these vulnerabilities are publicly
// available"; the OASIS examples "Reliable exploits integrated in
// Metasploit." A negation wins; then exploitation in the wild (active);
// then exploits said to exist, exploit code or a proof of concept (poc).
// ("cannot be exploited without user interaction" is neither.)
func threatExploitation(details string) string {
	t := strings.ToLower(strings.Join(strings.Fields(details), " "))
	for _, neg := range []string{"no known", "not aware", "no public", "not known", "has not been", "have not been", "not been exploited", "no exploit"} {
		if strings.Contains(t, neg) {
			return ExploitationNone
		}
	}
	for _, a := range []string{"has been exploited", "have been exploited", "being exploited", "known to be exploited", "in the wild", "active exploitation", "actively exploited", "exploitation has been reported", "attacks have been reported"} {
		if strings.Contains(t, a) {
			return ExploitationActive
		}
	}
	for _, p := range []string{"proof of concept", "proof-of-concept", "publicly available", "exploit code", "metasploit", "exploits are", "exploits exist", "exploits integrated", "exploits target", "exploit exists", "exploit is available", "exploit is public"} {
		if strings.Contains(t, p) {
			return ExploitationPoC
		}
	}
	if slices.Contains(strings.FieldsFunc(t, func(r rune) bool { return !('a' <= r && r <= 'z') }), "poc") {
		return ExploitationPoC
	}
	return ExploitationNone
}

func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "..."
}

// Documents lists the documents (CSAF, OpenVEX, CycloneDX) the advisories
// came from, once each by id and version, sorted: the advisory versions a
// ranking used. OSV and NVD records, which have no document, are not
// listed.
func Documents(advs []*advisory.Advisory) []advisory.Document {
	seen := map[[2]string]bool{}
	var out []advisory.Document
	for _, a := range advs {
		d := a.Document
		if d == nil || seen[[2]string{d.ID, d.Version}] {
			continue
		}
		seen[[2]string{d.ID, d.Version}] = true
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b advisory.Document) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Version, b.Version))
	})
	return out
}
