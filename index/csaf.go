package index

import (
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/purl"
)

// csafIndex looks up the product statuses of CSAF records by normalised
// vendor and product-name token, model number, purl, CPE and hash. Every
// lookup is a map access; an index without CSAF records has empty maps and
// answers at once.
type csafIndex struct {
	n       int                   // number of statuses indexed
	byName  map[nameKey]*csafList // vendor key + one product-name token
	byModel map[string]*csafList  // model, serial number or SKU, upper case
	globs   []globRef             // statuses with wildcard model/serial numbers
	byPURL  map[string]*csafList  // purl.PackageKey
	byCPE   map[string]*csafList  // "vendor:product" of the CPE
	byHash  map[string]*csafList  // "sha256:hex"
}

// csafRef is a CSAFEntry (or a VEXEntry without its Seq) as the tables
// hold it: record number, position in its Products.
type csafRef struct{ rec, status uint32 }

// csafList is a list of Products.
type csafList = refList[csafRef, CSAFEntry]

// globRef is a status whose product has wildcard model, serial or SKU
// numbers, with those numbers (in names.Model form): a ByModel lookup
// matches them without decoding the record.
type globRef struct {
	csafRef
	patterns []string
}

type nameKey struct{ vendor, token string }

// buildCSAF indexes the product statuses of the CSAF records of ix.advs.
// (OpenVEX and CycloneDX VEX products are statements with their own index,
// index_vex.go; indexing them here too listed each statement twice.) A
// relationship product is indexed under its component's and its target's
// keys as well as its own.
func (ix *Memory) buildCSAF(sel []*advisory.Advisory) {
	c := &ix.csaf
	// A product is named by many statuses (one per vulnerability): its
	// keys are computed once.
	keys := map[*advisory.Product][]any{}
	keysOf := func(p *advisory.Product) []any {
		k, ok := keys[p]
		if !ok {
			k = productKeys(p)
			keys[p] = k
		}
		return k
	}
	for rec, a := range sel {
		if len(a.Products) == 0 || a.Format != advisory.FormatCSAF {
			continue
		}
		for i := range a.Products {
			e := csafRef{rec: uint32(rec), status: uint32(i)}
			c.n++
			p := a.Products[i].Product
			if p == nil {
				continue
			}
			ks := keysOf(p)
			if r := p.Relationship; r != nil {
				ks = slices.Concat(ks, keysOf(r.Component), keysOf(r.Target))
			}
			var seen map[any]bool
			if len(ks) > 1 {
				seen = make(map[any]bool, len(ks))
			}
			for _, k := range ks {
				if seen != nil {
					if seen[k] {
						continue
					}
					seen[k] = true
				}
				c.put(k, e, p)
			}
		}
	}
}

// productKeys returns the keys product p is indexed under: nameKey values
// and seenKey values of kind 'm' (model, serial number, SKU), 'p' (purl
// package key), 'c' (CPE vendor:product), 'h' (hash), 'g' (has wildcard
// numbers).
func productKeys(p *advisory.Product) []any {
	if p == nil {
		return nil
	}
	var ks []any
	if v, pname := names.ProductVendor(p); v != "" {
		for _, name := range []string{pname, p.Family, p.Name} {
			for _, t := range names.NameTokens(name) {
				ks = append(ks, nameKey{v, t})
			}
		}
	}
	for _, list := range [][]string{p.ModelNumbers, p.SerialNumbers, p.SKUs} {
		for _, m := range list {
			if strings.ContainsAny(m, "*?") {
				ks = append(ks, seenKey{'g', ""})
				continue
			}
			ks = append(ks, seenKey{'m', names.Model(m)})
		}
	}
	for _, u := range p.PURLs {
		if pu, err := purl.Parse(u); err == nil {
			ks = append(ks, seenKey{'p', purl.PackageKey(pu)})
		}
	}
	for _, cp := range p.CPEs {
		if k := names.CPEVendorProduct(cp); k != "" {
			ks = append(ks, seenKey{'c', k})
		}
	}
	for _, h := range p.Hashes {
		if k := names.Hash(h); k != "" {
			ks = append(ks, seenKey{'h', k})
		}
	}
	return ks
}

// put adds e, a status of product p, under one key.
func (c *csafIndex) put(k any, e csafRef, p *advisory.Product) {
	switch k := k.(type) {
	case nameKey:
		addRef(&c.byName, k, e)
	case seenKey:
		switch k.kind {
		case 'm':
			addRef(&c.byModel, k.k, e)
		case 'p':
			addRef(&c.byPURL, k.k, e)
		case 'c':
			addRef(&c.byCPE, k.k, e)
		case 'h':
			addRef(&c.byHash, k.k, e)
		case 'g':
			c.globs = append(c.globs, globRef{e, globPatterns(p)})
		}
	}
}

// seenKey is a key of one of the string-keyed maps, told apart by kind.
type seenKey struct {
	kind byte
	k    string
}

// Products implements Reader.
func (ix *Memory) Products(k Key) []CSAFEntry {
	c := &ix.csaf
	if c.n == 0 {
		return nil
	}
	switch k.Kind {
	case ByName:
		return lookup(ix, c.byName[nameKey{k.Vendor, k.Value}], (*Memory).csafEntries)
	case ByModel:
		m := names.Model(k.Value)
		out := lookup(ix, c.byModel[m], (*Memory).csafEntries)
		for _, g := range c.globs {
			if slices.ContainsFunc(g.patterns, func(pat string) bool { return names.Glob(pat, m) }) {
				out = ix.resolveCSAF(out, []csafRef{g.csafRef})
			}
		}
		return out
	case ByPURL:
		return lookup(ix, c.byPURL[k.Value], (*Memory).csafEntries)
	case ByCPE:
		return lookup(ix, c.byCPE[names.CPEVendorProduct(k.Value)], (*Memory).csafEntries)
	case ByHash:
		return lookup(ix, c.byHash[names.Hash(k.Value)], (*Memory).csafEntries)
	}
	return nil
}

// csafEntries returns the entries of refs (see resolveCSAF).
func (ix *Memory) csafEntries(refs []csafRef) []CSAFEntry { return ix.resolveCSAF(nil, refs) }

// resolveCSAF appends the entries of refs to out, leaving out those whose
// record does not decode (see Err).
func (ix *Memory) resolveCSAF(out []CSAFEntry, refs []csafRef) []CSAFEntry {
	for _, r := range refs {
		a := ix.st.get(int(r.rec))
		if a == nil || int(r.status) >= len(a.Products) {
			ix.st.badRef(a, "product status", r.status)
			continue
		}
		out = append(out, CSAFEntry{Advisory: a, Status: &a.Products[r.status]})
	}
	return out
}

// globPatterns returns p's model, serial and SKU numbers that hold "*" or
// "?" wildcards, in names.Model form.
func globPatterns(p *advisory.Product) []string {
	var pats []string
	for _, list := range [][]string{p.ModelNumbers, p.SerialNumbers, p.SKUs} {
		for _, pat := range list {
			if strings.ContainsAny(pat, "*?") {
				pats = append(pats, names.Model(pat))
			}
		}
	}
	return pats
}
