package match

import (
	"context"
	"hash/maphash"
	"math/bits"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/purl"
	"github.com/bomrank/bomrank/sbom"
)

// This file holds the OSV matching of a whole fleet package by package:
// Scan works out the OSV verdicts of every component of every device
// before it matches the devices, in an order that puts the components of
// one package next to each other, so that a package's entries are looked
// up, read and built from their stored forms once for all its
// components rather than once for each. The devices are then matched as
// before, in their order, each component's OSV verdicts replayed from
// the plan where osvHits would have worked them out (the same hits, in
// the same order: the findings are the same).
//
// Why: in the 100k workload the 100,000 components name 19,900 packages,
// each about five times, in random devices: a cache of packages per
// worker, in device order, meets a package again only after some 20,000
// components (a cache holding them all is megabytes of fresh memory, which
// costs more than it saves here), while in package order nearly every
// repeat is the entry before. Measured on the 100k workload, before/after
// interleaved in the same minutes (December 2026): CPU of the matcher's
// workers in the profile of `scan --db` (4 cold runs each) 300 -> about
// 230 ms a scan, the entries' lookups, reads and builds (PackageEntries,
// CompiledForm, formEntry) 125 -> 25 ms; BenchmarkScanDatabase cpu-s/op
// 0.287 -> 0.216 (medians of 5), for 4.4 MB more fresh memory (the plan's
// hits, spans and order).

// groupChunk is how many components of the package order a worker takes
// at a time.
const groupChunk = 512

// osvHit is one OSV verdict of a component in a fleetPlan: what
// Matcher.addRecord is given for it.
// (24 bytes: an Affected verdict has no reason and an Unknown one no
// fixed version, so one string holds either.)
type osvHit struct {
	text   string // the fixed version of an Affected verdict, the reason of an Unknown one
	seq    int32
	status uint8 // 1 Affected, 2 Unknown
	purl   bool  // found by purl, else as an ecosystem package
}

// verdict returns the hit's verdict and how it was found.
func (h *osvHit) verdict() (verdict, string) {
	v := verdict{status: Affected, fixed: h.text}
	if h.status == 2 {
		v = verdict{status: Unknown, reason: h.text}
	}
	if h.purl {
		return v, "purl"
	}
	return v, "ecosystem package"
}

// fleetPlan is the OSV verdicts of every component of a fleet (numbered
// across its devices in order: device i's component j is starts[i]+j).
type fleetPlan struct {
	starts []int
	// spans gives each component's hits: 0 for none, unplanned for a
	// component osvHits must work out itself, else the worker whose
	// blocks hold them (bits 56-63), the block (bits 40-55), the offset
	// of the first in it (bits 20-39) and their number (bits 0-19).
	spans  []uint64
	blocks [][][]osvHit
}

// unplanned is the span of a component whose hits are not in the plan.
const unplanned = ^uint64(0)

// planBlock is how many hits a block of a worker's plan holds (160 KB):
// blocks, not one list grown by appends, which allocated five times its
// final size (16.9 MB of fresh memory for 3.3 MB of hits in the 100k
// workload).
const planBlock = 4096

// hits returns the hits of component g, ok false when they are not in
// the plan.
func (p *fleetPlan) hits(g int) (hits []osvHit, ok bool) {
	s := p.spans[g]
	switch s {
	case 0:
		return nil, true
	case unplanned:
		return nil, false
	}
	w, b, off, n := int(s>>56), int(s>>40&(1<<16-1)), int(s>>20&(1<<20-1)), int(s&(1<<20-1))
	return p.blocks[w][b][off : off+n], true
}

// place copies a component's hits into the worker's blocks and returns
// their span (unplanned when the span cannot say where they are).
func (pc *parseCache) place(w int, hits []osvHit) uint64 {
	n := len(hits)
	if n == 0 {
		return 0
	}
	bs := pc.planBlocks
	if len(bs) == 0 || cap(bs[len(bs)-1])-len(bs[len(bs)-1]) < n {
		if len(bs) >= 1<<16 || n >= 1<<20 {
			return unplanned
		}
		bs = append(bs, make([]osvHit, 0, max(planBlock, n)))
		pc.planBlocks = bs
	}
	b := &bs[len(bs)-1]
	off := len(*b)
	*b = append(*b, hits...)
	return uint64(w)<<56 | uint64(len(bs)-1)<<40 | uint64(off)<<20 | uint64(n)
}

// packageCands is a worker's candidates of the package last worked out
// (osvPlanned): the entries built from their forms, filtered for the
// component's ecosystem, valid while key matches.
type packageCands struct {
	valid          bool
	eco, name, key string
	cands          []plannedCand
	ces            []compiledEntry
	vboxes         [][]string // each entry's versions (ces[i].versions is &vboxes[i])
	room           formRoom
}

// plannedCand is one candidate entry of a package.
type plannedCand struct {
	ce     *compiledEntry
	ecoAff string
	seq    int32
	purl   bool
}

// planFleet works out the plan of devices through cr, on workers workers
// whose caches are pcs; nil when a fleet is too large for the plan's
// layout (its devices are then matched as before).
func (m *Matcher) planFleet(ctx context.Context, cr index.Candidates, devices []*sbom.Device, pcs []*parseCache) (*fleetPlan, []error) {
	p := &fleetPlan{starts: make([]int, len(devices)+1)}
	for i, d := range devices {
		p.starts[i+1] = p.starts[i] + len(d.Components)
	}
	n := p.starts[len(devices)]
	if n == 0 || n >= 1<<32 || len(pcs) > 255 || m.contents().Entries >= 1<<31 {
		return nil, nil
	}
	order, compBits := packageOrder(devices)
	if order == nil {
		return nil, nil
	}
	p.spans = make([]uint64, n)
	p.blocks = make([][][]osvHit, len(pcs))
	devErrs := make([]error, len(devices))
	devFailed := make([]atomic.Bool, len(devices))
	var mu sync.Mutex
	var next int
	chunks := (len(order) + groupChunk - 1) / groupChunk
	pool.Each(ctx, chunks, len(pcs), func() int {
		mu.Lock()
		defer mu.Unlock()
		next++
		return next - 1
	}, func(w int, k int) error {
		pc := pcs[w]
		pc.pkg.valid = false
		chunk := order[k*groupChunk : min((k+1)*groupChunk, len(order))]
		pc.sink += touchPURLs(devices, compBits, chunk)
		for _, o := range chunk {
			i, j := unpackOrder(o, compBits)
			if devFailed[i].Load() {
				continue
			}
			if err := m.planComponent(cr, devices[i].Components[j], pc, p, w, p.starts[i]+j); err != nil {
				mu.Lock()
				if !devFailed[i].Load() {
					devErrs[i] = err
					devFailed[i].Store(true)
				}
				mu.Unlock()
			}
		}
		return nil
	})
	for w := range pcs {
		p.blocks[w] = pcs[w].planBlocks
		pcs[w].planBlocks, pcs[w].planBuf = nil, nil
	}
	return p, devErrs
}

// touchPURLs reads the first and last byte of the purl of each component
// of chunk, and returns their sum, so that the components are in the
// cache when the chunk is matched.
//
// Why: the plan visits the components in package order, at random in
// memory, and reading each one's purl was three cache misses in a row
// (the device's list, the component, the purl's bytes): osvRef took 65
// ms of CPU a scan of the 100k workload, against 27 ms in device order.
// Loads of a loop of their own, independent of each other, overlap.
func touchPURLs(devices []*sbom.Device, compBits uint, chunk []uint64) byte {
	var b byte
	for _, o := range chunk {
		i, j := unpackOrder(o, compBits)
		s := devices[i].Components[j].PURL
		b += s[0] + s[len(s)-1]
	}
	return b
}

// The package order of a fleet's components (packageOrder) is a list of
// uint64s: the hash of the component's purl up to its version in the top
// orderHashBits bits (two packages sharing a hash only share a group),
// then its device's number, then its number in the device (compBits bits),
// sorted by the hash alone. The device and component are in the entry,
// not the component's number in the fleet: finding the device of a number
// by a binary search, at random, mispredicted its branches, and the loads
// that followed could not overlap (touchPURLs).
const orderHashBits = 24

// packageOrder returns the package order of the components of devices
// that have a purl, and the bits of a component's number in it; nil when
// the numbers do not fit beside the hash.
func packageOrder(devices []*sbom.Device) (order []uint64, compBits uint) {
	most, n := 0, 0
	for _, d := range devices {
		most, n = max(most, len(d.Components)), n+len(d.Components)
	}
	compBits = uint(bits.Len(uint(most)))
	if n == 0 || compBits+uint(bits.Len(uint(len(devices)))) > 64-orderHashBits {
		return nil, 0
	}
	seed := maphash.MakeSeed()
	order = make([]uint64, 0, n)
	for i, d := range devices {
		for j, c := range d.Components {
			if c.PURL == "" {
				continue
			}
			head, _, _ := strings.Cut(c.PURL, "@")
			h := maphash.String(seed, head) >> (64 - orderHashBits) << (64 - orderHashBits)
			order = append(order, h|uint64(i)<<compBits|uint64(j))
		}
	}
	sortByHash(order)
	return order, compBits
}

// unpackOrder returns the device and component numbers of an entry of a
// package order.
func unpackOrder(o uint64, compBits uint) (dev, comp int) {
	low := o & (1<<(64-orderHashBits) - 1)
	return int(low >> compBits), int(low & (1<<compBits - 1))
}

// sortByHash sorts a package order by the hashes, stably: two passes of
// a radix sort of 12 bits each (slices.Sort of the whole entries took 8
// ms of CPU a scan of the 100k workload).
func sortByHash(order []uint64) {
	const digit = orderHashBits / 2
	tmp := make([]uint64, len(order))
	src, dst := order, tmp
	for _, shift := range [2]uint{64 - orderHashBits, 64 - digit} {
		var count [1 << digit]int
		for _, o := range src {
			count[o>>shift&(1<<digit-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i], sum = sum, sum+c
		}
		for _, o := range src {
			k := o >> shift & (1<<digit - 1)
			dst[count[k]] = o
			count[k]++
		}
		src, dst = dst, src
	}
}

// planComponent works out the OSV hits of component c, number g, into
// the buffer of worker w; a panic is its device's error.
func (m *Matcher) planComponent(cr index.Candidates, c *sbom.Component, pc *parseCache, p *fleetPlan, w, g int) (err error) {
	defer func() {
		if v := recover(); v != nil {
			pc.pkg.valid, pc.lastRef = false, pkgRef{}
			err = &pool.PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	ref, ok := osvRefAfter(c, &pc.lastRef)
	if !ok {
		return nil
	}
	pc.planBuf, pc.planOdd = pc.planBuf[:0], false
	m.osvPlanned(cr, &ref, pc)
	p.spans[g] = unplanned
	if !pc.planOdd {
		p.spans[g] = pc.place(w, pc.planBuf)
	}
	return nil
}

// osvPlanned is osvCandidates for the plan: the component's hits are
// appended to pc.planBuf, and its package's candidates are those of the
// component before when it names the same package.
func (m *Matcher) osvPlanned(cr index.Candidates, ref *pkgRef, pc *parseCache) {
	key := ""
	if m.contents().PURLs {
		key = purl.PackageKey(ref.parsed)
	}
	pk := &pc.pkg
	if !pk.valid || pk.eco != ref.eco || pk.name != ref.name || pk.key != key {
		if !m.packageCands(cr, ref, key, pc) {
			// An entry without a usable form: as osvCandidates does.
			m.osvCandidates(cr, ref, pc, nil)
			return
		}
	}
	inst := &installed{raw: strings.TrimSpace(ref.version), pc: pc}
	for i := range pk.cands {
		cd := &pk.cands[i]
		if v := evaluateCompiled(cd.ecoAff, inst, cd.ce); v.status != "" {
			pc.planHit(int(cd.seq), v, cd.purl)
		}
	}
}

// planHit appends a hit to the worker's plan buffer.
func (pc *parseCache) planHit(seq int, v verdict, byPURL bool) {
	h := osvHit{seq: int32(seq), purl: byPURL}
	switch {
	case v.status == Affected && v.reason == "":
		h.status, h.text = 1, v.fixed
	case v.status == Unknown && v.fixed == "":
		h.status, h.text = 2, v.reason
	default:
		// Not a verdict osvHit holds: the component is left out of
		// the plan (osvHits works it out again).
		pc.planOdd = true
		return
	}
	pc.planBuf = append(pc.planBuf, h)
}

// packageCands works out the candidates of ref's package into pc.pkg, as
// osvCandidates filters them, each entry built from its stored form;
// false (pc.pkg not valid) when an entry has no form that decodes or its
// number does not fit the plan.
func (m *Matcher) packageCands(cr index.Candidates, ref *pkgRef, key string, pc *parseCache) bool {
	pk := &pc.pkg
	pk.valid = false
	seqs := cr.PackageEntries(pc.seqs[:0], ref.eco, ref.name)
	nPkg := len(seqs)
	if m.contents().PURLs {
		seqs = cr.PackageURLEntries(seqs, key)
	}
	pc.seqs = seqs[:0]
	ev := m.evaluator()
	forms := pc.gatherForms(ev, seqs)
	if len(seqs) > 0 && forms == nil {
		return false
	}
	if cap(pk.ces) < len(seqs) {
		pk.ces = make([]compiledEntry, len(seqs))
		pk.vboxes = make([][]string, len(seqs))
	}
	pk.ces, pk.vboxes = pk.ces[:len(seqs)], pk.vboxes[:len(seqs)]
	pk.room.vers, pk.room.rngs, pk.room.evs = pk.room.vers[:0], pk.room.rngs[:0], pk.room.evs[:0]
	pk.cands = pk.cands[:0]
	var seen entrySet
	for i, seq := range seqs {
		if i >= nPkg && seen.has(seq) {
			continue
		}
		ce := &pk.ces[i]
		*ce = compiledEntry{}
		if forms[i] == "" || !decodeFormInto(ce, forms[i], pc, &pk.room) {
			return false
		}
		// The entry's versions: the room's box is one for every entry,
		// a kept entry needs its own.
		if ce.versions != nil {
			pk.vboxes[i] = *ce.versions
			ce.versions = &pk.vboxes[i]
		}
		byPURL := i >= nPkg
		if !byPURL && !releaseMatches(ref.eco, ce.eco) || byPURL && ce.eco != "" && !releaseMatches(ref.eco, ce.eco) {
			continue
		}
		if len(seqs) > nPkg {
			seen.add(seq)
		}
		ecoAff := ce.eco
		if ecoAff == "" {
			ecoAff = ref.eco
		}
		pk.cands = append(pk.cands, plannedCand{ce: ce, ecoAff: ecoAff, seq: int32(seq), purl: byPURL})
	}
	pk.eco, pk.name, pk.key, pk.valid = ref.eco, ref.name, key, true
	return true
}
