package index

import (
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/purl"
)

// vexIndex looks up the products of VEX records by the identifiers of the
// product, of its subcomponents (OpenVEX) and of the device it belongs to
// (CycloneDX metadata.component, as Relationship.Target).
type vexIndex struct {
	entries []csafRef           // entry number (Seq) -> record, status
	byPURL  map[string]*vexList // purl.PackageKey -> entry numbers
	byCPE   map[string]*vexList // lower-case CPE
	byHash  map[string]*vexList // "alg:hex"
	bySer   map[string]*vexList // BOM-Link serial (lower-case UUID)
	byURI   map[string]*vexList // any other IRI, exactly
}

// vexList is a list of Statements: entry numbers.
type vexList = refList[int, VEXEntry]

// buildVEX indexes the products of the OpenVEX and CycloneDX VEX records
// among advs. It takes the records as given to New, not only the
// newest record per ID: many VEX statements share an ID (the CVE they are
// about), and each counts.
func (ix *Memory) buildVEX(advs []*advisory.Advisory, num *numberer) {
	v := &ix.vex
	for _, a := range advs {
		if a == nil || a.Withdrawn != "" || (a.Format != advisory.FormatOpenVEX && a.Format != advisory.FormatCycloneDXVEX) {
			continue
		}
		for i := range a.Products {
			ps := &a.Products[i]
			if ps.Product == nil {
				continue
			}
			n := len(v.entries)
			v.entries = append(v.entries, csafRef{rec: num.num(a), status: uint32(i)})
			seen := map[string]bool{}
			v.addProduct(ps.Product, n, seen)
			for _, sub := range ps.Product.Subcomponents {
				v.addProduct(sub, n, seen)
			}
			if r := ps.Product.Relationship; r != nil && r.Target != nil {
				v.addProduct(r.Target, n, seen)
			}
		}
	}
}

func (v *vexIndex) add(m *map[string]*vexList, key string, n int, seen map[string]bool) {
	if key == "" || seen[key] {
		return
	}
	seen[key] = true
	addRef(m, key, n)
}

func (v *vexIndex) addProduct(p *advisory.Product, n int, seen map[string]bool) {
	for _, s := range p.PURLs {
		if q, err := purl.Parse(s); err == nil {
			v.add(&v.byPURL, "p:"+purl.PackageKey(q), n, seen)
		}
	}
	for _, c := range p.CPEs {
		v.add(&v.byCPE, "c:"+strings.ToLower(c), n, seen)
	}
	for _, h := range p.Hashes {
		v.add(&v.byHash, "h:"+strings.ToLower(h), n, seen)
	}
	for _, u := range p.GenericURIs {
		if serial, _, ok := advisory.ParseBOMLink(u); ok {
			v.add(&v.bySer, "s:"+serial, n, seen)
		} else {
			v.add(&v.byURI, "u:"+u, n, seen)
		}
	}
}

// vexGet returns the entries under key.
func (ix *Memory) vexGet(m map[string]*vexList, key string) []VEXEntry {
	return lookup(ix, m[key], (*Memory).vexEntries)
}

// vexEntries returns the entries numbered ns, leaving out those whose
// record does not decode (see Err).
func (ix *Memory) vexEntries(ns []int) []VEXEntry {
	if len(ns) == 0 {
		return nil
	}
	out := make([]VEXEntry, 0, len(ns))
	for _, n := range ns {
		r := ix.vex.entries[n]
		a := ix.st.get(int(r.rec))
		if a == nil || int(r.status) >= len(a.Products) {
			ix.st.badRef(a, "product status", r.status)
			continue
		}
		out = append(out, VEXEntry{Advisory: a, Status: &a.Products[r.status], Seq: n})
	}
	return out
}

// Statements implements Reader.
func (ix *Memory) Statements(k Key) []VEXEntry {
	v := &ix.vex
	switch k.Kind {
	case ByPURL:
		if v.byPURL == nil {
			return nil
		}
		q, err := purl.Parse(k.Value)
		if err != nil {
			return nil
		}
		return ix.vexGet(v.byPURL, "p:"+purl.PackageKey(q))
	case ByCPE:
		return ix.vexGet(v.byCPE, "c:"+strings.ToLower(k.Value))
	case ByHash:
		return ix.vexGet(v.byHash, "h:"+strings.ToLower(k.Value))
	case ByBOMSerial:
		serial := strings.ToLower(strings.TrimPrefix(k.Value, "urn:uuid:"))
		return ix.vexGet(v.bySer, "s:"+serial)
	case ByURI:
		return ix.vexGet(v.byURI, "u:"+k.Value)
	}
	return nil
}
