package advisory

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// sharedOSV returns ../shared/osv/elem..., skipping t when the shared data
// is absent.
func sharedOSV(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{sharedtest.Dir(t), "osv"}, elem...)...)
}

func byID(t *testing.T, advs []*Advisory, id string) *Advisory {
	t.Helper()
	var found *Advisory
	for _, a := range advs {
		if a.ID == id {
			if found != nil {
				t.Fatalf("%s loaded twice", id)
			}
			found = a
		}
	}
	if found == nil {
		t.Fatalf("%s not loaded", id)
	}
	return found
}

func TestLoadSlice(t *testing.T) {
	dir := sharedOSV(t, "slice")
	res := Load(context.Background(), dir)
	if len(res.Errors) > 0 || len(res.Ignored) > 0 {
		t.Fatalf("errors %v, ignored %v", res.Errors, res.Ignored)
	}
	if len(res.Advisories) != 303 {
		t.Fatalf("%d advisories, want 303", len(res.Advisories))
	}
	for i := 1; i < len(res.Advisories); i++ {
		if res.Advisories[i-1].ID >= res.Advisories[i].ID {
			t.Fatalf("not sorted by ID: %s before %s", res.Advisories[i-1].ID, res.Advisories[i].ID)
		}
	}

	gin := byID(t, res.Advisories, "GO-2020-0001")
	want := &Advisory{
		ID:            "GO-2020-0001",
		Aliases:       []string{"CVE-2020-36567", "GHSA-6vm3-jj99-7229"},
		Summary:       "Arbitrary log line injection in github.com/gin-gonic/gin",
		Published:     "2021-04-14T20:04:52Z",
		Modified:      "0001-01-01T00:00:00Z",
		SchemaVersion: "1.3.1",
		Source:        filepath.Join(dir, "go", "GO-2020-0001.json"),
		Format:        FormatOSV,
		Affected: []Affected{{
			Ecosystem: "Go",
			Name:      "github.com/gin-gonic/gin",
			Ranges:    []Range{{Type: RangeSemVer, Events: []Event{{Introduced: "0"}, {Fixed: "1.6.0"}}}},
		}},
		References: []Reference{
			{Type: "FIX", URL: "https://github.com/gin-gonic/gin/pull/2237"},
			{Type: "FIX", URL: "https://github.com/gin-gonic/gin/commit/a71af9c144f9579f6dbe945341c1df37aaf09c0d"},
		},
	}
	if !reflect.DeepEqual(gin, want) {
		t.Errorf("GO-2020-0001:\n got %+v\nwant %+v", gin, want)
	}

	tokio := byID(t, res.Advisories, "RUSTSEC-2023-0001")
	wantAff := []Affected{{
		Ecosystem: "crates.io",
		Name:      "tokio",
		PURL:      "pkg:cargo/tokio",
		Ranges: []Range{{Type: RangeSemVer, Events: []Event{
			{Introduced: "1.7.0"}, {Fixed: "1.18.4"},
			{Introduced: "1.19.0"}, {Fixed: "1.20.3"},
			{Introduced: "1.21.0"}, {Fixed: "1.23.1"},
		}}},
	}}
	if !reflect.DeepEqual(tokio.Affected, wantAff) {
		t.Errorf("RUSTSEC-2023-0001 affected:\n got %+v\nwant %+v", tokio.Affected, wantAff)
	}
	if tokio.Informational != "" || tokio.Severity != nil || tokio.Related != nil || len(tokio.References) != 5 {
		t.Errorf("RUSTSEC-2023-0001: informational %q, severity %v, related %v, %d references", tokio.Informational, tokio.Severity, tokio.Related, len(tokio.References))
	}

	withdrawn := map[string]string{}
	unsound := 0
	for _, a := range res.Advisories {
		if a.Withdrawn != "" {
			withdrawn[a.ID] = a.Withdrawn
		}
		if a.Informational == "unsound" {
			unsound++
		}
	}
	if want := map[string]string{"GO-2026-4923": "2026-04-08T13:33:56Z", "GO-2025-3408": "2025-02-05T23:01:18Z"}; !reflect.DeepEqual(withdrawn, want) {
		t.Errorf("withdrawn %v, want %v", withdrawn, want)
	}
	if unsound != 5 {
		t.Errorf("%d unsound records, want 5", unsound)
	}
	if got := byID(t, res.Advisories, "RUSTSEC-2022-0022").Informational; got != "unsound" {
		t.Errorf("RUSTSEC-2022-0022 informational %q", got)
	}
}

func TestLoadYAML(t *testing.T) {
	dir := sharedOSV(t, "format-examples", "oss-fuzz-yaml")
	res := Load(context.Background(), dir)
	if len(res.Errors) > 0 || len(res.Ignored) > 0 {
		t.Fatalf("errors %v, ignored %v", res.Errors, res.Ignored)
	}
	if len(res.Advisories) != 84 {
		t.Fatalf("%d advisories, want 84", len(res.Advisories))
	}
	for _, a := range res.Advisories {
		if len(a.Affected) == 0 {
			t.Errorf("%s: no affected package", a.ID)
			continue
		}
		for _, af := range a.Affected {
			if af.Ecosystem != "OSS-Fuzz" || af.Name == "" || len(af.Ranges) == 0 {
				t.Errorf("%s: affected %+v", a.ID, af)
			}
			for _, rg := range af.Ranges {
				if rg.Type != RangeGit || rg.Repo == "" || len(rg.Events) == 0 {
					t.Errorf("%s: range %+v", a.ID, rg)
				}
			}
		}
	}
	a := byID(t, res.Advisories, "OSV-2022-1223")
	want := []Affected{{
		Ecosystem: "OSS-Fuzz", Name: "mbedtls", PURL: "pkg:generic/mbedtls",
		Ranges: []Range{{Type: RangeGit, Repo: "https://github.com/Mbed-TLS/mbedtls.git", Events: []Event{
			{Introduced: "ae79fb2c2ef1fc9f61dab91fa029d7916abff78b"},
			{Fixed: "fd6cca44489255bcba6849663ede0dd212b6f8cb"},
		}}},
	}}
	if !reflect.DeepEqual(a.Affected, want) {
		t.Errorf("OSV-2022-1223 affected:\n got %+v\nwant %+v", a.Affected, want)
	}
	if a.Modified != "2022-11-28T13:02:09.500685Z" || a.SchemaVersion != "1.3.0" || a.Summary != "Heap-use-after-free in mbedtls_pkcs7_free" {
		t.Errorf("OSV-2022-1223: %+v", a)
	}
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// TestDetect covers detection by content and the rules of the decoder.
func TestDetect(t *testing.T) {
	const rec = `{"id":"GO-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"m"}}]}`
	tests := []struct {
		name    string
		doc     string
		ids     []string
		wantErr string // substring; "" for success
		notAdv  bool   // the error is ErrNotAdvisory
	}{
		{name: "record", doc: rec, ids: []string{"GO-1"}},
		{name: "BOM and space", doc: "\xef\xbb\xbf \n" + rec + "\n", ids: []string{"GO-1"}},
		{name: "only schema_version", doc: `{"schema_version":"1.6.0","id":"X-1"}`, ids: []string{"X-1"}},
		{name: "array", doc: "[" + rec + `,{"id":"GO-2","modified":"x"}]`, ids: []string{"GO-1", "GO-2"}},
		{name: "empty array", doc: `[]`},
		{name: "api response", doc: `{"vulns":[` + rec + `],"next_page_token":"x"}`, ids: []string{"GO-1"}},
		{name: "gzip", doc: string(gz(t, rec)), ids: []string{"GO-1"}},
		{name: "yaml", doc: "id: OSV-1\nmodified: '2022'\naffected:\n- package: {name: a, ecosystem: OSS-Fuzz}\n  versions: [1.10, 2]\n", ids: []string{"OSV-1"}},
		{name: "cyclonedx", doc: `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}`, wantErr: "not an advisory", notAdv: true},
		{name: "cyclonedx with id", doc: `{"bomFormat":"CycloneDX","id":"x","modified":"y"}`, wantErr: "not an advisory", notAdv: true},
		{name: "spdx", doc: `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT"}`, wantErr: "not an advisory", notAdv: true},
		{name: "csaf", doc: `{"document":{"category":"csaf_vex","tracking":{"id":"X"}},"vulnerabilities":[]}`, wantErr: "not an advisory", notAdv: true},
		{name: "id only", doc: `{"id":"x"}`, wantErr: "not an advisory", notAdv: true},
		{name: "numeric id", doc: `{"id":5,"modified":"x"}`, wantErr: "not an advisory", notAdv: true},
		{name: "array of numbers", doc: `[1,2]`, wantErr: "not an advisory", notAdv: true},
		{name: "string", doc: `"x"`, wantErr: "not an advisory", notAdv: true},
		{name: "empty", doc: " \n", wantErr: "empty", notAdv: true},
		{name: "markdown", doc: "# README\n\nid: not really\n", wantErr: "unrecognised", notAdv: true},
		{name: "binary", doc: "\x00\x01\x02id:", wantErr: "binary", notAdv: true},
		{name: "truncated OSV", doc: rec[:40], wantErr: "JSON ends early (truncated?) near byte 40"},
		{name: "bad OSV", doc: `{"id":"GO-1","modified":"x",}`, wantErr: "invalid JSON near byte 28"},
		{name: "truncated other JSON", doc: `{"name":"x","vers`, wantErr: "not an advisory (OSV, CSAF, NVD, OpenVEX, CycloneDX VEX, KEV or EPSS): JSON ends early", notAdv: true},
		{name: "trailing data", doc: rec + " {}", wantErr: "data after the top-level value"},
		{name: "wrong type", doc: `{"id":"GO-1","modified":"x","affected":{"package":{}}}`, wantErr: `OSV record GO-1: "affected" is not an array (found an object near byte 39)`},
		{name: "wrong type deep", doc: `{"id":"GO-1","modified":"x","affected":[{"ranges":[{"events":[{"fixed":1}]}]}]}`, wantErr: `"fixed" is not a string`},
		{name: "empty id", doc: `{"id":"","modified":"x"}`, wantErr: `empty "id"`},
		{name: "bad element", doc: "[" + rec + `,{"x":1}]`, wantErr: "element 1 of the array is not an OSV record"},
		{name: "bad first element", doc: `[{"x":1},` + rec + `]`, wantErr: "not an advisory", notAdv: true},
		{name: "yaml syntax", doc: "id: OSV-1\nmodified: x\naffected: [\n", wantErr: "OSV YAML"},
		{name: "gzip truncated", doc: string(gz(t, rec)[:20]), wantErr: "gzip: unexpected EOF"},
		{name: "deep", doc: `{"id":"A","modified":"x","x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}", wantErr: "nested more than 10000 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			advs, err := Parse(strings.NewReader(tt.doc), "doc")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if got := errors.Is(err, ErrNotAdvisory); got != tt.notAdv {
					t.Errorf("errors.Is(%v, ErrNotAdvisory) = %v", err, got)
				}
				if !strings.HasPrefix(err.Error(), "doc: ") {
					t.Errorf("error %q does not name the document", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, a := range advs {
				ids = append(ids, a.ID)
				if a.Source != "doc" || a.Format != FormatOSV {
					t.Errorf("%s: source %q format %q", a.ID, a.Source, a.Format)
				}
			}
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Errorf("ids %v, want %v", ids, tt.ids)
			}
		})
	}
}

// TestDecodeRules pins the model rules: events split, nulls, escapes,
// informational, interning, per-package severity.
func TestDecodeRules(t *testing.T) {
	doc := `{
	  "id": "X-1", "modified": "m", "aliases": ["CVE-1", null, "", "GHSA-1"],
	  "summary": "caf\u00e9 \ud83d\ude00 \ud800 \"q\"",
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N"}, {}, null],
	  "database_specific": {"informational": 3},
	  "affected": [
	    null,
	    {"package": {"ecosystem": "Debian:11", "name": "openssl", "purl": "pkg:deb/debian/openssl?arch=source"},
	     "severity": [{"type": "Ubuntu", "score": "medium"}],
	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1.1"}, {}, {"last_affected": ""}, {"limit": "9", "x": 1}]}],
	     "versions": ["1.0", null],
	     "ecosystem_specific": {"urgency": "high", "deep": [[[{}]]]},
	     "database_specific": {"informational": "unmaintained"}},
	    {"package": null, "ranges": [{"type": "GIT", "repo": "https://g", "events": [{"introduced": "abc"}]}]}
	  ],
	  "references": [{"type": "WEB", "url": "https://w"}, {"type": "FIX"}],
	  "details": "long text \n with escapes \\ ignored"
	}`
	advs, err := Parse(strings.NewReader(doc), "d.json")
	if err != nil {
		t.Fatal(err)
	}
	want := &Advisory{
		ID: "X-1", Modified: "m", Aliases: []string{"CVE-1", "GHSA-1"},
		Summary:  "café 😀 \ufffd \"q\"",
		Severity: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N"}},
		Source:   "d.json", Format: FormatOSV,
		Affected: []Affected{
			{
				Ecosystem: "Debian:11", Name: "openssl", PURL: "pkg:deb/debian/openssl?arch=source",
				Severity: []Severity{{Type: "Ubuntu", Score: "medium"}},
				Ranges:   []Range{{Type: RangeEcosystem, Events: []Event{{Introduced: "0"}, {Fixed: "1.1"}, {Limit: "9"}}}},
				Versions: []string{"1.0"},
			},
			{Ranges: []Range{{Type: RangeGit, Repo: "https://g", Events: []Event{{Introduced: "abc"}}}}},
		},
		References:    []Reference{{Type: "WEB", URL: "https://w"}},
		Informational: "unmaintained",
	}
	if len(advs) != 1 || !reflect.DeepEqual(advs[0], want) {
		t.Errorf("got  %+v\nwant %+v", advs[0], want)
	}
	compareWithReference(t, "rules", []byte(doc))
}

func TestParseZipRefused(t *testing.T) {
	_, err := Parse(bytes.NewReader(makeZip(t, []zipEntry{{name: "a.json", body: "{}"}})), "a.zip")
	if err == nil || !strings.Contains(err.Error(), "read it with Load") {
		t.Fatalf("error %v", err)
	}
}

// TestDatabaseSpecificSeverity: a GitHub advisory's own rating
// (database_specific.severity) is kept as a Severity of type GHSA, from
// JSON and YAML, after the CVSS vectors; a record without one, or with a
// rating that is not a string, gets none.
func TestDatabaseSpecificSeverity(t *testing.T) {
	advs, err := Parse(strings.NewReader(`{"id":"GHSA-qwph-4952-7xr6","modified":"2024-01-01T00:00:00Z",
	  "database_specific":{"severity":" MODERATE ","cwe_ids":["CWE-400"],"github_reviewed":true},
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"}],"affected":[]}`), "a.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L"}, {Type: "GHSA", Score: "MODERATE"}}
	if !slices.Equal(advs[0].Severity, want) {
		t.Errorf("JSON: severity %v, want %v", advs[0].Severity, want)
	}
	advs, err = Parse(strings.NewReader("id: PYSEC-2021-1\nmodified: 2024-01-01T00:00:00Z\ndatabase_specific:\n  severity: HIGH\naffected: []\n"), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Severity{{Type: "PYSEC", Score: "HIGH"}}; !slices.Equal(advs[0].Severity, want) {
		t.Errorf("YAML: severity %v, want %v", advs[0].Severity, want)
	}
	for _, doc := range []string{
		`{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z","database_specific":{"severity":7},"affected":[]}`,
		`{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z","database_specific":{"severity":"  "},"affected":[]}`,
		`{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z","affected":[{"database_specific":{"severity":"HIGH"}}]}`,
	} {
		advs, err := Parse(strings.NewReader(doc), "a.json")
		if err != nil || advs[0].Severity != nil {
			t.Errorf("%s: severity %v, err %v", doc, advs[0].Severity, err)
		}
	}
	if got := DatabaseSeverityType("X"); got != "DATABASE_SPECIFIC" {
		t.Errorf("DatabaseSeverityType(X) = %q", got)
	}
}
