package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// The CSAF 2.0 document bomrank writes, as our own structs: the
// gocsaf/csaf module would bring its whole tool chain (HTTP client,
// aggregator, database) into the library for a dozen types, and the
// writer only ever emits the subset below. The tests validate the output
// against the official CSAF 2.0 JSON schema.
type csafDoc struct {
	Document        csafDocument        `json:"document"`
	ProductTree     csafProductTree     `json:"product_tree"`
	Vulnerabilities []csafVulnerability `json:"vulnerabilities"`
}

type csafDocument struct {
	Category    string        `json:"category"`
	CSAFVersion string        `json:"csaf_version"`
	Lang        string        `json:"lang"`
	Notes       []csafNote    `json:"notes"`
	Publisher   csafPublisher `json:"publisher"`
	Title       string        `json:"title"`
	Tracking    csafTracking  `json:"tracking"`
}

type csafNote struct {
	Category string `json:"category"`
	Text     string `json:"text"`
	Title    string `json:"title,omitempty"`
}

type csafPublisher struct {
	Category  string `json:"category"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

type csafTracking struct {
	CurrentReleaseDate string         `json:"current_release_date"`
	Generator          csafGenerator  `json:"generator"`
	ID                 string         `json:"id"`
	InitialReleaseDate string         `json:"initial_release_date"`
	RevisionHistory    []csafRevision `json:"revision_history"`
	Status             string         `json:"status"`
	Version            string         `json:"version"`
}

type csafGenerator struct {
	Date   string     `json:"date"`
	Engine csafEngine `json:"engine"`
}

type csafEngine struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type csafRevision struct {
	Date    string `json:"date"`
	Number  string `json:"number"`
	Summary string `json:"summary"`
}

type csafProductTree struct {
	Branches         []csafBranch       `json:"branches,omitempty"`
	FullProductNames []csafProduct      `json:"full_product_names,omitempty"`
	Relationships    []csafRelationship `json:"relationships,omitempty"`
}

type csafBranch struct {
	Category string       `json:"category"`
	Name     string       `json:"name"`
	Branches []csafBranch `json:"branches,omitempty"`
	Product  *csafProduct `json:"product,omitempty"`
}

type csafProduct struct {
	Name      string      `json:"name"`
	ProductID string      `json:"product_id"`
	Helper    *csafHelper `json:"product_identification_helper,omitempty"`
}

type csafHelper struct {
	CPE          string   `json:"cpe,omitempty"`
	PURL         string   `json:"purl,omitempty"`
	ModelNumbers []string `json:"model_numbers,omitempty"`
}

type csafRelationship struct {
	Category                  string      `json:"category"`
	FullProductName           csafProduct `json:"full_product_name"`
	ProductReference          string      `json:"product_reference"`
	RelatesToProductReference string      `json:"relates_to_product_reference"`
}

type csafVulnerability struct {
	CVE           string            `json:"cve,omitempty"`
	IDs           []csafID          `json:"ids,omitempty"`
	Notes         []csafNote        `json:"notes,omitempty"`
	ProductStatus csafProductStatus `json:"product_status"`
	Flags         []csafFlag        `json:"flags,omitempty"`
	Threats       []csafThreat      `json:"threats,omitempty"`
	Remediations  []csafRemediation `json:"remediations,omitempty"`
	Scores        []csafScore       `json:"scores,omitempty"`
	References    []csafReference   `json:"references,omitempty"`
}

type csafID struct {
	SystemName string `json:"system_name"`
	Text       string `json:"text"`
}

type csafProductStatus struct {
	Fixed              []string `json:"fixed,omitempty"`
	KnownAffected      []string `json:"known_affected,omitempty"`
	KnownNotAffected   []string `json:"known_not_affected,omitempty"`
	UnderInvestigation []string `json:"under_investigation,omitempty"`
}

type csafFlag struct {
	Label      string   `json:"label"`
	ProductIDs []string `json:"product_ids"`
}

type csafThreat struct {
	Category   string   `json:"category"`
	Details    string   `json:"details"`
	ProductIDs []string `json:"product_ids"`
}

type csafRemediation struct {
	Category   string   `json:"category"`
	Details    string   `json:"details"`
	ProductIDs []string `json:"product_ids"`
	URL        string   `json:"url,omitempty"`
	Date       string   `json:"date,omitempty"`
}

type csafScore struct {
	CVSSv2   map[string]any `json:"cvss_v2,omitempty"`
	CVSSv3   map[string]any `json:"cvss_v3,omitempty"`
	Products []string       `json:"products"`
}

type csafReference struct {
	Category string `json:"category"`
	Summary  string `json:"summary"`
	URL      string `json:"url"`
}

// csafCPE is the pattern of the CSAF 2.0 schema for
// product_identification_helper.cpe; a CPE that does not match is left
// out rather than making the document invalid.
var csafCPE = regexp.MustCompile(`^(cpe:2\.3:[aho\*\-](:(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#\$%&'\(\)\+,/:;<=>@\[\]\^` + "`" + `\{\|\}~]))+(\?*|\*?))|[\*\-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\*\-]))(:(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#\$%&'\(\)\+,/:;<=>@\[\]\^` + "`" + `\{\|\}~]))+(\?*|\*?))|[\*\-])){4})|([c][pP][eE]:/[AHOaho]?(:[A-Za-z0-9\._\-~%]*){0,6})$`)

var csafPURL = regexp.MustCompile(`^pkg:[A-Za-z\.\-\+][A-Za-z0-9\.\-\+]*/.+`)

var csafCVE = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

// CSAF writes a CSAF 2.0 VEX document (category csaf_vex) about one
// device (o.Device; it may be empty when the scan has one device), for a
// manufacturer publishing its statements. The product tree holds the
// device (vendor / product name / product version branches) and its
// components, each joined to the device by a default_component_of
// relationship; the statuses are given for those relationship products
// ("component as part of device"). Per vulnerability: cve (or ids),
// aliases as ids, product_status (affected -> known_affected, not_affected
// -> known_not_affected with a flag when the justification is one of
// CSAF's labels and an impact threat otherwise, fixed -> fixed,
// under_investigation and unknown -> under_investigation), remediations
// (the sources' own, else none_available naming the upstream fix), CVSS
// v2/v3 scores computed from the vectors. Every date is o.AsOf, which is
// required; the tracking id is derived from the device and the date. A
// device without findings is an error: the VEX profile needs at least one
// vulnerability.
func CSAF(w io.Writer, s *Scan, o Options) error {
	if o.AsOf.IsZero() {
		return errors.New("csaf: a document date (Options.AsOf) is required")
	}
	r, err := SelectDevice(s, o.Device)
	if err != nil {
		return fmt.Errorf("csaf: %w", err)
	}
	if len(r.Findings) == 0 {
		err := fmt.Errorf("csaf: %s has no findings: a CSAF VEX document needs at least one vulnerability", r.ID)
		if len(s.Warnings) > 0 {
			err = fmt.Errorf("%w (warning: %s)", err, strings.Join(s.Warnings, "; "))
		}
		return err
	}
	b := newCSAFBuilder(r)
	b.doc.Document = csafDocumentOf(r, b.devName, o)
	for _, wn := range s.Warnings {
		b.doc.Document.Notes = append(b.doc.Document.Notes, csafNote{Category: "general", Title: "Warning", Text: wn})
	}
	for _, f := range r.Findings {
		b.add(f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b.doc)
}

// csafDevID is the product id of the device in a CSAF document.
const csafDevID = "CSAFPID-DEVICE"

// csafBuilder builds the CSAF document of one device: its product tree
// grows with the components that have findings, and its vulnerabilities
// with the findings.
type csafBuilder struct {
	doc     csafDoc
	devName string
	// pid maps a component to its product id ("component as part of
	// device" relationship), n counts the components listed.
	pid map[*sbom.Component]string
	n   int
	// vuln maps a vulnerability id to its index in doc.Vulnerabilities.
	vuln map[string]int
}

// newCSAFBuilder starts the document of device r: its product tree holds
// the device (vendor / product name / product version branches).
func newCSAFBuilder(r *match.DeviceResult) *csafBuilder {
	d := r.Device
	devName := strings.TrimSpace(d.Name + " " + d.Version)
	if devName == "" {
		devName = r.ID
	}
	b := &csafBuilder{
		doc:     csafDoc{Vulnerabilities: []csafVulnerability{}},
		devName: devName,
		pid:     map[*sbom.Component]string{&d.Component: csafDevID},
		vuln:    map[string]int{},
	}
	devProduct := csafProduct{Name: devName, ProductID: csafDevID, Helper: csafHelperFor(&d.Component)}
	if len(d.ModelNumbers) > 0 {
		if devProduct.Helper == nil {
			devProduct.Helper = &csafHelper{}
		}
		devProduct.Helper.ModelNumbers = d.ModelNumbers
	}
	vendor := d.Manufacturer
	if vendor == "" {
		vendor = "unknown vendor"
	}
	name := d.Name
	if name == "" {
		name = r.ID
	}
	leaf := csafBranch{Category: "product_name", Name: name, Product: &devProduct}
	if d.Version != "" {
		leaf = csafBranch{Category: "product_name", Name: name, Branches: []csafBranch{{Category: "product_version", Name: d.Version, Product: &devProduct}}}
	}
	b.doc.ProductTree.Branches = []csafBranch{{Category: "vendor", Name: vendor, Branches: []csafBranch{leaf}}}
	return b
}

// csafDocumentOf is the document section (notes, publisher, tracking)
// of the VEX of device r, named devName.
func csafDocumentOf(r *match.DeviceResult, devName string, o Options) csafDocument {
	date := o.AsOf.UTC().Format(time.RFC3339)
	t := o.tool()
	p := o.publisher()
	return csafDocument{
		Category: "csaf_vex", CSAFVersion: "2.0", Lang: "en",
		Notes: []csafNote{{Category: "summary", Title: "About this document",
			Text: fmt.Sprintf("Vulnerability status of the components of %s, from its SBOM (%s) matched against the advisories given to %s.", devName, r.Device.Path, t.Name)}},
		Publisher: csafPublisher{Category: p.Category, Name: p.Name, Namespace: p.Namespace},
		Title:     "VEX for " + devName,
		Tracking: csafTracking{
			CurrentReleaseDate: date, InitialReleaseDate: date,
			Generator:       csafGenerator{Date: date, Engine: csafEngine{Name: t.Name, Version: t.Version}},
			ID:              csafTrackingID(r, o.AsOf),
			RevisionHistory: []csafRevision{{Date: date, Number: "1", Summary: "Initial version."}},
			Status:          "final", Version: "1",
		},
	}
}

// product returns the product id of component c (nil is the device),
// listing it in the product tree the first time. Only the components that
// have findings are listed: a VEX document speaks about vulnerabilities,
// and a device has hundreds of parts.
func (b *csafBuilder) product(c *sbom.Component) string {
	if c == nil {
		return csafDevID
	}
	if id, ok := b.pid[c]; ok {
		return id
	}
	b.n++
	cid := fmt.Sprintf("CSAFPID-%04d", b.n)
	label := strings.TrimSpace(c.Name + " " + c.Version)
	if label == "" {
		label = "unnamed component"
	}
	tree := &b.doc.ProductTree
	tree.FullProductNames = append(tree.FullProductNames, csafProduct{Name: label, ProductID: cid, Helper: csafHelperFor(c)})
	rel := cid + "-IN-DEVICE"
	tree.Relationships = append(tree.Relationships, csafRelationship{
		Category: "default_component_of", ProductReference: cid, RelatesToProductReference: csafDevID,
		FullProductName: csafProduct{Name: label + " as part of " + b.devName, ProductID: rel},
	})
	b.pid[c] = rel
	return rel
}

// add records finding f: its component's product under the product status
// of f's vulnerability, with the remediations, flags, threats, notes and
// scores that go with it.
func (b *csafBuilder) add(f *match.Finding) {
	id := b.product(f.Component)
	i, ok := b.vuln[f.ID]
	if !ok {
		i = len(b.doc.Vulnerabilities)
		b.vuln[f.ID] = i
		b.doc.Vulnerabilities = append(b.doc.Vulnerabilities, csafNewVulnerability(f))
	}
	v := &b.doc.Vulnerabilities[i]
	switch f.Status {
	case match.Affected:
		v.ProductStatus.KnownAffected = append(v.ProductStatus.KnownAffected, id)
		v.Remediations = append(v.Remediations, csafRemediations(f, id)...)
		if a := Accepted(f); a != "" {
			v.Notes = append(v.Notes, csafNote{Category: "other", Title: "Accepted for " + componentLabel(f), Text: a})
		}
	case match.NotAffected:
		v.ProductStatus.KnownNotAffected = append(v.ProductStatus.KnownNotAffected, id)
		csafNotAffected(v, f, id)
	case match.Fixed:
		v.ProductStatus.Fixed = append(v.ProductStatus.Fixed, id)
	case match.UnderInvestigation:
		v.ProductStatus.UnderInvestigation = append(v.ProductStatus.UnderInvestigation, id)
	default:
		v.ProductStatus.UnderInvestigation = append(v.ProductStatus.UnderInvestigation, id)
		v.Notes = append(v.Notes, csafNote{Category: "details", Title: "Undecided for " + componentLabel(f),
			Text: "bomrank could not decide whether the installed version is affected: " + f.Reason})
	}
	if sc := csafScores(f, id); sc != nil {
		v.Scores = append(v.Scores, sc...)
	}
}

// csafNotAffected gives the justification of a not_affected finding f for
// product id: a flag when it is one of CSAF's labels, an impact threat
// when it is free text or there is an impact statement (or nothing at
// all).
func csafNotAffected(v *csafVulnerability, f *match.Finding, id string) {
	label, ok := vexJustification(f.Justification)
	if ok {
		v.Flags = appendFlag(v.Flags, label, id)
	}
	details := f.Impact
	if !ok && f.Justification != "" {
		details = strings.Trim(f.Justification+"; "+f.Impact, "; ")
	}
	if details != "" || !ok {
		if details == "" {
			details = "Not affected (no justification given by the source)."
		}
		v.Threats = append(v.Threats, csafThreat{Category: "impact", Details: details, ProductIDs: []string{id}})
	}
}

// SelectDevice picks the device named by sel (its ID, SBOM path or
// name, in that order of preference); an empty sel picks the only device.
func SelectDevice(s *Scan, sel string) (*match.DeviceResult, error) {
	if sel == "" {
		if len(s.Results) == 1 {
			return s.Results[0], nil
		}
		return nil, fmt.Errorf("the scan has %d devices: name one (by id, SBOM path or name)", len(s.Results))
	}
	for _, key := range []func(*match.DeviceResult) string{
		func(r *match.DeviceResult) string { return r.ID },
		func(r *match.DeviceResult) string { return r.Device.Path },
		func(r *match.DeviceResult) string { return r.Device.Name },
	} {
		var hit []*match.DeviceResult
		for _, r := range s.Results {
			if key(r) == sel {
				hit = append(hit, r)
			}
		}
		switch len(hit) {
		case 1:
			return hit[0], nil
		case 0:
			continue
		}
		return nil, fmt.Errorf("%d devices match %q: name one by its id or SBOM path", len(hit), sel)
	}
	return nil, fmt.Errorf("no device %q in the scan", sel)
}

func csafHelperFor(c *sbom.Component) *csafHelper {
	h := &csafHelper{}
	if csafPURL.MatchString(c.PURL) {
		h.PURL = c.PURL
	}
	for _, cpe := range c.CPEs {
		if csafCPE.MatchString(cpe) {
			h.CPE = cpe
			break
		}
	}
	if h.PURL == "" && h.CPE == "" {
		return nil
	}
	return h
}

func csafNewVulnerability(f *match.Finding) csafVulnerability {
	v := csafVulnerability{}
	ids := append([]string{f.ID}, f.Aliases...)
	for _, id := range ids {
		if v.CVE == "" && csafCVE.MatchString(id) {
			v.CVE = id
			continue
		}
		v.IDs = append(v.IDs, csafID{SystemName: idSystem(id), Text: id})
	}
	if f.Summary != "" {
		v.Notes = append(v.Notes, csafNote{Category: "summary", Text: f.Summary})
	}
	for _, id := range ids {
		if u := helpURI(&match.Finding{ID: id}); u != "" {
			v.References = append(v.References, csafReference{Category: "external", Summary: id, URL: u})
		}
	}
	return v
}

// idSystem names the numbering system of a vulnerability id from its
// prefix ("GHSA", "GO", "RUSTSEC", ...).
func idSystem(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return "other"
}

func appendFlag(flags []csafFlag, label, id string) []csafFlag {
	for i := range flags {
		if flags[i].Label == label {
			flags[i].ProductIDs = append(flags[i].ProductIDs, id)
			return flags
		}
	}
	return append(flags, csafFlag{Label: label, ProductIDs: []string{id}})
}

var csafRemediationCategories = map[string]bool{"mitigation": true, "no_fix_planned": true, "none_available": true, "vendor_fix": true, "workaround": true}

// csafRemediations gives every known_affected product the action
// statement CSAF's VEX profile asks for: the sources' remediations (CSAF
// 2.1 categories fold into 2.0's), else none_available naming the
// upstream fix.
func csafRemediations(f *match.Finding, id string) []csafRemediation {
	var out []csafRemediation
	for _, r := range f.Remediations {
		cat := r.Category
		switch cat {
		case "fix_planned":
			cat = "none_available"
		case "optional_patch":
			cat = "vendor_fix"
		}
		if !csafRemediationCategories[cat] {
			continue
		}
		details := r.Details
		if details == "" {
			details = strings.ReplaceAll(r.Category, "_", " ")
		}
		rem := csafRemediation{Category: cat, Details: details, ProductIDs: []string{id}, URL: textsafe.URL(r.URL)}
		if _, err := time.Parse(time.RFC3339, r.Date); err == nil {
			rem.Date = r.Date
		}
		out = append(out, rem)
	}
	if len(out) > 0 {
		return out
	}
	details := "No fix for the device is known."
	if len(f.Fixed) > 0 {
		details += fmt.Sprintf(" %s is fixed upstream in %s.", componentLabel(f), strings.Join(f.Fixed, ", "))
	}
	return []csafRemediation{{Category: "none_available", Details: details, ProductIDs: []string{id}}}
}

// csafScores writes the CVSS v2 and v3 vectors as the FIRST JSON shapes
// CSAF 2.0 embeds (CSAF 2.0 has no CVSS v4).
func csafScores(f *match.Finding, id string) []csafScore {
	var v2, v3 map[string]any
	for _, sev := range f.Severity {
		sc, ok := ParseScore(sev)
		if !ok {
			continue
		}
		switch sc.Version {
		case "2.0":
			if v2 == nil {
				v2 = map[string]any{"version": "2.0", "vectorString": strings.TrimPrefix(sc.Vector, "CVSS:2.0/"), "baseScore": sc.Base}
			}
		case "3.0", "3.1":
			if v3 == nil {
				v3 = map[string]any{"version": sc.Version, "vectorString": sc.Vector, "baseScore": sc.Base, "baseSeverity": strings.ToUpper(sc.Rating)}
			}
		}
	}
	if v2 == nil && v3 == nil {
		return nil
	}
	return []csafScore{{CVSSv2: v2, CVSSv3: v3, Products: []string{id}}}
}

// csafTrackingID is a stable id: bomrank-<device>-<version>-<date>.
func csafTrackingID(r *match.DeviceResult, asOf time.Time) string {
	slug := func(s string) string {
		var b strings.Builder
		for _, c := range strings.ToLower(s) {
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.':
				b.WriteRune(c)
			default:
				b.WriteByte('-')
			}
		}
		return strings.Trim(b.String(), "-.")
	}
	parts := []string{"bomrank"}
	for _, p := range []string{r.Device.Name, r.Device.Version} {
		if sp := slug(p); sp != "" {
			parts = append(parts, sp)
		}
	}
	if len(parts) == 1 {
		parts = append(parts, strconv.Itoa(r.Rank))
	}
	return strings.Join(append(parts, asOf.UTC().Format("20060102")), "-")
}
