package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

func sampleScan() *Scan {
	c := &sbom.Component{Name: "zlib", Version: "1.2.11", PURL: "pkg:generic/zlib@1.2.11"}
	d := &sbom.Device{Component: sbom.Component{Name: "Pump", Version: "4.2"}, Path: "pump.json", Components: []*sbom.Component{c}}
	r := &match.DeviceResult{Device: d, ID: "pump.json", Rank: 1, Priority: "unassessed", Score: 1, Reasons: []string{"1 affected finding(s)"},
		Findings: []*match.Finding{
			{ID: "CVE-2018-25032", Status: match.Affected, Component: c, Fixed: []string{"1.2.12"},
				Severity: []advisory.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}},
				Sources:  []match.Source{{ID: "OSV-1", Format: "osv", Path: "feed.json", Match: "purl"}}},
			{ID: "CVE-2022-37434", Status: match.Unknown, Reason: "no version ordering", Component: c},
		}}
	return &Scan{Results: []*match.DeviceResult{r, {Device: &sbom.Device{Component: sbom.Component{Name: "Hub"}, Path: "hub.json"}, ID: "hub.json", Rank: 2, Priority: "none"}},
		SBOMErrors: []*sbom.ParseError{{Path: "bad.json", Err: sbom.ErrNotSBOM}}, Advisories: 3}
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleScan()); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.String())
	}
	devs := out["devices"].([]any)
	if len(devs) != 2 {
		t.Fatalf("%d devices", len(devs))
	}
	d0 := devs[0].(map[string]any)
	for _, k := range []string{"id", "sbom", "name", "manufacturer", "version", "rank", "priority", "score", "reasons", "findings"} {
		if _, ok := d0[k]; !ok {
			t.Errorf("device lacks %q", k)
		}
	}
	f0 := d0["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "aliases", "status", "component", "fixed", "severity", "sources"} {
		if _, ok := f0[k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	if f1 := d0["findings"].([]any)[1].(map[string]any); f1["status"] != "unknown" || f1["reason"] == "" {
		t.Errorf("unknown finding: %v", f1)
	}
	if devs[1].(map[string]any)["findings"] == nil {
		t.Error("findings must be an array, not null")
	}
	sum := out["summary"].(map[string]any)
	if sum["devices"].(float64) != 2 || sum["findings"].(float64) != 2 || sum["unknown_findings"].(float64) != 1 || sum["skipped_inputs"].(float64) != 1 {
		t.Errorf("summary %v", sum)
	}
	var again bytes.Buffer
	JSON(&again, sampleScan())
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("not deterministic")
	}
}

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	if err := Table(&buf, sampleScan(), true); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{"RANK", "Pump", "CVE-2018-25032", "no fix: ask the manufacturer (fixed upstream in zlib 1.2.12)", "no version ordering", "1 input(s) skipped"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
}
