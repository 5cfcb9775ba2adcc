package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/bomrank/bomrank/internal/membudget"
	"github.com/bomrank/bomrank/internal/xmlguard"
)

// CycloneDX VEX and VDR documents are read with cyclonedx-go's model (JSON
// and XML). A BOM is VEX only when it has at least one vulnerability: a
// device SBOM without vulnerabilities is not a feed, even when it is given
// to --advisories by mistake (it is then reported as not a feed).

// looksLikeCycloneDXVEX reports whether data is a CycloneDX BOM (JSON or
// XML) with a non-empty vulnerabilities list.
func looksLikeCycloneDXVEX(data []byte) bool {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return false
	}
	if trimmed[0] == '<' {
		return bytes.Contains(data, []byte("cyclonedx.org/schema/bom")) &&
			(bytes.Contains(data, []byte("<vulnerability>")) || bytes.Contains(data, []byte("<vulnerability ")))
	}
	if trimmed[0] != '{' || !bytes.Contains(data, []byte(`"vulnerabilities"`)) || !bytes.Contains(data, []byte(`"CycloneDX"`)) {
		return false
	}
	var head struct {
		BOMFormat       string            `json:"bomFormat"`
		Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		// Broken JSON: VEX if it says so before breaking.
		i := bytes.Index(data, []byte(`"vulnerabilities"`))
		rest := bytes.TrimLeft(data[i+len(`"vulnerabilities"`):], " \t\r\n:")
		return bytes.HasPrefix(rest, []byte("[")) && bytes.HasPrefix(bytes.TrimLeft(rest[1:], " \t\r\n"), []byte("{"))
	}
	return head.BOMFormat == "CycloneDX" && len(head.Vulnerabilities) > 0
}

// cdxVEXCost estimates the memory cyclonedx-go needs to decode data: a
// value of the model starts at most once per start tag in XML, or per '{', '['
// or ',' in JSON, and costs a few hundred bytes (measured: 470 bytes a
// tag for <vulnerability><id>X</id></vulnerability>); 1 KiB each, for the
// collector's headroom, plus three times the text.
func cdxVEXCost(data []byte, format cdx.BOMFileFormat) int64 {
	n := 0
	if format == cdx.BOMFileFormatXML {
		n = bytes.Count(data, []byte("<")) - bytes.Count(data, []byte("</"))
	} else {
		for _, c := range data {
			switch c {
			case '{', '[', ',':
				n++
			}
		}
	}
	return int64(n)*1024 + 3*int64(len(data))
}

// cdxStatus maps CycloneDX analysis states to the Product* constants. A
// vulnerability without analysis (a VDR entry) is affected.
var cdxStatus = map[string]string{
	"":                       ProductAffected,
	"exploitable":            ProductAffected,
	"not_affected":           ProductNotAffected,
	"false_positive":         ProductNotAffected,
	"resolved":               ProductFixed,
	"resolved_with_pedigree": ProductFixed,
	"in_triage":              ProductUnderInvestigation,
}

// decodeCycloneDXVEX reads a CycloneDX VEX or VDR: one Advisory per
// vulnerability, whose Products are its affects[].ref targets with the
// analysis state mapped to a Product* status.
//
// A target is Product.ID = the ref as written. A local bom-ref takes the
// purl, CPE, hashes, name and version of the component of this BOM that
// has it; when the BOM has a serialNumber the target also gets the
// BOM-Link "urn:cdx:<serial>/<version>#<ref>" in GenericURIs, and a ref
// that is already a BOM-Link is kept there as written. When the BOM has a
// metadata.component (the device the VEX speaks about), a target other
// than it gets Relationship{Category: "default_component_of", Target: the
// metadata component}.
func decodeCycloneDXVEX(data []byte, source string) (*Feed, error) {
	format := cdx.BOMFileFormatJSON
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '<' {
		format = cdx.BOMFileFormatXML
	}
	// cyclonedx-go builds the whole BOM: its cost is taken from the
	// memory budget the workers share (issue 14: a million empty
	// vulnerabilities, 24 KB gzipped, took 1.4 GB).
	release, err := membudget.Default.Acquire("cyclonedx vex: the document", cdxVEXCost(data, format))
	if err != nil {
		return nil, err
	}
	defer release()
	if format == cdx.BOMFileFormatXML {
		// encoding/xml skips unknown elements with a stack that grows
		// with their depth and no limit: the depth is checked first
		// (issue 14: 20 million levels took 3.5 GB). A syntax error
		// is left for the decoder to report.
		if err := xmlguard.Check(data, xmlguard.MaxDepth); errors.Is(err, xmlguard.ErrTooDeep) {
			return nil, fmt.Errorf("cyclonedx vex: %w", err)
		}
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), format).Decode(&bom); err != nil {
		return nil, fmt.Errorf("cyclonedx vex: %w", err)
	}
	if bom.Vulnerabilities == nil || len(*bom.Vulnerabilities) == 0 {
		return nil, fmt.Errorf("cyclonedx vex: the BOM has no vulnerabilities")
	}
	r := &cdxReader{bom: &bom, refs: map[string]*cdx.Component{}}
	r.meta = &Document{ID: bom.SerialNumber, Version: strconv.Itoa(bom.Version)}
	var metaComp *cdx.Component
	if md := bom.Metadata; md != nil {
		r.meta.Released = md.Timestamp
		r.meta.Updated = md.Timestamp
		switch {
		case md.Manufacturer != nil && md.Manufacturer.Name != "":
			r.meta.Publisher = md.Manufacturer.Name
		case md.Manufacture != nil && md.Manufacture.Name != "":
			r.meta.Publisher = md.Manufacture.Name
		case md.Supplier != nil && md.Supplier.Name != "":
			r.meta.Publisher = md.Supplier.Name
		case md.Authors != nil && len(*md.Authors) > 0:
			r.meta.Publisher = (*md.Authors)[0].Name
		}
		metaComp = md.Component
		if metaComp != nil {
			r.collect(metaComp)
			r.meta.Title = strings.TrimSpace(metaComp.Name + " " + metaComp.Version)
		}
	}
	if bom.Components != nil {
		for i := range *bom.Components {
			r.collect(&(*bom.Components)[i])
		}
	}
	if metaComp != nil {
		r.device = r.product(metaComp.BOMRef, metaComp)
	}
	feed := &Feed{}
	for i, v := range *bom.Vulnerabilities {
		if v.ID == "" {
			return nil, fmt.Errorf("cyclonedx vex: vulnerability %d has no id", i)
		}
		a, err := r.advisory(v, source)
		if err != nil {
			return nil, fmt.Errorf("cyclonedx vex: vulnerability %d (%s): %w", i, v.ID, err)
		}
		feed.Advisories = append(feed.Advisories, a)
	}
	return feed, nil
}

type cdxReader struct {
	bom    *cdx.BOM
	meta   *Document
	refs   map[string]*cdx.Component // bom-ref -> component
	device *Product                  // metadata.component, if any
}

// collect records c and its subcomponents by bom-ref.
func (r *cdxReader) collect(c *cdx.Component) {
	if c.BOMRef != "" {
		if _, dup := r.refs[c.BOMRef]; !dup {
			r.refs[c.BOMRef] = c
		}
	}
	if c.Components != nil {
		for i := range *c.Components {
			r.collect(&(*c.Components)[i])
		}
	}
}

// bomLink returns the BOM-Link of a local ref in this BOM, or "".
func (r *cdxReader) bomLink(ref string) string {
	serial, ok := strings.CutPrefix(r.bom.SerialNumber, "urn:uuid:")
	if !ok || serial == "" || ref == "" {
		return ""
	}
	v := r.bom.Version
	if v <= 0 {
		v = 1
	}
	return "urn:cdx:" + serial + "/" + strconv.Itoa(v) + "#" + ref
}

// product returns the product for an affects ref (c is its component in
// this BOM, or nil).
func (r *cdxReader) product(ref string, c *cdx.Component) *Product {
	p := &Product{ID: ref, Name: ref}
	if strings.HasPrefix(ref, "urn:cdx:") {
		p.GenericURIs = append(p.GenericURIs, ref)
		// A link into this very BOM names one of its components.
		if serial, local, ok := ParseBOMLink(ref); ok && c == nil && "urn:uuid:"+serial == r.bom.SerialNumber {
			c = r.refs[local]
		}
	} else if l := r.bomLink(ref); l != "" {
		p.GenericURIs = append(p.GenericURIs, l)
	}
	if c != nil {
		if c.Name != "" {
			p.Name = strings.TrimSpace(c.Group + " " + c.Name)
			if c.Group != "" {
				p.Name = c.Group + "/" + c.Name
			}
		}
		p.ProductName = c.Name
		p.Version = c.Version
		if c.PackageURL != "" {
			p.PURLs = append(p.PURLs, c.PackageURL)
		}
		if c.CPE != "" {
			p.CPEs = append(p.CPEs, c.CPE)
		}
		if c.Hashes != nil {
			for _, h := range *c.Hashes {
				if h.Value != "" {
					p.Hashes = append(p.Hashes, vexHashAlg(string(h.Algorithm))+":"+strings.ToLower(h.Value))
				}
			}
			sort.Strings(p.Hashes)
		}
	}
	return p
}

// ParseBOMLink splits a CycloneDX BOM-Link "urn:cdx:<serial>/<version>#<ref>"
// into the serial (a UUID, without "urn:uuid:") and the bom-ref (empty for
// a link to the whole BOM). The version is not returned: it serves to
// find candidates by serial number; whether a link names a device's SBOM,
// which needs the version too, SplitBOMLink tells.
func ParseBOMLink(s string) (serial, ref string, ok bool) {
	rest, found := strings.CutPrefix(s, "urn:cdx:")
	if !found {
		return "", "", false
	}
	rest, ref, _ = strings.Cut(rest, "#")
	serial, _, _ = strings.Cut(rest, "/")
	if serial == "" {
		return "", "", false
	}
	return strings.ToLower(serial), ref, true
}

// cvssPrefix gives the vector prefix each CVSS method implies, for
// vectors written without it.
var cvssPrefix = map[cdx.ScoringMethod]struct{ typ, prefix string }{
	cdx.ScoringMethodCVSSv2:  {"CVSS_V2", ""},
	cdx.ScoringMethodCVSSv3:  {"CVSS_V3", "CVSS:3.0/"},
	cdx.ScoringMethodCVSSv31: {"CVSS_V3", "CVSS:3.1/"},
	cdx.ScoringMethodCVSSv4:  {"CVSS_V4", "CVSS:4.0/"},
}

func (r *cdxReader) advisory(v cdx.Vulnerability, source string) (*Advisory, error) {
	// Modified stays empty on purpose: see decodeOpenVEX.
	a := &Advisory{ID: v.ID, Summary: v.Description, Published: v.Published, Source: source, Format: FormatCycloneDXVEX, Document: r.meta}
	if a.Summary == "" {
		a.Summary = v.Detail
	}
	if i := strings.IndexByte(a.Summary, '\n'); i >= 0 {
		a.Summary = strings.TrimSpace(a.Summary[:i])
	}
	if v.References != nil {
		for _, ref := range *v.References {
			if ref.ID != "" && ref.ID != v.ID && !vexContains(a.Aliases, ref.ID) {
				a.Aliases = append(a.Aliases, ref.ID)
			}
		}
	}
	if v.Ratings != nil {
		for _, rt := range *v.Ratings {
			m, ok := cvssPrefix[rt.Method]
			if !ok || rt.Vector == "" {
				continue
			}
			vec := rt.Vector
			if m.prefix != "" && !strings.HasPrefix(vec, "CVSS:") {
				vec = m.prefix + vec
			}
			s := Severity{Type: m.typ, Score: vec}
			if !slicesContainsSeverity(a.Severity, s) {
				a.Severity = append(a.Severity, s)
			}
		}
	}
	if v.CWEs != nil {
		for _, c := range *v.CWEs {
			a.CWEs = append(a.CWEs, "CWE-"+strconv.Itoa(c))
		}
	}
	if v.Source != nil && v.Source.URL != "" {
		a.References = append(a.References, Reference{Type: "WEB", URL: v.Source.URL})
	}
	if v.Advisories != nil {
		for _, ad := range *v.Advisories {
			if ad.URL != "" {
				a.References = append(a.References, Reference{Type: "ADVISORY", URL: ad.URL})
			}
		}
	}
	var state, justification, detail, action string
	if an := v.Analysis; an != nil {
		state, justification, detail = string(an.State), string(an.Justification), an.Detail
		if an.Response != nil {
			var rs []string
			for _, x := range *an.Response {
				rs = append(rs, string(x))
			}
			action = strings.Join(rs, ", ")
		}
	}
	if action == "" && v.Recommendation != "" {
		action = v.Recommendation
	}
	status, ok := cdxStatus[state]
	if !ok {
		return nil, fmt.Errorf("unknown analysis state %q", state)
	}
	if v.Affects != nil {
		for _, af := range *v.Affects {
			if af.Ref == "" {
				continue
			}
			p := r.product(af.Ref, r.refs[af.Ref])
			if r.device != nil && af.Ref != r.device.ID {
				part := *p // a copy, so that the product does not contain itself
				p.Relationship = &Relationship{Category: "default_component_of", Component: &part, Target: r.device}
			}
			a.Products = append(a.Products, ProductStatus{
				Product: p, Status: status, List: state,
				Justification: justification, Impact: detail, Action: action,
			})
		}
	}
	if v.Workaround != "" {
		for i := range a.Products {
			a.Products[i].Remediations = append(a.Products[i].Remediations, Remediation{Category: "workaround", Details: v.Workaround})
		}
	}
	return a, nil
}

func slicesContainsSeverity(list []Severity, s Severity) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
