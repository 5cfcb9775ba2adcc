package match

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/purl"
	"github.com/bomrank/bomrank/sbom"
	"github.com/package-url/packageurl-go"
)

// verdict is the result of evaluating one advisory entry against one
// installed version.
type verdict struct {
	status Status // Affected, Unknown, or "" for not affected
	reason string
	fixed  string // smallest fixed version above the installed one
}

// pkgRef is a component's identity in the OSV world.
type pkgRef struct {
	eco, name, version, purl string
	parsed                   packageurl.PackageURL
}

// osvRef derives the OSV ecosystem, name and version of a component from
// its purl. Components without a purl in a known ecosystem are left to CPE
// and name matching.
func osvRef(c *sbom.Component) (pkgRef, bool) {
	if c.PURL == "" {
		return pkgRef{}, false
	}
	p, err := purl.Parse(c.PURL)
	if err != nil {
		return pkgRef{}, false
	}
	eco, name, ok := Ecosystem(p)
	if !ok {
		return pkgRef{}, false
	}
	v := p.Version
	if v == "" {
		v = c.Version
	}
	return pkgRef{eco: eco, name: name, version: v, purl: c.PURL, parsed: p}, true
}

// releaseMatches reports whether an advisory for ecosystem affEco applies to
// a component of ecosystem compEco: same base ecosystem, and where both name
// a release ("Debian:11"), the same release. A component without a release
// is matched against every release's advisories.
func releaseMatches(compEco, affEco string) bool {
	if compEco == affEco {
		return true
	}
	if !strings.EqualFold(BaseEcosystem(compEco), BaseEcosystem(affEco)) {
		return false
	}
	if compEco == BaseEcosystem(compEco) || affEco == BaseEcosystem(affEco) {
		return true
	}
	return strings.EqualFold(compEco, affEco) || strings.HasPrefix(strings.ToLower(affEco), strings.ToLower(compEco)+":")
}

// evaluator evaluates advisory entries against installed versions. It
// compiles each range once (events parsed and sorted in the range's
// ordering) and shares the compiled ranges across goroutines: a scan
// compares many components with the same advisories.
type evaluator struct {
	// entries holds each index entry's compiled ranges (aligned with
	// Affected.Ranges), by Entry.Seq: a slice of atomic pointers, because
	// a concurrent map lookup per evaluation cost as much as the
	// evaluation itself. Two goroutines may compile the same entry at
	// once; both results are equal and either is kept.
	entries []atomic.Pointer[[]*compiledRange]
}

func newEvaluator(entries int) *evaluator {
	return &evaluator{entries: make([]atomic.Pointer[[]*compiledRange], entries)}
}

// compiledRange is a range's events, parsed and sorted, or the reason they
// cannot be.
type compiledRange struct {
	events []event
	fixed  []Version // the fixed events, for the smallest fix above a version
	err    error
}

// eventKind is the kind of a range event.
type eventKind uint8

const (
	introduced eventKind = iota
	fixed
	lastAffected
	limit
)

// String returns the kind as the OSV schema names it.
func (k eventKind) String() string {
	return [...]string{"introduced", "fixed", "last_affected", "limit"}[k]
}

// event is a range event with its parsed version.
type event struct {
	kind eventKind
	raw  string
	v    Version
	zero bool // introduced "0": before every version
}

// parseCache remembers parsed versions for one goroutine. Version strings
// repeat a great deal, across the events of a feed and the components of a
// fleet (in the benchmark workload 40,000 events hold 3,300 distinct
// versions), and parsing is most of the cost of matching. Each worker has
// its own cache, so no lock is taken.
type parseCache struct {
	// One map per ecosystem, and the last one used: a component's
	// lookups are all in one or two orderings.
	byEco   map[string]map[string]parsedVersion
	lastEco string
	// gen caches versions parsed with the generic scheme (NVD ranges).
	gen  map[string]parsedGeneric
	last map[string]parsedVersion
	// platDev and plats hold the CPEs of the device being matched
	// (match/cpe.go, devicePlatforms).
	platDev *sbom.Device
	plats   []platformCPE
}

type parsedVersion struct {
	v   Version
	err error
}

func newParseCache() *parseCache {
	return &parseCache{byEco: make(map[string]map[string]parsedVersion)}
}

func (pc *parseCache) parse(eco, s string) (Version, error) {
	if pc == nil {
		return ParseVersion(eco, s)
	}
	// Plain dotted versions cost less to read again than to look up.
	if v, ok := parseFast(eco, s); ok {
		return v, nil
	}
	if pc.last == nil || pc.lastEco != eco {
		m := pc.byEco[eco]
		if m == nil {
			m = make(map[string]parsedVersion)
			pc.byEco[eco] = m
		}
		pc.lastEco, pc.last = eco, m
	}
	if p, ok := pc.last[s]; ok {
		return p.v, p.err
	}
	v, err := ParseVersion(eco, s)
	pc.last[s] = parsedVersion{v, err}
	return v, err
}

// installed parses a component's version once per ordering (a component
// meets at most two: SemVer and its ecosystem's), without a map.
type installed struct {
	raw   string
	pc    *parseCache
	n     int
	slots [2]installedVersion
}

type installedVersion struct {
	eco string
	v   Version
	err error
}

func (in *installed) in(eco string) (Version, error) {
	for i := 0; i < in.n; i++ {
		if in.slots[i].eco == eco {
			return in.slots[i].v, in.slots[i].err
		}
	}
	v, err := in.pc.parse(eco, in.raw)
	var iv *invalidVersion
	switch {
	case err == nil:
	case errors.Is(err, ErrNoComparator):
		err = fmt.Errorf("no version ordering for ecosystem %q", BaseEcosystem(eco))
	case errors.As(err, &iv):
		err = errors.New(iv.describe("installed version"))
	default:
		err = fmt.Errorf("installed version %q cannot be read in %s order", in.raw, eco)
	}
	if in.n < len(in.slots) {
		in.slots[in.n] = installedVersion{eco, v, err}
		in.n++
	}
	return v, err
}

// evaluate decides whether the installed version (of ecosystem eco) is
// affected by one OSV affected entry, following the evaluation rules of the
// OSV schema: explicit versions, then each range (SEMVER or ECOSYSTEM) with
// its events sorted in the range's ordering; introduced, fixed,
// last_affected (inclusive) and limit. GIT ranges cannot be ordered without
// the repository and are passed over without hiding the other ranges. An
// entry that cannot be decided gives Unknown with the reason, never "safe".
func (ev *evaluator) evaluate(eco string, inst *installed, e index.Entry) verdict {
	aff := e.Affected
	version := inst.raw
	if version == "" {
		return verdict{status: Unknown, reason: "the SBOM gives no version for this component"}
	}
	ecoAff := aff.Ecosystem
	if ecoAff == "" {
		ecoAff = eco
	}
	var unknown []string
	// Explicit versions: an exact string match is affected in any
	// ecosystem; otherwise compare in the ecosystem's order.
	for _, v := range aff.Versions {
		if v == version {
			return ev.withFixed(verdict{status: Affected}, ecoAff, inst, e)
		}
	}
	if len(aff.Versions) > 0 {
		if iv, err := inst.in(ecoAff); err == nil {
			for _, v := range aff.Versions {
				if c, err := iv.Compare(v); err == nil && c == 0 {
					return ev.withFixed(verdict{status: Affected}, ecoAff, inst, e)
				}
			}
		}
	}
	gitOnly := len(aff.Ranges) > 0
	compiled := ev.compiled(e, ecoAff, inst.pc)
	for i := range aff.Ranges {
		r := &aff.Ranges[i]
		cmpEco, known := rangeOrder(r, ecoAff)
		if cmpEco == "" {
			if !known {
				unknown = append(unknown, fmt.Sprintf("range type %q is not known", r.Type))
				gitOnly = false
			}
			continue
		}
		gitOnly = false
		affected, err := inRange(cmpEco, inst, compiled[i])
		if err != nil {
			unknown = append(unknown, err.Error())
			continue
		}
		if affected {
			return ev.withFixed(verdict{status: Affected}, ecoAff, inst, e)
		}
	}
	if gitOnly && len(aff.Versions) == 0 {
		unknown = append(unknown, "the advisory has only GIT (commit) ranges and no version list")
	}
	if len(unknown) > 0 {
		return verdict{status: Unknown, reason: strings.Join(dedupeStrings(unknown), "; ")}
	}
	return verdict{}
}

// rangeOrder names the ordering a range's events use: SemVer for SEMVER,
// the affected package's ecosystem for ECOSYSTEM; "" for GIT (known) and
// for an unknown type (known false).
func rangeOrder(r *advisory.Range, eco string) (order string, known bool) {
	t := r.Type
	switch t {
	case advisory.RangeSemVer, advisory.RangeEcosystem, advisory.RangeGit, "":
	default:
		t = strings.ToUpper(t)
	}
	switch t {
	case advisory.RangeGit:
		return "", true
	case advisory.RangeSemVer:
		return SemVer, true
	case advisory.RangeEcosystem, "":
		return eco, true
	}
	return "", false
}

// compiled returns the entry's ranges parsed and sorted, once per entry:
// nil where a range has no ordering (GIT, unknown types).
func (ev *evaluator) compiled(e index.Entry, eco string, pc *parseCache) []*compiledRange {
	if e.Affected.Ecosystem == "" || e.Seq < 0 || e.Seq >= len(ev.entries) {
		// The order depends on the component, or the entry is not
		// from the index: do not cache.
		return compileEntry(e.Affected, eco, pc)
	}
	if c := ev.entries[e.Seq].Load(); c != nil {
		return *c
	}
	c := compileEntry(e.Affected, eco, pc)
	ev.entries[e.Seq].Store(&c)
	return c
}

func compileEntry(aff *advisory.Affected, eco string, pc *parseCache) []*compiledRange {
	out := make([]*compiledRange, len(aff.Ranges))
	for i := range aff.Ranges {
		if order, _ := rangeOrder(&aff.Ranges[i], eco); order != "" {
			out[i] = compileRange(order, &aff.Ranges[i], pc)
		}
	}
	return out
}

func compileRange(eco string, r *advisory.Range, pc *parseCache) *compiledRange {
	cr := &compiledRange{}
	for _, e := range r.Events {
		var evt event
		switch {
		case e.Introduced != "":
			evt = event{kind: introduced, raw: e.Introduced}
			if e.Introduced == "0" {
				evt.zero = true
				cr.events = append(cr.events, evt)
				continue
			}
		case e.Fixed != "":
			evt = event{kind: fixed, raw: e.Fixed}
		case e.LastAffected != "":
			evt = event{kind: lastAffected, raw: e.LastAffected}
		case e.Limit != "":
			if e.Limit == "*" {
				continue // no limit
			}
			evt = event{kind: limit, raw: e.Limit}
		default:
			continue
		}
		v, err := pc.parse(eco, evt.raw)
		if err != nil {
			var iv *invalidVersion
			switch {
			case errors.Is(err, ErrNoComparator):
				cr.err = fmt.Errorf("no version ordering for ecosystem %q", BaseEcosystem(eco))
			case errors.As(err, &iv):
				cr.err = errors.New(iv.describe("the advisory's " + evt.kind.String() + " version"))
			default:
				cr.err = fmt.Errorf("%s version %q of the advisory cannot be read in %s order", evt.kind, evt.raw, eco)
			}
			return cr
		}
		evt.v = v
		cr.events = append(cr.events, evt)
		if evt.kind == fixed {
			cr.fixed = append(cr.fixed, v)
		}
	}
	less := func(a, b *event) bool {
		if a.zero || b.zero {
			return a.zero && !b.zero
		}
		c, err := a.v.CompareVersion(b.v)
		if err != nil && cr.err == nil {
			cr.err = err
		}
		return c < 0
	}
	// Most ranges are written in order (introduced, then fixed): check
	// before sorting.
	sorted := true
	for i := 1; i < len(cr.events) && sorted; i++ {
		sorted = !less(&cr.events[i], &cr.events[i-1])
	}
	if !sorted {
		sort.SliceStable(cr.events, func(i, j int) bool { return less(&cr.events[i], &cr.events[j]) })
	}
	return cr
}

// inRange evaluates one range for the installed version, per the OSV
// schema: walking the sorted events, an introduced at or below the version
// makes it vulnerable, a fixed at or below it (or a last_affected below
// it) makes it safe again. A limit at or below the version ends the range.
//
// An installed version that cannot be read leaves the answer open, and
// gives the error, unless the range affects every version (its only
// events are introduced "0").
func inRange(eco string, inst *installed, cr *compiledRange) (bool, error) {
	iv, err := inst.in(eco)
	if err != nil {
		if cr.err == nil && everyVersion(cr) {
			return true, nil
		}
		return false, err
	}
	if cr.err != nil {
		return false, cr.err
	}
	vulnerable := false
	for _, e := range cr.events {
		if e.zero {
			vulnerable = true
			continue
		}
		c, err := iv.CompareVersion(e.v)
		if err != nil {
			return false, err
		}
		switch e.kind {
		case introduced:
			if c >= 0 {
				vulnerable = true
			}
		case fixed:
			if c >= 0 {
				vulnerable = false
			}
		case lastAffected:
			if c > 0 {
				vulnerable = false
			}
		case limit:
			if c >= 0 {
				return false, nil
			}
		}
	}
	return vulnerable, nil
}

// everyVersion reports whether the range affects every version of the
// package: it has events, and each one is introduced "0".
func everyVersion(cr *compiledRange) bool {
	for _, e := range cr.events {
		if !e.zero {
			return false
		}
	}
	return len(cr.events) > 0
}

// withFixed adds the smallest fixed version above the installed one, over
// every range of the entry (a vulnerability fixed on several branches has
// several fixed events).
func (ev *evaluator) withFixed(v verdict, eco string, inst *installed, e index.Entry) verdict {
	aff := e.Affected
	var best Version
	compiled := ev.compiled(e, eco, inst.pc)
	for i := range aff.Ranges {
		cmpEco, _ := rangeOrder(&aff.Ranges[i], eco)
		if cmpEco == "" {
			continue
		}
		iv, err := inst.in(cmpEco)
		if err != nil {
			continue
		}
		for _, fv := range compiled[i].fixed {
			if c, err := fv.CompareVersion(iv); err != nil || c <= 0 {
				continue
			}
			if best.String() == "" {
				best = fv
				continue
			}
			if c, err := fv.CompareVersion(best); err == nil && c < 0 {
				best = fv
			}
		}
	}
	v.fixed = best.String()
	return v
}

func dedupeStrings(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
