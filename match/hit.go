package match

import (
	"slices"
	"sort"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
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
	// entry is the index entry behind the hit, when there is one: it
	// saves looking the advisory's alias group up by id.
	entry *index.Entry
}

// findingSet gathers the hits about one component and merges them per
// vulnerability (the index's alias groups decide which ids are the same).
type findingSet struct {
	ix   index.Reader
	comp *sbom.Component
	byID map[string]*Finding
	keys []string
}

func newFindingSet(ix index.Reader, c *sbom.Component) *findingSet {
	return &findingSet{ix: ix, comp: c}
}

// vuln returns the vulnerability of the hit's advisory: the one its index
// entry carries, or the index's answer for its id.
func (h *hit) vuln(ix index.Reader) *index.Vuln {
	if h.entry != nil && h.entry.Vuln != nil {
		return h.entry.Vuln
	}
	return ix.Vuln(h.adv.ID)
}

// add folds one hit into the finding of its vulnerability.
func (fs *findingSet) add(h hit) {
	if h.verdict.status == "" || h.adv == nil {
		return
	}
	key := h.vuln(fs.ix).Key
	if fs.byID == nil {
		fs.byID = map[string]*Finding{}
	}
	f := fs.byID[key]
	if f == nil {
		f = &Finding{ID: key, Component: fs.comp, Status: h.verdict.status}
		fs.byID[key] = f
		fs.keys = append(fs.keys, key)
	}
	merge(f, h, fs.ix)
}

// sorted returns the findings in vulnerability id order.
func (fs *findingSet) sorted() []*Finding {
	sort.Strings(fs.keys)
	out := make([]*Finding, 0, len(fs.keys))
	for _, k := range fs.keys {
		out = append(out, fs.byID[k])
	}
	return out
}

// merge folds one hit into a finding: Affected outranks Unknown; ids,
// fixes, severities, remediations and sources accumulate, each sorted so
// that the result does not depend on the order of the hits.
func merge(f *Finding, h hit, ix index.Reader) {
	v, adv := h.verdict, h.adv
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
	// The alias group holds the advisory's ID and aliases.
	var ids []string
	if h.entry != nil && h.entry.Vuln != nil {
		ids = h.entry.Vuln.IDs
	} else {
		ids = append([]string{adv.ID}, adv.Aliases...)
		ids = append(ids, ix.Vuln(adv.ID).IDs...)
	}
	for _, id := range ids {
		if id != f.ID && !slices.Contains(f.Aliases, id) {
			f.Aliases = append(f.Aliases, id)
		}
	}
	sort.Strings(f.Aliases)
	if v.fixed != "" && !slices.Contains(f.Fixed, v.fixed) {
		f.Fixed = append(f.Fixed, v.fixed)
		sort.Strings(f.Fixed)
	}
	for _, s := range adv.Severity {
		if !slices.Contains(f.Severity, s) {
			f.Severity = append(f.Severity, s)
		}
	}
	sort.Slice(f.Severity, func(i, j int) bool {
		if f.Severity[i].Type != f.Severity[j].Type {
			return f.Severity[i].Type < f.Severity[j].Type
		}
		return f.Severity[i].Score < f.Severity[j].Score
	})
	for _, r := range h.remediations {
		if !slices.Contains(f.Remediations, r) {
			f.Remediations = append(f.Remediations, r)
		}
	}
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
	for _, th := range adv.Threats {
		if th.Category == "exploit_status" && !slices.ContainsFunc(f.Threats, func(t advisory.Threat) bool {
			return t.Details == th.Details && t.Date == th.Date
		}) {
			f.Threats = append(f.Threats, th)
		}
	}
	if f.Summary == "" {
		f.Summary = adv.Summary
	}
	if adv.Informational != "" && f.Informational == "" {
		f.Informational = adv.Informational
	}
	src := Source{ID: adv.ID, Format: adv.Format, Path: adv.Source, Match: h.match, Confidence: h.confidence, Product: h.product}
	if !slices.Contains(f.Sources, src) {
		f.Sources = append(f.Sources, src)
		sort.Slice(f.Sources, func(i, j int) bool {
			a, b := f.Sources[i], f.Sources[j]
			if a.ID != b.ID {
				return a.ID < b.ID
			}
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			return a.Product < b.Product
		})
	}
}
