package scan

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/report"
)

var cardioSense = filepath.Join(fleet, "patient-monitor-cardiosense-x2.cdx.xml")

// finding returns the finding id of the only device of res, or nil.
func finding(t *testing.T, res *report.Scan, id string) *match.Finding {
	t.Helper()
	if len(res.Results) != 1 {
		t.Fatalf("%d results, want 1 (errors: %v)", len(res.Results), res.Err())
	}
	for _, f := range res.Results[0].Findings {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// csafSA202603 is a CSAF advisory with tracking id SA-2026-03 about
// CVE-2026-90003 in the product model of vendor, published by it.
func csafSA202603(vendor, namespace, product, model, date string) string {
	return fmt.Sprintf(`{
  "document": {
    "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "%[1]s advisory",
    "publisher": {"category": "vendor", "name": %[1]q, "namespace": %[2]q},
    "tracking": {"id": "SA-2026-03", "version": "1", "status": "final",
      "initial_release_date": %[5]q, "current_release_date": %[5]q,
      "revision_history": [{"date": %[5]q, "number": "1", "summary": "Initial release"}]}
  },
  "product_tree": {"branches": [{"category": "vendor", "name": %[1]q, "branches": [
    {"category": "product_name", "name": "%[3]s (%[4]s)", "branches": [
      {"category": "product_version_range", "name": "<= 2.0.3",
       "product": {"name": "%[3]s (%[4]s) <= 2.0.3", "product_id": "CSAFPID-0001"}},
      {"category": "product_version", "name": "2.1.0",
       "product": {"name": "%[3]s (%[4]s) 2.1.0", "product_id": "CSAFPID-0002"}}]}]}]},
  "vulnerabilities": [{
    "cve": "CVE-2026-90003", "title": "central link accepts unsigned configuration",
    "product_status": {"known_affected": ["CSAFPID-0001"], "first_fixed": ["CSAFPID-0002"]},
    "remediations": [{"category": "vendor_fix", "details": "Update to 2.1.0.", "product_ids": ["CSAFPID-0001"]}],
    "scores": [{"products": ["CSAFPID-0001"], "cvss_v3": {"version": "3.1",
      "vectorString": "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H", "baseScore": 8.1, "baseSeverity": "HIGH"}}]
  }]
}`, vendor, namespace, product, model, date)
}

// Two publishers' CSAF documents with one tracking id (SA-2026-03) are two
// documents: Acme's later one does not replace Nordlicht's, whose
// CardioSense X2 keeps its CVE-2026-90003, and both are listed.
func TestRunCSAFTrackingIDPerPublisher(t *testing.T) {
	dir := t.TempDir()
	nordlicht := filepath.Join(dir, "nordlicht-sa-2026-03.json")
	acme := filepath.Join(dir, "acme-sa-2026-03.json")
	os.WriteFile(nordlicht, []byte(csafSA202603("Nordlicht", "https://nordlicht-medizintechnik.example", "CardioSense X2", "CSX2-100", "2026-03-02T09:00:00.000Z")), 0o644)
	os.WriteFile(acme, []byte(csafSA202603("Acme Medical", "https://acme-medical.example", "InfuLine 9", "IL9-200", "2026-04-20T09:00:00.000Z")), 0o644)
	res, err := Run(context.Background(), Config{SBOMs: []string{cardioSense}, Advisories: []string{dir}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() != nil {
		t.Fatal(res.Err())
	}
	f := finding(t, res, "CVE-2026-90003")
	if f == nil || f.Status != match.Affected {
		t.Fatalf("CardioSense X2's CVE-2026-90003 from Nordlicht's SA-2026-03: %+v", f)
	}
	var pubs []string
	for _, d := range res.Documents {
		if d.ID == "SA-2026-03" {
			pubs = append(pubs, d.Publisher)
		}
	}
	if strings.Join(pubs, ",") != "Acme Medical,Nordlicht" {
		t.Errorf("documents SA-2026-03 by %v, want Acme Medical and Nordlicht", pubs)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("warnings %q", res.Warnings)
	}

	// The JSON output lists both documents and keeps the record id.
	var b strings.Builder
	if err := report.Write(&b, "json", res, report.Options{AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), `"id": "SA-2026-03"`); n != 2 {
		t.Errorf("%d documents SA-2026-03 in the JSON output, want 2", n)
	}
	if !strings.Contains(b.String(), "SA-2026-03/CVE-2026-90003") {
		t.Errorf("record id SA-2026-03/CVE-2026-90003 not in the JSON output")
	}

	// A later revision of Nordlicht's own document still replaces it.
	os.WriteFile(acme, []byte(strings.ReplaceAll(csafSA202603("Nordlicht", "https://nordlicht-medizintechnik.example", "CardioSense X2", "CSX2-100", "2026-04-20T09:00:00.000Z"),
		`"known_affected"`, `"known_not_affected"`)), 0o644)
	res, err = Run(context.Background(), Config{SBOMs: []string{cardioSense}, Advisories: []string{dir}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if f := finding(t, res, "CVE-2026-90003"); f != nil && f.Status == match.Affected {
		t.Errorf("Nordlicht's later revision did not replace its first: %+v", f)
	}
}

// log4Shell writes the real GHSA-jfh8-c2jp-5v3q record to dir, changed by
// edit, and returns its path.
func log4Shell(t *testing.T, dir string, edit func(rec map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(feeds, "osv", "GHSA-jfh8-c2jp-5v3q.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(rec)
	}
	if data, err = json.Marshal(rec); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "GHSA-jfh8-c2jp-5v3q.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A later copy of GHSA-jfh8-c2jp-5v3q that is withdrawn, or whose ranges
// leave log4j-core 2.14.1 out, wins as OSV says, but never without a word:
// a warning names both files.
func TestRunOSVReplacementWarned(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		edit      func(rec map[string]any)
	}{
		{"withdrawn", "withdrawn", func(rec map[string]any) {
			rec["modified"] = "2026-05-01T00:00:00Z"
			rec["withdrawn"] = "2026-05-01T00:00:00Z"
		}},
		{"narrowed", "affected packages or ranges differ", func(rec map[string]any) {
			rec["modified"] = "2026-05-01T00:00:00Z"
			aff := rec["affected"].([]any)
			ev := aff[0].(map[string]any)["ranges"].([]any)[0].(map[string]any)["events"].([]any)
			ev[0] = map[string]any{"introduced": "2.14.2"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			orig := log4Shell(t, filepath.Join(dir, "a"), nil)
			later := log4Shell(t, filepath.Join(dir, "b"), tc.edit)
			res, err := Run(context.Background(), Config{SBOMs: []string{cardioSense}, Advisories: []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}, AsOf: asOf})
			if err != nil {
				t.Fatal(err)
			}
			if f := finding(t, res, "CVE-2021-44228"); f != nil {
				t.Errorf("Log4Shell still found through %v", f.Sources)
			}
			var w string
			for _, wn := range res.Warnings {
				if strings.Contains(wn, "replaces") {
					if w != "" {
						t.Errorf("two replacement warnings: %q", res.Warnings)
					}
					w = wn
				}
			}
			for _, s := range []string{"GHSA-jfh8-c2jp-5v3q", orig, later, tc.why} {
				if !strings.Contains(w, s) {
					t.Errorf("warning %q does not say %q", w, s)
				}
			}
		})
	}
}

// The same records read twice with identical content (a directory and a
// zip of it) are not a replacement worth a warning.
func TestRunOSVSameRecordTwiceNoWarning(t *testing.T) {
	dir := t.TempDir()
	zf, err := os.Create(filepath.Join(dir, "all.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	ents, err := os.ReadDir(filepath.Join(feeds, "osv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(feeds, "osv", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	res, err := Run(context.Background(), Config{SBOMs: []string{cardioSense}, Advisories: []string{filepath.Join(feeds, "osv"), filepath.Join(dir, "all.zip")}, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) > 0 || res.Err() != nil {
		t.Errorf("warnings %q, errors %v", res.Warnings, res.Err())
	}
	if f := finding(t, res, "CVE-2021-44228"); f == nil {
		t.Errorf("Log4Shell not found")
	}
}

// Many replacements: the first ten named (withdrawals first), the rest
// counted in one line.
func TestReplacementWarningsSummarised(t *testing.T) {
	var rs []index.Replacement
	for i := range 25 {
		k := &advisory.Advisory{ID: fmt.Sprintf("OSV-%02d", i), Format: advisory.FormatOSV, Source: fmt.Sprintf("new/%02d.json", i), Modified: "2026-02-01T00:00:00Z"}
		o := &advisory.Advisory{ID: k.ID, Format: advisory.FormatOSV, Source: fmt.Sprintf("old/%02d.json", i), Modified: "2026-01-01T00:00:00Z"}
		rs = append(rs, index.Replacement{Kept: k, Replaced: o, Withdrawn: i < 12, AffectedDiffers: i >= 12 && i < 20})
	}
	ws := replacementWarnings(rs)
	if len(ws) != 11 {
		t.Fatalf("%d warnings, want 11: %q", len(ws), ws)
	}
	if !strings.Contains(ws[0], "new/00.json") || !strings.Contains(ws[0], "old/00.json") {
		t.Errorf("first warning %q", ws[0])
	}
	if want := "and 15 more records replaced by another file's copy with the same id (2 by a withdrawn copy, 8 with different affected packages or ranges)"; ws[10] != want {
		t.Errorf("last warning %q, want %q", ws[10], want)
	}
}
