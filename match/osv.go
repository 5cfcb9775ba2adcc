package match

import (
	"errors"
	"fmt"
	"strings"

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

// osvRefAfter is osvRef for a component read after the one whose
// reference last holds (zero for none), which it then holds: in the
// plan's order a package's components come together, so a purl mostly
// differs from the last only in its version, and the last one's parse,
// ecosystem and name serve again with the version changed (purl.Sibling,
// which says what that saves).
func osvRefAfter(c *sbom.Component, last *pkgRef) (pkgRef, bool) {
	if last.purl != "" && c.PURL != "" {
		if p, ok := purl.Sibling(last.parsed, last.purl, c.PURL); ok {
			ref := pkgRef{eco: last.eco, name: last.name, version: p.Version, purl: c.PURL, parsed: p}
			*last = ref
			return ref, true
		}
	}
	ref, ok := osvRef(c)
	if ok && ref.parsed.Version != "" {
		*last = ref
	} else {
		*last = pkgRef{}
	}
	return ref, ok
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
	// cands is osvHits' list of candidate entries, and seqs
	// osvCandidates' list of entry numbers, kept between components.
	cands []osvCand
	seqs  []int
	// formStrs is the stored forms of seqs' entries (gatherForms).
	formStrs []string
	// plan is the fleet's OSV hits when Scan worked them out package by
	// package (grouped.go), planComp the number of the component being
	// matched in it and planStart that of the device's first (-1: the
	// device is not in the plan). planBuf is the worker's hits while
	// the plan is made and pkg its package's candidates.
	// lastRef is the reference of the last component the plan read a
	// purl of (osvRefAfter).
	lastRef             pkgRef
	plan                *fleetPlan
	planComp, planStart int
	planBuf             []osvHit
	planBlocks          [][]osvHit
	planOdd             bool // a hit planHit cannot hold
	sink                byte // touchPURLs' sum
	pkg                 packageCands
	// fs is the set of the component being matched, kept between
	// components (see findingSet).
	fs findingSet
	// all is the list Matcher.device gathers a device's findings in,
	// kept between devices.
	all []*Finding
	// rec is the room osvHits decodes the records that match into.
	rec index.Scratch
	// ecos interns ecosystem names (see intern).
	ecos map[string]string
	// forms is the room entries are built in from their stored forms
	// (see formEntry).
	forms formScratch
}

// intern returns the worker's copy of the ecosystem name eco (eco itself
// without a cache): its first one, so that every entry compiled by the
// worker shares it (see evaluator.candidate).
func (pc *parseCache) intern(eco string) string {
	if pc == nil {
		return eco
	}
	if s, ok := pc.ecos[eco]; ok {
		return s
	}
	if pc.ecos == nil {
		pc.ecos = make(map[string]string)
	}
	pc.ecos[eco] = eco
	return eco
}

// scratch returns the worker's room for decoding records, nil without a
// cache.
func (pc *parseCache) scratch() *index.Scratch {
	if pc == nil {
		return nil
	}
	return &pc.rec
}

// findingSet returns an empty set for component c: a new one without a
// cache, else the worker's own, emptied. Its findings slice is reused by
// the next component of the worker.
func (pc *parseCache) findingSet(c *sbom.Component) *findingSet {
	if pc == nil {
		return newFindingSet(c)
	}
	fs := &pc.fs
	fs.slab = true
	clear(fs.findings)
	fs.comp, fs.findings, fs.byID, fs.loose = c, fs.findings[:0], nil, fs.loose[:0]
	return fs
}

type parsedVersion struct {
	v   Version
	err error
}

func newParseCache() *parseCache {
	return &parseCache{byEco: make(map[string]map[string]parsedVersion), planComp: -1, planStart: -1}
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
	if err != nil {
		err = installedError(in.raw, eco, err)
	}
	if in.n < len(in.slots) {
		in.slots[in.n] = installedVersion{eco, v, err}
		in.n++
	}
	return v, err
}

// installedError says why the installed version raw cannot be read in the
// ordering eco. (A function of its own: the errors.As target escapes, and
// in the caller it was allocated for every version read, 100,000 times a
// scan of the 100k bench.)
func installedError(raw, eco string, err error) error {
	var iv *invalidVersion
	switch {
	case errors.Is(err, ErrNoComparator):
		return fmt.Errorf("no version ordering for ecosystem %q", BaseEcosystem(eco))
	case errors.As(err, &iv):
		return errors.New(iv.describe("installed version"))
	}
	return fmt.Errorf("installed version %q cannot be read in %s order", raw, eco)
}

// evaluate decides whether the installed version (of ecosystem eco) is
// affected by one OSV affected entry, following the evaluation rules of the
// OSV schema: explicit versions, then each range (SEMVER or ECOSYSTEM) with
// its events sorted in the range's ordering; introduced, fixed,
// last_affected (inclusive) and limit. GIT ranges cannot be ordered without
// the repository and are passed over without hiding the other ranges. An
// entry that cannot be decided gives Unknown with the reason, never "safe".
func (ev *evaluator) evaluate(eco string, inst *installed, e index.Entry) verdict {
	if inst.raw == "" {
		return noVersion
	}
	ecoAff := e.Affected.Ecosystem
	if ecoAff == "" {
		ecoAff = eco
	}
	return evaluateCompiled(ecoAff, inst, ev.compiled(e, ecoAff, inst.pc))
}

// noVersion is the verdict about a component whose SBOM gives no version.
var noVersion = verdict{status: Unknown, reason: "the SBOM gives no version for this component"}

// evaluateCompiled is evaluate over the entry compiled, in the ordering
// of the affected package's ecosystem ecoAff (the component's where the
// package names none).
func evaluateCompiled(ecoAff string, inst *installed, ce *compiledEntry) verdict {
	version := inst.raw
	if version == "" {
		return noVersion
	}
	var unknown []string
	// Explicit versions: an exact string match is affected in any
	// ecosystem; otherwise compare in the ecosystem's order.
	versions := ce.explicit()
	for _, v := range versions {
		if v == version {
			return withFixed(verdict{status: Affected}, inst, ce)
		}
	}
	if len(versions) > 0 {
		if iv, err := inst.in(ecoAff); err == nil {
			for _, v := range versions {
				if c, err := iv.Compare(v); err == nil && c == 0 {
					return withFixed(verdict{status: Affected}, inst, ce)
				}
			}
		}
	}
	gitOnly := len(ce.ranges) > 0
	for i := range ce.ranges {
		cr := &ce.ranges[i]
		if cr.order == "" {
			if cr.err != nil { // a range of an unknown type
				unknown = append(unknown, cr.err.Error())
				gitOnly = false
			}
			continue
		}
		gitOnly = false
		affected, err := cr.contains(inst)
		if err != nil {
			unknown = append(unknown, err.Error())
			continue
		}
		if affected {
			return withFixed(verdict{status: Affected}, inst, ce)
		}
	}
	if gitOnly && len(versions) == 0 {
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
