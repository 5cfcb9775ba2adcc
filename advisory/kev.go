package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// kevEntry is one entry of the catalog as CISA publishes it
// (https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json,
// schema known_exploited_vulnerabilities_schema.json): an object of
// "vulnerabilities", beside "catalogVersion", "dateReleased" and "count".
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

// decodeKEV reads a KEV catalog. Every entry needs a CVE id, listed once;
// a catalog without "vulnerabilities" is an error (it is not a catalog,
// or a broken one), an empty list is not.
//
// The catalog is one small file (about 1.5 MB), but a hostile one is not:
// the entries are decoded one at a time (encoding/json's Decoder) and
// checked as they come, so that memory grows with the entries kept, and
// a list of empty or repeated entries (which gzip compresses a
// thousandfold) stops at the first bad one instead of being held whole.
// Top-level keys are matched without regard to case, as json.Unmarshal
// matched them.
func decodeKEV(data []byte, source string) (*Feed, error) {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	if err := kevDelim(dec, '{'); err != nil {
		return nil, err
	}
	var catalog, released string
	var count *int
	var f *Feed
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, kevError(err)
		}
		key, _ := tok.(string)
		switch strings.ToLower(key) {
		case "catalogversion":
			err = dec.Decode(&catalog)
		case "datereleased":
			err = dec.Decode(&released)
		case "count":
			err = dec.Decode(&count)
		case "vulnerabilities":
			if f != nil {
				return nil, errors.New(`KEV catalog: "vulnerabilities" listed twice`)
			}
			f, err = decodeKEVList(dec, source)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, kevError(err)
		}
	}
	if err := kevDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("KEV catalog: invalid JSON at byte %d: data after the catalog", dec.InputOffset())
	}
	if f == nil || f.KEV == nil {
		return nil, errors.New(`KEV catalog: no "vulnerabilities" list`)
	}
	for i := range f.KEV {
		f.KEV[i].Catalog, f.KEV[i].Released = catalog, released
	}
	return f, nil
}

// decodeKEVList reads the "vulnerabilities" list, entry by entry: null
// (f.KEV nil) or an array.
func decodeKEVList(dec *json.Decoder, source string) (*Feed, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	f := &Feed{}
	if tok == nil {
		return f, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf(`"vulnerabilities" is %v, not a list`, tok)
	}
	f.KEV = []KEV{}
	seen := map[string]int{}
	for i := 0; dec.More(); i++ {
		var e kevEntry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("vulnerabilities[%d]: %w", i, err)
		}
		id := strings.ToUpper(strings.TrimSpace(e.CveID))
		if !strings.HasPrefix(id, "CVE-") {
			return nil, fmt.Errorf("vulnerabilities[%d]: cveID %q is not a CVE id", i, e.CveID)
		}
		if prev, ok := seen[id]; ok {
			return nil, fmt.Errorf("vulnerabilities[%d]: %s listed again (first at vulnerabilities[%d])", i, id, prev)
		}
		seen[id] = i
		f.KEV = append(f.KEV, KEV{
			CVE:           id,
			VendorProject: e.VendorProject, Product: e.Product, Name: e.VulnerabilityName,
			DateAdded: strings.TrimSpace(e.DateAdded), DueDate: strings.TrimSpace(e.DueDate),
			RequiredAction: e.RequiredAction,
			Ransomware:     strings.EqualFold(strings.TrimSpace(e.KnownRansomwareCampaignUse), "Known"),
			Source:         source,
		})
	}
	_, err = dec.Token() // ']'
	return f, err
}

// kevDelim reads the delimiter want.
func kevDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return kevError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("KEV catalog: invalid JSON at byte %d: %v where %v was expected", dec.InputOffset(), tok, want)
	}
	return nil
}

// kevError is the error of a catalog that does not decode.
func kevError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("KEV catalog: invalid JSON at byte %d: %v", se.Offset, err)
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return errors.New("KEV catalog: invalid JSON: unexpected end of the document")
	}
	return fmt.Errorf("KEV catalog: %v", err)
}
