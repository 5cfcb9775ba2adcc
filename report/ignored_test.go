package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/match"
)

// acceptedScan is the status scan with its log4j finding accepted and
// one stale entry.
func acceptedScan() (*Scan, *match.Finding) {
	s := statusScan()
	f := s.Results[0].Findings[0]
	f.Ignored = &match.Acceptance{Reason: "isolated VLAN", By: "j.doe", Until: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}
	s.StaleIgnores = []IgnoreEntry{{File: ".bomrank.yaml", N: 2, ID: "CVE-2099-0001", Reason: "old", Device: "X"}}
	return s, f
}

// TestAcceptedJSON: an accepted finding keeps its status and gains
// "ignored"; the stale entries are listed; the output is the contract
// (scanJSON, strictly, to the same bytes) and validates against the
// published schema.
func TestAcceptedJSON(t *testing.T) {
	s, _ := acceptedScan()
	var buf bytes.Buffer
	if err := JSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	var v scanJSON
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	f := v.Devices[0].Findings[0]
	if f.Status != "affected" || f.Ignored == nil || *f.Ignored != (ignoredJSON{Reason: "isolated VLAN", Until: "2027-03-31", By: "j.doe"}) {
		t.Errorf("finding %s: status %s, ignored %+v", f.ID, f.Status, f.Ignored)
	}
	if v.Devices[0].Findings[1].Ignored != nil {
		t.Error("a finding not accepted has ignored")
	}
	want := []staleIgnoreJSON{{File: ".bomrank.yaml", Entry: 2, ID: "CVE-2099-0001", Device: "X", Reason: "old"}}
	if len(v.StaleIgnores) != 1 || v.StaleIgnores[0] != want[0] {
		t.Errorf("stale_ignores %+v", v.StaleIgnores)
	}
	got, _ := json.MarshalIndent(v, "", "  ")
	if !bytes.Equal(append(got, '\n'), buf.Bytes()) {
		t.Error("scanJSON encodes to other bytes than JSON wrote")
	}
	sch := compileSchema(t, ScanSchemaID, map[string]string{ScanSchemaID: filepath.Join("schema", "scan.schema.json")}, true)
	if err := validate(t, sch, buf.Bytes()); err != nil {
		t.Error(err)
	}
	bad := strings.Replace(buf.String(), `"reason": "isolated VLAN"`, `"reason": ""`, 1)
	if validate(t, sch, []byte(bad)) == nil {
		t.Error("schema accepts an acceptance without a reason")
	}
}

// TestAcceptedHumanFormats: every human format keeps the accepted
// finding and says who accepted it, why and until when; the table mutes
// it, SARIF suppresses it.
func TestAcceptedHumanFormats(t *testing.T) {
	s, _ := acceptedScan()
	const text = "accepted by j.doe: isolated VLAN until 2027-03-31"
	for _, c := range []struct{ format, want string }{
		{"table", text}, {"markdown", "affected (accepted)"}, {"markdown", text}, {"html", `<tr class="muted accepted">`},
		{"html", text}, {"csv", text}, {"sarif", `"suppressions": [`}, {"sarif", `"justification": "` + text + `"`},
		{"cyclonedx", `"detail": "` + text + `"`}, {"openvex", `"status_notes": "` + text + `"`}, {"csaf", `"text": "` + text + `"`},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, c.format, s, Options{Details: true, Color: c.format == "table", Device: s.Results[0].ID, AsOf: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), c.want) {
			t.Errorf("%s: no %q", c.format, c.want)
		}
		if c.format == "table" && !strings.Contains(buf.String(), "\x1b[2mCVE-2021-44228\x1b[0m") {
			t.Errorf("table: the accepted finding is not muted")
		}
	}
	s.Results[0].Findings[0].Ignored.By, s.Results[0].Findings[0].Ignored.Until = "", time.Time{}
	if got := Accepted(s.Results[0].Findings[0]); got != "accepted: isolated VLAN" {
		t.Errorf("Accepted without by and until = %q", got)
	}
}

// TestAcceptedDoesNotReachFailOn: an accepted finding does not make its
// device reach a severity threshold.
func TestAcceptedDoesNotReachFailOn(t *testing.T) {
	s := statusScan()
	th, _ := ParseThreshold("critical")
	if !th.Reached(s.Results[0]) {
		t.Fatal("the status scan's pump does not reach critical")
	}
	for _, f := range s.Results[0].Findings {
		if f.Status == match.Affected {
			f.Ignored = &match.Acceptance{Reason: "r"}
		}
	}
	if th.Reached(s.Results[0]) {
		t.Error("accepted findings reach --fail-on critical")
	}
}

// TestAcceptedSARIFSchema: the suppression is valid SARIF 2.1.0.
func TestAcceptedSARIFSchema(t *testing.T) {
	sch := compileSchema(t, sarifSchemaID, map[string]string{sarifSchemaID: filepath.Join("testdata", "sarif-schema-2.1.0.json")}, false)
	s, _ := acceptedScan()
	b := render(t, "sarif", s, testOptions)
	if err := validate(t, sch, b); err != nil {
		t.Error(err)
	}
	bad := strings.Replace(string(b), `"status": "accepted"`, `"status": "waived"`, 1)
	if validate(t, sch, []byte(bad)) == nil {
		t.Error("the SARIF schema check does not look at suppressions")
	}
}
