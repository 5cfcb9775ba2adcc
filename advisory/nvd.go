package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// This file reads NVD CVE JSON 2.0: the responses of the NVD CVE API 2.0
// and the feed files NVD publishes in the same shape (nvdcve-2.0-2024.json,
// nvdcve-2.0-modified.json, gzip-compressed or not: Load decompresses),
//
//	{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": {...}}, ...]}
//
// One Advisory is made per CVE, with ID the CVE id and Format FormatNVD:
// the English description is the Summary; the CVSS v2, v3.0, v3.1 and v4.0
// metrics (primary and secondary) are Severity vectors (types CVSS_V2,
// CVSS_V3, CVSS_V4), primary ones first; the CWE ids of the weaknesses are
// CWEs ("NVD-CWE-Other" and "NVD-CWE-noinfo" are not weaknesses and are
// dropped); the references keep their URLs, with a Type from their NVD
// tags; published and lastModified are Published and Modified as written
// (NVD writes them without a time zone: they are UTC); a vulnStatus of
// "Rejected" makes the record withdrawn (Withdrawn is its lastModified);
// and the configurations become Configurations. The records carry no
// aliases: the OSV and CSAF records that name the CVE join it through
// theirs.
//
// Like the CSAF reader, this one is lenient: a member of an unexpected
// JSON type is passed over and the rest read. A document that is not JSON
// is an error, and so is a legacy NVD JSON 1.1 feed (CVE_Items), which NVD
// retired in 2023.

// looksLikeNVD reports whether data is meant to be an NVD document: a JSON
// object naming the format "NVD_CVE" (API 2.0 and 2.0 feeds), or a legacy
// 1.1 feed (CVE_data_type), so that it is reported rather than passed
// over.
func looksLikeNVD(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	return bytes.Contains(data, []byte(`"NVD_CVE"`)) || bytes.Contains(data, []byte(`"CVE_data_type"`))
}

type nvdDoc struct {
	Format          string `json:"format"`
	Version         string `json:"version"`
	Vulnerabilities []struct {
		CVE *nvdCVE `json:"cve"`
	} `json:"vulnerabilities"`
	// The 1.1 feeds.
	CVEDataType string            `json:"CVE_data_type"`
	CVEItems    []json.RawMessage `json:"CVE_Items"`
}

type nvdCVE struct {
	ID           string `json:"id"`
	Published    string `json:"published"`
	LastModified string `json:"lastModified"`
	VulnStatus   string `json:"vulnStatus"`
	Descriptions []struct {
		Lang  string `json:"lang"`
		Value string `json:"value"`
	} `json:"descriptions"`
	Metrics struct {
		V40 []nvdMetric `json:"cvssMetricV40"`
		V31 []nvdMetric `json:"cvssMetricV31"`
		V30 []nvdMetric `json:"cvssMetricV30"`
		V2  []nvdMetric `json:"cvssMetricV2"`
	} `json:"metrics"`
	Weaknesses []struct {
		Description []struct {
			Lang  string `json:"lang"`
			Value string `json:"value"`
		} `json:"description"`
	} `json:"weaknesses"`
	Configurations []struct {
		Operator string `json:"operator"`
		Negate   bool   `json:"negate"`
		Nodes    []struct {
			Operator string `json:"operator"`
			Negate   bool   `json:"negate"`
			CPEMatch []struct {
				Vulnerable            bool   `json:"vulnerable"`
				Criteria              string `json:"criteria"`
				VersionStartIncluding string `json:"versionStartIncluding"`
				VersionStartExcluding string `json:"versionStartExcluding"`
				VersionEndIncluding   string `json:"versionEndIncluding"`
				VersionEndExcluding   string `json:"versionEndExcluding"`
			} `json:"cpeMatch"`
		} `json:"nodes"`
	} `json:"configurations"`
	References []struct {
		URL  string   `json:"url"`
		Tags []string `json:"tags"`
	} `json:"references"`
}

type nvdMetric struct {
	Type     string `json:"type"` // "Primary" or "Secondary"
	CVSSData struct {
		VectorString string `json:"vectorString"`
		BaseSeverity string `json:"baseSeverity"` // CVSS 3 and 4
	} `json:"cvssData"`
	// BaseSeverity is CVSS 2's. Either is kept (as a Severity of type
	// NVD) only for a metric without a vector.
	BaseSeverity string `json:"baseSeverity"`
}

// decodeNVD reads an NVD CVE JSON 2.0 document.
func decodeNVD(data []byte, source string) (*Feed, error) {
	var doc nvdDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("NVD: %w", err)
		}
		// A member of an unexpected type: the rest is read.
	}
	if doc.Format != "NVD_CVE" {
		if doc.CVEDataType != "" || doc.CVEItems != nil {
			return nil, errors.New("NVD: a JSON 1.1 feed (CVE_Items), which NVD retired in 2023, is not read: use the CVE API 2.0 or the 2.0 feed files")
		}
		return nil, notAdvisory(`JSON that names "NVD_CVE" but is not an NVD CVE document (no top-level format "NVD_CVE")`)
	}
	if doc.Version != "" && !strings.HasPrefix(doc.Version, "2.") {
		return nil, fmt.Errorf("NVD: format version %q, want 2.x", doc.Version)
	}
	feed := &Feed{Advisories: make([]*Advisory, 0, len(doc.Vulnerabilities))}
	for i, v := range doc.Vulnerabilities {
		c := v.CVE
		if c == nil || c.ID == "" {
			return nil, fmt.Errorf("NVD: vulnerabilities[%d] has no cve.id", i)
		}
		feed.Advisories = append(feed.Advisories, nvdAdvisory(c, source))
	}
	return feed, nil
}

// nvdAdvisory converts one CVE.
func nvdAdvisory(c *nvdCVE, source string) *Advisory {
	a := &Advisory{
		ID:        c.ID,
		Source:    source,
		Format:    FormatNVD,
		Published: c.Published,
		Modified:  c.LastModified,
	}
	if strings.EqualFold(c.VulnStatus, "Rejected") {
		a.Withdrawn = cmpOr(c.LastModified, "rejected")
	}
	for _, d := range c.Descriptions {
		if strings.EqualFold(d.Lang, "en") && a.Summary == "" {
			a.Summary = strings.TrimSpace(d.Value)
		}
	}
	if a.Summary == "" && len(c.Descriptions) > 0 {
		a.Summary = strings.TrimSpace(c.Descriptions[0].Value)
	}
	for _, primary := range []bool{true, false} {
		for _, m := range []struct {
			typ  string
			list []nvdMetric
		}{{"CVSS_V4", c.Metrics.V40}, {"CVSS_V3", c.Metrics.V31}, {"CVSS_V3", c.Metrics.V30}, {"CVSS_V2", c.Metrics.V2}} {
			for _, x := range m.list {
				if strings.EqualFold(x.Type, "Primary") != primary {
					continue
				}
				s := Severity{Type: m.typ, Score: strings.TrimSpace(x.CVSSData.VectorString)}
				if s.Score == "" {
					s = Severity{Type: "NVD", Score: strings.TrimSpace(cmpOr(x.CVSSData.BaseSeverity, x.BaseSeverity))}
				}
				if s.Score != "" && !slices.Contains(a.Severity, s) {
					a.Severity = append(a.Severity, s)
				}
			}
		}
	}
	for _, w := range c.Weaknesses {
		for _, d := range w.Description {
			if v := strings.TrimSpace(d.Value); strings.HasPrefix(v, "CWE-") && !slices.Contains(a.CWEs, v) {
				a.CWEs = append(a.CWEs, v)
			}
		}
	}
	for _, r := range c.References {
		if r.URL != "" {
			a.References = append(a.References, Reference{Type: nvdRefType(r.Tags), URL: r.URL})
		}
	}
	for _, cf := range c.Configurations {
		conf := Configuration{Operator: strings.ToUpper(cf.Operator), Negate: cf.Negate}
		for _, n := range cf.Nodes {
			node := Node{Operator: strings.ToUpper(n.Operator), Negate: n.Negate}
			for _, m := range n.CPEMatch {
				node.Matches = append(node.Matches, CPEMatch{
					Vulnerable:            m.Vulnerable,
					Criteria:              strings.TrimSpace(m.Criteria),
					VersionStartIncluding: strings.TrimSpace(m.VersionStartIncluding),
					VersionStartExcluding: strings.TrimSpace(m.VersionStartExcluding),
					VersionEndIncluding:   strings.TrimSpace(m.VersionEndIncluding),
					VersionEndExcluding:   strings.TrimSpace(m.VersionEndExcluding),
				})
			}
			conf.Nodes = append(conf.Nodes, node)
		}
		a.Configurations = append(a.Configurations, conf)
	}
	return a
}

// nvdRefType gives a reference the OSV-style type of its most telling NVD
// tag.
func nvdRefType(tags []string) string {
	best := "WEB"
	rank := map[string]int{"FIX": 4, "ADVISORY": 3, "EVIDENCE": 2, "REPORT": 1, "DISCUSSION": 1, "WEB": 0}
	for _, t := range tags {
		var typ string
		switch t {
		case "Patch":
			typ = "FIX"
		case "Vendor Advisory", "Third Party Advisory", "US Government Resource", "Mitigation":
			typ = "ADVISORY"
		case "Exploit":
			typ = "EVIDENCE"
		case "Issue Tracking":
			typ = "REPORT"
		case "Mailing List":
			typ = "DISCUSSION"
		default:
			continue
		}
		if rank[typ] > rank[best] {
			best = typ
		}
	}
	return best
}
