package report

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
)

// asOf is the document date of every test.
var asOf = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)

var testOptions = Options{AsOf: asOf, Tool: Tool{Name: "bomrank", Version: "v0.0.0-test"}}

const (
	v31Critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"                    // 10.0
	v31Medium   = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N"                    // 4.2
	v30High     = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"                    // 7.5
	v2High      = "AV:N/AC:L/Au:N/C:P/I:P/A:P"                                      // 7.5
	v40Critical = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" // 9.3
)

// statusScan is a hand-built scan that exercises every status (affected,
// not_affected with CSAF/OpenVEX, CycloneDX and free-text justifications,
// fixed, under_investigation, unknown), device-level findings, CVSS 2,
// 3.0, 3.1 and 4.0 vectors, vendor fixes, workarounds, and text that
// would be markup in HTML, Markdown, CSV or a terminal.
func statusScan() *Scan {
	log4j := &sbom.Component{Ref: "log4j", Type: "library", Name: "log4j-core", Group: "org.apache.logging.log4j", Version: "2.14.1",
		PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}
	busybox := &sbom.Component{Ref: "busybox", Type: "firmware", Name: "busybox", Version: "1.30.1",
		CPEs:   []string{"cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*"},
		Hashes: []sbom.Hash{{Algorithm: "SHA-256", Value: "5d0f8f5e4e4ba5c2eaf3c1d2a5c6b0d58a0a57fd8b7f37fd0c3a9bb30b76d8a1"}, {Algorithm: "SHA-256", Value: "not-hex"}, {Algorithm: "CRC32", Value: "deadbeef"}}}
	hostile := &sbom.Component{Ref: "ui", Name: `<script>alert("x")</script>`, Version: "=1+2", PURL: "pkg:npm/%40evil/ui@1.0.0"}
	openssl := &sbom.Component{Ref: "openssl", Name: "openssl", Version: "1.1.1k", PURL: "pkg:generic/openssl@1.1.1k"}
	zlib := &sbom.Component{Name: "zlib", Version: "", PURL: "pkg:generic/zlib"}
	pump := &sbom.Device{
		Component: sbom.Component{Ref: "pump", Type: "device", Name: "VitaFlow 3000", Version: "4.2.1", PURL: "pkg:generic/acme/vitaflow-3000@4.2.1"},
		Path:      "fleet/pump.cdx.json", Format: sbom.CycloneDXJSON, Manufacturer: "Acme Medical Inc.", ModelNumbers: []string{"VF-3000"},
		Components: []*sbom.Component{log4j, busybox, hostile, openssl, zlib},
	}
	osv := func(id string) []match.Source {
		return []match.Source{{ID: id, Format: "osv", Path: "feeds/" + id + ".json", Match: "purl", Confidence: "high"}}
	}
	csaf := []match.Source{{ID: "ICSMA-24-001-01", Format: "csaf", Path: "feeds/icsma.json", Match: "model number", Confidence: "high", Product: "VitaFlow 3000 < 4.3"}}
	pumpRes := &match.DeviceResult{Device: pump, ID: "asset-0042", Rank: 1, Priority: "immediate", Score: 97.5,
		Reasons: []string{"exploitation active: CVE-2021-44228 in KEV since 2021-12-10", "human impact very high: safety catastrophic", "no manufacturer fix; upstream fixed in 2.15.0"},
		Findings: []*match.Finding{
			{ID: "CVE-2021-44228", Aliases: []string{"GHSA-jfh8-c2jp-5v3q"}, Status: match.Affected, Component: log4j, Fixed: []string{"2.15.0"},
				Severity: []advisory.Severity{{Type: "CVSS_V3", Score: v31Critical}}, Summary: "Remote code injection in Log4j", Sources: osv("GHSA-jfh8-c2jp-5v3q"),
				Remediations: []advisory.Remediation{{Category: "vendor_fix", Details: "Install firmware 4.3.0", URL: "https://acme.example/psirt/4.3.0", Date: "2024-02-01T00:00:00Z"}}},
			{ID: "CVE-2021-45046", Status: match.NotAffected, Component: log4j, Justification: "vulnerable_code_not_in_execute_path",
				Impact: "JNDI lookups are disabled in the device configuration", Severity: []advisory.Severity{{Type: "CVSS_V3", Score: v31Critical}}, Sources: csaf},
			{ID: "CVE-2022-0001", Status: match.NotAffected, Component: busybox, Justification: "protected_at_runtime", Sources: csaf},
			{ID: "CVE-2022-0002", Status: match.NotAffected, Component: busybox, Justification: "The vulnerable applet is compiled out", Sources: csaf},
			{ID: "CVE-2021-42374", Status: match.Fixed, Component: busybox, Severity: []advisory.Severity{{Type: "CVSS_V3", Score: v31Medium}}, Sources: csaf,
				Remediations: []advisory.Remediation{{Category: "vendor_fix", Details: "Fixed in firmware 4.2.1"}}},
			{ID: "CVE-2023-0286", Status: match.UnderInvestigation, Component: openssl, Severity: []advisory.Severity{{Type: "CVSS_V3", Score: v30High}}, Sources: csaf},
			{ID: "GHSA-xxxx-yyyy-zzzz", Status: match.Affected, Component: hostile, Summary: `<img src=x onerror=alert(1)> | *bold* [link](javascript:x)`,
				Severity: []advisory.Severity{{Type: "CVSS_V4", Score: v40Critical}}, Sources: osv("GHSA-xxxx-yyyy-zzzz"),
				Remediations: []advisory.Remediation{{Category: "workaround", Details: "Disable the web UI"}}},
			{ID: "CVE-2018-25032", Status: match.Unknown, Reason: "the SBOM gives no version for zlib", Component: zlib, Sources: osv("OSV-2022-1")},
			{ID: "CVE-2019-5000", Status: match.Affected, Component: &pump.Component, Severity: []advisory.Severity{{Type: "CVSS_V2", Score: v2High}, {Type: "Ubuntu", Score: "high"}},
				Sources: csaf, Remediations: []advisory.Remediation{{Category: "no_fix_planned", Details: "Replace the device"}}},
		}}
	hub := &sbom.Device{Component: sbom.Component{Name: "Bedside Hub", Version: "1.0.0"}, Path: "fleet/hub.spdx.json", Format: sbom.SPDXJSON,
		Manufacturer: "Acme Medical Inc.", Components: []*sbom.Component{{Name: "golang.org/x/net", Version: "v0.7.0", PURL: "pkg:golang/golang.org/x/net@v0.7.0"}}}
	hubRes := &match.DeviceResult{Device: hub, ID: "fleet/hub.spdx.json", Rank: 2, Priority: "out-of-cycle", Score: 60, Reasons: []string{"automatable: yes"},
		Findings: []*match.Finding{{ID: "CVE-2023-39325", Aliases: []string{"GO-2023-2102", "GHSA-4374-p667-p6c8"}, Status: match.Affected, Component: hub.Components[0],
			Fixed: []string{"0.17.0"}, Severity: []advisory.Severity{{Type: "CVSS_V3", Score: v30High}}, Sources: osv("GO-2023-2102")}}}
	mon := &sbom.Device{Component: sbom.Component{Name: "CardioSense X2", Version: "2.0.3"}, Path: "fleet/monitor.cdx.xml", Format: sbom.CycloneDXXML}
	monRes := &match.DeviceResult{Device: mon, ID: "fleet/monitor.cdx.xml", Rank: 3, Priority: "none", Score: 0}
	return &Scan{
		Results:        []*match.DeviceResult{pumpRes, hubRes, monRes},
		SBOMErrors:     []*sbom.ParseError{{Path: "fleet/broken.json", Err: sbom.ErrNotSBOM}},
		AdvisoryErrors: []*advisory.LoadError{{Path: "feeds/bad.json", Err: advisory.ErrNotAdvisory}},
		Advisories:     12,
		AsOf:           asOf,
		Sources: []advisory.Source{
			{Kind: "csaf", Path: "feeds", Records: 1, NewestModified: "2025-12-01T10:00:00Z", Captured: time.Date(2025, 12, 20, 7, 30, 0, 0, time.UTC)},
			{Kind: "osv", Path: "feeds", Records: 4, NewestModified: "2025-12-18T00:00:00Z", Captured: time.Date(2025, 12, 19, 23, 0, 0, 0, time.UTC), SHA256: "not shown"},
			{Kind: "kev", Path: "kev.json", Records: 1, NewestModified: "2025-11-30T17:00:00Z"},
		},
		DB: &DBInfo{Path: "/var/cache/bomrank/db", Schema: 1, Built: time.Date(2025, 12, 20, 8, 0, 0, 0, time.UTC), Digest: "sha256:0123"},
	}
}

// fleetScan scans the sample fleet of the repository (testdata/fleet,
// testdata/feeds) through the library, as `bomrank scan` does.
func fleetScan(t testing.TB) *Scan {
	t.Helper()
	root := filepath.Join("..", "testdata")
	ctx := context.Background()
	feeds := advisory.Load(ctx, filepath.Join(root, "feeds"))
	if len(feeds.Errors) > 0 {
		t.Fatalf("feeds: %v", feeds.Errors)
	}
	res := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(root, "fleet"))
	if len(res.Errors) > 0 || len(res.Devices) == 0 {
		t.Fatalf("fleet: %d devices, errors %v", len(res.Devices), res.Errors)
	}
	m := &match.Matcher{Index: index.New(feeds.Advisories)}
	results, failed, err := m.Scan(ctx, res.Devices)
	if err != nil || len(failed) > 0 {
		t.Fatalf("scan: %v %v", err, failed)
	}
	rank.Options{}.Rank(results)
	return &Scan{Results: results, Advisories: len(feeds.Advisories)}
}

// rankedFleetScan is the sample fleet ranked with the KEV and EPSS files of
// testdata/feeds and the inventory testdata/fleet/assets.csv.
func rankedFleetScan(t testing.TB) *Scan {
	t.Helper()
	root := filepath.Join("..", "testdata")
	ctx := context.Background()
	feeds := advisory.Load(ctx, filepath.Join(root, "feeds"))
	inv, err := inventory.Load(filepath.Join(root, "fleet", "assets.csv"))
	if err != nil || len(inv.Errors) > 0 {
		t.Fatalf("inventory: %v %v", err, inv.Errors)
	}
	res := sbom.Options{NoValidate: true}.Load(ctx, filepath.Join(root, "fleet"))
	x := rank.NewExploits(feeds.KEV, feeds.EPSS)
	asOf := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	m := &match.Matcher{Index: index.New(feeds.Advisories)}
	scanned, failed, err := m.Scan(ctx, res.Devices)
	if err != nil || len(failed) > 0 {
		t.Fatalf("scan: %v %v", err, failed)
	}
	results, missing := rank.Assign(scanned, inv.Assets)
	if len(missing) > 0 {
		t.Fatalf("missing %v", missing)
	}
	rank.Options{Exploits: x, AsOf: asOf}.Rank(results)
	return &Scan{Results: results, Advisories: len(feeds.Advisories), Feeds: x.Feeds(), AsOf: asOf}
}

func advisoryScore(typ, vector string) advisory.Severity {
	return advisory.Severity{Type: typ, Score: vector}
}
