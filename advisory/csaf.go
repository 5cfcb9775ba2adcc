package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// This file reads CSAF 2.0 documents (and the cheap parts of the 2.1
// draft: product_identification_helper.purls, vulnerabilities[].metrics,
// cwes). gocsaf's advisory model is not used: its LoadAdvisory rejects
// most real CISA files (it knows "acknowledgments" only with another
// spelling and types several arrays as objects), so the reader below has
// its own lenient structs. A value of the wrong JSON type is passed over
// (encoding/json keeps decoding the rest of the document), as are unknown
// members; only a document that is not JSON, or has no document object,
// is an error. Schema validation is a separate concern.
//
// Identifiers: one Advisory is made per vulnerability, with ID
// "<document tracking id>/<cve>" (or the first ids[] text, or
// "vulnerability-N" counted from 1, when there is no CVE). Distinct
// documents keep distinct records; revisions of one document (same
// publisher namespace and tracking id: tracking ids are unique only per
// publisher) replace each other in the index, the most recent
// current_release_date winning. Two publishers' documents with one
// tracking id give records with the same ID, both indexed. The CVE and every ids[] text are Aliases,
// so the matcher joins the CSAF record with the OSV and NVD records of the
// same CVE that match the same component (package match).

// looksLikeCSAF reports whether data is meant to be a CSAF document: a
// JSON object with a document.csaf_version member. The check is by content
// only, so that a broken CSAF file is reported rather than passed over.
func looksLikeCSAF(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	return bytes.Contains(data, []byte(`"csaf_version"`)) && bytes.Contains(data, []byte(`"document"`))
}

// csafDoc is the lenient model of a CSAF document.
type csafDoc struct {
	Document *struct {
		Category    string `json:"category"`
		CSAFVersion string `json:"csaf_version"`
		Title       string `json:"title"`
		Publisher   struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"publisher"`
		Tracking struct {
			ID                 string `json:"id"`
			Version            string `json:"version"`
			InitialReleaseDate string `json:"initial_release_date"`
			CurrentReleaseDate string `json:"current_release_date"`
			Status             string `json:"status"`
		} `json:"tracking"`
		References []csafRef `json:"references"`
	} `json:"document"`
	ProductTree struct {
		Branches         []csafBranch      `json:"branches"`
		FullProductNames []csafFullProduct `json:"full_product_names"`
		Relationships    []struct {
			Category            string          `json:"category"`
			FullProductName     csafFullProduct `json:"full_product_name"`
			ProductReference    string          `json:"product_reference"`
			RelatesToProductRef string          `json:"relates_to_product_reference"`
		} `json:"relationships"`
		ProductGroups []struct {
			GroupID    string   `json:"group_id"`
			ProductIDs []string `json:"product_ids"`
		} `json:"product_groups"`
	} `json:"product_tree"`
	Vulnerabilities []csafVuln `json:"vulnerabilities"`
}

type csafRef struct {
	Category string `json:"category"`
	Summary  string `json:"summary"`
	URL      string `json:"url"`
}

type csafBranch struct {
	Category string           `json:"category"`
	Name     string           `json:"name"`
	Branches []csafBranch     `json:"branches"`
	Product  *csafFullProduct `json:"product"`
}

type csafFullProduct struct {
	Name      string      `json:"name"`
	ProductID string      `json:"product_id"`
	Helper    *csafHelper `json:"product_identification_helper"`
}

type csafHelper struct {
	CPE    string   `json:"cpe"`
	PURL   string   `json:"purl"`
	PURLs  []string `json:"purls"` // CSAF 2.1
	Hashes []struct {
		FileHashes []struct {
			Algorithm string `json:"algorithm"`
			Value     string `json:"value"`
		} `json:"file_hashes"`
		Filename string `json:"filename"`
	} `json:"hashes"`
	ModelNumbers  []string `json:"model_numbers"`
	SerialNumbers []string `json:"serial_numbers"`
	SKUs          []string `json:"skus"`
	SBOMURLs      []string `json:"sbom_urls"`
	GenericURIs   []struct {
		Namespace string `json:"namespace"`
		URI       string `json:"uri"`
	} `json:"x_generic_uris"`
}

type csafProductRefs struct {
	ProductIDs []string `json:"product_ids"`
	GroupIDs   []string `json:"group_ids"`
}

type csafVuln struct {
	CVE string `json:"cve"`
	IDs []struct {
		SystemName string `json:"system_name"`
		Text       string `json:"text"`
	} `json:"ids"`
	CWE *struct {
		ID string `json:"id"`
	} `json:"cwe"`
	CWEs []struct { // CSAF 2.1
		ID string `json:"id"`
	} `json:"cwes"`
	Title         string `json:"title"`
	ReleaseDate   string `json:"release_date"`
	DiscoveryDate string `json:"discovery_date"`
	Notes         []struct {
		Category string `json:"category"`
		Text     string `json:"text"`
	} `json:"notes"`
	ProductStatus map[string][]string `json:"product_status"`
	Flags         []struct {
		csafProductRefs
		Label string `json:"label"`
		Date  string `json:"date"`
	} `json:"flags"`
	Threats []struct {
		csafProductRefs
		Category string `json:"category"`
		Details  string `json:"details"`
		Date     string `json:"date"`
	} `json:"threats"`
	Remediations []struct {
		csafProductRefs
		Category string `json:"category"`
		Details  string `json:"details"`
		URL      string `json:"url"`
		Date     string `json:"date"`
	} `json:"remediations"`
	Scores []struct {
		Products []string    `json:"products"`
		CVSSv2   *csafVector `json:"cvss_v2"`
		CVSSv3   *csafVector `json:"cvss_v3"`
	} `json:"scores"`
	Metrics []struct { // CSAF 2.1
		Products []string `json:"products"`
		Content  struct {
			CVSSv2 *csafVector `json:"cvss_v2"`
			CVSSv3 *csafVector `json:"cvss_v3"`
			CVSSv4 *csafVector `json:"cvss_v4"`
		} `json:"content"`
	} `json:"metrics"`
	References []csafRef `json:"references"`
}

type csafVector struct {
	Version      string `json:"version"`
	VectorString string `json:"vectorString"`
	// BaseSeverity is kept (as a Severity of type CSAF) only for a score
	// without a vector.
	BaseSeverity string `json:"baseSeverity"`
}

// csafStatusLists maps the product_status lists to normalised statuses,
// in the order the lists are read.
var csafStatusLists = []struct{ list, status string }{
	{"first_affected", ProductAffected},
	{"known_affected", ProductAffected},
	{"last_affected", ProductAffected},
	{"known_not_affected", ProductNotAffected},
	{"first_fixed", ProductFixed},
	{"fixed", ProductFixed},
	{"under_investigation", ProductUnderInvestigation},
	{"recommended", ProductRecommended},
}

// CSAFStatus returns the normalised status (a Product* constant) of a CSAF
// product_status list name, or "" for a name that is not one of the eight.
func CSAFStatus(list string) string {
	for _, l := range csafStatusLists {
		if l.list == list {
			return l.status
		}
	}
	return ""
}

// decodeCSAF reads a CSAF document: one Advisory per vulnerability. (The
// checksum files CSAF providers publish beside a document are checked by
// the loader, on the bytes it read: see verifyChecksum.)
func decodeCSAF(data []byte, source string) (*Feed, error) {
	var doc csafDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("CSAF: %w", err)
		}
		// A member of an unexpected type: the rest is read.
	}
	if doc.Document == nil {
		// "csaf_version" and "document" appear, but not as a CSAF
		// document has them: the CSAF JSON schema, for one.
		return nil, notAdvisory("JSON that names csaf_version but has no top-level CSAF document object")
	}
	d := doc.Document
	meta := &Document{
		ID:        d.Tracking.ID,
		Title:     d.Title,
		Category:  d.Category,
		Publisher: d.Publisher.Name,
		Namespace: strings.TrimSpace(d.Publisher.Namespace),
		Version:   d.Tracking.Version,
		Released:  d.Tracking.InitialReleaseDate,
		Updated:   d.Tracking.CurrentReleaseDate,
	}
	docID := cmpOr(cmpOr(d.Tracking.ID, d.Title), source)
	pt := newCSAFProducts(&doc)
	feed := &Feed{}
	usedIDs := map[string]int{}
	for vi := range doc.Vulnerabilities {
		v := &doc.Vulnerabilities[vi]
		a := &Advisory{
			Source:    source,
			Format:    FormatCSAF,
			Published: cmpOr(v.ReleaseDate, d.Tracking.InitialReleaseDate),
			Modified:  d.Tracking.CurrentReleaseDate,
			Summary:   cmpOr(v.Title, d.Title),
			Document:  meta,
		}
		csafIdentify(a, v, vi, docID, usedIDs)
		csafDescribe(a, v, d.References)
		csafProductStatuses(a, v, pt)
		feed.Advisories = append(feed.Advisories, a)
	}
	return feed, nil
}

// csafIdentify sets the ID and Aliases of a, the record of the vi-th
// vulnerability v of document docID: the document id, a slash and the
// CVE (or the first ids[] text, or "vulnerability-N" counted from 1),
// with "#2", "#3" ... when usedIDs (the ids given so far) has it already.
func csafIdentify(a *Advisory, v *csafVuln, vi int, docID string, usedIDs map[string]int) {
	local := strings.TrimSpace(v.CVE)
	if local != "" {
		a.Aliases = append(a.Aliases, local)
	}
	for _, id := range v.IDs {
		if t := strings.TrimSpace(id.Text); t != "" && !slices.Contains(a.Aliases, t) {
			a.Aliases = append(a.Aliases, t)
			if local == "" {
				local = t
			}
		}
	}
	if local == "" {
		local = "vulnerability-" + strconv.Itoa(vi+1)
	}
	a.ID = docID + "/" + local
	if n := usedIDs[a.ID]; n > 0 {
		// The same CVE twice in one document (a validator test case):
		// keep both records apart.
		a.ID += "#" + strconv.Itoa(n+1)
	}
	usedIDs[docID+"/"+local]++
}

// csafDescribe sets the CWEs, References (the vulnerability's, then the
// document's "self" links, docRefs) and Severity vectors of a from v.
func csafDescribe(a *Advisory, v *csafVuln, docRefs []csafRef) {
	if v.CWE != nil && v.CWE.ID != "" {
		a.CWEs = append(a.CWEs, v.CWE.ID)
	}
	for _, c := range v.CWEs {
		if c.ID != "" && !slices.Contains(a.CWEs, c.ID) {
			a.CWEs = append(a.CWEs, c.ID)
		}
	}
	for _, r := range v.References {
		if r.URL != "" {
			a.References = append(a.References, Reference{Type: csafRefType(r.Category), URL: r.URL})
		}
	}
	for _, r := range docRefs {
		if r.URL != "" && r.Category == "self" {
			a.References = append(a.References, Reference{Type: "ADVISORY", URL: r.URL})
		}
	}
	addSev := func(typ string, vec *csafVector) {
		if vec == nil {
			return
		}
		s := Severity{Type: typ, Score: vec.VectorString}
		if s.Score == "" {
			s = Severity{Type: "CSAF", Score: strings.TrimSpace(vec.BaseSeverity)}
		}
		if s.Score == "" {
			return
		}
		if !slices.Contains(a.Severity, s) {
			a.Severity = append(a.Severity, s)
		}
	}
	for _, s := range v.Scores {
		addSev("CVSS_V2", s.CVSSv2)
		addSev("CVSS_V3", s.CVSSv3)
	}
	for _, m := range v.Metrics {
		addSev("CVSS_V2", m.Content.CVSSv2)
		addSev("CVSS_V3", m.Content.CVSSv3)
		addSev("CVSS_V4", m.Content.CVSSv4)
	}
}

// csafProductStatuses sets the Products of a from v's product_status
// lists, one per (list, product), with the flags (justification), impact
// threats and remediations that name each product, and a's Threats.
func csafProductStatuses(a *Advisory, v *csafVuln, pt *csafProducts) {
	byProduct := map[string][]int{} // product id -> indexes in a.Products
	for _, l := range csafStatusLists {
		for _, id := range v.ProductStatus[l.list] {
			p := pt.product(id)
			if p == nil {
				continue
			}
			byProduct[p.ID] = append(byProduct[p.ID], len(a.Products))
			a.Products = append(a.Products, ProductStatus{Product: p, Status: l.status, List: l.list})
		}
	}
	each := func(refs csafProductRefs, f func(ps *ProductStatus)) {
		for _, id := range pt.resolve(refs) {
			for _, i := range byProduct[id] {
				f(&a.Products[i])
			}
		}
	}
	for _, fl := range v.Flags {
		each(fl.csafProductRefs, func(ps *ProductStatus) {
			if ps.Justification == "" {
				ps.Justification = fl.Label
			}
		})
	}
	for _, t := range v.Threats {
		ids := pt.resolve(t.csafProductRefs)
		a.Threats = append(a.Threats, Threat{Category: t.Category, Details: t.Details, Date: t.Date, ProductIDs: ids})
		if t.Category == "impact" {
			each(t.csafProductRefs, func(ps *ProductStatus) {
				if ps.Impact == "" {
					ps.Impact = t.Details
				}
			})
		}
	}
	for _, r := range v.Remediations {
		rem := Remediation{Category: r.Category, Details: r.Details, URL: r.URL, Date: r.Date}
		if len(r.ProductIDs) == 0 && len(r.GroupIDs) == 0 {
			// No product named (invalid, 6.1.29): it applies to every
			// product the vulnerability names.
			for i := range a.Products {
				a.Products[i].Remediations = append(a.Products[i].Remediations, rem)
			}
			continue
		}
		each(r.csafProductRefs, func(ps *ProductStatus) {
			if !slices.Contains(ps.Remediations, rem) {
				ps.Remediations = append(ps.Remediations, rem)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func csafRefType(category string) string {
	if category == "self" {
		return "ADVISORY"
	}
	return "WEB"
}

// csafProducts is a document's product tree, flattened.
type csafProducts struct {
	byID   map[string]*Product
	groups map[string][]string
}

func newCSAFProducts(doc *csafDoc) *csafProducts {
	pt := &csafProducts{byID: map[string]*Product{}, groups: map[string][]string{}}
	var walk func(bs []csafBranch, path Product, depth int)
	walk = func(bs []csafBranch, path Product, depth int) {
		if depth > 64 {
			return // hostile nesting
		}
		for i := range bs {
			b := &bs[i]
			p := path
			switch b.Category {
			case "vendor":
				p.Vendor = b.Name
			case "product_family":
				if p.Family == "" {
					p.Family = b.Name
				} else {
					p.Family += " " + b.Name
				}
			case "product_name":
				p.ProductName = b.Name
			case "product_version":
				p.Version = b.Name
			case "product_version_range":
				p.VersionRange = b.Name
			}
			if b.Product != nil {
				q := p
				pt.add(&q, b.Product)
			}
			walk(b.Branches, p, depth+1)
		}
	}
	walk(doc.ProductTree.Branches, Product{}, 0)
	for i := range doc.ProductTree.FullProductNames {
		pt.add(&Product{}, &doc.ProductTree.FullProductNames[i])
	}
	type pending struct {
		rel     *Relationship
		ref, to string
	}
	var rels []pending
	for _, r := range doc.ProductTree.Relationships {
		p := &Product{}
		pt.add(p, &r.FullProductName)
		p = pt.byID[r.FullProductName.ProductID]
		if p == nil {
			continue
		}
		rel := &Relationship{Category: r.Category}
		p.Relationship = rel
		rels = append(rels, pending{rel, r.ProductReference, r.RelatesToProductRef})
	}
	// Targets and components are resolved once every relationship product
	// is known (a relationship may name another).
	for _, r := range rels {
		r.rel.Component = pt.product(r.ref)
		r.rel.Target = pt.product(r.to)
	}
	for _, g := range doc.ProductTree.ProductGroups {
		if g.GroupID == "" {
			continue
		}
		pt.groups[g.GroupID] = append(pt.groups[g.GroupID], g.ProductIDs...)
		for _, id := range g.ProductIDs {
			if p := pt.product(id); p != nil && !slices.Contains(p.Groups, g.GroupID) {
				p.Groups = append(p.Groups, g.GroupID)
			}
		}
	}
	return pt
}

// add records the product fp with the branch path of p.
func (pt *csafProducts) add(p *Product, fp *csafFullProduct) {
	if fp.ProductID == "" {
		return
	}
	if old := pt.byID[fp.ProductID]; old != nil {
		return // a duplicate product id (invalid, 6.1.2): the first wins
	}
	p.ID = fp.ProductID
	p.Name = fp.Name
	if h := fp.Helper; h != nil {
		if h.PURL != "" {
			p.PURLs = append(p.PURLs, h.PURL)
		}
		for _, u := range h.PURLs {
			if u != "" && !slices.Contains(p.PURLs, u) {
				p.PURLs = append(p.PURLs, u)
			}
		}
		if h.CPE != "" {
			p.CPEs = append(p.CPEs, h.CPE)
		}
		for _, hs := range h.Hashes {
			for _, fh := range hs.FileHashes {
				if fh.Value != "" {
					p.Hashes = append(p.Hashes, strings.ToLower(fh.Algorithm)+":"+strings.ToLower(fh.Value))
				}
			}
		}
		p.ModelNumbers = nonEmpty(h.ModelNumbers)
		p.SerialNumbers = nonEmpty(h.SerialNumbers)
		p.SKUs = nonEmpty(h.SKUs)
		for _, u := range h.GenericURIs {
			if u.URI != "" {
				p.GenericURIs = append(p.GenericURIs, u.URI)
			}
		}
	}
	pt.byID[p.ID] = p
}

func nonEmpty(s []string) []string {
	var out []string
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// product returns the product with the given id; an id that the product
// tree does not define (invalid, 6.1.1) gets a product with only its id,
// so that the status is not lost.
func (pt *csafProducts) product(id string) *Product {
	if id == "" {
		return nil
	}
	p := pt.byID[id]
	if p == nil {
		p = &Product{ID: id}
		pt.byID[id] = p
	}
	return p
}

// resolve returns the product ids refs names, directly or through groups,
// each once, in order.
func (pt *csafProducts) resolve(refs csafProductRefs) []string {
	var out []string
	for _, id := range refs.ProductIDs {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, g := range refs.GroupIDs {
		for _, id := range pt.groups[g] {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}
