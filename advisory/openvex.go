package advisory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// OpenVEX is read with a lean model of our own rather than
// github.com/openvex/go-vex's vex.Parse, although go-vex is a dependency
// (report/ writes OpenVEX with it). go-vex v0.2.7 types every timestamp as
// time.Time, so a document whose timestamp is a plain date ("2023-01-08")
// or has no zone is rejected as a whole; it types "version" as int, so
// "version": "1" is rejected; and it reads only the current schema: the
// v0.0.1 documents still published (vulnerability as a string, products
// as a list of strings, statement-level subcomponents) need its separate
// legacy parsers. Here timestamps stay strings as written, both shapes of
// vulnerability and product are accepted, and a status outside the four
// of the specification is an error naming the statement.

// openvexDoc is an OpenVEX document (v0.0.1 and v0.2.0).
type openvexDoc struct {
	Context     json.RawMessage `json:"@context"`
	ID          string          `json:"@id"`
	Author      string          `json:"author"`
	Timestamp   string          `json:"timestamp"`
	LastUpdated string          `json:"last_updated"`
	Version     json.RawMessage `json:"version"`
	Statements  []openvexStmt   `json:"statements"`
}

type openvexStmt struct {
	Vulnerability   json.RawMessage `json:"vulnerability"`
	Products        []openvexProd   `json:"products"`
	Subcomponents   []openvexProd   `json:"subcomponents"` // v0.0.1
	Status          string          `json:"status"`
	StatusNotes     string          `json:"status_notes"`
	Justification   string          `json:"justification"`
	ImpactStatement string          `json:"impact_statement"`
	ActionStatement string          `json:"action_statement"`
	Timestamp       string          `json:"timestamp"`
}

type openvexVuln struct {
	ID          string   `json:"@id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Aliases     []string `json:"aliases"`
}

// openvexProd is a product or subcomponent: an object, or (v0.0.1) the
// identifier alone.
type openvexProd struct {
	ID            string            `json:"@id"`
	Identifiers   map[string]string `json:"identifiers"`
	Hashes        map[string]string `json:"hashes"`
	Subcomponents []openvexProd     `json:"subcomponents"`
}

func (p *openvexProd) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &p.ID)
	}
	type plain openvexProd
	return json.Unmarshal(data, (*plain)(p))
}

// looksLikeOpenVEX reports whether data is meant to be an OpenVEX
// document: a JSON object whose @context names openvex.
func looksLikeOpenVEX(data []byte) bool {
	if !bytes.Contains(data, []byte(`"@context"`)) || !bytes.Contains(data, []byte("openvex")) {
		return false
	}
	var head struct {
		Context json.RawMessage `json:"@context"`
	}
	if json.Unmarshal(data, &head) != nil {
		// Broken JSON: an OpenVEX document if its opening says so.
		i := bytes.Index(data, []byte(`"@context"`))
		j := bytes.Index(data, []byte("openvex"))
		return i >= 0 && j > i && j-i < 200 && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
	}
	return bytes.Contains(bytes.ToLower(head.Context), []byte("openvex"))
}

// openvexStatus maps OpenVEX statuses to the Product* constants.
var openvexStatus = map[string]string{
	"not_affected":        ProductNotAffected,
	"affected":            ProductAffected,
	"fixed":               ProductFixed,
	"under_investigation": ProductUnderInvestigation,
}

// decodeOpenVEX reads an OpenVEX document: one Advisory per statement,
// whose ID is the vulnerability name and whose Products hold the
// statement's status for each of its products.
func decodeOpenVEX(data []byte, source string) (*Feed, error) {
	var doc openvexDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("openvex: %w", err)
	}
	version := strings.Trim(string(doc.Version), `"`)
	meta := &Document{ID: doc.ID, Publisher: doc.Author, Version: version, Released: doc.Timestamp, Updated: doc.LastUpdated}
	if meta.Updated == "" {
		meta.Updated = doc.Timestamp
	}
	feed := &Feed{}
	for i, st := range doc.Statements {
		v, err := openvexVulnerability(st.Vulnerability)
		if err != nil {
			return nil, fmt.Errorf("openvex: statement %d: %w", i, err)
		}
		id := v.Name
		if id == "" {
			id = v.ID
		}
		if id == "" {
			return nil, fmt.Errorf("openvex: statement %d: vulnerability has no name", i)
		}
		status, ok := openvexStatus[st.Status]
		if !ok {
			return nil, fmt.Errorf("openvex: statement %d (%s): unknown status %q", i, id, st.Status)
		}
		// Advisory.Modified stays empty on purpose: the index keeps one
		// record per ID by Modified, and a VEX statement named after a CVE
		// must never displace the CVE's own record (the VEX index keeps
		// every statement, see index_vex.go).
		a := &Advisory{
			ID: id, Summary: v.Description, Published: st.Timestamp,
			Source: source, Format: FormatOpenVEX, Document: meta,
		}
		if a.Published == "" {
			a.Published = doc.Timestamp
		}
		for _, al := range v.Aliases {
			if al != "" && al != id && !vexContains(a.Aliases, al) {
				a.Aliases = append(a.Aliases, al)
			}
		}
		if v.ID != "" && v.ID != id && !vexContains(a.Aliases, v.ID) && !strings.Contains(v.ID, "://") {
			a.Aliases = append(a.Aliases, v.ID)
		}
		impact := st.ImpactStatement
		if impact == "" && st.Status == "not_affected" {
			impact = st.StatusNotes
		}
		legacySubs := openvexProducts(st.Subcomponents)
		for _, p := range st.Products {
			prod := openvexProduct(p)
			if len(prod.Subcomponents) == 0 {
				prod.Subcomponents = legacySubs
			}
			a.Products = append(a.Products, ProductStatus{
				Product: prod, Status: status, List: st.Status,
				Justification: st.Justification, Impact: impact, Action: st.ActionStatement,
			})
		}
		feed.Advisories = append(feed.Advisories, a)
	}
	return feed, nil
}

// openvexVulnerability reads a statement's vulnerability: an object
// (v0.2.0) or a bare name (v0.0.1).
func openvexVulnerability(raw json.RawMessage) (openvexVuln, error) {
	var v openvexVuln
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return v, fmt.Errorf("no vulnerability")
	}
	if raw[0] == '"' {
		err := json.Unmarshal(raw, &v.Name)
		return v, err
	}
	err := json.Unmarshal(raw, &v)
	return v, err
}

func openvexProducts(ps []openvexProd) []*Product {
	var out []*Product
	for _, p := range ps {
		out = append(out, openvexProduct(p))
	}
	return out
}

// openvexProduct turns an OpenVEX component into a Product: @id, the
// purl/cpe22/cpe23 identifiers (an @id that is itself a purl or CPE
// counts too) and the hashes as "algorithm:value".
func openvexProduct(p openvexProd) *Product {
	prod := &Product{ID: p.ID, Name: p.ID}
	addID := func(s string) {
		switch {
		case strings.HasPrefix(s, "pkg:"):
			if !vexContains(prod.PURLs, s) {
				prod.PURLs = append(prod.PURLs, s)
			}
		case strings.HasPrefix(s, "cpe:"):
			if !vexContains(prod.CPEs, s) {
				prod.CPEs = append(prod.CPEs, s)
			}
		case strings.HasPrefix(s, "urn:cdx:"), strings.Contains(s, "://"):
			if !vexContains(prod.GenericURIs, s) {
				prod.GenericURIs = append(prod.GenericURIs, s)
			}
		}
	}
	addID(p.ID)
	keys := make([]string, 0, len(p.Identifiers))
	for k := range p.Identifiers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		addID(p.Identifiers[k])
	}
	for alg, h := range p.Hashes {
		if h != "" {
			prod.Hashes = append(prod.Hashes, vexHashAlg(alg)+":"+strings.ToLower(h))
		}
	}
	sort.Strings(prod.Hashes)
	prod.Subcomponents = openvexProducts(p.Subcomponents)
	return prod
}

// vexHashAlg returns a hash algorithm name in the form used in
// Product.Hashes by the VEX readers: lower case without dashes or
// underscores ("SHA-256", "sha_256" and "sha256" all give "sha256").
func vexHashAlg(alg string) string {
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(alg))
}

func vexContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
