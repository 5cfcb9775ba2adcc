package match

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/cpe"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/sbom"
)

// This file matches components by CPE against NVD applicability
// configurations, the way NVD means them and without the false positives
// CPE matchers are known for:
//
//   - The vendor and product of a vulnerable criterion must be the
//     component's (or one of the pairs of cpeAliases): "nx" from npm never
//     meets Siemens NX, and a lookup never goes by product name alone.
//   - A configuration is a tree of AND/OR nodes with negation; it is
//     evaluated as a whole. Non-vulnerable criteria ("running on" an OS or a
//     hardware platform) must be met by a CPE of the same SBOM (the device
//     element or any component); a configuration is never met through a
//     platform criterion alone, since the index finds configurations by
//     their vulnerable criteria only and a finding needs one of those met by
//     the component itself.
//   - A component CPE without a version (ANY or NA) and no version field
//     matches nothing but a criterion whose version is NA: "every version"
//     of a version-less name is how grype came to flag every kernel CVE.
//   - Versions are ordered by the generic comparator of CSAF ranges
//     (genericCompare: "v" prefixes, letter releases, "1.0.2k" > "1.0.2h",
//     "7.4p1" > "7.4"); two versions it cannot order make the criterion
//     undecided, and a configuration that turns on it gives a finding of
//     status unknown that says why, never silence.
//   - A component with no CPE but a name and version (and no purl, or a
//     pkg:generic or pkg:github purl, which no OSV ecosystem holds) gets
//     candidate CPEs derived from its name (cpeDerived, then
//     vendor = product, supplier or GitHub owner), matched at confidence
//     "low" with the basis saying so.

// tri is a three-valued truth: a criterion whose versions cannot be
// ordered is neither met nor unmet.
type tri uint8

const (
	triNo tri = iota
	triYes
	triMaybe
)

func (t tri) not() tri {
	switch t {
	case triYes:
		return triNo
	case triNo:
		return triYes
	}
	return triMaybe
}

// cpeCand is one CPE of a component (or derived for it) ready to match.
type cpeCand struct {
	name cpe.Name
	// raw is the CPE as written in the SBOM, or the derived name bound to
	// a formatted string.
	raw string
	// version is the version compared with ranges, unquoted: the CPE's
	// version (with a specific update appended, "7.4 p1"), or the
	// component's version field when the CPE's is ANY; empty when there is
	// none.
	version string
	// fromField is set when version came from the component's version
	// field, not from the CPE.
	fromField bool
	derived   bool
}

// cpeAliases lists vendor:product pairs (WFN form) that NVD uses for the
// same software, so that a CPE under one finds configurations written
// under the other. It is kept small and each entry is a pair NVD itself
// has used for one product; anything else must match as written.
var cpeAliases = map[string][]string{
	// zlib: older CVEs (CVE-2016-9840..9843) name gnu:zlib, newer ones
	// zlib:zlib.
	"zlib:zlib": {"gnu:zlib"},
	"gnu:zlib":  {"zlib:zlib"},
	// curl: NVD lists the tool and the library separately for many CVEs.
	"haxx:curl":    {"haxx:libcurl"},
	"haxx:libcurl": {"haxx:curl"},
	// Mbed TLS moved from Arm to TrustedFirmware; NVD has both vendors.
	"arm:mbed_tls":             {"trustedfirmware:mbed_tls"},
	"trustedfirmware:mbed_tls": {"arm:mbed_tls"},
	// FreeRTOS: amazon:freertos and the kernel's own name.
	"amazon:freertos":          {"freertos:freertos_kernel"},
	"freertos:freertos_kernel": {"amazon:freertos"},
	// SQLite and Expat are named both ways in NVD.
	"libexpat_project:libexpat": {"libexpat:libexpat"},
	"libexpat:libexpat":         {"libexpat_project:libexpat"},
}

// cpeDerived maps a component name (lower case, as SBOMs of firmware write
// it) to the vendor:product pairs NVD names it under, for components that
// carry no CPE. Names not listed derive vendor = product (and the
// supplier or GitHub owner as vendor), which is right for most embedded
// libraries (busybox:busybox, openssl:openssl, sqlite:sqlite).
var cpeDerived = map[string][]string{
	"linux":           {"linux:linux_kernel"},
	"linux-kernel":    {"linux:linux_kernel"},
	"linux_kernel":    {"linux:linux_kernel"},
	"kernel":          {"linux:linux_kernel"},
	"curl":            {"haxx:curl", "haxx:libcurl"},
	"libcurl":         {"haxx:libcurl", "haxx:curl"},
	"zlib":            {"zlib:zlib", "gnu:zlib"},
	"glibc":           {"gnu:glibc"},
	"vxworks":         {"windriver:vxworks"},
	"dropbear":        {"dropbear_ssh_project:dropbear_ssh"},
	"dropbear-ssh":    {"dropbear_ssh_project:dropbear_ssh"},
	"freertos":        {"amazon:freertos", "freertos:freertos_kernel"},
	"freertos-kernel": {"freertos:freertos_kernel", "amazon:freertos"},
	"lwip":            {"lwip_project:lwip"},
	"mbedtls":         {"arm:mbed_tls", "trustedfirmware:mbed_tls"},
	"mbed tls":        {"arm:mbed_tls", "trustedfirmware:mbed_tls"},
	"mbed-tls":        {"arm:mbed_tls", "trustedfirmware:mbed_tls"},
	"openssh":         {"openbsd:openssh"},
	"dnsmasq":         {"thekelleys:dnsmasq"},
	"expat":           {"libexpat_project:libexpat"},
	"libexpat":        {"libexpat_project:libexpat"},
	"libxml2":         {"xmlsoft:libxml2"},
	"u-boot":          {"denx:u-boot"},
	"das u-boot":      {"denx:u-boot"},
	"libpng":          {"libpng:libpng"},
	"libjpeg-turbo":   {"libjpeg-turbo:libjpeg-turbo"},
	"ntp":             {"ntp:ntp"},
}

// cpeHits adds the verdicts of the NVD configurations that one of the
// component's CPEs (or a CPE derived from its name and version) meets. The
// device gives the platform CPEs that AND-configurations ("running on")
// need.
func (m *Matcher) cpeHits(d *sbom.Device, c *sbom.Component, pc *parseCache, fs *findingSet) {
	if !m.contents().CPE {
		return
	}
	cands := m.componentCPEs(c)
	if len(cands) == 0 {
		return
	}
	ev := cpeEval{m: m, d: d, pc: pc, c: c}
	// One verdict per advisory: the best over its configurations and the
	// component's CPEs (met before undecided; the first in order), in ID
	// order. Each candidate's own verdicts come sorted and one per
	// advisory from its cache; the configurations that need the device
	// are evaluated here, and the lists are merged in the order the
	// candidates and their configurations came.
	lists := make([][]cpeVerdict, 0, 2)
	var seen map[*advisory.Configuration]bool
	for ci := range cands {
		cd := &cands[ci]
		cc := m.cpeCandidate(cd, pc)
		lists = append(lists, cc.verdicts)
		var plat []cpeVerdict
		for _, e := range cc.platform {
			if seen[e.Config] {
				continue
			}
			if seen == nil {
				seen = map[*advisory.Configuration]bool{}
			}
			seen[e.Config] = true
			if r := ev.config(e.Config, cd); r.t != triNo {
				plat = append(plat, cpeVerdict{e.Advisory, r})
			}
		}
		if len(plat) > 0 {
			slices.SortStableFunc(plat, cmpVerdictID)
			lists = append(lists, plat)
		}
	}
	for _, b := range mergeVerdicts(lists) {
		h := hit{adv: b.adv, match: b.res.match, confidence: b.res.confidence, product: b.res.basis}
		if b.res.t == triYes {
			h.verdict = verdict{status: Affected, fixed: b.res.fixed}
		} else {
			h.verdict = verdict{status: Unknown, reason: b.res.reason}
		}
		fs.add(h)
	}
}

// cpeVerdict is one advisory's verdict about one candidate.
type cpeVerdict struct {
	adv *advisory.Advisory
	res cpeResult
}

func cmpVerdictID(a, b cpeVerdict) int { return strings.Compare(a.adv.ID, b.adv.ID) }

// mergeVerdicts merges lists each sorted by advisory ID (stably: equal
// IDs in the order they were found) into one list in ID order with one
// verdict per advisory: the first met one, else the first. Equal IDs of
// different advisories keep the order in which they first come (list
// by list, then within a list). This is what a map from advisory to
// verdict followed by a stable sort by ID gives, in time linear in the
// verdicts: that map and sort, done for every component of every device
// over a kernel CPE's thousands of verdicts, took 1.5-2.2 s of the 12-13 s
// of CPU of BenchmarkNVDDatabase at 300,000 records (2026-12-07), 0.5 s of
// it the sort alone, which grows as n log n. A single list already
// reduced (a candidate's cached verdicts) is returned as it is.
func mergeVerdicts(lists [][]cpeVerdict) []cpeVerdict {
	lists = slices.DeleteFunc(lists, func(l []cpeVerdict) bool { return len(l) == 0 })
	switch len(lists) {
	case 0:
		return nil
	case 1:
		if reduced(lists[0]) {
			return lists[0]
		}
	}
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]cpeVerdict, 0, n)
	heads := make([]int, len(lists))
	group := 0 // out[group:] share one ID
	for {
		best := -1
		for i, l := range lists {
			if heads[i] < len(l) && (best < 0 || l[heads[i]].adv.ID < lists[best][heads[best]].adv.ID) {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		v := lists[best][heads[best]]
		heads[best]++
		if len(out) > 0 && out[group].adv.ID != v.adv.ID {
			group = len(out)
		}
		out = addVerdict(out, group, v)
	}
}

// addVerdict adds v to out, whose verdicts from group on have v's ID:
// appended when its advisory is not among them, else in place of that
// advisory's verdict if that one is undecided and v is met.
func addVerdict(out []cpeVerdict, group int, v cpeVerdict) []cpeVerdict {
	for i := group; i < len(out); i++ {
		if out[i].adv == v.adv {
			if out[i].res.t == triMaybe && v.res.t == triYes {
				out[i] = v
			}
			return out
		}
	}
	return append(out, v)
}

// reduced reports whether a list sorted by ID has one verdict per
// advisory.
func reduced(l []cpeVerdict) bool {
	for i := 1; i < len(l); i++ {
		if l[i].adv == l[i-1].adv {
			return false
		}
		if l[i].adv.ID == l[i-1].adv.ID {
			// Equal IDs, maybe not adjacent for one advisory: check the
			// whole run.
			for j := i - 1; j >= 0 && l[j].adv.ID == l[i].adv.ID; j-- {
				if l[j].adv == l[i].adv {
					return false
				}
			}
		}
	}
	return true
}

// cpeCandidateResult is what one candidate CPE meets regardless of the
// device: the verdicts of the configurations that only it decides (sorted
// by advisory ID, one per advisory, see mergeVerdicts), and the
// configurations that need the device's other CPEs. Both are set when
// done is closed; the other fields are the evaluation in progress (see
// cpeCandidate).
type cpeCandidateResult struct {
	verdicts []cpeVerdict
	platform []index.CPEEntry

	prep     sync.Once
	entries  []index.CPEEntry // the configurations to evaluate
	parts    []cpePart        // their results, cpeChunk entries each
	nparts   int              // len(parts) until finish drops them
	next     atomic.Int64     // the next part to take
	left     atomic.Int64     // the parts not finished
	done     chan struct{}
	mu       sync.Mutex
	panicked any // the first panic of the evaluation
}

// cpePart is the result of one part of a candidate's configurations.
type cpePart struct {
	verdicts []cpeVerdict
	platform []index.CPEEntry
}

// cpeChunk is the number of configurations in a part: about 1.6 ms of
// evaluation, so that a worker waiting for the last part of a candidate
// waits little.
const cpeChunk = 1024

// cpeCandidate evaluates the configurations that one candidate decides
// alone, once per matcher: fleets repeat the same kernel, BusyBox and
// OpenSSL CPEs across devices, and a Linux kernel CPE meets thousands of
// NVD configurations.
//
// Once, and by every worker that needs it: workers take neighbouring
// devices, which share most component CPEs. Each used to evaluate a
// candidate it did not find cached while another was still evaluating it,
// the longer an evaluation the more often: with 2 workers
// BenchmarkCPEFleet's 330 candidates were evaluated 477 times at 50,000
// records and 554 times at 300,000, where a kernel candidate has 80,000
// configurations. Evaluated once while the other workers waited, the scan
// at 300,000 records used a third less CPU but one core most of the time,
// and took longer on a quiet machine (6.9 s against 5.5 s through the
// database, 2026-12-07).
// So the configurations are cut in parts that every worker needing the
// candidate takes in turn; a worker waits only for the parts others are
// finishing.
func (m *Matcher) cpeCandidate(cd *cpeCand, pc *parseCache) *cpeCandidateResult {
	key := cd.raw + "\x00" + cd.version
	if cd.derived {
		key += "\x00d"
	}
	v, ok := m.cpeCands.Load(key)
	if !ok {
		cc := &cpeCandidateResult{done: make(chan struct{})}
		if m.cpeCandCount.Load() >= maxCPECandidates {
			m.evalCandidate(cc, cd, pc)
			return cc
		}
		if v, ok = m.cpeCands.LoadOrStore(key, cc); !ok {
			m.cpeCandCount.Add(1)
		}
	}
	cc := v.(*cpeCandidateResult)
	m.evalCandidate(cc, cd, pc)
	return cc
}

// evalCandidate takes part in the evaluation of cc for cd and returns
// once it is complete; it panics with the evaluation's panic, if any, so
// that every device needing the candidate fails as the first one did.
func (m *Matcher) evalCandidate(cc *cpeCandidateResult, cd *cpeCand, pc *parseCache) {
	cc.prep.Do(func() { m.prepCandidate(cc, cd) })
	for {
		i := int(cc.next.Add(1) - 1)
		if i >= cc.nparts {
			break
		}
		m.evalPart(cc, i, cd, pc)
		if cc.left.Add(-1) == 0 {
			cc.finish()
		}
	}
	<-cc.done
	if cc.panicked != nil {
		panic(cc.panicked)
	}
}

// prepCandidate looks up the configurations of cd (once each, when its
// aliases find one twice) and cuts them in parts.
func (m *Matcher) prepCandidate(cc *cpeCandidateResult, cd *cpeCand) {
	defer func() {
		if p := recover(); p != nil {
			cc.fail(p)
			cc.parts, cc.nparts = nil, 0
		}
		if cc.nparts == 0 {
			cc.finish()
		}
	}()
	keys := vpKeys(cd)
	for i, k := range keys {
		vendor, product, _ := strings.Cut(k, ":")
		es := m.Index.Configurations(vendor, product)
		if i == 0 {
			cc.entries = es
			continue
		}
		// A configuration found under two keys (a name and its alias) is
		// evaluated once. Under one key there is nothing to skip, and no
		// map: one of the 80,000 configurations of a kernel CPE at
		// 300,000 records took 0.37 s of 7.4 s of scan CPU (2026-12-07).
		// Were a configuration listed twice all the same, its verdict
		// would be the same twice, and mergeVerdicts and cpeHits keep one.
		seen := make(map[*advisory.Configuration]bool, len(cc.entries))
		for _, e := range cc.entries {
			seen[e.Config] = true
		}
		cc.entries = slices.Clone(cc.entries)
		for _, e := range es {
			if !seen[e.Config] {
				seen[e.Config] = true
				cc.entries = append(cc.entries, e)
			}
		}
	}
	n := (len(cc.entries) + cpeChunk - 1) / cpeChunk
	cc.parts, cc.nparts = make([]cpePart, n), n
	cc.left.Store(int64(n))
}

// evalPart evaluates part i of cc's configurations for cd.
func (m *Matcher) evalPart(cc *cpeCandidateResult, i int, cd *cpeCand, pc *parseCache) {
	defer func() {
		if p := recover(); p != nil {
			cc.fail(p)
		}
	}()
	ev := cpeEval{m: m, pc: pc}
	out := &cc.parts[i]
	for _, e := range cc.entries[i*cpeChunk : min((i+1)*cpeChunk, len(cc.entries))] {
		if e.Platform {
			// Kept for the device step only when the candidate meets one
			// of its vulnerable criteria: without that it cannot be met,
			// whatever the device holds.
			if ev.meetsVulnerable(e.Config, cd) {
				out.platform = append(out.platform, e)
			}
			continue
		}
		if r := ev.config(e.Config, cd); r.t != triNo {
			out.verdicts = append(out.verdicts, cpeVerdict{e.Advisory, r})
		}
	}
}

// fail keeps the first panic of cc's evaluation.
func (cc *cpeCandidateResult) fail(p any) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.panicked == nil {
		cc.panicked = p
	}
}

// finish joins the parts of cc, once they are all done, and releases the
// workers waiting for it.
func (cc *cpeCandidateResult) finish() {
	defer close(cc.done)
	if cc.panicked != nil {
		return
	}
	var verdicts []cpeVerdict
	for _, p := range cc.parts {
		verdicts = append(verdicts, p.verdicts...)
		cc.platform = append(cc.platform, p.platform...)
	}
	cc.parts, cc.entries = nil, nil
	// Sorted already under one key (Configurations is in ID order).
	if !slices.IsSortedFunc(verdicts, cmpVerdictID) {
		slices.SortStableFunc(verdicts, cmpVerdictID)
	}
	cc.verdicts = mergeVerdicts([][]cpeVerdict{verdicts})
}

// maxCPECandidates bounds the candidates whose results a matcher keeps
// (one per distinct component CPE of the fleet, normally a few thousand).
const maxCPECandidates = 1 << 16

// vpKeys returns the vendor:product keys a candidate is looked up under:
// its own, then its aliases.
func vpKeys(cd *cpeCand) []string {
	k := cd.name.Vendor + ":" + cd.name.Product
	return append([]string{k}, cpeAliases[k]...)
}

// componentCPEs returns the component's CPEs that parse, in document order,
// or, when it has none, the candidates derived from its name.
func (m *Matcher) componentCPEs(c *sbom.Component) []cpeCand {
	if len(c.CPEs) > 0 {
		return m.writtenCPEs(c)
	}
	return deriveCPEs(c)
}

// writtenCPEs returns the component's own CPEs that parse and name a
// vendor and product, in document order.
func (m *Matcher) writtenCPEs(c *sbom.Component) []cpeCand {
	var out []cpeCand
	for _, raw := range c.CPEs {
		n, ok := m.parseCPE(raw)
		if !ok || n.Vendor == cpe.Any || n.Product == cpe.Any ||
			cpe.HasWildcards(n.Vendor) || cpe.HasWildcards(n.Product) {
			continue
		}
		cd := cpeCand{name: n, raw: raw}
		switch n.Version {
		case cpe.Any, cpe.NA:
			if n.Version == cpe.Any && strings.TrimSpace(c.Version) != "" {
				cd.version, cd.fromField = strings.TrimSpace(c.Version), true
			}
		default:
			cd.version = cpe.Unquote(n.Version)
			if u := n.Update; u != cpe.Any && u != cpe.NA {
				cd.version += " " + cpe.Unquote(u)
			}
		}
		out = append(out, cd)
	}
	return out
}

// deriveCPEs returns candidate CPEs for a component that has none: only
// for one with a name and a version and no purl, or a pkg:generic or
// pkg:github purl (other purl types are matched by OSV's ecosystems).
func deriveCPEs(c *sbom.Component) []cpeCand {
	name, version := strings.TrimSpace(c.Name), strings.TrimSpace(c.Version)
	if name == "" || version == "" {
		return nil
	}
	var owner string
	if p := strings.ToLower(c.PURL); p != "" {
		switch {
		case strings.HasPrefix(p, "pkg:generic/"):
		case strings.HasPrefix(p, "pkg:github/"):
			if o, _, ok := strings.Cut(strings.TrimPrefix(p, "pkg:github/"), "/"); ok {
				owner = o
			}
		default:
			return nil
		}
	}
	lower := strings.ToLower(name)
	var pairs []string
	if ps, ok := cpeDerived[lower]; ok {
		for _, p := range ps {
			v, pr, _ := strings.Cut(p, ":")
			pairs = append(pairs, cpe.Quote(v)+":"+cpe.Quote(pr))
		}
	} else {
		product := cpe.Quote(strings.ReplaceAll(lower, " ", "_"))
		pairs = append(pairs, product+":"+product)
		for _, v := range []string{owner, vendorWord(c.Supplier)} {
			if v == "" {
				continue
			}
			if k := cpe.Quote(v) + ":" + product; !slices.Contains(pairs, k) {
				pairs = append(pairs, k)
			}
		}
	}
	out := make([]cpeCand, 0, len(pairs))
	for _, p := range pairs {
		vendor, product, _ := strings.Cut(p, ":")
		n := cpe.Name{Part: cpe.Any, Vendor: vendor, Product: product, Version: cpe.Quote(version),
			Update: cpe.Any, Edition: cpe.Any, Language: cpe.Any, SWEdition: cpe.Any,
			TargetSW: cpe.Any, TargetHW: cpe.Any, Other: cpe.Any}
		out = append(out, cpeCand{name: n, raw: n.String(), version: version, derived: true})
	}
	return out
}

// vendorWord reduces a supplier name to the single word NVD vendors are
// usually named by ("The OpenSSL Project" gives "openssl"): the first word
// that is not an article, lower case. Empty for an empty name.
func vendorWord(s string) string {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.Trim(w, ".,;()")
		if w != "" && w != "the" {
			return w
		}
	}
	return ""
}

// parseCPE parses a component CPE once per matcher.
func (m *Matcher) parseCPE(raw string) (cpe.Name, bool) {
	if v, ok := m.cpeNames.Load(raw); ok {
		p := v.(parsedCPE)
		return p.n, p.ok
	}
	n, err := cpe.Parse(raw)
	m.cpeNames.Store(raw, parsedCPE{n, err == nil})
	return n, err == nil
}

type parsedCPE struct {
	n  cpe.Name
	ok bool
}

// cpeResult is the evaluation of one configuration for one candidate.
type cpeResult struct {
	t tri
	// match, confidence and basis fill the finding's Source: how, how
	// sure, and which criteria (with their ranges, and the platform CPEs
	// that met "running on" criteria).
	match, confidence, basis string
	// fixed is the versionEndExcluding of the criterion the component met.
	fixed string
	// reason says why the result is undecided.
	reason string
}

// cpeEval evaluates configurations for the components of one device.
type cpeEval struct {
	m  *Matcher
	d  *sbom.Device
	pc *parseCache
	// c is the component whose configurations are evaluated: its own
	// CPEs are not platforms of it.
	c *sbom.Component
}

type platformCPE struct {
	cpeCand
	of *sbom.Component
}

// nodeState gathers, while a configuration is evaluated, the criteria that
// were met.
type nodeState struct {
	self      *advisory.CPEMatch // a vulnerable criterion met by the component
	selfT     tri
	selfAlias bool
	selfLoose string // a target_sw/target_hw the component's CPE left open
	platforms []string
	reason    string
}

// meetsVulnerable reports whether the candidate meets (or may meet) one
// of the configuration's vulnerable criteria.
func (ev *cpeEval) meetsVulnerable(conf *advisory.Configuration, cd *cpeCand) bool {
	for i := range conf.Nodes {
		for j := range conf.Nodes[i].Matches {
			cm := &conf.Nodes[i].Matches[j]
			if !cm.Vulnerable {
				continue
			}
			if crit, ok := ev.m.Index.Criterion(cm.Criteria); ok {
				if r, _, _, _ := ev.m.criterion(crit, cm, cd, ev.pc, false); r != triNo {
					return true
				}
			}
		}
	}
	return false
}

func (ev *cpeEval) config(conf *advisory.Configuration, cd *cpeCand) cpeResult {
	var st nodeState
	var t tri
	if strings.EqualFold(conf.Operator, "AND") {
		t = triYes
		for i := range conf.Nodes {
			t = and(t, ev.node(&conf.Nodes[i], cd, &st))
		}
	} else {
		t = triNo
		for i := range conf.Nodes {
			t = or(t, ev.node(&conf.Nodes[i], cd, &st))
		}
	}
	if conf.Negate {
		t = t.not()
	}
	// Never met without a vulnerable criterion met by the component.
	if t == triNo || st.self == nil {
		return cpeResult{}
	}
	// The component's own criterion undecided: the whole is at best
	// undecided, whatever other CPEs of the device meet.
	if st.selfT == triMaybe {
		t = triMaybe
	}
	r := cpeResult{t: t, reason: st.reason}
	r.basis = st.self.Criteria + rangeText(st.self)
	if len(st.platforms) > 0 {
		r.basis += " running on " + strings.Join(st.platforms, ", ")
	}
	r.fixed = cpe.Unquote(strings.TrimSpace(st.self.VersionEndExcluding))
	switch {
	case cd.derived:
		r.match, r.confidence = "derived cpe "+cd.raw+" (from the component's name and version; it has no CPE)", "low"
	case st.selfAlias:
		r.match, r.confidence = "cpe "+cd.raw+" (vendor:product alias)", "medium"
	case st.selfLoose != "":
		r.match, r.confidence = "cpe "+cd.raw+" (the criterion's "+st.selfLoose+" is not in the component's CPE)", "medium"
	case cd.fromField:
		r.match, r.confidence = "cpe "+cd.raw+" (version "+cd.version+" from the component)", "high"
	default:
		r.match, r.confidence = "cpe "+cd.raw, "high"
	}
	if t == triMaybe && r.reason == "" {
		r.reason = "NVD criterion " + st.self.Criteria + " cannot be decided"
	}
	return r
}

func and(a, b tri) tri {
	switch {
	case a == triNo || b == triNo:
		return triNo
	case a == triMaybe || b == triMaybe:
		return triMaybe
	}
	return triYes
}

func or(a, b tri) tri {
	switch {
	case a == triYes || b == triYes:
		return triYes
	case a == triMaybe || b == triMaybe:
		return triMaybe
	}
	return triNo
}

// node evaluates one node. A vulnerable criterion is met by the component
// (recorded as st.self) or else by another CPE of the device; a
// non-vulnerable one only by the device's CPEs.
func (ev *cpeEval) node(n *advisory.Node, cd *cpeCand, st *nodeState) tri {
	isAnd := strings.EqualFold(n.Operator, "AND")
	t := triNo
	if isAnd {
		t = triYes
	}
	// Platform CPEs that met criteria of this node; a vulnerable
	// criterion met by another CPE of the device is only shown when the
	// component met none of the node's criteria (firmware AND hardware,
	// both vulnerable), not beside the component in an OR list.
	var plats []string
	selfHere := false
	for i := range n.Matches {
		cm := &n.Matches[i]
		crit, ok := ev.m.Index.Criterion(cm.Criteria)
		var r tri
		if ok {
			if cm.Vulnerable {
				var alias bool
				var loose, reason string
				r, alias, loose, reason = ev.m.criterion(crit, cm, cd, ev.pc, false)
				if r != triNo {
					selfHere = true
				}
				if r != triNo && !n.Negate && (st.self == nil || r == triYes && st.selfT != triYes) {
					st.self, st.selfT, st.selfAlias, st.selfLoose = cm, r, alias, loose
				}
				if r == triMaybe && st.reason == "" {
					st.reason = reason
				}
			}
			if r != triYes {
				if p := ev.platform(crit, cm); p != "" {
					r = triYes
					if !n.Negate && (!cm.Vulnerable || isAnd || !selfHere) && !slices.Contains(plats, p) {
						plats = append(plats, p)
					}
				}
			}
		}
		if isAnd {
			t = and(t, r)
		} else {
			t = or(t, r)
		}
	}
	if !selfHere || isAnd {
		for _, p := range plats {
			if !slices.Contains(st.platforms, p) {
				st.platforms = append(st.platforms, p)
			}
		}
	}
	if n.Negate {
		t = t.not()
	}
	return t
}

// devicePlatforms returns the CPEs written in a device's SBOM (device
// element and components), which "running on" criteria look for. The
// worker's cache keeps the list of the device it is matching, so that it
// is built once per device, not once per component.
func (m *Matcher) devicePlatforms(d *sbom.Device, pc *parseCache) []platformCPE {
	if d == nil {
		return nil
	}
	if pc != nil && pc.platDev == d {
		return pc.plats
	}
	var out []platformCPE
	add := func(c *sbom.Component) {
		for _, cd := range m.writtenCPEs(c) {
			out = append(out, platformCPE{cd, c})
		}
	}
	add(&d.Component)
	for _, c := range d.Components {
		add(c)
	}
	if pc != nil {
		pc.platDev, pc.plats = d, out
	}
	return out
}

// platform returns the first CPE of the device, other than the evaluated
// component's own, that meets the criterion (exactly: no alias, no derived
// names), or "".
func (ev *cpeEval) platform(crit cpe.Name, cm *advisory.CPEMatch) string {
	plats := ev.m.devicePlatforms(ev.d, ev.pc)
	for i := range plats {
		p := &plats[i]
		if p.of == ev.c || p.name.Vendor != crit.Vendor || p.name.Product != crit.Product {
			continue
		}
		if r, _, _, _ := ev.m.criterion(crit, cm, &p.cpeCand, ev.pc, true); r == triYes {
			return p.raw
		}
	}
	return ""
}

// criterion decides whether a candidate meets one criterion: vendor and
// product equal (or, for a vulnerable criterion met by the component
// itself, an alias pair), the other attributes per IR 7696 (the
// criterion a superset of the name or equal to it), the version in the
// criterion's range or equal to its version. alias reports an alias pair
// used; loose names a target_sw/target_hw that the criterion gives and the
// candidate leaves ANY (accepted, at lower confidence); reason says why
// the result is undecided. A platform (a "running on" CPE of the device)
// meets a criterion for every version without a version of its own.
func (m *Matcher) criterion(crit cpe.Name, cm *advisory.CPEMatch, cd *cpeCand, pc *parseCache, platform bool) (r tri, alias bool, loose, reason string) {
	if crit.Vendor != cd.name.Vendor || crit.Product != cd.name.Product {
		if platform || !slices.Contains(cpeAliases[cd.name.Vendor+":"+cd.name.Product], crit.Vendor+":"+crit.Product) {
			return triNo, false, "", ""
		}
		alias = true
	}
	ca, na := crit.Attrs(), cd.name.Attrs()
	for i, a := range ca {
		switch i {
		case 1, 2, 3, 4: // vendor, product above; version, update in versionIn
			continue
		}
		switch cpe.Compare(a, na[i]) {
		case cpe.Superset, cpe.Equal:
			continue
		case cpe.Subset:
			if i == 0 && cd.derived { // a derived name has no part
				continue
			}
			if (i == 8 || i == 9) && !platform {
				if loose == "" {
					loose = [...]string{8: "target_sw", 9: "target_hw"}[i] + " " + cpe.Unquote(a)
				}
				continue
			}
		}
		return triNo, false, "", ""
	}
	if platform && crit.Version == cpe.Any && !hasBounds(cm) {
		return triYes, false, "", ""
	}
	t, why := versionIn(crit, cm, cd, pc)
	return t, alias, loose, why
}

func hasBounds(cm *advisory.CPEMatch) bool {
	return strings.TrimSpace(cm.VersionStartIncluding+cm.VersionStartExcluding+cm.VersionEndIncluding+cm.VersionEndExcluding) != ""
}

// versionIn decides whether the candidate's version is the criterion's
// version or lies in its range.
func versionIn(crit cpe.Name, cm *advisory.CPEMatch, cd *cpeCand, pc *parseCache) (tri, string) {
	if crit.Version == cpe.NA || cd.version == "" {
		// A criterion for "no version" meets only a name with none; a
		// name without a version meets nothing else.
		if crit.Version == cpe.NA && cd.name.Version == cpe.NA {
			return triYes, ""
		}
		return triNo, ""
	}
	bounds := [4]string{cm.VersionStartIncluding, cm.VersionStartExcluding, cm.VersionEndIncluding, cm.VersionEndExcluding}
	ranged := false
	for i := range bounds {
		bounds[i] = strings.TrimSpace(bounds[i])
		ranged = ranged || bounds[i] != ""
	}
	iv, err := pc.generic(cd.version)
	if err != nil {
		return triMaybe, fmt.Sprintf("version %q of %s cannot be compared with NVD criterion %s: %v", cd.version, cd.raw, cm.Criteria, err)
	}
	if !ranged {
		if crit.Version == cpe.Any {
			return triYes, ""
		}
		if cpe.HasWildcards(crit.Version) {
			if r := cpe.Compare(crit.Version, cpe.Quote(cd.version)); r == cpe.Superset || r == cpe.Equal {
				return triYes, ""
			}
			return triNo, ""
		}
		want := cpe.Unquote(crit.Version)
		if crit.Update != cpe.Any && crit.Update != cpe.NA {
			want += " " + cpe.Unquote(crit.Update)
		}
		have := iv
		if crit.Update == cpe.Any && !cd.derived && cd.name.Update != cpe.Any && cd.name.Update != cpe.NA {
			// The criterion covers every update of its version.
			if h, err := pc.generic(cpe.Unquote(cd.name.Version)); err == nil {
				have = h
			}
		}
		wv, err := pc.generic(want)
		if err != nil {
			return triNo, ""
		}
		if c, err := genericCompare(have, wv); err == nil && c == 0 {
			return triYes, ""
		}
		return triNo, ""
	}
	for i, b := range bounds {
		if b == "" {
			continue
		}
		bv, err := pc.generic(cpe.Unquote(b))
		if err != nil {
			return triMaybe, fmt.Sprintf("NVD range bound %q of %s is not a version", b, cm.Criteria)
		}
		c, err := genericCompare(iv, bv)
		if err != nil {
			return triMaybe, fmt.Sprintf("version %q of %s cannot be ordered against %q of NVD criterion %s", cd.version, cd.raw, b, cm.Criteria)
		}
		ok := [4]bool{c >= 0, c > 0, c <= 0, c < 0}[i]
		if !ok {
			return triNo, ""
		}
	}
	return triYes, ""
}

// rangeText writes a criterion's range (" versions >= 1.0.2, < 1.0.2m"),
// or "" when it has none.
func rangeText(cm *advisory.CPEMatch) string {
	var parts []string
	for _, b := range []struct{ op, v string }{
		{">=", cm.VersionStartIncluding}, {">", cm.VersionStartExcluding},
		{"<=", cm.VersionEndIncluding}, {"<", cm.VersionEndExcluding},
	} {
		if v := strings.TrimSpace(b.v); v != "" {
			parts = append(parts, b.op+" "+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " versions " + strings.Join(parts, ", ")
}

// generic parses a version with the generic scheme, remembering the
// result in the worker's cache (bounds and installed versions repeat
// across configurations and devices).
func (pc *parseCache) generic(s string) (genVersion, error) {
	if pc == nil {
		return parseGeneric(s)
	}
	if g, ok := pc.gen[s]; ok {
		return g.v, g.err
	}
	v, err := parseGeneric(s)
	if pc.gen == nil {
		pc.gen = map[string]parsedGeneric{}
	}
	if len(pc.gen) < maxGenericCache {
		pc.gen[s] = parsedGeneric{v, err}
	}
	return v, err
}

// maxGenericCache bounds the worker's cache of generic versions, against
// hostile feeds with millions of distinct bounds.
const maxGenericCache = 1 << 16

type parsedGeneric struct {
	v   genVersion
	err error
}
