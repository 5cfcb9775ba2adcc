package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// looksLikeKEV reports whether data is meant to be a CISA Known Exploited
// Vulnerabilities catalog: a JSON object whose first part names
// "catalogVersion" or lists "cveID"s (NVD records use "cve" and "id"
// instead, OSV "id").
func looksLikeKEV(data []byte) bool {
	head := bytes.TrimLeft(data[:min(len(data), 64<<10)], " \t\r\n\xef\xbb\xbf")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	return bytes.Contains(head, []byte(`"catalogVersion"`)) || bytes.Contains(head, []byte(`"cveID"`))
}

// kevDoc is the catalog as CISA publishes it
// (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json,
// schema known_exploited_vulnerabilities_schema.json). The catalog is one
// small file (about 1.5 MB), so encoding/json reads it.
type kevDoc struct {
	Title           string     `json:"title"`
	CatalogVersion  string     `json:"catalogVersion"`
	DateReleased    string     `json:"dateReleased"`
	Count           *int       `json:"count"`
	Vulnerabilities []kevEntry `json:"vulnerabilities"`
}

type kevEntry struct {
	CveID                      string `json:"cveID"`
	VendorProject              string `json:"vendorProject"`
	Product                    string `json:"product"`
	VulnerabilityName          string `json:"vulnerabilityName"`
	DateAdded                  string `json:"dateAdded"`
	ShortDescription           string `json:"shortDescription"`
	RequiredAction             string `json:"requiredAction"`
	DueDate                    string `json:"dueDate"`
	KnownRansomwareCampaignUse string `json:"knownRansomwareCampaignUse"`
	Notes                      string `json:"notes"`
}

// decodeKEV reads a KEV catalog. Every entry needs a CVE id; a catalog
// without "vulnerabilities" is an error (it is not a catalog, or a broken
// one), an empty list is not.
func decodeKEV(data []byte, source string) (*Feed, error) {
	var doc kevDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("KEV catalog: invalid JSON at byte %d: %v", se.Offset, err)
		}
		return nil, fmt.Errorf("KEV catalog: %v", err)
	}
	if doc.Vulnerabilities == nil {
		return nil, errors.New(`KEV catalog: no "vulnerabilities" list`)
	}
	f := &Feed{KEV: make([]KEV, 0, len(doc.Vulnerabilities))}
	for i, e := range doc.Vulnerabilities {
		id := strings.TrimSpace(e.CveID)
		if !strings.HasPrefix(strings.ToUpper(id), "CVE-") {
			return nil, fmt.Errorf("KEV catalog: vulnerabilities[%d]: cveID %q is not a CVE id", i, e.CveID)
		}
		f.KEV = append(f.KEV, KEV{
			CVE:           strings.ToUpper(id),
			VendorProject: e.VendorProject, Product: e.Product, Name: e.VulnerabilityName,
			DateAdded: strings.TrimSpace(e.DateAdded), DueDate: strings.TrimSpace(e.DueDate),
			RequiredAction: e.RequiredAction,
			Ransomware:     strings.EqualFold(strings.TrimSpace(e.KnownRansomwareCampaignUse), "Known"),
			Source:         source,
			Catalog:        doc.CatalogVersion,
			Released:       doc.DateReleased,
		})
	}
	return f, nil
}
