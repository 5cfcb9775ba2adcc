package csafsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/bomrank/bomrank/internal/fetch"
)

// Limits on what is read from a provider. Each is far above what real
// providers publish (CISA's provider-metadata.json is 2 KB, its OT
// changes.csv 150 KB for 2,379 documents, its largest document under 1
// MB; Red Hat's changes.csv 3 MB) and keeps a hostile server from
// exhausting memory or disk.
const (
	// MaxMetadataBytes caps provider-metadata.json.
	MaxMetadataBytes = 1 << 20
	// MaxSecurityTxtBytes caps security.txt.
	MaxSecurityTxtBytes = 64 << 10
	// MaxListingBytes caps a ROLIE feed, changes.csv or index.txt
	// (fetch.DefaultMaxBytes, the cap of any fetch.Get).
	MaxListingBytes = fetch.DefaultMaxBytes
	// MaxLineBytes caps one line of changes.csv, index.txt or
	// security.txt.
	MaxLineBytes = 4 << 10
	// MaxEntries caps the documents one listing may name.
	MaxEntries = 1 << 20
	// MaxDocumentBytes caps one CSAF document: the cap of one record
	// read from an archive by the advisory package
	// (advisory.DefaultMaxMemberBytes); a document is read whole to find
	// its TLP label.
	MaxDocumentBytes = 64 << 20
	// MaxHashBytes caps a .sha256 or .sha512 file: a hex digest and a
	// file name (the advisory package reads them with the same cap).
	MaxHashBytes = 4 << 10
)

// Roles of a CSAF party (provider-metadata.json "role").
const (
	RolePublisher       = "csaf_publisher"
	RoleProvider        = "csaf_provider"
	RoleTrustedProvider = "csaf_trusted_provider"
)

// metadata is the part of provider-metadata.json (CSAF 2.0 section 7.1.7)
// a sync uses. Small structs rather than gocsaf/csaf/v3's
// csaf.ProviderMetadata and csaf.ROLIEFeed: adding gocsaf v3.7.0 to
// go.mod upgrades nine modules every other package builds with
// (golang.org/x/crypto v0.47.0 to v0.58.0, x/text, x/term, x/sys,
// circl...) and adds five (gval, jsonpath, decimal, x/time, bbolt), for
// about twenty fields; and its validation rejects metadata that this
// reader only needs to read (it is the provider's checker's job).
type metadata struct {
	CanonicalURL      string         `json:"canonical_url"`
	Distributions     []distribution `json:"distributions"`
	MetadataVersion   string         `json:"metadata_version"`
	PublicOpenPGPKeys []keyRef       `json:"public_openpgp_keys"`
	Publisher         struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"publisher"`
	Role string `json:"role"`
}

type distribution struct {
	DirectoryURL string `json:"directory_url"`
	Rolie        *struct {
		Feeds []struct {
			TLPLabel string `json:"tlp_label"`
			URL      string `json:"url"`
		} `json:"feeds"`
	} `json:"rolie"`
}

type keyRef struct {
	Fingerprint string `json:"fingerprint"`
	URL         string `json:"url"`
}

// parseMetadata decodes and checks provider-metadata.json read from
// where; relative URLs in it are resolved against where.
func parseMetadata(data []byte, where string) (*metadata, error) {
	var m metadata
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: not a provider-metadata.json: %v", where, err)
	}
	switch m.Role {
	case RolePublisher, RoleProvider, RoleTrustedProvider:
	case "":
		return nil, fmt.Errorf("%s: not a provider-metadata.json: no role", where)
	default:
		return nil, fmt.Errorf("%s: unknown role %.40q", where, m.Role)
	}
	if !strings.HasPrefix(m.MetadataVersion, "2.") {
		return nil, fmt.Errorf("%s: metadata_version %.20q is not 2.x", where, m.MetadataVersion)
	}
	return &m, nil
}

// getMetadata fetches and parses the provider-metadata.json at u.
func getMetadata(ctx context.Context, c *fetch.Client, u string) (*metadata, string, error) {
	resp, err := c.Get(ctx, fetch.Request{URL: u, MaxBytes: MaxMetadataBytes})
	if err != nil {
		return nil, "", fmt.Errorf("provider metadata: %w", err)
	}
	m, err := parseMetadata(resp.Body, resp.URL)
	return m, resp.URL, err
}

// discover finds the provider metadata of domain as CSAF 2.0 section
// 7.3.1 says: the well-known URL, then each CSAF field of security.txt,
// then the DNS name csaf.data.security.<domain>. The first that serves
// valid metadata wins; the error names every URL tried.
func discover(ctx context.Context, c *fetch.Client, domain string) (*metadata, string, error) {
	if err := checkDomain(domain); err != nil {
		return nil, "", err
	}
	var errs []error
	try := func(u string) (*metadata, string, bool) {
		m, at, err := getMetadata(ctx, c, u)
		if err != nil {
			errs = append(errs, err)
			return nil, "", false
		}
		return m, at, true
	}
	if m, at, ok := try("https://" + domain + "/.well-known/csaf/provider-metadata.json"); ok {
		return m, at, nil
	}
	txt := "https://" + domain + "/.well-known/security.txt"
	resp, err := c.Get(ctx, fetch.Request{URL: txt, MaxBytes: MaxSecurityTxtBytes})
	if err != nil {
		errs = append(errs, fmt.Errorf("security.txt: %w", err))
	} else {
		fields := SecurityTxtCSAF(resp.Body)
		if len(fields) == 0 {
			errs = append(errs, fmt.Errorf("%s: no CSAF field", resp.URL))
		}
		for _, u := range fields {
			if m, at, ok := try(u); ok {
				return m, at, nil
			}
		}
	}
	if m, at, ok := try("https://csaf.data.security." + domain); ok {
		return m, at, nil
	}
	return nil, "", fmt.Errorf("no CSAF provider metadata found for %s: %w", domain, errors.Join(errs...))
}

// checkDomain accepts a bare DNS name (no scheme, port, path or user).
func checkDomain(d string) error {
	if d == "" || len(d) > 253 || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
		return fmt.Errorf("%.80q is not a domain name", d)
	}
	for _, r := range d {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("%.80q is not a domain name", d)
		}
	}
	return nil
}

// SecurityTxtCSAF returns the values of the CSAF fields of a
// security.txt file (RFC 9116; CSAF 2.0 requirement 8): the https URLs
// of provider-metadata.json files, in order. An OpenPGP cleartext
// signature around the fields is passed over (its dash-escaped lines
// unescaped); it is not checked, as the metadata found is checked on its
// own. Lines longer than MaxLineBytes and values that are not https
// URLs are ignored.
func SecurityTxtCSAF(data []byte) []string {
	var out []string
	for line := range strings.Lines(string(data)) {
		if len(line) > MaxLineBytes {
			continue
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "- "))
		if strings.HasPrefix(line, "-----BEGIN PGP SIGNATURE") {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "CSAF") {
			continue
		}
		value = strings.TrimSpace(value)
		u, err := url.Parse(value)
		if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(value, " \t") {
			continue
		}
		out = append(out, value)
	}
	return out
}
