package match

import (
	"slices"
	"sort"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/purl"
	"github.com/bomrank/bomrank/sbom"
)

// statement is one VEX statement, from any format, about one
// vulnerability in one device or in one component of it. The CSAF reader
// (match/csaf.go: CSAF known_not_affected, fixed, under_investigation
// products that match the device) and the VEX documents (OpenVEX,
// CycloneDX VEX: match/vex.go) both produce them; applyStatements applies
// them the same way.
type statement struct {
	// adv is the advisory the statement belongs to; its ID and aliases
	// name the vulnerability (see aboutFinding).
	adv *advisory.Advisory
	// status is NotAffected, Fixed, UnderInvestigation or Affected.
	status Status
	// component is the component of the device the statement is about;
	// nil means the device as a whole, i.e. every finding of the device.
	component *sbom.Component
	// justification, impact and action are the statement's texts, in the
	// source's vocabulary.
	justification, impact, action string
	// match, confidence and product say how the statement met the device
	// or component, as for a hit.
	match, confidence, product string
	// remediations are the statement's remediations.
	remediations []advisory.Remediation
	// exact reports whether the statement names the device or component
	// precisely: a BOM-Link with serial and version, a purl or CPE with a
	// version, a hash, an SPDX IRI, a model or serial number without
	// wildcards of a product with a vendor. Only exact statements of a
	// trusted author (Matcher.TrustVEX) apply; the manufacturer may name
	// its own devices loosely.
	exact bool
	// refused, when not empty, says why the statement does not change
	// the device's findings (its author is not entitled to speak for the
	// device): it is listed in the finding's sources with this note.
	refused string
}

// author returns the author of the document a statement comes from: the
// CSAF publisher, the OpenVEX author, the CycloneDX VEX manufacturer (or
// supplier, or first author).
func (s *statement) author() string {
	if s.adv.Document == nil {
		return ""
	}
	return strings.TrimSpace(s.adv.Document.Publisher)
}

// refusal says why statement s may not change device d's findings, or ""
// when it may: its author is the device's manufacturer or supplier
// (names.SpeaksFor: "Acme Medical Product Security" speaks for "Acme
// Medical Inc."), or an author the user trusts (Matcher.TrustVEX) and the
// statement names the device or component exactly. Whoever else wrote
// it, a statement about another vendor's device is only shown.
func (m *Matcher) refusal(d *sbom.Device, s *statement) string {
	author := s.author()
	for _, org := range []string{d.Manufacturer, d.Supplier} {
		if names.SpeaksFor(author, org) {
			return ""
		}
	}
	if m.trusts(author) {
		if s.exact {
			return ""
		}
		return "trusted author " + author + " does not name " + d.Name + " exactly (a wildcard, a purl or CPE without version, or a product without vendor)"
	}
	var b strings.Builder
	if author == "" {
		b.WriteString("the document names no author")
	} else {
		b.WriteString("author " + author)
	}
	switch {
	case d.Manufacturer != "":
		b.WriteString(" is not the manufacturer of " + d.Name + " (" + d.Manufacturer + ") nor trusted with --trust-vex")
	case d.Supplier != "":
		b.WriteString(" is not the supplier of " + d.Name + " (" + d.Supplier + ") nor trusted with --trust-vex")
	default:
		b.WriteString(" is not trusted with --trust-vex, and the SBOM of " + d.Name + " names no manufacturer")
	}
	return b.String()
}

// trusts reports whether the user trusts author for every device
// (Matcher.TrustVEX), the names compared as names.Author compares them.
func (m *Matcher) trusts(author string) bool {
	a := names.Author(author)
	for _, t := range m.TrustVEX {
		if strings.EqualFold(strings.TrimSpace(t), author) && author != "" {
			return true
		}
		if ta := names.Author(t); ta != "" && ta == a {
			return true
		}
	}
	return false
}

// applyVEX applies the VEX statements (CSAF known_not_affected, OpenVEX,
// CycloneDX analysis) about device d to its findings: a statement turns
// the findings it names to its status, with its justification and source,
// and keeps them in the output.
func (m *Matcher) applyVEX(d *sbom.Device, fs []*Finding) {
	if m.Index == nil || len(fs) == 0 {
		return
	}
	var sts []statement
	sts = append(sts, m.csafStatements(d)...)
	sts = append(sts, m.vexStatements(d)...)
	for i := range sts {
		sts[i].refused = m.refusal(d, &sts[i])
	}
	m.applyStatements(sts, fs)
}

// vexStatus maps advisory.Product* statuses to finding statuses.
var vexStatus = map[string]Status{
	advisory.ProductNotAffected:        NotAffected,
	advisory.ProductFixed:              Fixed,
	advisory.ProductUnderInvestigation: UnderInvestigation,
	advisory.ProductAffected:           Affected,
}

// vexTarget is the device or one component of it, with the identifiers
// a VEX product can name it by.
type vexTarget struct {
	comp   *sbom.Component // nil: the device element
	purl   string
	cpes   []string
	hashes []string
	ref    string
	uris   []string // SPDX "namespace#SPDXID", an SPDX 3 element IRI
}

// vexDevice holds device d's identifiers for VEX matching.
type vexDevice struct {
	d      *sbom.Device
	serial string // the CycloneDX serial number as a lower-case UUID
	// version is the CycloneDX BOM version (1 when the SBOM gives none,
	// as CycloneDX says): a BOM-Link must name it.
	version int
	self    vexTarget
	comps   []vexTarget
	byRef   map[string]*vexTarget
}

func newVEXDevice(d *sbom.Device) *vexDevice {
	vd := &vexDevice{d: d, byRef: map[string]*vexTarget{}, version: d.BOMVersion}
	if vd.version == 0 {
		vd.version = 1
	}
	var ns string
	for _, id := range d.Identifiers {
		switch id.Type {
		case "cyclonedx-serial-number":
			vd.serial = strings.ToLower(strings.TrimPrefix(id.Value, "urn:uuid:"))
		case "spdx-document-namespace":
			ns = id.Value
		}
	}
	target := func(c *sbom.Component, comp *sbom.Component) vexTarget {
		t := vexTarget{comp: comp, purl: c.PURL, cpes: c.CPEs, ref: c.Ref}
		for _, h := range c.Hashes {
			t.hashes = append(t.hashes, advisory.HashKey(h.Algorithm, h.Value))
		}
		if c.Ref != "" {
			if strings.Contains(c.Ref, "://") {
				t.uris = append(t.uris, c.Ref)
			} else if ns != "" {
				t.uris = append(t.uris, ns+"#"+c.Ref)
			}
		}
		return t
	}
	vd.self = target(&d.Component, nil)
	vd.comps = make([]vexTarget, len(d.Components))
	for i, c := range d.Components {
		vd.comps[i] = target(c, c)
	}
	for i := range vd.comps {
		if r := vd.comps[i].ref; r != "" && vd.byRef[r] == nil {
			vd.byRef[r] = &vd.comps[i]
		}
	}
	return vd
}

// names reports how product p names target t ("" when it does not):
// "purl" (a purl with a version names only that version; without one,
// every version), "cpe", "hash", "bom-link" (a CycloneDX BOM-Link into
// the device's SBOM, of its serial number and version, naming t's
// bom-ref), "iri"; and whether it names t exactly (see statement.exact):
// a purl or CPE without version does not.
func (vd *vexDevice) names(p *advisory.Product, t *vexTarget) (how string, exact bool) {
	if t.purl != "" {
		for _, s := range p.PURLs {
			if purlNames(s, t.purl) {
				return "purl", purlHasVersion(s)
			}
		}
	}
	for _, c := range p.CPEs {
		for _, tc := range t.cpes {
			if strings.EqualFold(c, tc) {
				return "cpe", cpeHasVersion(c)
			}
		}
	}
	for _, h := range p.Hashes {
		for _, th := range t.hashes {
			if h == th {
				return "hash", true
			}
		}
	}
	for _, u := range p.GenericURIs {
		if l, ok := advisory.SplitBOMLink(u); ok {
			if vd.linksHere(l) && t.ref != "" && l.Ref == t.ref {
				return "bom-link", true
			}
			continue
		}
		for _, tu := range t.uris {
			if u == tu {
				return "iri", true
			}
		}
	}
	return "", false
}

// linksHere reports whether BOM-Link l points into the device's SBOM:
// its serial number and its version.
func (vd *vexDevice) linksHere(l advisory.BOMLink) bool {
	return vd.serial != "" && l.Serial == vd.serial && l.Version == vd.version
}

// purlHasVersion reports whether purl s has a version.
func purlHasVersion(s string) bool {
	p, err := purl.Parse(s)
	return err == nil && p.Version != ""
}

// cpeHasVersion reports whether CPE c gives a version (not "*" or "-").
func cpeHasVersion(c string) bool {
	var parts []string
	switch {
	case strings.HasPrefix(c, "cpe:2.3:"):
		parts = strings.Split(c[len("cpe:2.3:"):], ":")
	case strings.HasPrefix(c, "cpe:/"):
		parts = strings.Split(c[len("cpe:/"):], ":")
	}
	return len(parts) > 3 && parts[3] != "" && parts[3] != "*" && parts[3] != "-"
}

// namesDevice reports how p names the device itself: by an identifier
// of the device element, or by a BOM-Link to the device's whole SBOM.
func (vd *vexDevice) namesDevice(p *advisory.Product) (how string, exact bool) {
	if how, exact := vd.names(p, &vd.self); how != "" {
		return how, exact
	}
	for _, u := range p.GenericURIs {
		if l, ok := advisory.SplitBOMLink(u); ok && l.Ref == "" && vd.linksHere(l) {
			return "bom-link", true
		}
	}
	return "", false
}

// purlNames reports whether the statement's purl s names the component
// purl c: same package, and the same version when s has one.
func purlNames(s, c string) bool {
	ps, err := purl.Parse(s)
	if err != nil {
		return false
	}
	pc, err := purl.Parse(c)
	if err != nil {
		return false
	}
	if purl.PackageKey(ps) != purl.PackageKey(pc) {
		return false
	}
	return ps.Version == "" || strings.TrimPrefix(ps.Version, "v") == strings.TrimPrefix(pc.Version, "v")
}

// vexStatements returns the statements of the OpenVEX and CycloneDX VEX
// documents of the index that name device d or one of its components.
//
// A product names the device when it has the device element's purl, CPE
// or hash, or is a CycloneDX BOM-Link into the device SBOM (its serial
// number) naming the device's bom-ref or the whole BOM. A product that
// names the device covers all of it (component nil), unless it has
// OpenVEX subcomponents: then it covers the components they name. A
// CycloneDX product inside a VEX whose metadata.component is a device
// (Relationship.Target) counts only when that device is d, and then
// covers the component of d it names (by purl, CPE, hash, BOM-Link, or
// bom-ref, the VEX being about d). Any other product (an OpenVEX product
// that is a package) covers each component of d it names: a statement
// about a package, not about a device, applies wherever the package is.
func (m *Matcher) vexStatements(d *sbom.Device) []statement {
	ix := m.Index
	if ix == nil || !ix.Contents().VEX {
		return nil
	}
	vd := newVEXDevice(d)
	// Candidates, by every identifier of the device and its components.
	cand := map[int]index.VEXEntry{}
	addAll := func(es []index.VEXEntry) {
		for _, e := range es {
			cand[e.Seq] = e
		}
	}
	look := func(t *vexTarget) {
		if t.purl != "" {
			addAll(ix.Statements(index.Key{Kind: index.ByPURL, Value: t.purl}))
		}
		for _, c := range t.cpes {
			addAll(ix.Statements(index.Key{Kind: index.ByCPE, Value: c}))
		}
		for _, h := range t.hashes {
			addAll(ix.Statements(index.Key{Kind: index.ByHash, Value: h}))
		}
		for _, u := range t.uris {
			addAll(ix.Statements(index.Key{Kind: index.ByURI, Value: u}))
		}
	}
	look(&vd.self)
	for i := range vd.comps {
		look(&vd.comps[i])
	}
	if vd.serial != "" {
		addAll(ix.Statements(index.Key{Kind: index.ByBOMSerial, Value: vd.serial}))
	}
	if len(cand) == 0 {
		return nil
	}
	seqs := make([]int, 0, len(cand))
	for s := range cand {
		seqs = append(seqs, s)
	}
	sort.Ints(seqs)
	var out []statement
	for _, s := range seqs {
		out = append(out, vd.statements(cand[s])...)
	}
	return out
}

// statements returns the statements entry e makes about the device.
func (vd *vexDevice) statements(e index.VEXEntry) []statement {
	st, ok := vexStatus[e.Status.Status]
	if !ok {
		return nil
	}
	p := e.Status.Product
	format := e.Advisory.Format
	// exact: the device (or, for a package statement, the component) is
	// named exactly; a component within an exactly named device is
	// exactly named whatever narrows it.
	mk := func(c *sbom.Component, how string, exact bool) statement {
		return statement{
			adv: e.Advisory, status: st, component: c,
			justification: e.Status.Justification, impact: e.Status.Impact, action: e.Status.Action,
			match: format + " " + how, product: p.ID, remediations: e.Status.Remediations, exact: exact,
		}
	}
	// A CycloneDX component of a named device.
	if r := p.Relationship; r != nil && r.Target != nil {
		how, exact := vd.namesDevice(r.Target)
		if how == "" && r.Target.ID != "" && r.Target.ID == vd.d.Ref && strings.EqualFold(r.Target.ProductName, vd.d.Name) &&
			(r.Target.Version == "" || r.Target.Version == vd.d.Version) {
			how, exact = "metadata.component bom-ref and name", r.Target.Version != ""
		}
		if how == "" {
			return nil
		}
		var out []statement
		for i := range vd.comps {
			t := &vd.comps[i]
			if h, _ := vd.names(p, t); h != "" {
				out = append(out, mk(t.comp, "component "+h+" of device "+how, exact))
			} else if t.ref != "" && t.ref == p.ID {
				out = append(out, mk(t.comp, "component bom-ref of device "+how, exact))
			}
		}
		return out
	}
	if how, exact := vd.namesDevice(p); how != "" {
		if len(p.Subcomponents) == 0 {
			return []statement{mk(nil, "product "+how, exact)}
		}
		var out []statement
		for i := range vd.comps {
			t := &vd.comps[i]
			for _, sub := range p.Subcomponents {
				if h, _ := vd.names(sub, t); h != "" {
					s := mk(t.comp, "product "+how+", subcomponent "+h, exact)
					s.product = p.ID + " > " + sub.ID
					out = append(out, s)
					break
				}
			}
		}
		return out
	}
	var out []statement
	for i := range vd.comps {
		t := &vd.comps[i]
		if h, exact := vd.names(p, t); h != "" {
			out = append(out, mk(t.comp, "product "+h, exact))
		}
	}
	return out
}

// Statement precedence. When several statements apply to one finding, one
// decides its status, in this order:
//
//  1. a statement about the finding's component outranks one about the
//     whole device (component nil);
//  2. then fixed > not_affected > affected > under_investigation (what is
//     known outranks what is being looked at; of two definite answers the
//     one saying there is nothing to do wins, as the manufacturer's
//     latest word usually is a fix);
//  3. then the first in source order (advisory Source path, then the
//     order the statements were gathered: CSAF before OpenVEX and
//     CycloneDX VEX, then index order).
//
// Only a winning not_affected or fixed statement changes the finding's
// status (to NotAffected or Fixed, with the statement's justification and
// impact). Every applicable statement, winning or not, is added to the
// finding's Sources, so under_investigation and affected statements are
// shown without hiding the finding.
var vexRank = map[Status]int{Fixed: 0, NotAffected: 1, Affected: 2, UnderInvestigation: 3}

// applyStatements applies sts to the findings fs of one device; see the
// precedence above, and aboutFinding for which findings a statement is about.
func (m *Matcher) applyStatements(sts []statement, fs []*Finding) {
	if len(sts) == 0 || len(fs) == 0 {
		return
	}
	shared := sharedAliases(fs)
	for _, f := range fs {
		var apply []int
		for i, s := range sts {
			if s.component != nil && s.component != f.Component {
				continue
			}
			if !aboutFinding(s.adv, f, shared) {
				continue
			}
			if s.refused != "" {
				// Shown, with why, and nothing else taken from it.
				addSource(f, Source{ID: s.adv.ID, Format: s.adv.Format, Path: s.adv.Source,
					Match: s.match + " (" + string(s.status) + "; not applied: " + s.refused + ")", Confidence: s.confidence, Product: s.product})
				continue
			}
			apply = append(apply, i)
		}
		if len(apply) == 0 {
			continue
		}
		sort.SliceStable(apply, func(a, b int) bool {
			x, y := sts[apply[a]], sts[apply[b]]
			if (x.component != nil) != (y.component != nil) {
				return x.component != nil
			}
			if vexRank[x.status] != vexRank[y.status] {
				return vexRank[x.status] < vexRank[y.status]
			}
			return x.adv.Source < y.adv.Source
		})
		for _, i := range apply {
			s := sts[i]
			rs := s.remediations
			if s.action != "" {
				rs = append(append([]advisory.Remediation(nil), rs...), advisory.Remediation{Category: "action_statement", Details: s.action})
			}
			merge(f, hit{adv: s.adv, verdict: verdict{status: f.Status}, match: s.match + " (" + string(s.status) + ")", confidence: s.confidence, product: s.product, remediations: rs})
		}
		if w := sts[apply[0]]; w.status == NotAffected || w.status == Fixed {
			f.Status = w.status
			f.Reason = ""
			f.Justification, f.Impact = w.justification, w.impact
		}
	}
}

// addSource adds src to f's sources unless it is there, in the order merge
// keeps them.
func addSource(f *Finding, src Source) {
	if slices.Contains(f.Sources, src) {
		return
	}
	f.Sources = append(f.Sources, src)
	if len(f.Sources) == 1 {
		return
	}
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

// aliasKey is an alias of a finding of one component.
type aliasKey struct {
	comp *sbom.Component
	id   string
}

// sharedAliases returns the aliases that two or more findings of one
// component carry (records that disagree on what an identifier is), or
// nil when there are none.
func sharedAliases(fs []*Finding) map[aliasKey]bool {
	var seen, shared map[aliasKey]bool
	for _, f := range fs {
		for _, id := range f.Aliases {
			k := aliasKey{f.Component, id}
			if seen == nil {
				seen = map[aliasKey]bool{}
			}
			if seen[k] {
				if shared == nil {
					shared = map[aliasKey]bool{}
				}
				shared[k] = true
			}
			seen[k] = true
		}
	}
	return shared
}

// aboutFinding reports whether a statement of advisory adv is about
// finding f, by the finding's own identifiers only (its ID and Aliases:
// the records that matched its component), never through other records'
// aliases:
//
//   - when f's ID is a CVE: the statement's ID or aliases hold that CVE,
//     or hold no CVE at all and share an identifier with f's aliases (a
//     statement about GO-2022-0536 is about each CVE finding that record
//     is a source of);
//   - otherwise (a vulnerability without a CVE): the statement's ID or
//     aliases hold f's ID or one of its aliases.
//
// An alias that another finding of the same component carries too (in
// shared) names neither. A statement naming CVE-2019-9514 is thus never
// about CVE-2019-9512, whatever other identifiers the two share.
func aboutFinding(adv *advisory.Advisory, f *Finding, shared map[aliasKey]bool) bool {
	if isCVE(f.ID) {
		if n, _ := cveIDs(adv); n > 0 {
			return adv.ID == f.ID || slices.Contains(adv.Aliases, f.ID)
		}
	}
	names := func(id string) bool {
		return id == f.ID || slices.Contains(f.Aliases, id) && !shared[aliasKey{f.Component, id}]
	}
	if names(adv.ID) {
		return true
	}
	return slices.ContainsFunc(adv.Aliases, names)
}
