package advisory

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var nvdDir = filepath.Join("..", "testdata", "feeds", "nvd")

// The sample NVD feeds: an API 2.0 response of 12 CVEs, a one-CVE
// response, and a gzip feed file.
func TestNVDLoadSample(t *testing.T) {
	res := Load(context.Background(), nvdDir)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	var ids []string
	for _, a := range res.Advisories {
		if a.Format != FormatNVD {
			t.Errorf("%s: format %q", a.ID, a.Format)
		}
		ids = append(ids, a.ID)
	}
	want := []string{"CVE-2014-0160", "CVE-2016-2107", "CVE-2016-5195", "CVE-2016-9841", "CVE-2017-3735",
		"CVE-2017-6074", "CVE-2018-18074", "CVE-2018-25032", "CVE-2019-12256", "CVE-2019-5747",
		"CVE-2021-42386", "CVE-2022-28391", "CVE-2022-37434", "CVE-2023-38545"}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("ids = %v, want %v", ids, want)
	}
	a := byID(t, res.Advisories, "CVE-2017-3735")
	if a == nil {
		t.Fatal("no CVE-2017-3735")
	}
	if !strings.HasPrefix(a.Summary, "While parsing an IPAddressFamily extension") {
		t.Errorf("summary %q", a.Summary)
	}
	if want := []Severity{{"CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N"}, {"CVSS_V2", "AV:N/AC:L/Au:N/C:N/I:P/A:N"}}; !slices.Equal(a.Severity, want) {
		t.Errorf("severity %v", a.Severity)
	}
	if !slices.Equal(a.CWEs, []string{"CWE-125"}) || a.Published != "2017-08-28T19:29:00.247" || a.Modified == "" || a.Withdrawn != "" {
		t.Errorf("cwes %v published %q modified %q withdrawn %q", a.CWEs, a.Published, a.Modified, a.Withdrawn)
	}
	if len(a.References) != 1 || a.References[0].Type != "ADVISORY" || a.References[0].URL != "https://www.openssl.org/news/secadv/20170828.txt" {
		t.Errorf("references %v", a.References)
	}
	if len(a.Configurations) != 1 || len(a.Configurations[0].Nodes) != 1 {
		t.Fatalf("configurations %+v", a.Configurations)
	}
	n := a.Configurations[0].Nodes[0]
	if n.Operator != "OR" || n.Negate || len(n.Matches) != 2 {
		t.Fatalf("node %+v", n)
	}
	if m := n.Matches[0]; !m.Vulnerable || m.Criteria != "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*" ||
		m.VersionStartIncluding != "1.0.2" || m.VersionEndExcluding != "1.0.2m" || m.VersionEndIncluding != "" {
		t.Errorf("match %+v", m)
	}
	// The gzip feed file.
	vx := byID(t, res.Advisories, "CVE-2019-12256")
	if vx == nil || !strings.HasSuffix(vx.Source, "nvdcve-2.0-vxworks.json.gz") || len(vx.Configurations[0].Nodes[0].Matches) != 11 {
		t.Errorf("vxworks record %+v", vx)
	}
	// Heartbleed names versions one by one, updates included.
	hb := byID(t, res.Advisories, "CVE-2014-0160")
	if got := len(hb.Configurations[0].Nodes[0].Matches); got != 11 {
		t.Errorf("heartbleed: %d criteria", got)
	}
}

func TestNVDDecode(t *testing.T) {
	doc := `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[
	 {"cve":{"id":"CVE-2000-0001","vulnStatus":"Rejected","lastModified":"2020-01-01T00:00:00.000",
	   "descriptions":[{"lang":"es","value":"uno"},{"lang":"en","value":" ** REJECT ** not a vulnerability "}],
	   "metrics":{"cvssMetricV40":[{"type":"Secondary","cvssData":{"vectorString":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}],
	              "cvssMetricV31":[{"type":"Primary","cvssData":{"vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
	                               {"type":"Secondary","cvssData":{"vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}]},
	   "weaknesses":[{"description":[{"lang":"en","value":"NVD-CWE-Other"},{"lang":"en","value":"CWE-79"}]}],
	   "configurations":[{"operator":"and","negate":true,"nodes":[{"operator":"or","negate":true,"cpeMatch":[{"vulnerable":false,"criteria":" cpe:2.3:h:acme:box:-:*:*:*:*:*:*:* "}]}]}],
	   "references":[{"url":"https://example.com/p","tags":["Mailing List","Patch"]},{"url":""}]}},
	 {"cve":{"id":"CVE-2000-0002","descriptions":{"lang":"en"},"metrics":[]}}]}`
	feed, err := decodeNVD([]byte(doc), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Advisories) != 2 {
		t.Fatalf("%d advisories", len(feed.Advisories))
	}
	a := feed.Advisories[0]
	if a.Withdrawn != "2020-01-01T00:00:00.000" || a.Summary != "** REJECT ** not a vulnerability" || a.Source != "x.json" {
		t.Errorf("%+v", a)
	}
	// Primary first, duplicates dropped, v4 typed CVSS_V4.
	if len(a.Severity) != 2 || a.Severity[0].Type != "CVSS_V3" || a.Severity[1].Type != "CVSS_V4" {
		t.Errorf("severity %v", a.Severity)
	}
	if !slices.Equal(a.CWEs, []string{"CWE-79"}) || len(a.References) != 1 || a.References[0].Type != "FIX" {
		t.Errorf("cwes %v refs %v", a.CWEs, a.References)
	}
	c := a.Configurations[0]
	if c.Operator != "AND" || !c.Negate || c.Nodes[0].Operator != "OR" || !c.Nodes[0].Negate ||
		c.Nodes[0].Matches[0].Vulnerable || c.Nodes[0].Matches[0].Criteria != "cpe:2.3:h:acme:box:-:*:*:*:*:*:*:*" {
		t.Errorf("configuration %+v", c)
	}
	// The record with members of the wrong type is still read.
	if b := feed.Advisories[1]; b.ID != "CVE-2000-0002" || b.Summary != "" {
		t.Errorf("%+v", b)
	}
	// A rejected CVE is read as withdrawn (the index then leaves it out).
	if a := feed.Advisories[0]; a.ID != "CVE-2000-0001" || a.Withdrawn == "" {
		t.Errorf("rejected CVE not withdrawn: %+v", a)
	}
}

func TestNVDErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"truncated.json": `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{"id":"CVE-1`,
		"legacy.json":    `{"CVE_data_type":"CVE","CVE_data_format":"MITRE","CVE_data_version":"4.0","CVE_Items":[]}`,
		"noid.json":      `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{"published":"2020"}}]}`,
		"v3.json":        `{"format":"NVD_CVE","version":"3.0","vulnerabilities":[]}`,
		"good.json":      `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{"id":"CVE-2020-0001"}}]}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := Load(context.Background(), dir)
	if len(res.Advisories) != 1 || res.Advisories[0].ID != "CVE-2020-0001" {
		t.Errorf("advisories %v", res.Advisories)
	}
	want := map[string]string{
		"legacy.json": "JSON 1.1 feed", "noid.json": "no cve.id", "truncated.json": "NVD", "v3.json": `"3.0"`,
	}
	if len(res.Errors) != len(want) {
		t.Errorf("errors %v", res.Errors)
	}
	for _, e := range res.Errors {
		frag, ok := want[filepath.Base(e.Path)]
		if !ok || !strings.Contains(e.Error(), frag) || !strings.Contains(e.Error(), filepath.Base(e.Path)) {
			t.Errorf("error %v, want it to name the file and say %q", e, frag)
		}
	}
}

func TestLooksLikeNVD(t *testing.T) {
	for s, want := range map[string]bool{
		`{"format":"NVD_CVE"}`:                     true,
		"\xef\xbb\xbf {\"CVE_data_type\":\"CVE\"}": true,
		`[{"format":"NVD_CVE"}]`:                   false,
		`{"id":"GHSA-1","modified":"x"}`:           false,
		``:                                         false,
	} {
		if got := looksLikeNVD([]byte(s)); got != want {
			t.Errorf("looksLikeNVD(%q) = %v", s, got)
		}
	}
}

// TestBaseSeverityWithoutVector: an NVD metric or a CSAF score without a
// vector string keeps its base severity, as a Severity of type NVD or
// CSAF; with a vector only the vector is kept.
func TestBaseSeverityWithoutVector(t *testing.T) {
	feed, err := decodeNVD([]byte(`{"format":"NVD_CVE","version":"2.0","vulnerabilities":[
	 {"cve":{"id":"CVE-2000-0003","metrics":{
	   "cvssMetricV31":[{"type":"Primary","cvssData":{"baseSeverity":"HIGH"}},{"type":"Secondary","cvssData":{"vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseSeverity":"CRITICAL"}}],
	   "cvssMetricV2":[{"type":"Primary","baseSeverity":"MEDIUM","cvssData":{}}]}}}]}`), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []Severity{{Type: "NVD", Score: "HIGH"}, {Type: "NVD", Score: "MEDIUM"}, {Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}
	if got := feed.Advisories[0].Severity; !slices.Equal(got, want) {
		t.Errorf("NVD severity %v, want %v", got, want)
	}
	var v csafVuln
	if err := json.Unmarshal([]byte(`{"scores":[{"cvss_v3":{"baseSeverity":" High "}},
	  {"cvss_v3":{"vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseSeverity":"CRITICAL"}}]}`), &v); err != nil {
		t.Fatal(err)
	}
	a := &Advisory{}
	csafDescribe(a, &v, nil)
	if want := []Severity{{Type: "CSAF", Score: "High"}, {Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}; !slices.Equal(a.Severity, want) {
		t.Errorf("CSAF severity %v, want %v", a.Severity, want)
	}
}
