package match

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/purl"
	"github.com/bomrank/bomrank/sbom"
)

// Matcher joins device components with the advisories of an index.
type Matcher struct {
	// Index holds the advisories to match against.
	Index *advisory.Index
	// Workers bounds how many devices are matched at once; 0 means
	// GOMAXPROCS.
	Workers int

	once sync.Once
	eval *evaluator
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

func (m *Matcher) evaluator() *evaluator {
	m.once.Do(func() {
		n := 0
		if m.Index != nil {
			n = m.Index.Entries()
		}
		m.eval = newEvaluator(n)
	})
	return m.eval
}

// Scan matches every device and returns one result per device, in the
// order of devices (when ctx is cancelled, the devices matched so far, in
// that order). Devices are matched concurrently; the result does not
// depend on the scheduling. The results are not ranked: package rank
// does that.
func (m *Matcher) Scan(ctx context.Context, devices []*sbom.Device) []*DeviceResult {
	out := make([]*DeviceResult, len(devices))
	workers := m.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	idx := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, max(len(devices), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pc := newParseCache()
			for i := range idx {
				out[i] = &DeviceResult{Device: devices[i], ID: devices[i].Path, Findings: m.device(devices[i], pc)}
			}
		}()
	}
	for i := range devices {
		if ctx.Err() != nil {
			break
		}
		idx <- i
	}
	close(idx)
	wg.Wait()
	res := out[:0]
	for _, r := range out {
		if r != nil {
			res = append(res, r)
		}
	}
	return res
}

// Device returns the findings of one device: for each component, one
// finding per vulnerability, merging the advisories that name it under
// different ids.
func (m *Matcher) Device(d *sbom.Device) []*Finding {
	return m.device(d, newParseCache())
}

func (m *Matcher) device(d *sbom.Device, pc *parseCache) []*Finding {
	var all []*Finding
	for _, c := range d.Components {
		all = append(all, m.component(d, c, pc)...)
	}
	// Device-level advisories (a CSAF product naming the device itself)
	// make findings whose component is the device element.
	if m.Index != nil {
		fs := newFindingSet(m.Index, &d.Component)
		m.deviceHits(d, fs)
		// The device's own CPE (firmware or hardware) can be in NVD too.
		m.cpeHits(d, &d.Component, pc, fs)
		all = append(all, fs.sorted()...)
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
// set, merged per vulnerability.
func (m *Matcher) component(d *sbom.Device, c *sbom.Component, pc *parseCache) []*Finding {
	if m.Index == nil {
		return nil
	}
	fs := newFindingSet(m.Index, c)
	m.osvHits(c, pc, fs)
	m.cpeHits(d, c, pc, fs)
	m.csafComponentHits(d, c, fs)
	return fs.sorted()
}

// osvHits adds the verdicts of the OSV-style entries (ecosystem package or
// purl) that name the component.
func (m *Matcher) osvHits(c *sbom.Component, pc *parseCache, fs *findingSet) {
	ref, ok := osvRef(c)
	if !ok {
		return
	}
	type cand struct {
		e     advisory.Entry
		match string
	}
	byPkg := m.Index.ByPackage(ref.eco, ref.name)
	var byPURL []advisory.Entry
	if m.Index.HasPURLs() {
		byPURL = m.Index.ByPackageKey(purl.PackageKey(ref.parsed))
	}
	if len(byPkg)+len(byPURL) == 0 {
		return
	}
	cands := make([]cand, 0, len(byPkg)+len(byPURL))
	for _, e := range byPkg {
		// Each entry of a lookup is a different affected package.
		if releaseMatches(ref.eco, e.Affected.Ecosystem) {
			cands = append(cands, cand{e, "ecosystem package"})
		}
	}
	// An entry found both ways counts once, as an ecosystem package.
	var seen map[*advisory.Affected]bool
	if len(byPURL) > 0 && len(cands) > 0 {
		seen = make(map[*advisory.Affected]bool, len(cands))
		for _, cd := range cands {
			seen[cd.e.Affected] = true
		}
	}
	for _, e := range byPURL {
		if seen[e.Affected] {
			continue
		}
		if e.Affected.Ecosystem != "" && !releaseMatches(ref.eco, e.Affected.Ecosystem) {
			continue
		}
		seen[e.Affected] = true
		cands = append(cands, cand{e, "purl"})
	}
	inst := &installed{raw: strings.TrimSpace(ref.version), pc: pc}
	ev := m.evaluator()
	for i := range cands {
		cd := &cands[i]
		v := ev.evaluate(ref.eco, inst, cd.e)
		if v.status == "" {
			continue
		}
		fs.add(hit{adv: cd.e.Advisory, verdict: v, match: cd.match, entry: &cd.e})
	}
}
