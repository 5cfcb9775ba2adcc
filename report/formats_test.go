package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/openvex/go-vex/pkg/vex"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/bomrank/bomrank/internal/schemacheck"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// optionsFor gives the options a format needs on the status scan (CSAF
// describes one device).
func optionsFor(format string) Options {
	o := testOptions
	if format == "csaf" {
		o.Device = "asset-0042"
	}
	return o
}

func render(t *testing.T, format string, s *Scan, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, s, o); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

// TestFormatsGolden writes the status scan in every format, compares it
// with report/testdata/statuses.<format>.golden and checks the bytes do
// not change between runs.
func TestFormatsGolden(t *testing.T) {
	names := append(FormatNames(), "table-details", "table-colour")
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			format, o := name, optionsFor(name)
			switch name {
			case "table-details":
				format, o.Details = "table", true
			case "table-colour":
				format, o.Details, o.Color = "table", true, true
			}
			got := render(t, format, statusScan(), o)
			if again := render(t, format, statusScan(), o); !bytes.Equal(got, again) {
				t.Fatal("output differs between two runs")
			}
			golden := filepath.Join("testdata", "statuses."+name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (rerun with -update after checking the change)", golden)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup("yaml"); err == nil || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("Lookup(yaml) = %v, want an error listing the formats", err)
	}
	if len(FormatNames()) != 9 {
		t.Errorf("formats %v", FormatNames())
	}
}

func compileSchema(t *testing.T, url string, docs map[string]string, assertFormat bool) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for u, path := range docs {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := c.AddResource(u, doc); err != nil {
			t.Fatal(err)
		}
	}
	if assertFormat {
		c.AssertFormat()
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, b []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return sch.Validate(inst)
}

// TestJSONSchema: the JSON of both the status scan and the sample fleet
// validates against the published schema, and a document that breaks the
// contract does not.
func TestJSONSchema(t *testing.T) {
	sch := compileSchema(t, ScanSchemaID, map[string]string{ScanSchemaID: filepath.Join("schema", "scan.schema.json")}, true)
	if !bytes.Equal(ScanSchema(), mustRead(t, filepath.Join("schema", "scan.schema.json"))) {
		t.Fatal("ScanSchema differs from the published file")
	}
	for name, s := range map[string]*Scan{"statuses": statusScan(), "fleet": fleetScan(t), "sample": sampleScan(), "ranked": rankedFleetScan(t)} {
		var buf bytes.Buffer
		if err := JSON(&buf, s); err != nil {
			t.Fatal(err)
		}
		if err := validate(t, sch, buf.Bytes()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		var doc map[string]any
		json.Unmarshal(buf.Bytes(), &doc)
		if doc["schema"] != SchemaVersion {
			t.Errorf("%s: schema field %v", name, doc["schema"])
		}
	}
	var buf bytes.Buffer
	JSON(&buf, statusScan())
	for _, bad := range []struct{ from, to string }{
		{`"status": "affected"`, `"status": "vulnerable"`},
		{`"priority": "immediate"`, `"priority": "urgent"`},
		{`"schema": "1.4"`, `"schema": "2.0"`},
		{`"records": 4,`, `"records": "4",`},
		{`"captured": "2025-12-20T07:30:00Z"`, `"captured": "20 December"`},
		{`"schema": 1,`, `"schema": "1",`},
		{`"reason": "the SBOM gives no version for zlib",`, ``},
	} {
		doc := strings.Replace(buf.String(), bad.from, bad.to, 1)
		if doc == buf.String() {
			t.Fatalf("%q not in the output", bad.from)
		}
		if validate(t, sch, []byte(doc)) == nil {
			t.Errorf("schema accepts %s", bad.to)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifOut struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name, Version string
				Rules         []struct {
					ID         string
					Properties map[string]any
				}
			}
		}
		Invocations []struct {
			ToolExecutionNotifications []struct{ Level string }
		}
		Results []struct {
			RuleID, Level string
			RuleIndex     int
			Message       struct{ Text string }
			Locations     []struct {
				PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				LogicalLocations []struct{ Name, FullyQualifiedName, Kind string }
			}
			PartialFingerprints map[string]string
			Properties          map[string]any
		}
	}
}

// TestSARIFSchema: SARIF of the status scan and of the sample fleet is
// valid SARIF 2.1.0 (the official schema, testdata/README.md); one result
// per affected, unknown or under_investigation finding, none for VEX
// not_affected or fixed; levels from the CVSS score.
func TestSARIFSchema(t *testing.T) {
	sch := compileSchema(t, sarifSchemaID, map[string]string{sarifSchemaID: filepath.Join("testdata", "sarif-schema-2.1.0.json")}, false)
	for name, s := range map[string]*Scan{"statuses": statusScan(), "fleet": fleetScan(t)} {
		b := render(t, "sarif", s, testOptions)
		if err := validate(t, sch, b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		var out sarifOut
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, r := range s.Results {
			for _, f := range r.Findings {
				if f.Status == match.Affected || f.Status == match.Unknown || f.Status == match.UnderInvestigation {
					want++
				}
			}
		}
		run := out.Runs[0]
		if len(run.Results) != want {
			t.Errorf("%s: %d results, want %d", name, len(run.Results), want)
		}
		seen := map[string]bool{}
		for _, res := range run.Results {
			if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s: ruleIndex %d does not point at %s", name, res.RuleIndex, res.RuleID)
			}
			if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" || len(res.Locations[0].LogicalLocations) == 0 {
				t.Errorf("%s: %s: locations %+v", name, res.RuleID, res.Locations)
			}
			fp := res.PartialFingerprints["bomrank/v1"]
			if fp == "" || seen[fp] {
				t.Errorf("%s: fingerprint %q missing or repeated", name, fp)
			}
			seen[fp] = true
		}
	}
	var out sarifOut
	json.Unmarshal(render(t, "sarif", statusScan(), testOptions), &out)
	levels := map[string]string{}
	for _, res := range out.Runs[0].Results {
		levels[res.RuleID] = res.Level
	}
	for id, want := range map[string]string{
		"CVE-2021-44228": "error", "GHSA-xxxx-yyyy-zzzz": "error", "CVE-2019-5000": "error", "CVE-2023-39325": "error",
		"CVE-2023-0286": "note", "CVE-2018-25032": "note",
	} {
		if levels[id] != want {
			t.Errorf("%s: level %q, want %q", id, levels[id], want)
		}
	}
	for _, id := range []string{"CVE-2021-45046", "CVE-2022-0001", "CVE-2022-0002", "CVE-2021-42374"} {
		if _, ok := levels[id]; ok {
			t.Errorf("%s (not affected or fixed) is a SARIF result", id)
		}
	}
	if n := len(out.Runs[0].Invocations[0].ToolExecutionNotifications); n != 2 {
		t.Errorf("%d notifications for the 2 skipped inputs", n)
	}
	for _, r := range out.Runs[0].Tool.Driver.Rules {
		if r.ID == "CVE-2021-44228" && r.Properties["security-severity"] != "10.0" {
			t.Errorf("security-severity %v", r.Properties["security-severity"])
		}
	}
}

type cdxOut struct {
	SerialNumber string
	Metadata     struct {
		Timestamp string
		Component *struct {
			BOMRef string `json:"bom-ref"`
			Name   string
		}
	}
	Components []cdxComp
	Vulns      []struct {
		ID       string
		Analysis struct {
			State, Justification, Detail string
			Response                     []string
		}
		Affects []struct {
			Ref      string
			Versions []struct{ Version, Status string }
		}
		Ratings []struct {
			Score  float64
			Method string
		}
	} `json:"vulnerabilities"`
}

type cdxComp struct {
	BOMRef     string `json:"bom-ref"`
	Type, Name string
	Components []cdxComp
}

func collectRefs(cs []cdxComp, into map[string]bool) {
	for _, c := range cs {
		into[c.BOMRef] = true
		collectRefs(c.Components, into)
	}
}

// TestCycloneDXSchema: the VDR/VEX BOM of one device and of a fleet is
// valid CycloneDX 1.6 (the official schema embedded in
// internal/schemacheck), every affects ref names a component of the BOM,
// and each status has its analysis state.
func TestCycloneDXSchema(t *testing.T) {
	one := statusScan()
	one.Results = one.Results[:1]
	for name, s := range map[string]*Scan{"one device": one, "statuses": statusScan(), "fleet": fleetScan(t)} {
		b := render(t, "cyclonedx", s, testOptions)
		vs, err := schemacheck.CheckJSON("CycloneDX", "1.6", b)
		if err != nil || len(vs) > 0 {
			t.Errorf("%s: %v %v", name, err, vs)
		}
		var out cdxOut
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		refs := map[string]bool{}
		collectRefs(out.Components, refs)
		if out.Metadata.Component != nil {
			refs[out.Metadata.Component.BOMRef] = true
		}
		for _, v := range out.Vulns {
			for _, a := range v.Affects {
				if !refs[a.Ref] {
					t.Errorf("%s: %s affects unknown ref %q", name, v.ID, a.Ref)
				}
			}
		}
		if !strings.HasPrefix(out.SerialNumber, "urn:uuid:") || out.Metadata.Timestamp != "2026-01-02T00:00:00Z" {
			t.Errorf("%s: serial %q timestamp %q", name, out.SerialNumber, out.Metadata.Timestamp)
		}
	}
	var out cdxOut
	json.Unmarshal(render(t, "cyclonedx", one, testOptions), &out)
	if out.Metadata.Component == nil || out.Metadata.Component.Name != "VitaFlow 3000" {
		t.Fatalf("one device: metadata.component %+v", out.Metadata.Component)
	}
	state := map[string]string{}
	just := map[string]string{}
	for _, v := range out.Vulns {
		state[v.ID] = v.Analysis.State
		just[v.ID] = v.Analysis.Justification
	}
	for id, want := range map[string]string{
		"CVE-2021-44228": "exploitable", "CVE-2021-45046": "not_affected", "CVE-2022-0001": "not_affected",
		"CVE-2022-0002": "not_affected", "CVE-2021-42374": "resolved", "CVE-2023-0286": "in_triage", "CVE-2018-25032": "in_triage",
	} {
		if state[id] != want {
			t.Errorf("%s: state %q, want %q", id, state[id], want)
		}
	}
	if just["CVE-2021-45046"] != "code_not_reachable" || just["CVE-2022-0001"] != "protected_at_runtime" || just["CVE-2022-0002"] != "" {
		t.Errorf("justifications %v", just)
	}
	// A fleet: devices are top-level components with their parts nested.
	json.Unmarshal(render(t, "cyclonedx", statusScan(), testOptions), &out)
	if len(out.Components) != 3 || out.Components[0].Type != "device" || len(out.Components[0].Components) != 5 {
		t.Errorf("fleet components %+v", out.Components)
	}
	// Only the hash the schema allows is kept.
	if b := string(render(t, "cyclonedx", one, testOptions)); strings.Count(b, `"alg":`) != 1 || !strings.Contains(b, "5d0f8f5e") {
		t.Error("busybox hashes not filtered to the valid one")
	}
}

// TestOpenVEX: every statement is valid by go-vex's own rules (an
// affected statement has an action, not_affected a justification or an
// impact), the document parses back with go-vex, and statuses map as
// documented.
func TestOpenVEX(t *testing.T) {
	for name, s := range map[string]*Scan{"statuses": statusScan(), "fleet": fleetScan(t)} {
		b := render(t, "openvex", s, testOptions)
		doc, err := vex.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := 0
		for _, r := range s.Results {
			n += len(r.Findings)
		}
		if len(doc.Statements) != n {
			t.Errorf("%s: %d statements for %d findings", name, len(doc.Statements), n)
		}
		for i := range doc.Statements {
			if err := doc.Statements[i].Validate(); err != nil {
				t.Errorf("%s: statement %d (%s): %v", name, i, doc.Statements[i].Vulnerability.Name, err)
			}
		}
		if doc.Timestamp == nil || !doc.Timestamp.Equal(asOf) || !strings.HasPrefix(doc.ID, "https://openvex.dev/docs/") || doc.Author == "" {
			t.Errorf("%s: metadata %+v", name, doc.Metadata)
		}
	}
	doc, _ := vex.Parse(render(t, "openvex", statusScan(), testOptions))
	got := map[string]vex.Statement{}
	for _, st := range doc.Statements {
		got[string(st.Vulnerability.Name)] = st
	}
	for id, want := range map[string]vex.Status{
		"CVE-2021-44228": vex.StatusAffected, "CVE-2021-45046": vex.StatusNotAffected, "CVE-2021-42374": vex.StatusFixed,
		"CVE-2023-0286": vex.StatusUnderInvestigation, "CVE-2018-25032": vex.StatusUnderInvestigation,
	} {
		if got[id].Status != want {
			t.Errorf("%s: %q, want %q", id, got[id].Status, want)
		}
	}
	if got["CVE-2021-45046"].Justification != vex.VulnerableCodeNotInExecutePath || got["CVE-2022-0001"].Justification != vex.InlineMitigationsAlreadyExist {
		t.Errorf("justifications %q %q", got["CVE-2021-45046"].Justification, got["CVE-2022-0001"].Justification)
	}
	if got["CVE-2022-0002"].ImpactStatement != "The vulnerable applet is compiled out" {
		t.Errorf("free-text justification: %+v", got["CVE-2022-0002"])
	}
	if !strings.Contains(got["CVE-2018-25032"].StatusNotes, "no version") {
		t.Errorf("unknown: notes %q", got["CVE-2018-25032"].StatusNotes)
	}
	st := got["CVE-2021-44228"]
	if st.Products[0].ID != "pkg:generic/acme/vitaflow-3000@4.2.1" || st.Products[0].Subcomponents[0].ID != "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" ||
		!strings.Contains(st.ActionStatement, "Install firmware 4.3.0") {
		t.Errorf("log4j statement %+v", st)
	}
	if got["CVE-2022-0001"].Products[0].Subcomponents[0].ID != "cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*" {
		t.Errorf("CPE-only component: %+v", got["CVE-2022-0001"].Products[0])
	}
	if len(got["CVE-2019-5000"].Products[0].Subcomponents) != 0 {
		t.Error("device-level finding has a subcomponent")
	}
	var buf bytes.Buffer
	if err := OpenVEX(&buf, statusScan(), Options{}); err == nil {
		t.Error("no error without a date")
	}
}

// csafSchema compiles the CSAF 2.0 schema of ../shared with the FIRST CVSS
// schemas it refers to.
func csafSchema(t *testing.T) *jsonschema.Schema {
	dir := sharedtest.Path(t, "csaf", "oasis-tcs-csaf", "csaf_2.0")
	const id = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
	return compileSchema(t, id, map[string]string{
		id: filepath.Join(dir, "json_schema", "csaf_json_schema.json"),
		"https://www.first.org/cvss/cvss-v2.0.json": filepath.Join(dir, "referenced_schema", "first", "cvss-v2.0.json"),
		"https://www.first.org/cvss/cvss-v3.0.json": filepath.Join(dir, "referenced_schema", "first", "cvss-v3.0.json"),
		"https://www.first.org/cvss/cvss-v3.1.json": filepath.Join(dir, "referenced_schema", "first", "cvss-v3.1.json"),
	}, true)
}

type csafOut struct {
	Document struct {
		Category string
		Tracking struct {
			ID                 string
			CurrentReleaseDate string `json:"current_release_date"`
			InitialReleaseDate string `json:"initial_release_date"`
		}
	}
	ProductTree struct {
		FullProductNames []struct {
			Name      string
			ProductID string `json:"product_id"`
		} `json:"full_product_names"`
		Relationships []struct {
			Category        string
			FullProductName struct {
				ProductID string `json:"product_id"`
			} `json:"full_product_name"`
		}
	} `json:"product_tree"`
	Vulnerabilities []struct {
		CVE           string
		IDs           []struct{ SystemName, Text string }
		ProductStatus map[string][]string `json:"product_status"`
		Flags         []struct {
			Label      string
			ProductIDs []string `json:"product_ids"`
		}
		Threats []struct {
			Category   string
			ProductIDs []string `json:"product_ids"`
		}
		Remediations []struct {
			Category   string
			ProductIDs []string `json:"product_ids"`
		}
	}
}

// TestCSAFSharedSchema: the CSAF VEX document of one device validates
// against the official CSAF 2.0 schema (../shared, with format checks),
// and meets the csaf_vex profile's rules that a schema cannot express:
// every known_affected product has a remediation, every
// known_not_affected product a flag or an impact threat, and every
// product id used is defined.
func TestCSAFSharedSchema(t *testing.T) {
	sch := csafSchema(t)
	fleet := fleetScan(t)
	cases := map[string]struct {
		s *Scan
		o Options
	}{"statuses": {statusScan(), optionsFor("csaf")}}
	for _, r := range fleet.Results {
		o := testOptions
		o.Device = r.ID
		if len(r.Findings) == 0 {
			var buf bytes.Buffer
			if err := CSAF(&buf, fleet, o); err == nil || !strings.Contains(err.Error(), "no findings") {
				t.Errorf("%s has no findings: %v", r.Device.Name, err)
			}
			continue
		}
		cases["fleet "+r.Device.Name] = struct {
			s *Scan
			o Options
		}{fleet, o}
	}
	for name, c := range cases {
		b := render(t, "csaf", c.s, c.o)
		if err := validate(t, sch, b); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var out csafOut
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		if out.Document.Category != "csaf_vex" || out.Document.Tracking.CurrentReleaseDate != "2026-01-02T00:00:00Z" {
			t.Errorf("%s: document %+v", name, out.Document)
		}
		defined := map[string]bool{"CSAFPID-DEVICE": true}
		for _, p := range out.ProductTree.FullProductNames {
			defined[p.ProductID] = true
		}
		for _, r := range out.ProductTree.Relationships {
			defined[r.FullProductName.ProductID] = true
		}
		for _, v := range out.Vulnerabilities {
			covered := map[string]bool{}
			for _, r := range v.Remediations {
				for _, p := range r.ProductIDs {
					covered["rem "+p] = true
				}
			}
			for _, f := range v.Flags {
				for _, p := range f.ProductIDs {
					covered["imp "+p] = true
				}
			}
			for _, th := range v.Threats {
				for _, p := range th.ProductIDs {
					if th.Category == "impact" {
						covered["imp "+p] = true
					}
				}
			}
			for list, ids := range v.ProductStatus {
				for _, p := range ids {
					if !defined[p] {
						t.Errorf("%s: %s: %s lists undefined product %s", name, v.CVE, list, p)
					}
					if list == "known_affected" && !covered["rem "+p] {
						t.Errorf("%s: %s: known_affected %s without remediation", name, v.CVE, p)
					}
					if list == "known_not_affected" && !covered["imp "+p] {
						t.Errorf("%s: %s: known_not_affected %s without flag or impact", name, v.CVE, p)
					}
				}
			}
		}
	}
	var out csafOut
	json.Unmarshal(render(t, "csaf", statusScan(), optionsFor("csaf")), &out)
	lists := map[string]string{}
	for _, v := range out.Vulnerabilities {
		id := v.CVE
		if id == "" {
			id = v.IDs[0].Text
		}
		for list, ids := range v.ProductStatus {
			if len(ids) > 0 {
				lists[id] = list
			}
		}
	}
	for id, want := range map[string]string{
		"CVE-2021-44228": "known_affected", "CVE-2021-45046": "known_not_affected", "CVE-2022-0002": "known_not_affected",
		"CVE-2021-42374": "fixed", "CVE-2023-0286": "under_investigation", "CVE-2018-25032": "under_investigation",
		"GHSA-xxxx-yyyy-zzzz": "known_affected", "CVE-2019-5000": "known_affected",
	} {
		if lists[id] != want {
			t.Errorf("%s: %q, want %q", id, lists[id], want)
		}
	}
	if out.Document.Tracking.ID != "bomrank-vitaflow-3000-4.2.1-20260102" {
		t.Errorf("tracking id %q", out.Document.Tracking.ID)
	}
}

func TestCSAFNeedsDeviceAndDate(t *testing.T) {
	var buf bytes.Buffer
	if err := CSAF(&buf, statusScan(), testOptions); err == nil || !strings.Contains(err.Error(), "3 devices") {
		t.Errorf("no device chosen: %v", err)
	}
	if err := CSAF(&buf, statusScan(), Options{Device: "asset-0042"}); err == nil {
		t.Error("no error without a date")
	}
	for sel, want := range map[string]string{"asset-0042": "asset-0042", "fleet/hub.spdx.json": "fleet/hub.spdx.json", "CardioSense X2": "fleet/monitor.cdx.xml"} {
		r, err := SelectDevice(statusScan(), sel)
		if err != nil || r.ID != want {
			t.Errorf("SelectDevice(%q) = %v, %v", sel, r, err)
		}
	}
	if _, err := SelectDevice(statusScan(), "nope"); err == nil {
		t.Error("unknown device selected")
	}
}

// TestCSV: one row per (device, finding), a row for a device without
// findings, formula-like cells from the inputs neutralised.
func TestCSV(t *testing.T) {
	b := render(t, "csv", statusScan(), testOptions)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+9+1+1 {
		t.Fatalf("%d rows", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if len(r) != len(csvHeader) {
			t.Fatalf("row of %d cells", len(r))
		}
	}
	if rows[len(rows)-1][col["device"]] != "CardioSense X2" || rows[len(rows)-1][col["vulnerability"]] != "" {
		t.Errorf("device without findings: %v", rows[len(rows)-1])
	}
	for _, r := range rows[1:] {
		if r[col["vulnerability"]] == "CVE-2021-44228" {
			if r[col["severity"]] != "critical" || r[col["cvss_score"]] != "10.0" || r[col["fixed"]] != "2.15.0" || r[col["priority"]] != "immediate" {
				t.Errorf("log4j row %v", r)
			}
		}
		if r[col["vulnerability"]] == "GHSA-xxxx-yyyy-zzzz" && r[col["component_version"]] != "'=1+2" {
			t.Errorf("formula not neutralised: %q", r[col["component_version"]])
		}
	}
}

// TestMarkdownAndHTMLEscape: text from the inputs cannot become markup.
func TestMarkdownAndHTMLEscape(t *testing.T) {
	mdOut := string(render(t, "markdown", statusScan(), testOptions))
	if strings.Contains(mdOut, "<script>") || strings.Contains(mdOut, "<img") || regexp.MustCompile(`[^\\]\]\(javascript:`).MatchString(mdOut) {
		t.Errorf("markdown lets markup through:\n%s", mdOut)
	}
	for _, want := range []string{"&lt;script&gt;", `\*bold\*`, "vulnerable code not in execute path", "the SBOM gives no version for zlib", "Install firmware 4.3.0", "| immediate | 1 |"} {
		if !strings.Contains(mdOut, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	h := string(render(t, "html", statusScan(), testOptions))
	if tag := regexp.MustCompile(`<(script|img|link|iframe|object|embed)\b`).FindString(h); tag != "" || strings.Contains(h, "url(") || strings.Contains(h, "@import") {
		t.Errorf("HTML contains %q (markup from the inputs, or an external asset)", tag)
	}
	for _, want := range []string{"&lt;script&gt;", "<svg", "JNDI lookups are disabled", "vulnerable code not in execute path", "no version for zlib",
		"Install firmware 4.3.0", "exploitation active: CVE-2021-44228 in KEV since 2021-12-10", "fixed in 2.15.0"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// One bar per priority, in the order of Priorities.
	bars := regexp.MustCompile(`<title>([a-z-]+): (\d+) device\(s\)</title>`).FindAllStringSubmatch(h, -1)
	var got []string
	for _, b := range bars {
		got = append(got, b[1]+"="+b[2])
	}
	if want := "immediate=1 out-of-cycle=1 scheduled=0 defer=0 unassessed=0 none=1"; strings.Join(got, " ") != want {
		t.Errorf("chart %v, want %s", got, want)
	}
}

// TestTableColour: colours only when asked; the alignment does not
// depend on them; control characters from the inputs are neutralised.
func TestTableColour(t *testing.T) {
	s := statusScan()
	s.Results[1].Device.Name = "Hub\x1b[2J"
	plain := string(render(t, "table", s, Options{Details: true}))
	colour := string(render(t, "table", s, Options{Details: true, Color: true}))
	if strings.Contains(plain, "\x1b") {
		t.Error("escape in a plain table")
	}
	if !strings.Contains(colour, "\x1b[1;31mimmediate\x1b[0m") || !strings.Contains(colour, "\x1b[32mnot_affected\x1b[0m") {
		t.Errorf("colours missing:\n%q", colour)
	}
	strip := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(colour, "")
	if strip != plain {
		t.Errorf("colour changes the layout:\n%s\n---\n%s", strip, plain)
	}
	if !strings.Contains(plain, "Hub?[2J") {
		t.Errorf("control character not replaced:\n%s", plain)
	}
	for _, want := range []string{"TOP REASONS", "exploitation active: CVE-2021-44228 in KEV since 2021-12-10; human impact very high: safety catastrophic (+1 more)",
		"install manufacturer update: Install firmware 4.3.0 (https://acme.example/psirt/4.3.0)", "next step: install manufacturer update", "inline", "2 input(s) skipped"} {
		if want == "inline" {
			continue
		}
		if !strings.Contains(plain, want) {
			t.Errorf("table lacks %q:\n%s", want, plain)
		}
	}
}

func TestScores(t *testing.T) {
	for _, c := range []struct {
		typ, vector string
		base        float64
		rating      string
	}{
		{"CVSS_V3", v31Critical, 10.0, "critical"},
		{"CVSS_V3", v31Medium, 4.2, "medium"},
		{"CVSS_V3", v30High, 7.5, "high"},
		{"CVSS_V2", v2High, 7.5, "high"},
		{"CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, "high"}, // v2 has no critical
		{"CVSS_V4", v40Critical, 9.3, "critical"},
		{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, "none"},
	} {
		s, ok := ParseScore(advisoryScore(c.typ, c.vector))
		if !ok || s.Base != c.base || s.Rating != c.rating {
			t.Errorf("%s: %+v %v, want %.1f %s", c.vector, s, ok, c.base, c.rating)
		}
	}
	for _, bad := range []string{"", "high", "CVSS:3.1/AV:N", "CVSS:9.9/AV:N", "AV:X/AC:L/Au:N/C:P/I:P/A:P"} {
		if _, ok := ParseScore(advisoryScore("CVSS_V3", bad)); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestThreshold: priorities compare in the order of Priorities; a
// severity counts only affected findings.
func TestThreshold(t *testing.T) {
	s := statusScan()
	reach := func(level string) string {
		th, err := ParseThreshold(level)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range th.Reaching(s) {
			ids = append(ids, r.ID)
		}
		return strings.Join(ids, ",")
	}
	for level, want := range map[string]string{
		"immediate":    "asset-0042",
		"out-of-cycle": "asset-0042,fleet/hub.spdx.json",
		"Scheduled":    "asset-0042,fleet/hub.spdx.json",
		"unassessed":   "asset-0042,fleet/hub.spdx.json",
		"critical":     "asset-0042",
		"high":         "asset-0042,fleet/hub.spdx.json",
		"low":          "asset-0042,fleet/hub.spdx.json",
	} {
		if got := reach(level); got != want {
			t.Errorf("--fail-on %s: %q, want %q", level, got, want)
		}
	}
	// The critical not_affected finding alone does not make a device
	// critical.
	s.Results[0].Findings = s.Results[0].Findings[1:2]
	if got := reach("critical"); got != "" {
		t.Errorf("not_affected counted: %q", got)
	}
	for _, bad := range []string{"none", "urgent", "", "9.0"} {
		if _, err := ParseThreshold(bad); err == nil {
			t.Errorf("ParseThreshold(%q) accepted", bad)
		}
	}
	// A priority the list does not know is never reached.
	th, _ := ParseThreshold("defer")
	if th.Reached(&match.DeviceResult{Priority: "brand-new"}) {
		t.Error("unknown priority reaches defer")
	}
}

func TestPriorityOrder(t *testing.T) {
	for i, p := range Priorities {
		if PriorityIndex(p) != i {
			t.Errorf("%s at %d", p, PriorityIndex(p))
		}
	}
	if PriorityIndex("x") != len(Priorities) || fmt.Sprint(Priorities) != "[immediate out-of-cycle scheduled defer none]" {
		t.Error("order")
	}
	// The charts keep the retired unassessed row (always 0): their bytes
	// do not change.
	if fmt.Sprint(chartPriorities) != "[immediate out-of-cycle scheduled defer unassessed none]" {
		t.Errorf("chart rows %v", chartPriorities)
	}
}

// TestFailOnUnassessed: "unassessed" is no longer offered (never
// produced), but `--fail-on unassessed` is a contract: it still parses,
// prints as written, and reaches exactly the devices it reached before,
// every priority above none. (Before, it was a place in Priorities; only
// a device carrying the retired priority itself, which bomrank never
// produced, differs.)
func TestFailOnUnassessed(t *testing.T) {
	th, err := ParseThreshold(" Unassessed ")
	if err != nil || th.String() != "unassessed" {
		t.Fatalf("ParseThreshold(unassessed) = %v, %v", th, err)
	}
	before := []string{"immediate", "out-of-cycle", "scheduled", "defer", "unassessed", "none"}
	for _, p := range append(ssvc.Priorities(), "brand-new", "") {
		old := slices.Index(before, string(p))
		reachedBefore := old >= 0 && old <= slices.Index(before, "unassessed")
		if got := th.Reached(&match.DeviceResult{Priority: p}); got != reachedBefore {
			t.Errorf("priority %q: reached %v, before %v", p, got, reachedBefore)
		}
		if d, _ := ParseThreshold("defer"); d.Reached(&match.DeviceResult{Priority: p}) != th.Reached(&match.DeviceResult{Priority: p}) {
			t.Errorf("priority %q: unassessed and defer differ", p)
		}
	}
	_, err = ParseThreshold("urgent")
	if err == nil || strings.Contains(err.Error(), "unassessed") || !strings.Contains(err.Error(), "(immediate, out-of-cycle, scheduled, defer)") {
		t.Errorf("the error offers %v", err)
	}
}
