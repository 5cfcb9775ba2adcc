package match

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/sbom"
)

// Issue 14, defects 2 and 4: a VEX statement changes a finding only when
// its author speaks for the device (its manufacturer or supplier, or an
// author the user trusts) and it names the device or component exactly.
// The device is the sample fleet's CardioSense X2 (Nordlicht
// Medizintechnik GmbH, log4j-core 2.14.1, BOM serial
// dd0ddcc3-5de1-5052-9b6f-837ff95496ea version 1) with Log4Shell from OSV.

const (
	cardioSerial = "dd0ddcc3-5de1-5052-9b6f-837ff95496ea"
	log4jPURL    = "pkg:maven/org.apache.logging.log4j/log4j-core"
	log4shellKey = "CardioSense X2|log4j-core|CVE-2021-44228"
)

// trustScan scans CardioSense X2 against Log4Shell (OSV) and the VEX
// documents docs (each parsed as written), trusting trust, and returns
// the Log4Shell finding of log4j-core.
func trustScan(t *testing.T, trust []string, docs ...string) *Finding {
	t.Helper()
	f := trustFindings(t, trust, docs...)[log4shellKey]
	if f == nil {
		t.Fatalf("no finding %s", log4shellKey)
	}
	return f
}

// trustFindings is trustScan's scan: every finding, by
// "device|component|id".
func trustFindings(t *testing.T, trust []string, docs ...string) map[string]*Finding {
	t.Helper()
	ar := advisory.Load(context.Background(), filepath.Join("..", "testdata", "feeds", "osv", "GHSA-jfh8-c2jp-5v3q.json"))
	if len(ar.Errors) > 0 {
		t.Fatal(ar.Errors)
	}
	advs := ar.Advisories
	for i, doc := range docs {
		a, err := advisory.Parse(strings.NewReader(doc), fmt.Sprintf("vex-%d.json", i))
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		advs = append(advs, a...)
	}
	sr := sbom.Load(context.Background(), filepath.Join("..", "testdata", "fleet", "patient-monitor-cardiosense-x2.cdx.xml"))
	if len(sr.Errors) > 0 || len(sr.Devices) != 1 {
		t.Fatal(sr.Errors)
	}
	m := &Matcher{Index: index.New(advs), TrustVEX: trust}
	out := map[string]*Finding{}
	for _, r := range scanned(t, m, context.Background(), sr.Devices) {
		for _, f := range r.Findings {
			out[r.Device.Name+"|"+f.Component.Name+"|"+f.ID] = f
		}
	}
	return out
}

// openVEX is an OpenVEX document by author: CVE-2021-44228 has status
// in product.
func openVEX(author, product, status string) string {
	just := ""
	if status == "not_affected" {
		just = `,"justification":"vulnerable_code_not_in_execute_path"`
	}
	return `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://vex.example/1","author":"` + author + `",
	  "timestamp":"2026-01-05T00:00:00Z","version":1,
	  "statements":[{"vulnerability":{"name":"CVE-2021-44228"},"products":[{"@id":"` + product + `"}],
	    "status":"` + status + `"` + just + `}]}`
}

// csafVEX is a CSAF VEX by publisher whose product CSAFPID-1 (branches
// as written) is in list for CVE-2021-44228.
func csafVEX(publisher, branches, list string) string {
	flags := ""
	if list == "known_not_affected" {
		flags = `,"flags":[{"label":"vulnerable_code_not_in_execute_path","product_ids":["CSAFPID-1"]}]`
	}
	return `{"document":{"category":"csaf_vex","csaf_version":"2.0","title":"VEX",
	  "publisher":{"category":"vendor","name":"` + publisher + `","namespace":"https://vex.example"},
	  "tracking":{"id":"VEX-1","status":"final","version":"1","initial_release_date":"2026-01-05T00:00:00Z",
	    "current_release_date":"2026-01-05T00:00:00Z","revision_history":[{"date":"2026-01-05T00:00:00Z","number":"1","summary":"x"}]}},
	  "product_tree":{"branches":[` + branches + `]},
	  "vulnerabilities":[{"cve":"CVE-2021-44228","product_status":{"` + list + `":["CSAFPID-1"]}` + flags + `}]}`
}

// cdxVEX is a CycloneDX VEX by manufacturer: CVE-2021-44228 not_affected
// in the BOM-Link ref.
func cdxVEX(manufacturer, ref string) string {
	return `{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:11111111-2222-3333-4444-555555555555","version":1,
	  "metadata":{"manufacturer":{"name":"` + manufacturer + `"}},
	  "vulnerabilities":[{"id":"CVE-2021-44228","analysis":{"state":"not_affected","justification":"code_not_reachable"},
	    "affects":[{"ref":"` + ref + `"}]}]}`
}

const acme = "Acme Medical Product Security"

// refusedSource reports whether f lists a source whose match says the
// statement was not applied, with the reason containing why.
func refusedSource(f *Finding, why string) bool {
	for _, s := range f.Sources {
		if strings.Contains(s.Match, "not applied: ") && strings.Contains(s.Match, why) {
			return true
		}
	}
	return false
}

func TestVEXOtherVendorDoesNotSuppress(t *testing.T) {
	notManufacturer := "author " + acme + " is not the manufacturer of CardioSense X2 (Nordlicht Medizintechnik GmbH)"
	tests := []struct {
		name  string
		doc   string
		shown string // the refusal listed in sources; "" = not a statement about the device at all
	}{
		{"Acme OpenVEX, versionless purl", openVEX(acme, log4jPURL, "not_affected"), notManufacturer},
		{"Acme OpenVEX, purl with the version", openVEX(acme, log4jPURL+"@2.14.1", "not_affected"), notManufacturer},
		{"Acme CSAF VEX, product without vendor, model * and vers:all/*", csafVEX("Acme Medical Inc.",
			`{"category":"product_name","name":"Any monitor","branches":[{"category":"product_version_range","name":"vers:all/*",
			  "product":{"name":"Any monitor","product_id":"CSAFPID-1","product_identification_helper":{"model_numbers":["*"]}}}]}`,
			"known_not_affected"), ""},
		{"Acme CSAF VEX, purl helper for log4j-core 2.14.1, known_not_affected", csafVEX("Acme Medical Inc.",
			`{"category":"product_name","name":"log4j-core","branches":[{"category":"product_version","name":"2.14.1",
			  "product":{"name":"log4j-core 2.14.1","product_id":"CSAFPID-1","product_identification_helper":{"purl":"`+log4jPURL+`@2.14.1"}}}]}`,
			"known_not_affected"), "author Acme Medical Inc. is not the manufacturer of CardioSense X2"},
		{"Acme CSAF VEX, purl helper for log4j-core 2.14.1, fixed", csafVEX("Acme Medical Inc.",
			`{"category":"product_name","name":"log4j-core","branches":[{"category":"product_version","name":"2.14.1",
			  "product":{"name":"log4j-core 2.14.1","product_id":"CSAFPID-1","product_identification_helper":{"purl":"`+log4jPURL+`@2.14.1"}}}]}`,
			"fixed"), "author Acme Medical Inc. is not the manufacturer of CardioSense X2"},
		{"Acme CycloneDX VEX, BOM-Link to the device's serial and version", cdxVEX("Acme Medical Inc.",
			"urn:cdx:"+cardioSerial+"/1#"+log4jPURL+"@2.14.1"), "author Acme Medical Inc. is not the manufacturer of CardioSense X2"},
		{"Acme CycloneDX VEX, BOM-Link to the whole device SBOM", cdxVEX("Acme Medical Inc.",
			"urn:cdx:"+cardioSerial+"/1"), "author Acme Medical Inc. is not the manufacturer of CardioSense X2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := trustScan(t, nil, tc.doc)
			if f.Status != Affected {
				t.Fatalf("Log4Shell on CardioSense X2 is %s (%s) after another vendor's VEX; sources %+v", f.Status, f.Justification, f.Sources)
			}
			if tc.shown != "" && !refusedSource(f, tc.shown) {
				t.Errorf("the refused statement is not shown with %q: %+v", tc.shown, f.Sources)
			}
		})
	}
}

// The manufacturer, however it signs (its product security team), may
// speak for its device, loosely too.
func TestVEXManufacturerApplies(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"Nordlicht PSIRT OpenVEX, versionless purl", openVEX("Nordlicht Medizintechnik PSIRT", log4jPURL, "not_affected")},
		{"Nordlicht Product Security OpenVEX, device BOM-Link", openVEX("Nordlicht Medizintechnik GmbH Product Security", "urn:cdx:"+cardioSerial+"/1", "not_affected")},
		{"Nordlicht CSAF, no vendor branch, model *", csafVEX("Nordlicht Medizintechnik GmbH",
			`{"category":"product_name","name":"CardioSense","branches":[{"category":"product_version_range","name":"vers:all/*",
			  "product":{"name":"CardioSense","product_id":"CSAFPID-1","product_identification_helper":{"model_numbers":["*"]}}}]}`,
			"known_not_affected")},
		{"Nordlicht CycloneDX VEX, BOM-Link", cdxVEX("Nordlicht Medizintechnik GmbH", "urn:cdx:"+cardioSerial+"/1#"+log4jPURL+"@2.14.1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if f := trustScan(t, nil, tc.doc); f.Status != NotAffected {
				t.Fatalf("the manufacturer's statement was not applied: %s, sources %+v", f.Status, f.Sources)
			}
		})
	}
}

// Defect 4: a BOM-Link names one version of a BOM. CardioSense X2's SBOM
// is version 1: the manufacturer's statement about version 7 is not about
// it.
func TestVEXBOMLinkVersion(t *testing.T) {
	for _, doc := range []string{
		cdxVEX("Nordlicht Medizintechnik GmbH", "urn:cdx:"+cardioSerial+"/7#"+log4jPURL+"@2.14.1"),
		openVEX("Nordlicht Medizintechnik GmbH", "urn:cdx:"+cardioSerial+"/7", "not_affected"),
	} {
		if f := trustScan(t, nil, doc); f.Status != Affected || len(f.Sources) != 1 {
			t.Errorf("a BOM-Link to version 7 changed version 1: %s, sources %+v", f.Status, f.Sources)
		}
	}
}

// A CSAF product without a vendor branch is its publisher's: Acme's
// "model_numbers: ["*"]" in known_affected does not make a Nordlicht
// device affected (it did: vendorOK let a product without vendor match
// every manufacturer); Nordlicht's own does.
func TestCSAFProductWithoutVendorIsPublishers(t *testing.T) {
	branches := `{"category":"product_name","name":"Any monitor","branches":[{"category":"product_version_range","name":"vers:all/*",
	  "product":{"name":"Any monitor","product_id":"CSAFPID-1","product_identification_helper":{"model_numbers":["*"]}}}]}`
	for _, tc := range []struct {
		publisher string
		want      bool
	}{{"Acme Medical Inc.", false}, {"Nordlicht Medizintechnik GmbH", true}} {
		got := false
		for _, f := range trustFindings(t, nil, csafVEX(tc.publisher, branches, "known_affected")) {
			for _, s := range f.Sources {
				got = got || s.Format == advisory.FormatCSAF
			}
		}
		if got != tc.want {
			t.Errorf("%s's product without vendor, model *: matched CardioSense X2 %v, want %v", tc.publisher, got, tc.want)
		}
	}
}
