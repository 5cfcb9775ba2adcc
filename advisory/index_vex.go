package advisory

import (
	"strings"

	"github.com/bomrank/bomrank/purl"
)

// VEXEntry is one product status of an OpenVEX or CycloneDX VEX record,
// as a VEX lookup returns it. The lookups find candidates by one
// identifier; the caller decides, from the whole product, whether and
// how the statement applies.
type VEXEntry struct {
	// Advisory is the record (one OpenVEX statement, one CycloneDX
	// vulnerability).
	Advisory *Advisory
	// Status is the record's status for the product found.
	Status *ProductStatus
	// Seq numbers the entries of the index from 0 in source order (file,
	// then position in the file); it orders entries deterministically.
	Seq int
}

// vexIndex looks up the products of VEX records by the identifiers of the
// product, of its subcomponents (OpenVEX) and of the device it belongs to
// (CycloneDX metadata.component, as Relationship.Target).
type vexIndex struct {
	entries []VEXEntry
	byPURL  map[string][]int // purl.PackageKey -> entry numbers
	byCPE   map[string][]int // lower-case CPE
	byHash  map[string][]int // "alg:hex"
	bySer   map[string][]int // BOM-Link serial (lower-case UUID)
	byURI   map[string][]int // any other IRI, exactly
}

// buildVEX indexes the products of the OpenVEX and CycloneDX VEX records
// among advs. It takes the records as given to NewIndex, not only the
// newest record per ID: many VEX statements share an ID (the CVE they are
// about), and each counts.
func (ix *Index) buildVEX(advs []*Advisory) {
	v := &ix.vex
	for _, a := range advs {
		if a == nil || a.Withdrawn != "" || (a.Format != FormatOpenVEX && a.Format != FormatCycloneDXVEX) {
			continue
		}
		for i := range a.Products {
			ps := &a.Products[i]
			if ps.Product == nil {
				continue
			}
			n := len(v.entries)
			v.entries = append(v.entries, VEXEntry{Advisory: a, Status: ps, Seq: n})
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

func (v *vexIndex) add(m *map[string][]int, key string, n int, seen map[string]bool) {
	if key == "" || seen[key] {
		return
	}
	seen[key] = true
	if *m == nil {
		*m = map[string][]int{}
	}
	(*m)[key] = append((*m)[key], n)
}

func (v *vexIndex) addProduct(p *Product, n int, seen map[string]bool) {
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
		if serial, _, ok := ParseBOMLink(u); ok {
			v.add(&v.bySer, "s:"+serial, n, seen)
		} else {
			v.add(&v.byURI, "u:"+u, n, seen)
		}
	}
}

func (v *vexIndex) get(m map[string][]int, key string) []VEXEntry {
	ns := m[key]
	if len(ns) == 0 {
		return nil
	}
	out := make([]VEXEntry, len(ns))
	for i, n := range ns {
		out[i] = v.entries[n]
	}
	return out
}

// HasVEX reports whether the index holds any OpenVEX or CycloneDX VEX
// product status.
func (ix *Index) HasVEX() bool { return len(ix.vex.entries) > 0 }

// VEXByPURL returns the VEX entries whose product, subcomponent or device
// has a purl of the same package as p (any version: the caller compares
// versions).
func (ix *Index) VEXByPURL(p string) []VEXEntry {
	if ix.vex.byPURL == nil {
		return nil
	}
	q, err := purl.Parse(p)
	if err != nil {
		return nil
	}
	return ix.vex.get(ix.vex.byPURL, "p:"+purl.PackageKey(q))
}

// VEXByCPE returns the VEX entries naming the CPE (compared without
// regard to case).
func (ix *Index) VEXByCPE(cpe string) []VEXEntry {
	if ix.vex.byCPE == nil {
		return nil
	}
	return ix.vex.get(ix.vex.byCPE, "c:"+strings.ToLower(cpe))
}

// VEXByHash returns the VEX entries naming the hash, given as
// "algorithm:hex" with the algorithm as HashKey writes it.
func (ix *Index) VEXByHash(h string) []VEXEntry {
	if ix.vex.byHash == nil {
		return nil
	}
	return ix.vex.get(ix.vex.byHash, "h:"+strings.ToLower(h))
}

// VEXByBOMSerial returns the VEX entries with a CycloneDX BOM-Link into
// the BOM of the given serial number ("urn:uuid:..." or the bare UUID).
func (ix *Index) VEXByBOMSerial(serial string) []VEXEntry {
	if ix.vex.bySer == nil {
		return nil
	}
	serial = strings.ToLower(strings.TrimPrefix(serial, "urn:uuid:"))
	return ix.vex.get(ix.vex.bySer, "s:"+serial)
}

// VEXByURI returns the VEX entries whose product @id (or identifier) is
// the IRI uri, exactly: an SPDX element IRI, for instance.
func (ix *Index) VEXByURI(uri string) []VEXEntry {
	if ix.vex.byURI == nil {
		return nil
	}
	return ix.vex.get(ix.vex.byURI, "u:"+uri)
}

// HashKey returns a hash as the VEX products hold it:
// "algorithm:hex" with the algorithm in lower case without dashes or
// underscores ("SHA-256" gives "sha256") and the value in lower case.
func HashKey(algorithm, value string) string {
	return vexHashAlg(algorithm) + ":" + strings.ToLower(value)
}
