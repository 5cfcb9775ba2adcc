package index

import (
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/cpe"
)

// needsPlatform reports whether a configuration can depend on more than
// one CPE (see CPEEntry.Platform).
func needsPlatform(conf *advisory.Configuration) bool {
	if conf.Negate || strings.EqualFold(conf.Operator, "AND") && len(conf.Nodes) > 1 {
		return true
	}
	for _, n := range conf.Nodes {
		if n.Negate || strings.EqualFold(n.Operator, "AND") && len(n.Matches) > 1 {
			return true
		}
		for _, m := range n.Matches {
			if !m.Vulnerable {
				return true
			}
		}
	}
	return false
}

// cpeIndex looks up NVD configurations by the vendor and product of their
// vulnerable criteria, and holds every criterion parsed. An index without
// NVD records has nil maps and answers at once.
type cpeIndex struct {
	n      int                                   // number of configurations indexed
	byVP   map[string]*refList[cpeRef, CPEEntry] // "vendor:product" in WFN form
	parsed map[string]cpe.Name                   // criterion string -> name (valid ones only)
}

// cpeRef is a CPEEntry as the table holds it: record number, position in
// its Configurations, Platform.
type cpeRef struct {
	rec, conf uint32
	platform  bool
}

// buildCPE indexes the configurations of the NVD records of ix.advs under
// the vendor and product of each of their vulnerable criteria (once per
// key). Criteria that do not parse, or whose vendor or product is a
// wildcard, are not indexed: a lookup by vendor and product cannot find
// them, and NVD has next to none.
func (ix *Memory) buildCPE(sel []*advisory.Advisory) {
	c := &ix.cpe
	for rec, a := range sel {
		if len(a.Configurations) == 0 {
			continue
		}
		if c.parsed == nil {
			c.parsed = map[string]cpe.Name{}
		}
		for ci := range a.Configurations {
			conf := &a.Configurations[ci]
			var keys []string
			for _, n := range conf.Nodes {
				for _, m := range n.Matches {
					name, ok := c.parsed[m.Criteria]
					if !ok {
						var err error
						if name, err = cpe.Parse(m.Criteria); err != nil {
							continue
						}
						c.parsed[m.Criteria] = name
					}
					if !m.Vulnerable || name.Vendor == cpe.Any || name.Product == cpe.Any ||
						cpe.HasWildcards(name.Vendor) || cpe.HasWildcards(name.Product) {
						continue
					}
					if k := name.Vendor + ":" + name.Product; !slices.Contains(keys, k) {
						keys = append(keys, k)
					}
				}
			}
			if len(keys) > 0 {
				c.n++
			}
			plat := needsPlatform(conf)
			for _, k := range keys {
				addRef(&c.byVP, k, cpeRef{rec: uint32(rec), conf: uint32(ci), platform: plat})
			}
		}
	}
}

// Configurations implements Reader.
func (ix *Memory) Configurations(vendor, product string) []CPEEntry {
	if ix.cpe.n == 0 {
		return nil
	}
	return lookup(ix, ix.cpe.byVP[vendor+":"+product], (*Memory).resolveCPE)
}

// resolveCPE turns refs into entries, leaving out those whose record
// does not decode (see Err).
func (ix *Memory) resolveCPE(refs []cpeRef) []CPEEntry {
	if len(refs) == 0 {
		return nil
	}
	out := make([]CPEEntry, 0, len(refs))
	for _, r := range refs {
		a := ix.st.get(int(r.rec))
		if a == nil || int(r.conf) >= len(a.Configurations) {
			ix.st.badRef(a, "configuration", r.conf)
			continue
		}
		out = append(out, CPEEntry{Advisory: a, Config: &a.Configurations[r.conf], Platform: r.platform})
	}
	return out
}

// Criterion implements Reader.
func (ix *Memory) Criterion(criteria string) (cpe.Name, bool) {
	n, ok := ix.cpe.parsed[criteria]
	return n, ok
}
