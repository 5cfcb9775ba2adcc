package match

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/purl"
	"github.com/bomrank/bomrank/sbom"
)

// Match rules of CSAF products, as they appear in Source.Match.
const (
	ruleCSAFModel        = "csaf model number"
	ruleCSAFModelInName  = "csaf model number in product name"
	ruleCSAFSerial       = "csaf serial number"
	ruleCSAFPURL         = "csaf purl"
	ruleCSAFCPE          = "csaf cpe"
	ruleCSAFHash         = "csaf hash"
	ruleCSAFName         = "csaf vendor and product name"
	ruleCSAFRelationship = "csaf relationship"
)

// csafMatch is one CSAF product status that met a device or component,
// with how, and whether the installed version lies in the product's
// versions.
type csafMatch struct {
	e          index.CSAFEntry
	rule       string
	confidence string
	in         bool
	err        error // the version could not be decided
}

// deviceIdentity is what device-level matching compares: computed once
// per device.
type deviceIdentity struct {
	vendorKeys []string // advisory.VendorKeys of manufacturer and supplier
	orgs       []string // manufacturer and supplier as written
	name       []string // advisory.NameTokens of the device name
	models     map[string]bool
	serials    map[string]bool
}

func newDeviceIdentity(d *sbom.Device) *deviceIdentity {
	id := &deviceIdentity{models: map[string]bool{}, serials: map[string]bool{}}
	for _, v := range []string{d.Manufacturer, d.Supplier} {
		if v != "" {
			id.orgs = append(id.orgs, v)
		}
		for _, k := range names.VendorKeys(v) {
			if !slices.Contains(id.vendorKeys, k) {
				id.vendorKeys = append(id.vendorKeys, k)
			}
		}
	}
	id.name = names.NameTokens(d.Name)
	for _, m := range d.ModelNumbers {
		id.models[names.Model(m)] = true
	}
	for _, x := range d.Identifiers {
		switch x.Type {
		case "model-number", "sku":
			id.models[names.Model(x.Value)] = true
		case "serial-number":
			id.serials[names.Model(x.Value)] = true
		}
	}
	return id
}

// vendorOK reports whether a product's vendor names the device's
// manufacturer (or the device names no manufacturer). A product without
// a vendor is the product of the document's publisher: it names the
// device only when the publisher speaks for the manufacturer or supplier
// (names.SpeaksFor), so that a wildcard model number ("*") of a product
// without vendor never names another vendor's device.
func (id *deviceIdentity) vendorOK(p *advisory.Product, publisher string) bool {
	if len(id.vendorKeys) == 0 {
		return true
	}
	v, _ := names.ProductVendor(p)
	if v == "" {
		for _, org := range id.orgs {
			if names.SpeaksFor(publisher, org) {
				return true
			}
		}
		return false
	}
	return slices.Contains(id.vendorKeys, v)
}

// publisher returns the publisher of the document advisory a came from.
func publisher(a *advisory.Advisory) string {
	if a == nil || a.Document == nil {
		return ""
	}
	return a.Document.Publisher
}

// csafExact reports whether CSAF product p names what it matched exactly
// (statement.exact): by a hash, a purl or CPE helper with a version, or
// as a product with a vendor whose model and serial numbers have no
// wildcard and whose versions are not "every version" (vers:all/*). A
// relationship is as exact as its target.
func csafExact(p *advisory.Product, rule string) bool {
	if r := p.Relationship; r != nil {
		return r.Target != nil && csafNamedExactly(r.Target)
	}
	switch rule {
	case ruleCSAFHash:
		return true
	case ruleCSAFPURL:
		return slices.ContainsFunc(p.PURLs, purlHasVersion)
	case ruleCSAFCPE:
		return slices.ContainsFunc(p.CPEs, cpeHasVersion)
	}
	return csafNamedExactly(p)
}

func csafNamedExactly(p *advisory.Product) bool {
	if v, _ := names.ProductVendor(p); v == "" {
		return false
	}
	for _, list := range [][]string{p.ModelNumbers, p.SerialNumbers, p.SKUs} {
		for _, x := range list {
			if strings.ContainsAny(x, "*?") {
				return false
			}
		}
	}
	return !strings.Contains(p.VersionRange, "*")
}

// nameMatch reports whether a product's name names the device (or
// component) with the given name tokens, and whether it did so through a
// model number written in parentheses in the name.
func nameMatch(p *advisory.Product, name []string, models map[string]bool) (ok bool, rule string) {
	if len(name) == 0 {
		return false, ""
	}
	var cands [][]string
	_, pname := names.ProductVendor(p)
	if pname != "" {
		outer, inner := splitParens(pname)
		for _, t := range inner {
			if models[names.Model(t)] {
				return true, ruleCSAFModelInName
			}
		}
		cands = append(cands, names.NameTokens(outer))
		if p.Family != "" {
			cands = append(cands, names.NameTokens(p.Family+" "+outer))
		}
	} else if p.Family != "" {
		cands = append(cands, names.NameTokens(p.Family))
	}
	for _, c := range cands {
		if len(c) == 0 {
			continue
		}
		// The product's name within the device's ("HiMed Cockpit 12
		// pro" in "HiMed Cockpit 12 pro terminal"), or the device's,
		// of two words or more, within the product's.
		if contiguous(name, c) || len(name) >= 2 && contiguous(c, name) {
			return true, ruleCSAFName
		}
	}
	if pname == "" && p.Family == "" && p.Name != "" {
		// A full_product_name only: the device's name within it.
		if n := names.NameTokens(p.Name); len(name) >= 2 && contiguous(n, name) {
			return true, ruleCSAFName
		}
	}
	return false, ""
}

// splitParens returns s without its parenthesised parts, and the words of
// those parts ("HiMed Cockpit 12 pro (J31032-K2017-H259)" gives "HiMed
// Cockpit 12 pro" and ["J31032-K2017-H259"]).
func splitParens(s string) (outer string, inner []string) {
	var b strings.Builder
	depth := 0
	var cur strings.Builder
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
			if depth == 0 {
				inner = append(inner, strings.FieldsFunc(cur.String(), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '/' })...)
				cur.Reset()
			}
		case depth > 0:
			cur.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String()), inner
}

// contiguous reports whether sub is a run of consecutive tokens of s.
func contiguous(s, sub []string) bool {
	if len(sub) == 0 || len(sub) > len(s) {
		return false
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// productVersion decides whether version lies in the versions product p
// stands for: its product_version_range, else its product_version, else
// the version of its purl or CPE helper. A product that gives no version
// at all stands for every version (anyVersion true).
//
// The list the product is in gives an exact version its meaning: in
// first_affected and first_fixed it is the first of a run of versions
// (that version and later ones), in last_affected the last (that version
// and earlier ones); a first_affected product with a first_fixed one
// makes the pair of a range.
func (m *Matcher) productVersion(p *advisory.Product, list, version string) (in, anyVersion bool, err error) {
	spec := p.VersionRange
	if spec == "" && p.Version != "" {
		spec = p.Version
		switch list {
		case "first_affected", "first_fixed":
			spec = "vers:generic/>=" + p.Version
		case "last_affected":
			spec = "vers:generic/<=" + p.Version
		}
	}
	if spec == "" {
		spec = helperVersion(p)
	}
	if spec == "" {
		return true, true, nil
	}
	if strings.TrimSpace(version) == "" {
		return false, false, fmt.Errorf("the SBOM gives no version to compare with the CSAF product's %q", spec)
	}
	r := m.csafRange(spec)
	in, err = r.contains(version)
	if err != nil {
		return false, false, fmt.Errorf("CSAF product %q: %w", p.Name, err)
	}
	return in, false, nil
}

// csafRange parses a range once per Matcher: a fleet meets the same
// products again and again.
func (m *Matcher) csafRange(spec string) *csafRange {
	if r, ok := m.csafRanges.Load(spec); ok {
		return r.(*csafRange)
	}
	r := parseCSAFRange(spec)
	v, _ := m.csafRanges.LoadOrStore(spec, &r)
	return v.(*csafRange)
}

// helperVersion returns the version written in a product's purl or CPE
// helper, if any.
func helperVersion(p *advisory.Product) string {
	for _, u := range p.PURLs {
		if pu, err := purl.Parse(u); err == nil && pu.Version != "" {
			return pu.Version
		}
	}
	for _, c := range p.CPEs {
		var parts []string
		switch {
		case strings.HasPrefix(c, "cpe:2.3:"):
			parts = strings.Split(c[len("cpe:2.3:"):], ":")
		case strings.HasPrefix(c, "cpe:/"):
			parts = strings.Split(c[len("cpe:/"):], ":")
		}
		if len(parts) > 3 && parts[3] != "" && parts[3] != "*" && parts[3] != "-" {
			return parts[3]
		}
	}
	return ""
}

// csafDeviceMatches returns the CSAF product statuses that name device d
// itself (not through a relationship), each once, the most confident way
// first.
func (m *Matcher) csafDeviceMatches(d *sbom.Device, id *deviceIdentity) []csafMatch {
	ix := m.Index
	var out []csafMatch
	seen := map[*advisory.ProductStatus]bool{}
	consider := func(e index.CSAFEntry, rule, conf string) {
		p := e.Status.Product
		if seen[e.Status] || p.Relationship != nil {
			return
		}
		if !id.vendorOK(p, publisher(e.Advisory)) {
			return // "other vendor, same model number" must not fire
		}
		seen[e.Status] = true
		in, anyV, err := m.productVersion(p, e.Status.List, d.Version)
		if anyV && e.Status.Status != advisory.ProductAffected {
			// A statement that the product is fixed or not affected
			// needs the versions it is about: without them it is not
			// applied.
			return
		}
		out = append(out, csafMatch{e: e, rule: rule, confidence: conf, in: in, err: err})
	}
	for model := range id.models {
		for _, e := range ix.Products(index.Key{Kind: index.ByModel, Value: model}) {
			consider(e, ruleCSAFModel, "high")
		}
	}
	for serial := range id.serials {
		for _, e := range ix.Products(index.Key{Kind: index.ByModel, Value: serial}) {
			consider(e, ruleCSAFSerial, "high")
		}
	}
	if d.PURL != "" {
		if pu, err := purl.Parse(d.PURL); err == nil {
			for _, e := range ix.Products(index.Key{Kind: index.ByPURL, Value: purl.PackageKey(pu)}) {
				consider(e, ruleCSAFPURL, "high")
			}
		}
	}
	for _, c := range d.CPEs {
		for _, e := range ix.Products(index.Key{Kind: index.ByCPE, Value: c}) {
			consider(e, ruleCSAFCPE, "high")
		}
	}
	for _, h := range d.Hashes {
		for _, e := range ix.Products(index.Key{Kind: index.ByHash, Value: h.Algorithm + ":" + h.Value}) {
			consider(e, ruleCSAFHash, "high")
		}
	}
	for _, vk := range id.vendorKeys {
		for _, t := range id.name {
			for _, e := range ix.Products(index.Key{Kind: index.ByName, Vendor: vk, Value: t}) {
				if seen[e.Status] || e.Status.Product.Relationship != nil {
					continue
				}
				if ok, rule := nameMatch(e.Status.Product, id.name, id.models); ok {
					conf := "medium"
					if rule == ruleCSAFModelInName {
						conf = "high"
					}
					consider(e, rule, conf)
				}
			}
		}
	}
	return out
}

// csafComponentMatches returns the CSAF product statuses that name
// component c of device d: by purl, CPE or hash helper, by the vendor and
// product of its CPE or its supplier and name, or through a relationship
// whose component is c and whose target is the device.
func (m *Matcher) csafComponentMatches(d *sbom.Device, c *sbom.Component, id **deviceIdentity) []csafMatch {
	cs := &componentSearch{m: m, d: d, c: c, id: id, seen: map[*advisory.ProductStatus]bool{}}
	cs.byPURL()
	cs.byCPE()
	cs.byHash()
	cs.byName()
	return cs.out
}

// componentSearch gathers the CSAF product statuses that name one
// component, each once.
type componentSearch struct {
	m    *Matcher
	d    *sbom.Device
	c    *sbom.Component
	id   **deviceIdentity // computed when a relationship needs it
	seen map[*advisory.ProductStatus]bool
	out  []csafMatch
}

// consider adds the status e found by rule when the product it names (or
// the relationship's component) is the component: is says whether a
// product is.
func (cs *componentSearch) consider(e index.CSAFEntry, rule, conf string, is func(p *advisory.Product) bool) {
	if cs.seen[e.Status] {
		return
	}
	p := e.Status.Product
	target := p
	if r := p.Relationship; r != nil {
		var ok bool
		if target, rule, ok = cs.relationship(e, r, rule, conf, is); !ok {
			return
		}
	} else if !is(p) {
		return
	}
	cs.seen[e.Status] = true
	in, anyV, err := cs.m.productVersion(target, e.Status.List, cs.c.Version)
	if rule == ruleCSAFHash && err == nil {
		in = true // a file hash names one build exactly
	}
	if anyV && e.Status.Status != advisory.ProductAffected {
		return
	}
	cs.out = append(cs.out, csafMatch{e: e, rule: rule, confidence: conf, in: in, err: err})
}

// relationship checks a relationship product: its component must be the
// component and its target the device, with the device's version in the
// target's. It returns the product whose versions the component's are
// compared with, and the rule; ok is false when the relationship does not
// apply (or was recorded as undecidable).
func (cs *componentSearch) relationship(e index.CSAFEntry, r *advisory.Relationship, rule, conf string, is func(p *advisory.Product) bool) (target *advisory.Product, rel string, ok bool) {
	if r.Component == nil || r.Target == nil || !is(r.Component) {
		return nil, "", false
	}
	if *cs.id == nil {
		*cs.id = newDeviceIdentity(cs.d)
	}
	if !deviceIs(cs.d, *cs.id, r.Target, publisher(e.Advisory)) {
		return nil, "", false
	}
	rel = ruleCSAFRelationship + " (" + r.Category + ") by " + rule
	tin, _, terr := cs.m.productVersion(r.Target, "", cs.d.Version)
	switch {
	case terr != nil:
		cs.seen[e.Status] = true
		cs.out = append(cs.out, csafMatch{e: e, rule: rel, confidence: conf, err: terr})
		return nil, "", false
	case !tin:
		return nil, "", false
	}
	return r.Component, rel, true
}

// byPURL looks the component's purl up (any version).
func (cs *componentSearch) byPURL() {
	if cs.c.PURL == "" {
		return
	}
	pu, err := purl.Parse(cs.c.PURL)
	if err != nil {
		return
	}
	key := purl.PackageKey(pu)
	for _, e := range cs.m.Index.Products(index.Key{Kind: index.ByPURL, Value: key}) {
		cs.consider(e, ruleCSAFPURL, "high", func(p *advisory.Product) bool {
			return slices.ContainsFunc(p.PURLs, func(u string) bool {
				q, err := purl.Parse(u)
				return err == nil && purl.PackageKey(q) == key
			})
		})
	}
}

// byCPE looks the vendor and product of each of the component's CPEs up.
func (cs *componentSearch) byCPE() {
	for _, cp := range cs.c.CPEs {
		vp := names.CPEVendorProduct(cp)
		for _, e := range cs.m.Index.Products(index.Key{Kind: index.ByCPE, Value: cp}) {
			cs.consider(e, ruleCSAFCPE, "high", func(p *advisory.Product) bool {
				return slices.ContainsFunc(p.CPEs, func(x string) bool { return names.CPEVendorProduct(x) == vp })
			})
		}
	}
}

// byHash looks each of the component's file hashes up.
func (cs *componentSearch) byHash() {
	for _, h := range cs.c.Hashes {
		hk := names.Hash(h.Algorithm + ":" + h.Value)
		for _, e := range cs.m.Index.Products(index.Key{Kind: index.ByHash, Value: hk}) {
			cs.consider(e, ruleCSAFHash, "high", func(p *advisory.Product) bool {
				return slices.ContainsFunc(p.Hashes, func(x string) bool { return names.Hash(x) == hk })
			})
		}
	}
}

// byName looks the component up by vendor and product name: the vendor
// and product of a CPE, or the supplier with the component's name.
func (cs *componentSearch) byName() {
	type vn struct {
		vendors []string
		name    []string
	}
	var cands []vn
	for _, cp := range cs.c.CPEs {
		if vp := names.CPEVendorProduct(cp); vp != "" {
			v, p, _ := strings.Cut(vp, ":")
			cands = append(cands, vn{[]string{names.Vendor(strings.ReplaceAll(v, "_", " "))}, names.NameTokens(strings.ReplaceAll(p, "_", " "))})
		}
	}
	if cs.c.Supplier != "" {
		cands = append(cands, vn{names.VendorKeys(cs.c.Supplier), names.NameTokens(cs.c.Name)})
	}
	for _, n := range cands {
		for _, vk := range n.vendors {
			for _, t := range n.name {
				for _, e := range cs.m.Index.Products(index.Key{Kind: index.ByName, Vendor: vk, Value: t}) {
					cs.consider(e, ruleCSAFName, "medium", func(p *advisory.Product) bool {
						if v, _ := names.ProductVendor(p); v != vk {
							return false
						}
						ok, _ := nameMatch(p, n.name, nil)
						return ok
					})
				}
			}
		}
	}
}

// deviceIs reports whether product p (of a document by publisher) names
// the device: by model or serial number, or by vendor and product name.
func deviceIs(d *sbom.Device, id *deviceIdentity, p *advisory.Product, publisher string) bool {
	for _, list := range [][]string{p.ModelNumbers, p.SKUs} {
		for _, mn := range list {
			for dm := range id.models {
				if names.Glob(names.Model(mn), dm) {
					return id.vendorOK(p, publisher)
				}
			}
		}
	}
	for _, sn := range p.SerialNumbers {
		for ds := range id.serials {
			if names.Glob(names.Model(sn), ds) {
				return id.vendorOK(p, publisher)
			}
		}
	}
	if v, _ := names.ProductVendor(p); v == "" || !id.vendorOK(p, publisher) || len(id.vendorKeys) == 0 {
		return false
	}
	ok, _ := nameMatch(p, id.name, id.models)
	return ok
}

// hitOf turns an affected match into a hit: Affected when the version lies
// in the product's, Unknown (with the raw range in the reason) when that
// cannot be told; nothing when the version is outside.
func hitOf(mt csafMatch, version string) (hit, bool) {
	st := mt.e.Status
	if st.Status != advisory.ProductAffected {
		return hit{}, false
	}
	h := hit{adv: mt.e.Advisory, match: mt.rule, confidence: mt.confidence, product: productLabel(st.Product), remediations: st.Remediations}
	switch {
	case mt.err != nil:
		h.verdict = verdict{status: Unknown, reason: mt.err.Error()}
	case mt.in && st.List == "first_affected" && fixedAtOrBelow(mt.e.Advisory, st.Product, version):
		// At or past the first_fixed version of the same product.
		return hit{}, false
	case mt.in:
		h.verdict = verdict{status: Affected, fixed: csafFixed(mt.e.Advisory, st.Product, version)}
	default:
		return hit{}, false
	}
	return h, true
}

// productLabel names a product for Source.Product: its full name and id.
func productLabel(p *advisory.Product) string {
	if p.Name == "" {
		return p.ID
	}
	return p.Name + " [" + p.ID + "]"
}

// csafFixed returns the lowest version above version of a product of the
// same advisory, vendor and product name that the advisory lists as fixed
// or first_fixed with an exact product_version.
func csafFixed(a *advisory.Advisory, p *advisory.Product, version string) string {
	if p.ProductName == "" {
		return ""
	}
	iv, err := parseGeneric(version)
	if err != nil {
		return ""
	}
	vendor := names.Vendor(p.Vendor)
	var best *genVersion
	for _, ps := range a.Products {
		q := ps.Product
		if ps.Status != advisory.ProductFixed || q.Version == "" || q.ProductName != p.ProductName || names.Vendor(q.Vendor) != vendor {
			continue
		}
		fv, err := parseGeneric(q.Version)
		if err != nil {
			continue
		}
		if c, err := genericCompare(fv, iv); err != nil || c <= 0 {
			continue
		}
		if best == nil {
			best = &fv
		} else if c, err := genericCompare(fv, *best); err == nil && c < 0 {
			best = &fv
		}
	}
	if best == nil {
		return ""
	}
	return best.raw
}

// fixedAtOrBelow reports whether the advisory lists a first_fixed (or
// fixed) product of the same vendor and product name as p at or below
// version.
func fixedAtOrBelow(a *advisory.Advisory, p *advisory.Product, version string) bool {
	iv, err := parseGeneric(version)
	if err != nil || p.ProductName == "" {
		return false
	}
	vendor := names.Vendor(p.Vendor)
	for _, ps := range a.Products {
		q := ps.Product
		if ps.Status != advisory.ProductFixed || q.Version == "" || q.ProductName != p.ProductName || names.Vendor(q.Vendor) != vendor {
			continue
		}
		if fv, err := parseGeneric(q.Version); err == nil {
			if c, err := genericCompare(iv, fv); err == nil && c >= 0 {
				return true
			}
		}
	}
	return false
}

// csafComponentHits adds the verdicts of CSAF products that name the
// component by an identification helper (purl, CPE, hash), by vendor and
// name, or through a relationship naming the component inside the device.
func (m *Matcher) csafComponentHits(d *sbom.Device, c *sbom.Component, fs *findingSet) {
	if !m.contents().CSAF {
		return
	}
	var id *deviceIdentity
	for _, mt := range m.csafComponentMatches(d, c, &id) {
		if h, ok := hitOf(mt, c.Version); ok {
			fs.add(h)
		}
	}
}

// deviceHits adds the verdicts of CSAF products that name the device
// itself: by model or serial number, purl, CPE or hash helper (high
// confidence), or by vendor and product name (medium), the device version
// lying in the product's version or range.
func (m *Matcher) deviceHits(d *sbom.Device, fs *findingSet) {
	if !m.contents().CSAF {
		return
	}
	for _, mt := range m.csafDeviceMatches(d, newDeviceIdentity(d)) {
		if h, ok := hitOf(mt, d.Version); ok {
			fs.add(h)
		}
	}
}

// csafStatements returns the VEX statements of the CSAF documents of the
// index about device d: products in known_not_affected, fixed,
// first_fixed and under_investigation that match the device (component
// nil: every finding of the device) or a component of it (directly or
// through a relationship), the version lying in the product's. A
// statement whose version range cannot be decided is not made: it would
// hide findings on a guess.
func (m *Matcher) csafStatements(d *sbom.Device) []statement {
	if m.Index == nil || !m.contents().CSAF {
		return nil
	}
	var out []statement
	add := func(mt csafMatch, c *sbom.Component) {
		st := mt.e.Status
		var s Status
		switch st.Status {
		case advisory.ProductNotAffected:
			s = NotAffected
		case advisory.ProductFixed:
			s = Fixed
		case advisory.ProductUnderInvestigation:
			s = UnderInvestigation
		default:
			return
		}
		if mt.err != nil || !mt.in {
			return
		}
		out = append(out, statement{
			adv: mt.e.Advisory, status: s, component: c,
			justification: st.Justification, impact: st.Impact, action: st.Action,
			match: mt.rule, confidence: mt.confidence, product: productLabel(st.Product),
			remediations: st.Remediations, exact: csafExact(st.Product, mt.rule),
		})
	}
	id := newDeviceIdentity(d)
	for _, mt := range m.csafDeviceMatches(d, id) {
		add(mt, nil)
	}
	for _, c := range d.Components {
		idp := id
		for _, mt := range m.csafComponentMatches(d, c, &idp) {
			add(mt, c)
		}
	}
	return out
}
