package match

import (
	"slices"
	"sort"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/sbom"
)

// hit is one advisory's verdict about one component (or device), as a
// source of matching (OSV packages, NVD CPE configurations, CSAF products)
// reports it. Hits about the same vulnerability are merged into one
// Finding by a findingSet.
type hit struct {
	// adv is the advisory; its ID and aliases name the vulnerability.
	adv *advisory.Advisory
	// verdict is Affected or Unknown (with a reason), and the smallest
	// fix above the installed version, if known.
	verdict verdict
	// match says how the advisory met the component: "ecosystem
	// package", "purl", "cpe", "csaf product name", ...
	match string
	// confidence is "high", "medium" or "low" ("" means high); see
	// Source.Confidence.
	confidence string
	// product names the advisory's product (or CPE criterion) that
	// matched, when there is one.
	product string
	// remediations are the advisory's remediations for the matched
	// product (CSAF vendor_fix, workaround, ...).
	remediations []advisory.Remediation
	// idOnly: only the advisory's ID becomes an alias of the finding, as
	// its aliases cannot be told to belong to this finding rather than
	// another (see findingSet).
	idOnly bool
}

// findingSet gathers the hits about one component and merges them into
// findings, one per vulnerability. Only the records that matched this
// component are joined, never the index's other records, and two
// different CVE ids never make one finding:
//
//   - A record whose ID and aliases name exactly one CVE belongs to that
//     CVE's finding; its other identifiers become the finding's aliases.
//   - A record naming several CVEs (GO-2022-0536 names CVE-2019-9512 and
//     CVE-2019-9514) attaches to the finding of each of them separately,
//     as one of its sources; only its own ID becomes an alias of each, as
//     its other aliases (the GHSA ids of one of the CVEs or the other)
//     cannot be told apart.
//   - Records naming no CVE are joined with each other through a shared
//     identifier, transitively; such a group joins the finding of the CVE
//     one of whose identifiers (ID or alias) it shares; when it shares
//     identifiers with several CVEs' findings, it is a source of each,
//     only its records' IDs becoming aliases; when it shares none, it is a
//     finding of its own, keyed by its smallest identifier (strings
//     compared bytewise).
//
// A finding's ID is therefore its CVE when it has one, and its Aliases
// never hold a CVE id.
type findingSet struct {
	comp     *sbom.Component
	findings []*Finding
	byID     map[string]*Finding // built once findings outgrows a scan
	// loose holds the hits whose record names no CVE, joined when the
	// set is complete.
	loose []hit
	// blocks is the room for the worker's next findings made from record
	// heads (see findingSet.newHeadBlock), kept between components; slab
	// says the set is a worker's.
	blocks []headBlock
	slab   bool
}

// smallSet is the number of findings up to which get scans the list
// rather than building a map.
const smallSet = 16

func newFindingSet(c *sbom.Component) *findingSet {
	return &findingSet{comp: c}
}

// cveIDs says how many different CVE ids the advisory's ID and aliases
// hold: 0, 1 (first is it) or 2 for two or more.
func cveIDs(adv *advisory.Advisory) (n int, first string) {
	if isCVE(adv.ID) {
		n, first = 1, adv.ID
	}
	for _, id := range adv.Aliases {
		if !isCVE(id) {
			continue
		}
		if n == 0 {
			n, first = 1, id
		} else if id != first {
			return 2, first
		}
	}
	return n, first
}

func isCVE(id string) bool { return strings.HasPrefix(id, "CVE-") }

// findingBlock is a Finding allocated with room for the first element of
// each list that merge fills: one allocation per finding instead of five
// (a finding has mostly one source, alias, fix and severity). On the 600k
// workload (817,000 findings) the per-finding allocations were a fifth of
// the matching's time, most of it in fresh memory for the growing heap.
// The lists get their storage here and lose it again in sorted when they
// stay empty (a nil list, as the report expects).
type findingBlock struct {
	f        Finding
	source   [1]Source
	alias    [1]string
	fixed    [1]string
	severity [1]advisory.Severity
}

// get returns the finding with the key, creating it with status st.
func (fs *findingSet) get(key string, st Status) *Finding {
	if f := fs.find(key); f != nil {
		return f
	}
	b := &findingBlock{f: Finding{ID: key, Component: fs.comp, Status: st}}
	f := &b.f
	f.Sources, f.Aliases, f.Fixed, f.Severity = b.source[:0], b.alias[:0], b.fixed[:0], b.severity[:0]
	fs.insert(f)
	return f
}

// find returns the finding with the key, nil if there is none.
func (fs *findingSet) find(key string) *Finding {
	if fs.byID != nil {
		return fs.byID[key]
	}
	for _, f := range fs.findings {
		if f.ID == key {
			return f
		}
	}
	return nil
}

// insert adds the new finding f (whose ID no finding of the set has).
func (fs *findingSet) insert(f *Finding) {
	fs.findings = append(fs.findings, f)
	if fs.byID != nil {
		fs.byID[f.ID] = f
	} else if len(fs.findings) > smallSet {
		fs.byID = make(map[string]*Finding, 2*len(fs.findings))
		for _, f := range fs.findings {
			fs.byID[f.ID] = f
		}
	}
}

// add folds one hit into the finding (or findings) of its vulnerability;
// see findingSet.
func (fs *findingSet) add(h hit) {
	if h.verdict.status == "" || h.adv == nil {
		return
	}
	n, first := cveIDs(h.adv)
	switch {
	case n == 0:
		fs.loose = append(fs.loose, h)
	case n == 1:
		merge(fs.get(first, h.verdict.status), h)
	default:
		for _, id := range fs.cves(h.adv) {
			merge(fs.get(id, h.verdict.status), h)
		}
	}
}

// cves returns the distinct CVE ids among adv's ID and aliases.
func (fs *findingSet) cves(adv *advisory.Advisory) []string {
	var out []string
	if isCVE(adv.ID) {
		out = append(out, adv.ID)
	}
	for _, id := range adv.Aliases {
		if isCVE(id) && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// sorted joins the hits naming no CVE (see findingSet) and returns the
// findings in vulnerability id order.
func (fs *findingSet) sorted() []*Finding {
	if len(fs.loose) > 0 {
		fs.joinLoose()
	}
	for _, f := range fs.findings {
		if len(f.Sources) == 0 {
			f.Sources = nil
		}
		if len(f.Aliases) == 0 {
			f.Aliases = nil
		}
		if len(f.Fixed) == 0 {
			f.Fixed = nil
		}
		if len(f.Severity) == 0 {
			f.Severity = nil
		}
	}
	slices.SortFunc(fs.findings, func(a, b *Finding) int { return strings.Compare(a.ID, b.ID) })
	return fs.findings
}

// joinLoose merges the hits whose records name no CVE: union-find over
// those hits through shared identifiers, then each group into the
// findings of the CVEs it shares an identifier with, or into a finding of
// its own.
func (fs *findingSet) joinLoose() {
	hs := fs.loose
	fs.loose = nil
	parent := make([]int, len(hs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := make(map[string]int, 2*len(hs)) // identifier -> a hit naming it
	for i, h := range hs {
		for j := -1; j < len(h.adv.Aliases); j++ {
			id := h.adv.ID
			if j >= 0 {
				id = h.adv.Aliases[j]
			}
			if id == "" {
				continue
			}
			if k, ok := first[id]; !ok {
				first[id] = i
			} else if a, b := find(i), find(k); a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	// The CVE findings by identifier: their ID and aliases, as the
	// records of one CVE (and the IDs of records naming several) gave
	// them.
	cveOf := map[string][]*Finding{}
	for _, f := range fs.findings {
		for _, id := range f.Aliases {
			cveOf[id] = append(cveOf[id], f)
		}
	}
	// The groups, in order of their first hit.
	group := make([]int, len(hs)) // root -> group number + 1
	var groups [][]int
	for i := range hs {
		r := find(i)
		if group[r] == 0 {
			groups = append(groups, nil)
			group[r] = len(groups)
		}
		groups[group[r]-1] = append(groups[group[r]-1], i)
	}
	for _, members := range groups {
		var targets []*Finding
		key := ""
		for _, m := range members {
			h := hs[m]
			for j := -1; j < len(h.adv.Aliases); j++ {
				id := h.adv.ID
				if j >= 0 {
					id = h.adv.Aliases[j]
				}
				if id == "" {
					continue
				}
				if key == "" || id < key {
					key = id
				}
				for _, f := range cveOf[id] {
					if !slices.Contains(targets, f) {
						targets = append(targets, f)
					}
				}
			}
		}
		if len(targets) == 0 {
			for _, m := range members {
				merge(fs.get(key, hs[m].verdict.status), hs[m])
			}
			continue
		}
		for _, f := range targets {
			for _, m := range members {
				h := hs[m]
				h.idOnly = len(targets) > 1
				merge(f, h)
			}
		}
	}
}

// merge folds one hit into a finding: Affected outranks Unknown; ids,
// fixes, severities, remediations and sources accumulate, each sorted so
// that the result does not depend on the order of the hits. (mergeHead
// is merge for a hit given by its record's head: keep the two alike.)
func merge(f *Finding, h hit) {
	v, adv := h.verdict, h.adv
	mergeVerdict(f, v)
	// The advisory's identifiers other than CVEs become aliases: all of
	// them when it names at most one CVE, only its ID when it names
	// several (see findingSet).
	if n, _ := cveIDs(adv); n > 1 || h.idOnly {
		addAlias(f, adv.ID)
	} else {
		addAlias(f, adv.ID)
		for _, id := range adv.Aliases {
			addAlias(f, id)
		}
	}
	mergeFixed(f, v.fixed)
	mergeSeverity(f, adv.Severity)
	for _, r := range h.remediations {
		if !slices.Contains(f.Remediations, r) {
			f.Remediations = append(f.Remediations, r)
		}
	}
	if len(f.Remediations) > 1 {
		sort.Slice(f.Remediations, func(i, j int) bool {
			a, b := f.Remediations[i], f.Remediations[j]
			if a.Category != b.Category {
				return a.Category < b.Category
			}
			if a.URL != b.URL {
				return a.URL < b.URL
			}
			return a.Details < b.Details
		})
	}
	mergeThreats(f, adv.Threats)
	mergeText(f, adv.Summary, adv.Informational)
	src := Source{ID: adv.ID, Format: adv.Format, Path: adv.Source, Match: h.match, Confidence: h.confidence, Product: h.product}
	addSource(f, src)
}

// mergeVerdict folds a hit's verdict into the finding's status: Affected
// outranks Unknown, whose reasons accumulate.
func mergeVerdict(f *Finding, v verdict) {
	switch {
	case v.status == Affected && f.Status != Affected:
		f.Status, f.Reason = Affected, ""
	case v.status == Unknown && f.Status == Unknown:
		if f.Reason == "" {
			f.Reason = v.reason
		} else if !strings.Contains(f.Reason, v.reason) {
			f.Reason += "; " + v.reason
		}
	}
}

// mergeFixed adds a hit's fixed version to the finding's, sorted.
func mergeFixed(f *Finding, fixed string) {
	if fixed != "" && !slices.Contains(f.Fixed, fixed) {
		f.Fixed = append(f.Fixed, fixed)
		sort.Strings(f.Fixed)
	}
}

// mergeSeverity adds the severities the finding lacks, sorted by type
// and score. The finding's list may be shared with other findings (see
// recordHead): it is only ever appended to (a shared one has no room
// left, so append copies it) and sorted after an append. (Sorting it
// without one would change nothing: it is sorted, its elements
// distinct.)
func mergeSeverity(f *Finding, sev []advisory.Severity) {
	n := len(f.Severity)
	for _, s := range sev {
		if !slices.Contains(f.Severity, s) {
			f.Severity = append(f.Severity, s)
		}
	}
	if len(f.Severity) > 1 && len(f.Severity) > n {
		sort.Slice(f.Severity, func(i, j int) bool { return severityLess(f.Severity[i], f.Severity[j]) })
	}
}

// severityLess orders severities by type, then score.
func severityLess(a, b advisory.Severity) bool {
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	return a.Score < b.Score
}

// mergeThreats adds the exploit_status threats whose details and date
// the finding has no threat with.
func mergeThreats(f *Finding, threats []advisory.Threat) {
	for _, th := range threats {
		if th.Category == "exploit_status" && !slices.ContainsFunc(f.Threats, func(t advisory.Threat) bool {
			return t.Details == th.Details && t.Date == th.Date
		}) {
			f.Threats = append(f.Threats, th)
		}
	}
}

// mergeText sets the finding's summary and informational flag where it
// has none.
func mergeText(f *Finding, summary, informational string) {
	if f.Summary == "" {
		f.Summary = summary
	}
	if informational != "" && f.Informational == "" {
		f.Informational = informational
	}
}

// addAlias adds id to the finding's aliases, in order, unless it is the
// finding's ID or a CVE id (a finding is about one CVE, its ID).
func addAlias(f *Finding, id string) {
	if id == "" || id == f.ID || isCVE(id) {
		return
	}
	i, found := slices.BinarySearch(f.Aliases, id)
	if !found {
		f.Aliases = slices.Insert(f.Aliases, i, id)
	}
}
