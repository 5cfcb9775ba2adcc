package index

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/cpe"
	"github.com/bomrank/bomrank/internal/advcodec"
)

// appendTables writes every lookup table of the index (see binary.go for
// the order).
func (ix *Memory) appendTables(b []byte) []byte {
	b = appendTable(b, refsOf(ix.byPkg), cmpPkgKey, func(b []byte, k pkgKey) []byte {
		return advcodec.AppendString(advcodec.AppendString(b, k.eco), k.name)
	}, appendEntryRef)
	b = appendTable(b, refsOf(ix.byPURL), strings.Compare, appendStringKey, appendEntryRef)

	b = appendInt(b, ix.cpe.n)
	b = appendTable(b, refsOf(ix.cpe.byVP), strings.Compare, appendStringKey, func(b []byte, r cpeRef) []byte {
		return advcodec.AppendBool(appendInt(appendInt(b, int(r.rec)), int(r.conf)), r.platform)
	})
	// The parsed criteria: a table whose one "reference" per key is the
	// name's eleven attributes.
	parsed := make(map[string][]cpe.Name, len(ix.cpe.parsed))
	for k, n := range ix.cpe.parsed {
		parsed[k] = []cpe.Name{n}
	}
	b = appendTable(b, parsed, strings.Compare, appendStringKey, func(b []byte, n cpe.Name) []byte {
		for _, s := range n.Attrs() {
			b = advcodec.AppendString(b, s)
		}
		return b
	})

	c := &ix.csaf
	b = appendInt(b, c.n)
	b = appendTable(b, refsOf(c.byName), cmpNameKey, func(b []byte, k nameKey) []byte {
		return advcodec.AppendString(advcodec.AppendString(b, k.vendor), k.token)
	}, appendCSAFRef)
	for _, m := range []map[string]*csafList{c.byModel, c.byPURL, c.byCPE, c.byHash} {
		b = appendTable(b, refsOf(m), strings.Compare, appendStringKey, appendCSAFRef)
	}
	b = appendInt(b, len(c.globs))
	for _, g := range c.globs {
		b = advcodec.AppendStrings(appendCSAFRef(b, g.csafRef), g.patterns)
	}

	v := &ix.vex
	b = appendInt(b, len(v.entries))
	for _, e := range v.entries {
		b = appendCSAFRef(b, e)
	}
	for _, m := range []map[string]*vexList{v.byPURL, v.byCPE, v.byHash, v.bySer, v.byURI} {
		b = appendTable(b, refsOf(m), strings.Compare, appendStringKey, appendInt)
	}

	b = appendInt(b, len(ix.replaced))
	for _, r := range ix.replaced {
		b = appendInt(appendInt(b, int(r.kept)), int(r.replaced))
		b = advcodec.AppendBool(advcodec.AppendBool(b, r.withdrawn), r.affectedDiffer)
	}
	return b
}

// decodeTables reads what appendTables wrote. tables is a copy of the
// section: the keys are substrings of it.
func (ix *Memory) decodeTables(tables string) error {
	d := &tabDec{Decoder: advcodec.NewDecoder(tables), recs: ix.st.len(), entries: ix.entries}
	ix.byPkg = decodeLists[pkgKey, entryRef, Entry](d, func(d *tabDec) pkgKey { return pkgKey{d.String(), d.String()} }, decodeEntryRef)
	ix.pkgTab = newPkgTable(ix.byPkg)
	ix.byPURL = decodeLists[string, entryRef, Entry](d, decodeStringKey, decodeEntryRef)

	ix.cpe.n = d.Count()
	ix.cpe.byVP = decodeLists[string, cpeRef, CPEEntry](d, decodeStringKey, func(d *tabDec) cpeRef {
		return cpeRef{rec: d.rec(), conf: d.u32(), platform: d.Bool()}
	})
	parsed := decodeTable(d, decodeStringKey, func(d *tabDec) cpe.Name {
		return cpe.Name{Part: d.String(), Vendor: d.String(), Product: d.String(), Version: d.String(),
			Update: d.String(), Edition: d.String(), Language: d.String(), SWEdition: d.String(),
			TargetSW: d.String(), TargetHW: d.String(), Other: d.String()}
	})
	if len(parsed) > 0 {
		ix.cpe.parsed = make(map[string]cpe.Name, len(parsed))
		for k, n := range parsed {
			if len(n) != 1 {
				return fmt.Errorf("criterion %q parsed %d times", k, len(n))
			}
			ix.cpe.parsed[k] = n[0]
		}
	}

	ix.decodeCSAF(d)
	ix.decodeVEX(d)

	if n := d.Count(); n > 0 && d.Err() == nil {
		ix.replaced = make([]replacementRef, n)
		for i := range ix.replaced {
			ix.replaced[i] = replacementRef{kept: d.rec(), replaced: d.rec(), withdrawn: d.Bool(), affectedDiffer: d.Bool()}
		}
	}
	return d.Done()
}

func (ix *Memory) decodeCSAF(d *tabDec) {
	c := &ix.csaf
	c.n = d.Count()
	c.byName = decodeLists[nameKey, csafRef, CSAFEntry](d, func(d *tabDec) nameKey { return nameKey{d.String(), d.String()} }, decodeCSAFRef)
	for _, m := range []*map[string]*csafList{&c.byModel, &c.byPURL, &c.byCPE, &c.byHash} {
		*m = decodeLists[string, csafRef, CSAFEntry](d, decodeStringKey, decodeCSAFRef)
	}
	if n := d.Count(); n > 0 && d.Err() == nil {
		c.globs = make([]globRef, n)
		for i := range c.globs {
			c.globs[i] = globRef{decodeCSAFRef(d), d.Strings()}
		}
	}
}

func (ix *Memory) decodeVEX(d *tabDec) {
	v := &ix.vex
	if n := d.Count(); n > 0 && d.Err() == nil {
		v.entries = make([]csafRef, n)
		for i := range v.entries {
			v.entries[i] = decodeCSAFRef(d)
		}
	}
	entry := func(d *tabDec) int { return d.Int(len(v.entries) - 1) }
	for _, m := range []*map[string]*vexList{&v.byPURL, &v.byCPE, &v.byHash, &v.bySer, &v.byURI} {
		*m = decodeLists[string, int, VEXEntry](d, decodeStringKey, entry)
	}
}

// refsOf returns the references of each list of m.
func refsOf[K comparable, R, E any](m map[K]*refList[R, E]) map[K][]R {
	out := make(map[K][]R, len(m))
	for k, l := range m {
		out[k] = l.refs
	}
	return out
}

// decodeLists reads a table written from refsOf; the lists of all keys
// share one allocation.
func decodeLists[K comparable, R, E any](d *tabDec, key func(*tabDec) K, ref func(*tabDec) R) map[K]*refList[R, E] {
	var lists []refList[R, E]
	return decodeTableOf(d, key, ref, func(nk int, refs []R) *refList[R, E] {
		if lists == nil {
			lists = make([]refList[R, E], 0, nk)
		}
		lists = append(lists, refList[R, E]{refs: refs})
		return &lists[len(lists)-1]
	})
}
