package match

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/sbom"
)

// fleetScan matches the sample fleet against the OSV and CSAF feeds of
// testdata/feeds (not the VEX, which vex_test.go covers) and returns the
// results by device name.
func fleetScan(t *testing.T) (*Matcher, map[string]*sbom.Device, map[string][]*Finding) {
	t.Helper()
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join("..", "testdata", "feeds", "osv"), filepath.Join("..", "testdata", "feeds", "csaf"))
	if len(ares.Errors) > 0 {
		t.Fatal(ares.Errors)
	}
	sres := sbom.Load(ctx, filepath.Join("..", "testdata", "fleet"))
	if len(sres.Errors) > 0 {
		t.Fatal(sres.Errors)
	}
	m := &Matcher{Index: index.New(ares.Advisories)}
	devs := map[string]*sbom.Device{}
	out := map[string][]*Finding{}
	for _, r := range scanned(t, m, ctx, sres.Devices) {
		devs[r.Device.Name] = r.Device
		out[r.Device.Name] = r.Findings
	}
	return m, devs, out
}

func findingFor(fs []*Finding, id, component string) *Finding {
	for _, f := range fs {
		if f.ID == id && f.Component.Name == component {
			return f
		}
	}
	return nil
}

func csafSource(f *Finding) *Source {
	for i := range f.Sources {
		if f.Sources[i].Format == advisory.FormatCSAF {
			return &f.Sources[i]
		}
	}
	return nil
}

func hasRemediationURL(f *Finding, category, url string) bool {
	for _, r := range f.Remediations {
		if r.Category == category && r.URL == url {
			return true
		}
	}
	return false
}

func TestCSAFFleetDeviceLevel(t *testing.T) {
	_, devs, res := fleetScan(t)
	tests := []struct {
		device, id, match, confidence, product, fixed string
		remediation, url                              string
	}{
		{"VitaFlow 3000", "CVE-2026-90001", ruleCSAFModel, "high", "CSAFPID-0001", "4.3.0", "vendor_fix", "https://acme-medical.example/psirt/vitaflow-3000-4.3.0"},
		{"CardioSense X2", "CVE-2026-90003", ruleCSAFModelInName, "high", "CSAFPID-0001", "2.1.0", "mitigation", ""},
		{"RadiView Workstation", "CVE-2026-90005", ruleCSAFName, "medium", "CSAFPID-0001", "", "vendor_fix", "https://helix-imaging.example/psirt/radiview-11.6.2"},
		{"Bedside Hub", "CVE-2026-90004", ruleCSAFModel, "high", "CSAFPID-0006", "", "no_fix_planned", ""},
	}
	for _, tc := range tests {
		d := devs[tc.device]
		f := findingFor(res[tc.device], tc.id, d.Name)
		if f == nil {
			t.Errorf("%s: no device-level finding %s", tc.device, tc.id)
			continue
		}
		if f.Component != &d.Component {
			t.Errorf("%s %s: component is not the device element", tc.device, tc.id)
		}
		src := csafSource(f)
		if f.Status != Affected || src == nil || src.Match != tc.match || src.Confidence != tc.confidence || !strings.Contains(src.Product, "["+tc.product+"]") {
			t.Errorf("%s %s: status %s source %+v", tc.device, tc.id, f.Status, src)
		}
		if tc.fixed == "" && len(f.Fixed) > 0 || tc.fixed != "" && !slices.Equal(f.Fixed, []string{tc.fixed}) {
			t.Errorf("%s %s: fixed %v, want %q", tc.device, tc.id, f.Fixed, tc.fixed)
		}
		if !hasRemediationURL(f, tc.remediation, tc.url) {
			t.Errorf("%s %s: remediations %+v, want %s %s", tc.device, tc.id, f.Remediations, tc.remediation, tc.url)
		}
	}
	// The CSAF score reaches the finding.
	vf := findingFor(res["VitaFlow 3000"], "CVE-2026-90001", "VitaFlow 3000")
	if vf != nil && !slices.Contains(vf.Severity, advisory.Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}) {
		t.Errorf("severity %v", vf.Severity)
	}
	// The workaround names both products: the VitaFlow finding has it.
	if vf != nil && !hasRemediationURL(vf, "workaround", "") {
		t.Errorf("VitaFlow remediations %+v", vf.Remediations)
	}
	// Bedside Hub 1.0.0 is outside ">= 2.0 | < 2.4": CVE-2026-90001 must
	// not fire for it, though its model number matches.
	for _, f := range res["Bedside Hub"] {
		if f.ID == "CVE-2026-90001" {
			t.Errorf("Bedside Hub: %s fired outside its range", f.ID)
		}
	}
	// Acme Robotics's "VitaFlow 3000" is another vendor's product.
	for name, fs := range res {
		for _, f := range fs {
			if f.ID == "CVE-2026-90002" {
				t.Errorf("%s: other vendor's product matched", name)
			}
		}
	}
}

func TestCSAFFleetComponentLevel(t *testing.T) {
	_, _, res := fleetScan(t)
	// By purl helper: joins the OSV record of the same CVE.
	f := findingFor(res["Bedside Hub"], "CVE-2024-45337", "golang.org/x/crypto")
	if f == nil {
		t.Fatal("no x/crypto finding")
	}
	var formats []string
	for _, s := range f.Sources {
		formats = append(formats, s.Format+" "+s.Match)
	}
	if !slices.Equal(formats, []string{"csaf " + ruleCSAFPURL, "osv ecosystem package"}) && !slices.Equal(formats, []string{"osv ecosystem package", "csaf " + ruleCSAFPURL}) {
		t.Errorf("sources %v", formats)
	}
	if !hasRemediationURL(f, "vendor_fix", "https://acme-medical.example/psirt/bedside-hub-1.1.0") {
		t.Errorf("remediations %+v", f.Remediations)
	}
	// x/crypto is in no other device; the CSAF product names a package,
	// so any device with it below 0.31.0 would match.
	// Through a relationship: FreeRTOS inside the AeroCare V5.
	f = findingFor(res["AeroCare V5"], "CVE-2021-31571", "FreeRTOS")
	if f == nil {
		t.Fatal("no FreeRTOS finding")
	}
	src := csafSource(f)
	if f.Status != Affected || src == nil || !strings.HasPrefix(src.Match, ruleCSAFRelationship+" (default_component_of)") || !strings.Contains(src.Product, "CSAFPID-0003") {
		t.Errorf("FreeRTOS: %s %+v", f.Status, src)
	}
}

func TestCSAFFleetStatements(t *testing.T) {
	m, devs, _ := fleetScan(t)
	type st struct{ id, status, component, justification string }
	got := func(d *sbom.Device) []st {
		var out []st
		for _, s := range m.csafStatements(d) {
			c := ""
			if s.component != nil {
				c = s.component.Name
			}
			out = append(out, st{s.adv.ID, string(s.status), c, s.justification})
		}
		return out
	}
	vf := got(devs["VitaFlow 3000"])
	want := []st{{"ACME-2026-001/CVE-2020-14343", "not_affected", "", "vulnerable_code_not_in_execute_path"}}
	if !slices.Equal(vf, want) {
		t.Errorf("VitaFlow statements %v, want %v", vf, want)
	}
	gm := got(devs["GlucoMet G7"])
	want = []st{
		{"MERIDIAN-VEX-2026-01/CVE-2022-23540", "not_affected", "", "vulnerable_code_not_in_execute_path"},
		{"MERIDIAN-VEX-2026-01/CVE-2024-29041", "under_investigation", "", ""},
	}
	if !slices.Equal(gm, want) {
		t.Errorf("GlucoMet statements %v, want %v", gm, want)
	}
	for _, s := range m.csafStatements(devs["GlucoMet G7"]) {
		if s.adv.Aliases[0] == "CVE-2022-23540" && !strings.Contains(s.impact, "explicit algorithm list") {
			t.Errorf("impact %q", s.impact)
		}
	}
	// The same pump at 4.3.0: the fixed product applies, the affected
	// range no longer does.
	up := *devs["VitaFlow 3000"]
	up.Version = "4.3.0"
	sts := got(&up)
	if !slices.Contains(sts, st{"ACME-2026-001/CVE-2026-90001", "fixed", "", ""}) || slices.Contains(sts, st{"ACME-2026-001/CVE-2020-14343", "not_affected", "", "vulnerable_code_not_in_execute_path"}) {
		t.Errorf("VitaFlow 4.3.0 statements %v", sts)
	}
	for _, f := range m.Device(&up) {
		if f.ID == "CVE-2026-90001" {
			t.Errorf("VitaFlow 4.3.0: %s still %s", f.ID, f.Status)
		}
	}
	// The devices without CSAF VEX get no statements.
	if s := got(devs["CardioSense X2"]); len(s) != 0 {
		t.Errorf("CardioSense statements %v", s)
	}
}

// TestCSAFUnknownRange: a range that cannot be read gives status unknown
// with the raw text, and no VEX statement.
func TestCSAFUnknownRange(t *testing.T) {
	doc := `{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","title":"t","publisher":{"name":"p"},
	"tracking":{"id":"X-1","current_release_date":"2026-01-01T00:00:00Z","initial_release_date":"2026-01-01T00:00:00Z","version":"1"}},
	"product_tree":{"branches":[{"category":"vendor","name":"Acme Medical","branches":[{"category":"product_name","name":"VitaFlow 3000","branches":[
	 {"category":"product_version_range","name":"distributed  < april 1, 2018","product":{"name":"VitaFlow 3000 distributed before april 1, 2018","product_id":"P1"}},
	 {"category":"product_version_range","name":"<May 2018","product":{"name":"VitaFlow 3000 before May 2018","product_id":"P2"}}]}]}]},
	"vulnerabilities":[{"cve":"CVE-2026-90009","product_status":{"known_affected":["P1"],"known_not_affected":["P2"]}}]}`
	advs, err := advisory.Parse(strings.NewReader(doc), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	m := &Matcher{Index: index.New(advs)}
	d := &sbom.Device{Component: sbom.Component{Name: "VitaFlow 3000", Version: "4.2.1"}, Manufacturer: "Acme Medical Inc."}
	fs := m.Device(d)
	if len(fs) != 1 || fs[0].Status != Unknown || !strings.Contains(fs[0].Reason, "distributed  < april 1, 2018") {
		t.Fatalf("findings %+v", fs)
	}
	if s := m.csafStatements(d); len(s) != 0 {
		t.Errorf("statements %+v", s)
	}
}

// TestSharedCSAFDevices matches devices described as hospitals' SBOMs
// would describe them against the real CISA advisories of shared/csaf:
// the vendor spelled differently (mojibake, misspelling, legal suffix, a
// vendor name within the manufacturer's), model numbers, and ranges.
func TestSharedCSAFDevices(t *testing.T) {
	dir := sharedtest.Path(t, "csaf")
	ares := advisory.Load(context.Background(), filepath.Join(dir, "cisa-icsma"), filepath.Join(dir, "cisa-icsa-selected"), filepath.Join(dir, "cisagov-CSAF"))
	if len(ares.Errors) > 0 {
		t.Fatal(ares.Errors)
	}
	m := &Matcher{Index: index.New(ares.Advisories)}
	tests := []struct {
		name, manufacturer, version string
		models                      []string
		id, match                   string // "" id: no CSAF finding at all
		status                      Status
	}{
		// "Innokas YhtymÃ¤ Oy" in the file; "< 1.7.15".
		{"VC150", "Innokas Yhtymä Oy", "1.7.14", nil, "CVE-2020-27262", ruleCSAFName, Affected},
		{"VC150", "Innokas Yhtymä Oy", "1.7.15", nil, "", "", ""},
		// "Phillips" in the file, vers:all/*.
		{"IntelliSpace Portal", "Philips Healthcare", "8.0.3", nil, "CVE-2018-5474", ruleCSAFName, Affected},
		// Vendor "Siemens" within "Siemens Healthineers AG"; model number
		// helper; vers:all/>=V11.5.1|<V11.6.2.
		{"HiMed Cockpit 12 pro", "Siemens Healthineers AG", "V11.5.2", []string{"J31032-K2017-H259"}, "CVE-2023-52952", ruleCSAFModel, Affected},
		{"HiMed Cockpit 12 pro", "Siemens Healthineers AG", "V11.6.2", []string{"J31032-K2017-H259"}, "", "", ""},
		// The same name from another vendor.
		{"HiMed Cockpit 12 pro", "Nordlicht Medizintechnik GmbH", "V11.5.2", nil, "", "", ""},
		// B. Braun letter releases: "<= L81" cannot be compared with a
		// numeric version: unknown, never safe.
		{"Battery Pack SP with Wi-Fi", "B. Braun Melsungen AG", "4.2", nil, "CVE-2021-33885", ruleCSAFName, Unknown},
		{"Battery Pack SP with Wi-Fi", "B. Braun Melsungen AG", "L80", nil, "CVE-2021-33885", ruleCSAFName, Affected},
		{"Battery Pack SP with Wi-Fi", "B. Braun Melsungen AG", "L82", nil, "", "", ""},
		// "A10 < A11" means A10 and A11.
		{"Data module compactPlus", "B. Braun", "A11", nil, "CVE-2021-33885", ruleCSAFName, Affected},
		// ICSMA-18-107-01 (Abbott): "distributed  < april 1, 2018".
		{"Fortify", "Abbott Laboratories Inc.", "1.0", nil, "CVE-2017-12712", ruleCSAFName, Unknown},
	}
	for _, tc := range tests {
		d := &sbom.Device{Component: sbom.Component{Name: tc.name, Version: tc.version}, Manufacturer: tc.manufacturer, ModelNumbers: tc.models}
		var got *Finding
		var csaf []string
		for _, f := range m.Device(d) {
			csaf = append(csaf, f.ID)
			if f.ID == tc.id {
				got = f
			}
		}
		if tc.id == "" {
			if len(csaf) > 0 {
				t.Errorf("%s %s %s: findings %v, want none", tc.manufacturer, tc.name, tc.version, csaf)
			}
			continue
		}
		if got == nil {
			t.Errorf("%s %s %s: no %s (have %v)", tc.manufacturer, tc.name, tc.version, tc.id, csaf)
			continue
		}
		if src := csafSource(got); got.Status != tc.status || src == nil || src.Match != tc.match {
			t.Errorf("%s %s %s: %s %s %+v", tc.manufacturer, tc.name, tc.version, tc.id, got.Status, src)
		}
	}
}

// BenchmarkCSAFScanFleet scans the sample fleet against every real CISA
// advisory of shared/csaf plus testdata/feeds: the cost of the CSAF
// lookups per device and component.
func BenchmarkCSAFScanFleet(b *testing.B) {
	dir := sharedtest.Path(b, "csaf")
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join(dir, "cisa-icsma"), filepath.Join(dir, "cisa-icsa-selected"), filepath.Join(dir, "cisagov-CSAF"), filepath.Join("..", "testdata", "feeds"))
	sres := sbom.Load(ctx, filepath.Join("..", "testdata", "fleet"))
	m := &Matcher{Index: index.New(ares.Advisories), Workers: 1}
	b.ResetTimer()
	for b.Loop() {
		scanned(b, m, ctx, sres.Devices)
	}
}

// BenchmarkCSAFRange parses and evaluates the range forms of the real
// files.
func BenchmarkCSAFRange(b *testing.B) {
	rs := []string{"vers:all/>=V11.5.1|<V11.6.2", "<= L81", ">= 1.0.0  | <= 1.3.1", "A10 < A11", "< 1.003", "<= 2.01 (end-of-life Nov 2017)"}
	for b.Loop() {
		for _, s := range rs {
			r := parseCSAFRange(s)
			r.contains("1.2.3")
		}
	}
}

// TestSharedCSAFFleet scans the sample fleet against the real CISA
// advisories: BadAlloc (ICSA-21-119-04, vendor branch "multiple", product
// "Amazon FreeRTOS" version 10.4.1) meets the AeroCare V5's FreeRTOS
// 10.4.1 by its CPE amazon:freertos, and ICSMA-22-174-01 (OFFIS DCMTK
// "< 3.6.7") the RadiView's dcmtk 3.6.5; none of the fictional devices
// matches a real device advisory.
func TestSharedCSAFFleet(t *testing.T) {
	dir := sharedtest.Path(t, "csaf")
	ctx := context.Background()
	ares := advisory.Load(ctx, dir)
	if len(ares.Errors) > 0 {
		t.Fatal(ares.Errors)
	}
	sres := sbom.Load(ctx, filepath.Join("..", "testdata", "fleet"))
	m := &Matcher{Index: index.New(ares.Advisories)}
	got := map[string]string{}
	for _, r := range scanned(t, m, ctx, sres.Devices) {
		for _, f := range r.Findings {
			for _, s := range f.Sources {
				if s.Format == advisory.FormatCSAF {
					got[r.Device.Name+"|"+f.Component.Name+"|"+s.ID] = string(f.Status) + " " + s.Match + " " + s.Confidence
					if f.Component == &r.Device.Component {
						t.Errorf("%s: device-level finding %s from a real advisory", r.Device.Name, s.ID)
					}
				}
			}
		}
	}
	for k, want := range map[string]string{
		"AeroCare V5|FreeRTOS|ICSA-21-119-04/CVE-2021-31571":       "affected csaf vendor and product name medium",
		"AeroCare V5|FreeRTOS|ICSA-21-119-04/CVE-2021-31572":       "affected csaf vendor and product name medium",
		"RadiView Workstation|dcmtk|ICSMA-22-174-01/CVE-2022-2119": "affected csaf vendor and product name medium",
		"RadiView Workstation|dcmtk|ICSMA-22-174-01/CVE-2022-2121": "affected csaf vendor and product name medium",
	} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q", k, got[k], want)
		}
	}
	// FreeRTOS: the 24 BadAlloc CVEs (CISA lists every product under
	// each); dcmtk: 3.
	n := map[string]int{}
	for k := range got {
		n[strings.SplitN(k, "|", 3)[1]]++
	}
	if n["FreeRTOS"] != 24 || n["dcmtk"] != 3 || len(n) != 2 {
		t.Errorf("CSAF findings per component %v", n)
	}
}

// TestCSAFFirstAffectedFirstFixed: an exact version in first_affected,
// last_affected or first_fixed stands for a run of versions.
func TestCSAFFirstAffectedFirstFixed(t *testing.T) {
	doc := `{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","title":"t","publisher":{"name":"p"},
	"tracking":{"id":"X-2","current_release_date":"2026-01-01T00:00:00Z","initial_release_date":"2026-01-01T00:00:00Z","version":"1"}},
	"product_tree":{"branches":[{"category":"vendor","name":"Acme Medical","branches":[{"category":"product_name","name":"VitaFlow 3000","branches":[
	 {"category":"product_version","name":"4.0","product":{"name":"VitaFlow 3000 4.0","product_id":"P40"}},
	 {"category":"product_version","name":"4.3","product":{"name":"VitaFlow 3000 4.3","product_id":"P43"}},
	 {"category":"product_version","name":"3.2","product":{"name":"VitaFlow 3000 3.2","product_id":"P32"}}]}]}]},
	"vulnerabilities":[{"cve":"CVE-2026-90010","product_status":{"first_affected":["P40"],"first_fixed":["P43"]}},
	 {"cve":"CVE-2026-90011","product_status":{"last_affected":["P32"]}}]}`
	advs, err := advisory.Parse(strings.NewReader(doc), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	m := &Matcher{Index: index.New(advs)}
	for _, tc := range []struct {
		version string
		want    []string // affected ids
		fixed   bool     // a fixed statement for CVE-2026-90010
	}{
		{"3.9", nil, false},
		{"3.2", []string{"CVE-2026-90011"}, false},
		{"3.1", []string{"CVE-2026-90011"}, false},
		{"4.0", []string{"CVE-2026-90010"}, false},
		{"4.2.9", []string{"CVE-2026-90010"}, false},
		{"4.3", nil, true},
		{"5.0", nil, true},
	} {
		d := &sbom.Device{Component: sbom.Component{Name: "VitaFlow 3000", Version: tc.version}, Manufacturer: "Acme Medical Inc."}
		var ids []string
		for _, f := range m.Device(d) {
			if f.Status == Affected {
				ids = append(ids, f.ID)
			}
		}
		if !slices.Equal(ids, tc.want) && !(len(ids) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: affected %v, want %v", tc.version, ids, tc.want)
		}
		fixed := false
		for _, s := range m.csafStatements(d) {
			if s.status == Fixed && s.adv.ID == "X-2/CVE-2026-90010" {
				fixed = true
			}
		}
		if fixed != tc.fixed {
			t.Errorf("%s: fixed statement %v, want %v", tc.version, fixed, tc.fixed)
		}
	}
}
