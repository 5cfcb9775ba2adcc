package ignore

import (
	"github.com/bomrank/bomrank/sbom"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/match"
)

// Expired is an entry past its until date that still matches findings:
// they count again.
type Expired struct {
	Entry
	// Findings is the number of findings it matches.
	Findings int
}

// Outcome is what Apply did besides marking the findings.
type Outcome struct {
	// Accepted is the number of findings marked accepted.
	Accepted int
	// Stale lists the entries that matched no finding, Expired the
	// entries past their until date that match findings; both in the
	// file's order.
	Stale   []Entry
	Expired []Expired
}

// Active reports whether the entry holds on date asOf: it has no until
// date, asOf is zero (a ranking for no date) or asOf is not later than
// the end of its until day.
func (e Entry) Active(asOf time.Time) bool {
	return e.Until.IsZero() || asOf.IsZero() || asOf.Before(e.Until.AddDate(0, 0, 1))
}

// Apply marks the findings of results that an active entry matches as
// accepted (match.Finding.Ignored; the first entry in the file's order
// that matches gives the reason), whatever their status, and clears the
// mark of every other finding. It never reads the clock: asOf is the
// date of the ranking. Entries are looked up by id, so the work grows
// with the findings, not with findings times entries.
func Apply(results []*match.DeviceResult, entries []Entry, asOf time.Time) Outcome {
	var out Outcome
	byID := map[string][]int{}
	for i, e := range entries {
		k := strings.ToLower(e.ID)
		byID[k] = append(byID[k], i)
	}
	hits := make([]int, len(entries))
	var cand []int
	for _, r := range results {
		for _, f := range r.Findings {
			f.Ignored = nil
			cand = candidates(cand[:0], byID, f)
			for _, i := range cand {
				e := &entries[i]
				if !e.matches(r, f) {
					continue
				}
				hits[i]++
				if f.Ignored == nil && e.Active(asOf) {
					f.Ignored = &match.Acceptance{Reason: e.Reason, By: e.By, Until: e.Until}
					out.Accepted++
				}
			}
		}
	}
	for i, e := range entries {
		switch {
		case hits[i] == 0:
			out.Stale = append(out.Stale, e)
		case !e.Active(asOf):
			out.Expired = append(out.Expired, Expired{Entry: e, Findings: hits[i]})
		}
	}
	return out
}

// candidates appends to dst the entries whose id is f's id or one of its
// aliases, each once, in the file's order.
func candidates(dst []int, byID map[string][]int, f *match.Finding) []int {
	dst = append(dst, byID[strings.ToLower(f.ID)]...)
	for _, a := range f.Aliases {
		dst = append(dst, byID[strings.ToLower(a)]...)
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// matches reports whether the entry names finding f of device r.
func (e *Entry) matches(r *match.DeviceResult, f *match.Finding) bool {
	return e.matchesID(f) && e.matchesDevice(r) && e.matchesComponent(f.Component)
}

func (e *Entry) matchesID(f *match.Finding) bool {
	if strings.EqualFold(e.ID, f.ID) {
		return true
	}
	for _, a := range f.Aliases {
		if strings.EqualFold(e.ID, a) {
			return true
		}
	}
	return false
}

func (e *Entry) matchesDevice(r *match.DeviceResult) bool {
	if e.Device == "" {
		return true
	}
	if e.Device == r.ID || r.Device != nil && e.Device == r.Device.Name {
		return true
	}
	return r.Context != nil && r.Context.AssetID != "" && e.Device == r.Context.AssetID
}

// matchesComponent: the component's purl, its purl without version (and
// qualifiers and subpath) when the entry has none, or its name.
func (e *Entry) matchesComponent(c *sbomComponent) bool {
	if e.Component == "" {
		return true
	}
	if c == nil {
		return false
	}
	if e.Component == c.Name || e.Component == c.PURL {
		return true
	}
	if !strings.HasPrefix(e.Component, "pkg:") || strings.ContainsAny(e.Component, "@?#") || c.PURL == "" {
		return false
	}
	base, _, _ := strings.Cut(c.PURL, "?")
	base, _, _ = strings.Cut(base, "#")
	base, _, _ = strings.Cut(base, "@")
	return strings.EqualFold(e.Component, base)
}

// sbomComponent is the component a finding is about.
type sbomComponent = sbom.Component
