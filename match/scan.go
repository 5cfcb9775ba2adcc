package match

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/purl"
	"github.com/bomrank/bomrank/sbom"
)

// Matcher joins device components with the advisories of an index.
type Matcher struct {
	// Index holds the advisories to match against.
	Index index.Reader
	// Workers bounds how many devices are matched at once; 0 means
	// GOMAXPROCS.
	Workers int
	// TrustVEX lists VEX authors the user trusts for every device (a
	// hospital's own VEX files), besides each device's manufacturer and
	// supplier: their statements change a finding when they name the
	// device or component exactly (match/vex.go). Names are compared as
	// names.Author compares them ("Hospital X Security Team" is
	// "Hospital X").
	TrustVEX []string

	once sync.Once
	eval *evaluator
	// heads holds the heads of the records that matched, by entry
	// (match/head.go).
	heads heads
	// csafRanges caches parsed CSAF version ranges by their text
	// (match/csaf.go).
	csafRanges sync.Map
	// cpeNames caches parsed component CPEs by their text (match/cpe.go).
	cpeNames sync.Map
	// cpeCands caches, per candidate CPE, the NVD verdicts that do not
	// depend on the device (match/cpe.go); cpeCandCount bounds it.
	cpeCands     sync.Map
	cpeCandCount atomic.Int64
}

// contents returns what the index holds, read once: a scan asks for it
// several times a component, through the database to its index (5-8 ms
// of CPU a scan of the 100k workload in the profile, cpeHits' check
// alone; BenchmarkScanDatabase cpu-s/op median 0.229 -> 0.192 over 5
// interleaved rounds, noisy).
func (m *Matcher) contents() index.Contents { return m.evaluator().contents }

func (m *Matcher) evaluator() *evaluator {
	m.once.Do(func() {
		var c index.Contents
		if m.Index != nil {
			c = m.Index.Contents()
		}
		m.eval = newEvaluator(c.Entries)
		m.eval.contents = c
		m.eval.forms, _ = m.Index.(index.CompiledForms)
		m.heads.slots = make([]atomic.Pointer[recordHead], c.Entries)
	})
	return m.eval
}

// Scan matches every device and returns the results in the order of
// devices, unranked (package rank orders them). Devices are matched
// concurrently; the result does not depend on the scheduling. Through a
// database that keeps its entries' compiled forms, the OSV verdicts of
// every component are worked out first, package by package, then the
// devices matched (grouped.go): the same findings, for less work.
//
// A device whose matching fails (a panic in a matcher, a defect bomrank
// must not let end the run) is left out of the results and listed in
// failed, naming its SBOM, so that it is reported rather than shown as
// having no findings. If ctx is done before every device is matched, Scan
// returns ctx.Err() and no results: a partial scan never looks whole.
func (m *Matcher) Scan(ctx context.Context, devices []*sbom.Device) (results []*DeviceResult, failed []*DeviceError, err error) {
	out := make([]*DeviceResult, len(devices))
	// The workers' caches, made once for the plan and the devices.
	pcs := make([]*parseCache, pool.Limit(len(devices), m.Workers))
	for i := range pcs {
		pcs[i] = newParseCache()
	}
	var plan *fleetPlan
	var planErrs []error
	if cr, ok := m.Index.(index.Candidates); ok && m.evaluator().forms != nil {
		plan, planErrs = m.planFleet(ctx, cr, devices, pcs)
		if err := ctx.Err(); err != nil {
			// The plan may lack components: no device may use it.
			return nil, nil, err
		}
	}
	var mu sync.Mutex
	next := 0
	errs := pool.Each(ctx, len(devices), m.Workers, func() *parseCache {
		mu.Lock()
		defer mu.Unlock()
		next++
		pc := pcs[next-1]
		pc.plan = plan
		return pc
	}, func(pc *parseCache, i int) error {
		if planErrs != nil && planErrs[i] != nil {
			return planErrs[i]
		}
		pc.planStart = -1
		if plan != nil {
			pc.planStart = plan.starts[i]
		}
		out[i] = &DeviceResult{Device: devices[i], ID: devices[i].Path, Findings: m.device(devices[i], pc)}
		return nil
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	results = out[:0]
	for i, r := range out {
		if errs != nil && errs[i] != nil {
			failed = append(failed, &DeviceError{Path: devices[i].Path, Device: devices[i].Name, Err: errs[i]})
			continue
		}
		results = append(results, r)
	}
	return results, failed, nil
}

// DeviceError is a device whose matching failed; the device is not in the
// results.
type DeviceError struct {
	// Path is the device's SBOM and Device its name.
	Path, Device string
	// Err is what went wrong (a *pool.PanicError for a panic).
	Err error
}

// Error implements error.
func (e *DeviceError) Error() string {
	return fmt.Sprintf("%s: matching device %q failed: %v", e.Path, e.Device, e.Err)
}

// Unwrap returns Err.
func (e *DeviceError) Unwrap() error { return e.Err }

// Device returns the findings of one device: for each component, one
// finding per vulnerability, merging the advisories that name it under
// different ids.
func (m *Matcher) Device(d *sbom.Device) []*Finding {
	return m.device(d, newParseCache())
}

func (m *Matcher) device(d *sbom.Device, pc *parseCache) []*Finding {
	// The components' findings gather in the worker's list, kept between
	// devices, and are copied out once: growing a list per device by
	// appends allocated twice its final size (1.6 MB a scan of the 100k
	// workload, whose devices have about 400 findings each).
	var all []*Finding
	if pc != nil {
		all = pc.all[:0]
	}
	for j, c := range d.Components {
		if pc != nil && pc.planStart >= 0 {
			pc.planComp = pc.planStart + j
		}
		all = append(all, m.component(d, c, pc)...)
	}
	// Device-level advisories (a CSAF product naming the device itself)
	// make findings whose component is the device element.
	if m.Index != nil {
		fs := newFindingSet(&d.Component)
		m.deviceHits(d, fs)
		// The device's own CPE (firmware or hardware) can be in NVD too.
		m.cpeHits(d, &d.Component, pc, fs)
		all = append(all, fs.sorted()...)
	}
	if pc != nil {
		buf := all
		all = nil
		if len(buf) > 0 {
			all = slices.Clone(buf)
		}
		clear(buf) // the worker's list must not keep findings alive
		pc.all = buf[:0]
	}
	// VEX statements about this device (or a component of it) turn the
	// findings they name to not_affected, fixed, ...; they never reach
	// another device's findings.
	m.applyVEX(d, all)
	return all
}

// Component returns the findings of one component, sorted by id. Matching
// that needs the device (a CPE's "running on" platform, a CSAF
// relationship naming the device) sees an empty device; use Device for
// those.
func (m *Matcher) Component(c *sbom.Component) []*Finding {
	return m.component(&sbom.Device{}, c, nil)
}

// component returns the findings of one component of d: every source of
// hits (OSV packages, NVD CPE configurations, CSAF products) adds to one
// set, merged per vulnerability. With a parseCache the returned slice is
// the worker's, valid until its next component (device copies it out).
func (m *Matcher) component(d *sbom.Device, c *sbom.Component, pc *parseCache) []*Finding {
	if m.Index == nil {
		return nil
	}
	fs := pc.findingSet(c)
	m.osvHits(c, pc, fs)
	m.cpeHits(d, c, pc, fs)
	m.csafComponentHits(d, c, fs)
	return fs.sorted()
}

// osvCand is an entry found for a component, and how.
type osvCand struct {
	e     index.Entry
	match string
}

// osvHits adds the verdicts of the OSV-style entries (ecosystem package or
// purl) that name the component. An entry found both ways counts once,
// as an ecosystem package.
func (m *Matcher) osvHits(c *sbom.Component, pc *parseCache, fs *findingSet) {
	if pc != nil && pc.plan != nil && pc.planComp >= 0 {
		// Worked out before, package by package (grouped.go).
		if hits, ok := pc.plan.hits(pc.planComp); ok {
			cr := m.Index.(index.Candidates)
			s := pc.scratch()
			for i := range hits {
				v, match := hits[i].verdict()
				m.addRecord(cr, int(hits[i].seq), s, v, match, fs)
			}
			return
		}
	}
	ref, ok := osvRef(c)
	if !ok {
		return
	}
	if cr, ok := m.Index.(index.Candidates); ok {
		m.osvCandidates(cr, &ref, pc, fs)
		return
	}
	byPkg := m.Index.Packages(ref.eco, ref.name)
	var byPURL []index.Entry
	if m.contents().PURLs {
		byPURL = m.Index.PackageURL(purl.PackageKey(ref.parsed))
	}
	if len(byPkg)+len(byPURL) == 0 {
		return
	}
	var cands []osvCand
	if pc != nil {
		cands = pc.cands[:0]
		defer func() { pc.cands = cands[:0] }()
	}
	for _, e := range byPkg {
		// Each entry of a lookup is a different affected package.
		if releaseMatches(ref.eco, e.Affected.Ecosystem) {
			cands = append(cands, osvCand{e, "ecosystem package"})
		}
	}
	var seen entrySet
	if len(byPURL) > 0 {
		seen.init(cands)
	}
	for _, e := range byPURL {
		if seen.has(e.Seq) {
			continue
		}
		if e.Affected.Ecosystem != "" && !releaseMatches(ref.eco, e.Affected.Ecosystem) {
			continue
		}
		seen.add(e.Seq)
		cands = append(cands, osvCand{e, "purl"})
	}
	inst := &installed{raw: strings.TrimSpace(ref.version), pc: pc}
	ev := m.evaluator()
	for i := range cands {
		cd := &cands[i]
		if v := ev.evaluate(ref.eco, inst, cd.e); v.status != "" {
			fs.add(hit{adv: cd.e.Advisory, verdict: v, match: cd.match})
		}
	}
}

// entrySet is the entries (by Entry.Seq, which identifies an entry
// within its index whichever lookup returned it) already taken for a
// component: a list, as a component has a handful of candidates, and a
// map past smallSet of them.
type entrySet struct {
	list []int
	m    map[int]bool
}

// init makes the set of cands' entries.
func (s *entrySet) init(cands []osvCand) {
	for _, cd := range cands {
		s.add(cd.e.Seq)
	}
}

func (s *entrySet) has(seq int) bool {
	if s.m != nil {
		return s.m[seq]
	}
	for _, q := range s.list {
		if q == seq {
			return true
		}
	}
	return false
}

func (s *entrySet) add(seq int) {
	switch {
	case s.m != nil:
		s.m[seq] = true
	case len(s.list) < smallSet:
		s.list = append(s.list, seq)
	default:
		s.m = make(map[int]bool, 2*len(s.list))
		for _, q := range s.list {
			s.m[q] = true
		}
		s.m[seq] = true
	}
}

// osvCandidates is osvHits through an index that decodes its entries and
// records on demand: the entries of the component's package (and purl)
// by number, each one's affected package decoded and compiled once a
// scan (evaluator.candidate), and the record of each entry that matches
// decoded into the worker's scratch.
//
// Why by number: the index kept every entry's affected package decoded
// (256 bytes an entry: 25 MB of fresh memory a scan of the 100k
// workload, 150 MB of the 600k one) besides the matcher's compiled
// ranges, which are all that matching reads of it after the first time.
func (m *Matcher) osvCandidates(cr index.Candidates, ref *pkgRef, pc *parseCache, fs *findingSet) {
	var seqs []int
	if pc != nil {
		seqs = pc.seqs[:0]
		defer func() { pc.seqs = seqs[:0] }()
	}
	seqs = cr.PackageEntries(seqs, ref.eco, ref.name)
	nPkg := len(seqs)
	if m.contents().PURLs {
		seqs = cr.PackageURLEntries(seqs, purl.PackageKey(ref.parsed))
	}
	if len(seqs) == 0 {
		return
	}
	inst := &installed{raw: strings.TrimSpace(ref.version), pc: pc}
	ev := m.evaluator()
	s := pc.scratch()
	forms := pc.gatherForms(ev, seqs)
	var seen entrySet
	for i, seq := range seqs {
		if i >= nPkg && seen.has(seq) {
			continue
		}
		form := ""
		if forms != nil {
			form = forms[i]
		}
		ce := ev.candidateForm(cr, seq, form, s, ref.eco, pc)
		if ce == nil {
			continue // does not decode: the index's Err says so
		}
		match := "ecosystem package"
		if i < nPkg {
			// Each entry of a lookup is a different affected package.
			if !releaseMatches(ref.eco, ce.eco) {
				continue
			}
		} else {
			if ce.eco != "" && !releaseMatches(ref.eco, ce.eco) {
				continue
			}
			match = "purl"
		}
		if len(seqs) > nPkg {
			seen.add(seq)
		}
		ecoAff := ce.eco
		if ecoAff == "" {
			ecoAff = ref.eco
		}
		v := evaluateCompiled(ecoAff, inst, ce)
		if v.status == "" {
			continue
		}
		if fs == nil {
			pc.planHit(seq, v, match == "purl")
			continue
		}
		m.addRecord(cr, seq, s, v, match, fs)
	}
}

// gatherForms returns the stored forms of the entries seqs (see
// evaluator.candidate), read all before any is built: nil without forms
// or a cache. The list is the worker's, valid until its next call.
//
// Why first, in a loop of their own: each read is two cache misses (the
// entry's offset, in a table of 4 bytes an entry, then the form), and
// building and evaluating an entry between two reads kept the processor
// from overlapping them.
func (pc *parseCache) gatherForms(ev *evaluator, seqs []int) []string {
	if ev.forms == nil || pc == nil {
		return nil
	}
	forms := pc.formStrs[:0]
	for _, seq := range seqs {
		f := ""
		if seq >= 0 && seq < len(ev.entries) {
			f = ev.forms.CompiledForm(seq)
		}
		forms = append(forms, f)
	}
	pc.formStrs = forms
	return forms
}
