package match

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/sbom"
)

// vexFleetScan scans the sample fleet against the OSV feeds and, when vex,
// the fleet's VEX documents. It returns finding by "device|component|id".
func vexFleetScan(t *testing.T, vex bool) map[string]*Finding {
	t.Helper()
	feeds := []string{filepath.Join("..", "testdata", "feeds", "osv")}
	if vex {
		feeds = append(feeds, filepath.Join("..", "testdata", "feeds", "vex"))
	}
	ar := advisory.Load(context.Background(), feeds...)
	if len(ar.Errors) > 0 {
		t.Fatal(ar.Errors)
	}
	sr := sbom.Load(context.Background(), filepath.Join("..", "testdata", "fleet"))
	if len(sr.Errors) > 0 {
		t.Fatal(sr.Errors)
	}
	m := &Matcher{Index: index.New(ar.Advisories)}
	out := map[string]*Finding{}
	for _, r := range scanned(t, m, context.Background(), sr.Devices) {
		for _, f := range r.Findings {
			out[r.Device.Name+"|"+f.Component.Name+"|"+f.ID] = f
		}
	}
	return out
}

func TestVEXFleet(t *testing.T) {
	before, after := vexFleetScan(t, false), vexFleetScan(t, true)
	if len(before) != len(after) {
		t.Fatalf("%d findings before VEX, %d after: VEX must keep findings", len(before), len(after))
	}
	for k, f := range before {
		if f.Status != Affected {
			t.Fatalf("%s: %s before VEX", k, f.Status)
		}
	}
	tests := []struct {
		key           string
		status        Status
		format, match string
		justification string
	}{
		// OpenVEX: device by BOM-Link, narrowed by a subcomponent purl.
		{"VitaFlow 3000|PyYAML|CVE-2020-14343", NotAffected, "openvex", "openvex product bom-link, subcomponent purl (not_affected)", "vulnerable_code_not_in_execute_path"},
		// OpenVEX affected and under_investigation: shown, not hidden.
		{"VitaFlow 3000|requests|CVE-2018-18074", Affected, "openvex", "openvex product bom-link, subcomponent purl (affected)", ""},
		{"VitaFlow 3000|urllib3|CVE-2019-11324", Affected, "openvex", "openvex product bom-link (under_investigation)", ""},
		// OpenVEX product that is a package purl with a version.
		{"Bedside Hub|golang.org/x/net|CVE-2024-45338", NotAffected, "openvex", "openvex product purl (not_affected)", "vulnerable_code_cannot_be_controlled_by_adversary"},
		// CycloneDX VEX, JSON, BOM-Link into the device SBOM.
		{"Bedside Hub|golang.org/x/crypto|CVE-2024-45337", Fixed, "cyclonedx-vex", "cyclonedx-vex product bom-link (fixed)", ""},
		// CycloneDX VEX, XML, metadata.component is the device.
		{"CardioSense X2|log4j-core|CVE-2021-45046", NotAffected, "cyclonedx-vex", "cyclonedx-vex component purl of device metadata.component bom-ref and name (not_affected)", "requires_configuration"},
		{"CardioSense X2|log4j-core|CVE-2021-44228", Affected, "cyclonedx-vex", "cyclonedx-vex component purl of device metadata.component bom-ref and name (under_investigation)", ""},
	}
	changed := 0
	for _, tc := range tests {
		f := after[tc.key]
		if f == nil {
			t.Errorf("%s: no finding", tc.key)
			continue
		}
		if f.Status != tc.status || f.Justification != tc.justification {
			t.Errorf("%s: status %s (%q), want %s (%q)", tc.key, f.Status, f.Justification, tc.status, tc.justification)
		}
		var found bool
		for _, s := range f.Sources {
			if s.Format == tc.format && s.Match == tc.match && strings.Contains(s.Path, "vex") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no source %s %q in %+v", tc.key, tc.format, tc.match, f.Sources)
		}
		if tc.status != Affected {
			changed++
		}
	}
	// Nothing else changed: in particular CardioSense X2 has
	// golang.org/x/net at v0.7.0, which the x/net statement (v0.27.0) does
	// not name, and the VitaFlow and Bedside Hub statements reach no other
	// device.
	n := 0
	for k, f := range after {
		if f.Status != Affected {
			n++
		}
		if len(f.Sources) != len(before[k].Sources) {
			listed := false
			for _, tc := range tests {
				listed = listed || tc.key == k
			}
			if !listed {
				t.Errorf("%s: VEX source added unexpectedly: %+v", k, f.Sources)
			}
		}
	}
	if n != changed {
		t.Errorf("%d findings changed status, want %d", n, changed)
	}
	if f := after["CardioSense X2|golang.org/x/net|CVE-2024-45338"]; f == nil || f.Status != Affected {
		t.Errorf("other device's x/net finding: %+v", f)
	}
	if f := after["VitaFlow 3000|requests|CVE-2018-18074"]; f == nil || len(f.Remediations) != 1 || f.Remediations[0].Category != "action_statement" {
		t.Errorf("action statement: %+v", f)
	}
}

// vexFixture builds a device with two components and one finding per
// component for CVE-1 (and one for CVE-2 on a).
func vexFixture() (*Matcher, *sbom.Device, []*Finding) {
	d := &sbom.Device{Component: sbom.Component{Ref: "dev", Name: "Dev", Version: "1", PURL: "pkg:generic/acme/dev@1"}}
	a := &sbom.Component{Ref: "a", Name: "a", Version: "1.0.0", PURL: "pkg:npm/a@1.0.0", Hashes: []sbom.Hash{{Algorithm: "SHA-256", Value: "AA"}}}
	b := &sbom.Component{Ref: "b", Name: "b", Version: "2.0.0", PURL: "pkg:npm/b@2.0.0", CPEs: []string{"cpe:2.3:a:x:b:2.0.0:*:*:*:*:*:*:*"}}
	d.Components = []*sbom.Component{a, b}
	osv := &advisory.Advisory{ID: "GHSA-1", Aliases: []string{"CVE-1"}, Format: advisory.FormatOSV}
	m := &Matcher{Index: index.New([]*advisory.Advisory{osv})}
	fs := []*Finding{
		{ID: "CVE-1", Aliases: []string{"GHSA-1"}, Status: Affected, Component: a},
		{ID: "CVE-1", Aliases: []string{"GHSA-1"}, Status: Affected, Component: b},
		{ID: "CVE-2", Status: Affected, Component: a},
	}
	return m, d, fs
}

func st(id string, s Status, c *sbom.Component, src string) statement {
	return statement{adv: &advisory.Advisory{ID: id, Source: src, Format: "openvex"}, status: s, component: c, justification: string(s) + " from " + src, match: "test"}
}

func TestApplyStatementsPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		sts   func(a, b *sbom.Component) []statement
		want  [3]Status
		just0 string
	}{
		{"device-wide not_affected covers every component of the vulnerability",
			func(a, b *sbom.Component) []statement { return []statement{st("CVE-1", NotAffected, nil, "x")} },
			[3]Status{NotAffected, NotAffected, Affected}, "not_affected from x"},
		{"component narrowing",
			func(a, b *sbom.Component) []statement { return []statement{st("CVE-1", Fixed, b, "x")} },
			[3]Status{Affected, Fixed, Affected}, ""},
		{"component-specific affected beats device-wide not_affected",
			func(a, b *sbom.Component) []statement {
				return []statement{st("CVE-1", NotAffected, nil, "x"), st("CVE-1", Affected, a, "y")}
			},
			[3]Status{Affected, NotAffected, Affected}, ""},
		{"fixed beats not_affected, whatever the order",
			func(a, b *sbom.Component) []statement {
				return []statement{st("CVE-1", NotAffected, a, "a-first"), st("CVE-1", Fixed, a, "z-last")}
			},
			[3]Status{Fixed, Affected, Affected}, "fixed from z-last"},
		{"not_affected beats under_investigation",
			func(a, b *sbom.Component) []statement {
				return []statement{st("CVE-1", UnderInvestigation, a, "a"), st("CVE-1", NotAffected, a, "b")}
			},
			[3]Status{NotAffected, Affected, Affected}, "not_affected from b"},
		{"same rank: first source path wins",
			func(a, b *sbom.Component) []statement {
				return []statement{st("CVE-1", NotAffected, a, "b.json"), st("CVE-1", NotAffected, a, "a.json")}
			},
			[3]Status{NotAffected, Affected, Affected}, "not_affected from a.json"},
		{"under_investigation alone does not hide",
			func(a, b *sbom.Component) []statement { return []statement{st("CVE-1", UnderInvestigation, nil, "x")} },
			[3]Status{Affected, Affected, Affected}, ""},
		{"other vulnerability untouched; alias joins",
			func(a, b *sbom.Component) []statement { return []statement{st("GHSA-1", NotAffected, a, "x")} },
			[3]Status{NotAffected, Affected, Affected}, "not_affected from x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, d, fs := vexFixture()
			sts := tc.sts(d.Components[0], d.Components[1])
			m.applyStatements(sts, fs)
			for i, f := range fs {
				if f.Status != tc.want[i] {
					t.Errorf("finding %d: %s, want %s", i, f.Status, tc.want[i])
				}
			}
			if fs[0].Justification != tc.just0 {
				t.Errorf("justification %q, want %q", fs[0].Justification, tc.just0)
			}
			// Every applicable statement is a source.
			for _, s := range sts {
				if s.component == nil || s.component == fs[0].Component {
					found := false
					for _, src := range fs[0].Sources {
						found = found || src.Path == s.adv.Source
					}
					if !found && tc.want[0] != Affected {
						t.Errorf("statement from %s not among sources %+v", s.adv.Source, fs[0].Sources)
					}
				}
			}
		})
	}
}

// vexStatements matches products by each identifier, version-aware for
// purls, and never another device.
func TestVEXStatementsMatching(t *testing.T) {
	mk := func(p *advisory.Product, status string) *advisory.Advisory {
		return &advisory.Advisory{ID: "CVE-1", Format: advisory.FormatOpenVEX, Source: "v.json", Products: []advisory.ProductStatus{{Product: p, Status: status}}}
	}
	tests := []struct {
		name string
		p    *advisory.Product
		want []string // component names ("" = device-wide)
	}{
		{"device purl, whole device", &advisory.Product{ID: "pkg:generic/acme/dev@1", PURLs: []string{"pkg:generic/acme/dev@1"}}, []string{""}},
		{"device purl of another version", &advisory.Product{ID: "x", PURLs: []string{"pkg:generic/acme/dev@2"}}, nil},
		{"device purl, subcomponent by hash", &advisory.Product{ID: "d", PURLs: []string{"pkg:generic/acme/dev"},
			Subcomponents: []*advisory.Product{{ID: "h", Hashes: []string{"sha256:aa"}}}}, []string{"a"}},
		{"component purl without version", &advisory.Product{ID: "b", PURLs: []string{"pkg:npm/b"}}, []string{"b"}},
		{"component purl, other version", &advisory.Product{ID: "b", PURLs: []string{"pkg:npm/b@2.0.1"}}, nil},
		{"component cpe", &advisory.Product{ID: "c", CPEs: []string{"CPE:2.3:a:x:b:2.0.0:*:*:*:*:*:*:*"}}, []string{"b"}},
		{"bom-link into this SBOM", &advisory.Product{ID: "l", GenericURIs: []string{"urn:cdx:0000aaaa-0000-0000-0000-000000000001/1#a"}}, []string{"a"}},
		{"bom-link into another version of this SBOM", &advisory.Product{ID: "l", GenericURIs: []string{"urn:cdx:0000aaaa-0000-0000-0000-000000000001/7#a"}}, nil},
		{"bom-link without version", &advisory.Product{ID: "l", GenericURIs: []string{"urn:cdx:0000aaaa-0000-0000-0000-000000000001#a"}}, nil},
		{"bom-link to the whole SBOM", &advisory.Product{ID: "l", GenericURIs: []string{"urn:cdx:0000aaaa-0000-0000-0000-000000000001/1"}}, []string{""}},
		{"bom-link into another SBOM", &advisory.Product{ID: "l", GenericURIs: []string{"urn:cdx:0000aaaa-0000-0000-0000-000000000002/1#a"}}, nil},
		{"cyclonedx component of another device", &advisory.Product{ID: "a", PURLs: []string{"pkg:npm/a@1.0.0"},
			Relationship: &advisory.Relationship{Category: "default_component_of", Target: &advisory.Product{ID: "other", ProductName: "Other", PURLs: []string{"pkg:generic/acme/other@1"}}}}, nil},
		{"cyclonedx component of this device (bom-ref and name)", &advisory.Product{ID: "b", PURLs: []string{"pkg:npm/b@2.0.0"},
			Relationship: &advisory.Relationship{Category: "default_component_of", Target: &advisory.Product{ID: "dev", ProductName: "Dev", Version: "1"}}}, []string{"b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, d, _ := vexFixture()
			d.Identifiers = []sbom.Identifier{{Type: "cyclonedx-serial-number", Value: "urn:uuid:0000AAAA-0000-0000-0000-000000000001"}}
			m := &Matcher{Index: index.New([]*advisory.Advisory{mk(tc.p, advisory.ProductNotAffected)})}
			var got []string
			for _, s := range m.vexStatements(d) {
				name := ""
				if s.component != nil {
					name = s.component.Name
				}
				got = append(got, name)
				if s.status != NotAffected || s.adv.ID != "CVE-1" || s.match == "" {
					t.Errorf("statement %+v", s)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") || len(got) != len(tc.want) {
				t.Errorf("components %q, want %q", got, tc.want)
			}
		})
	}
}

// With no VEX records, vexStatements returns at once.
func TestVEXStatementsEmpty(t *testing.T) {
	_, d, _ := vexFixture()
	m := &Matcher{Index: index.New(nil)}
	if s := m.vexStatements(d); s != nil {
		t.Fatal(s)
	}
}

// TestVEXNotReadAsCSAF: the products of OpenVEX and CycloneDX VEX
// documents are statements, not CSAF products; the CSAF matcher must not
// meet them too (it once did, listing each VEX statement twice).
func TestVEXNotReadAsCSAF(t *testing.T) {
	for k, f := range vexFleetScan(t, true) {
		for _, s := range f.Sources {
			if s.Format != "csaf" && strings.HasPrefix(s.Match, "csaf") {
				t.Errorf("%s: %s source matched by CSAF rule %q", k, s.Format, s.Match)
			}
		}
	}
}
