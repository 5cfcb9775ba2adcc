package schemacheck

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// xmlExpectedRules maps each invalid CycloneDX XML test file (by stem) to
// the rule that must be among its violations: the XSD fact that catches it.
// A new test file upstream without an entry here fails the test.
var xmlExpectedRules = map[string]string{
	"invalid-component-ref":                  "xsd:unique:bom-ref",
	"invalid-component-swid":                 "xsd:required:swid/@tagId",
	"invalid-component-type":                 "xsd:enum:classification",
	"invalid-dependency":                     "xsd:required:dependency/@ref",
	"invalid-empty-component":                "xsd:required:component/name",
	"invalid-hash-alg":                       "xsd:enum:hashAlg",
	"invalid-hash-md5":                       "xsd:pattern:hashValue",
	"invalid-hash-sha1":                      "xsd:pattern:hashValue",
	"invalid-hash-sha256":                    "xsd:pattern:hashValue",
	"invalid-hash-sha512":                    "xsd:pattern:hashValue",
	"invalid-issue-type":                     "xsd:enum:issueClassification",
	"invalid-license-choice":                 "xsd:choice:licenseChoiceType",
	"invalid-license-declared-concluded-mix": "xsd:choice:licenseChoiceType",
	"invalid-license-encoding":               "xsd:enum:encoding",
	"invalid-license-id":                     "xsd:enum:spdx:licenseId",
	"invalid-license-id-count":               "xsd:maxOccurs:license/id",
	"invalid-license-name-count":             "xsd:maxOccurs:license/name",
	"invalid-license-missing-id-and-name":    "xsd:required:license/id|name",
	"invalid-metadata-license":               "xsd:enum:spdx:licenseId",
	"invalid-metadata-timestamp":             "xsd:dateTime",
	"invalid-missing-component-type":         "xsd:required:component/@type",
	"invalid-namespace":                      "xsd:namespace",
	"invalid-patch-type":                     "xsd:enum:patchClassification",
	"invalid-properties":                     "xsd:required:property/@name",
	"invalid-scope":                          "xsd:enum:scope",
	"invalid-serialnumber":                   "xsd:pattern:urnUuid",
	"invalid-service-data":                   "xsd:enum:dataFlowType",
	// 1.7
	"invalid-citations":                            "xsd:maxOccurs:citation/attributedTo",
	"invalid-component-external-version-and-range": "xsd:choice:component/version|versionRange",
	"invalid-metadata-distribution":                "xsd:unexpected:bom/metadata/distribution",
	// XSD 1.1 assertion, which XSD 1.0 validators cannot check ("informal").
	"informal-invalid-component-versionRange-non-external-explicit": "xsd:assert:versionRange_requires_isExternal_eq_true",
	"informal-invalid-component-versionRange-non-external-implicit": "xsd:assert:versionRange_requires_isExternal_eq_true",
}

func TestCycloneDXXMLConformance(t *testing.T) {
	shared := sharedDir(t)
	caughtBy := map[string][]string{} // rule -> files
	for _, v := range cdxVersions {
		t.Run(v, func(t *testing.T) {
			valid, invalid := conformanceFiles(t, shared, v, "xml")
			var bad []string
			for _, f := range valid {
				vs, err := CheckCycloneDXXML(v, mustRead(t, f))
				if err != nil || len(vs) > 0 {
					bad = append(bad, fmt.Sprintf("%s: err=%v%s", filepath.Base(f), err, summarize(vs, 5)))
				}
			}
			if len(bad) > 0 {
				t.Errorf("%d valid CycloneDX %s XML files reported violations:\n  %s", len(bad), v, strings.Join(bad, "\n  "))
			}
			bad = nil
			for _, f := range invalid {
				vs, err := CheckCycloneDXXML(v, mustRead(t, f))
				want, known := xmlExpectedRules[stem(f)]
				switch {
				case err != nil:
					bad = append(bad, fmt.Sprintf("%s: error %v", filepath.Base(f), err))
				case len(vs) == 0:
					bad = append(bad, filepath.Base(f)+": no violation")
				case !known:
					bad = append(bad, fmt.Sprintf("%s: no expectation in xmlExpectedRules (got %v)", filepath.Base(f), rules(vs)))
				case !hasRule(vs, want):
					bad = append(bad, fmt.Sprintf("%s: want %s, got%s", filepath.Base(f), want, summarize(vs, 5)))
				default:
					caughtBy[want] = append(caughtBy[want], filepath.Base(f))
				}
			}
			if len(bad) > 0 {
				t.Errorf("%d invalid CycloneDX %s XML files not caught as expected:\n  %s", len(bad), v, strings.Join(bad, "\n  "))
			}
		})
	}
	var keys []string
	for k := range caughtBy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-52s %d files", k, len(caughtBy[k]))
	}
}

// TestCycloneDX11RealSBOMs checks the Nerves firmware SBOMs (CycloneDX 1.1
// XML, real data): one has a serialNumber without the urn:uuid: prefix, the
// other is deliberately malformed XML.
func TestCycloneDX11RealSBOMs(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "sboms", "device", "nerves-firmware-sfractal")
	vs, err := CheckCycloneDXXML("1.1", mustRead(t, filepath.Join(dir, "blinky.env.hex.bom.xml")))
	if err != nil || len(vs) != 1 || vs[0].Rule != "xsd:pattern:urnUuid" || vs[0].Location != "/bom/@serialNumber" {
		t.Errorf("blinky.env.hex.bom.xml: err=%v%s", err, summarize(vs, 5))
	}
	if _, err := CheckCycloneDXXML("1.1", mustRead(t, filepath.Join(dir, "TwinklyMaha-0.6.0.cdx.xml"))); err == nil {
		t.Error("TwinklyMaha-0.6.0.cdx.xml is malformed XML; want an error")
	}
}

func TestCheckCycloneDXXMLErrors(t *testing.T) {
	for _, v := range []string{"", "1", "1.8", "2.0", "1.06", "v1.6"} {
		if _, err := CheckCycloneDXXML(v, []byte(`<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>`)); err == nil {
			t.Errorf("version %q: want an error", v)
		}
	}
	for name, doc := range map[string]string{
		"empty":      "",
		"json":       `{"bomFormat": "CycloneDX"}`,
		"unclosed":   `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>`,
		"mismatched": `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"></components>`,
		"two roots":  `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/><bom/>`,
		"charset":    `<?xml version="1.0" encoding="EBCDIC-US"?><bom/>`,
	} {
		if vs, err := CheckCycloneDXXML("1.6", []byte(doc)); err == nil {
			t.Errorf("%s: want an error, got%s", name, summarize(vs, 5))
		}
	}
}

func TestCheckCycloneDXXMLRules(t *testing.T) {
	const ns16 = `xmlns="http://cyclonedx.org/schema/bom/1.6"`
	cases := []struct {
		name, version, doc string
		want               []string // rules, in order; nil means valid
	}{
		{"minimal", "1.6", `<bom ` + ns16 + `/>`, nil},
		{"wrong root", "1.6", `<sbom ` + ns16 + `/>`, []string{"xsd:root"}},
		{"no namespace", "1.6", `<bom/>`, []string{"xsd:namespace"}},
		{"version mismatch", "1.5", `<bom ` + ns16 + `/>`, []string{"xsd:namespace"}},
		{"foreign extension allowed", "1.6", `<bom ` + ns16 + ` xmlns:x="urn:example"><x:ext><x:component/></x:ext>` +
			`<components><component type="library"><name>a</name><x:anything foo="bar"/></component></components></bom>`, nil},
		{"foreign extension not allowed in 1.0", "1.0", `<bom xmlns="http://cyclonedx.org/schema/bom/1.0" xmlns:x="urn:example"><components><component type="library"><name>a</name><version>1</version><x:e/></component></components></bom>`,
			[]string{"xsd:unexpected:component/e"}},
		{"unknown child", "1.6", `<bom ` + ns16 + `><components><component type="library"><name>a</name><colour>red</colour></component></components></bom>`,
			[]string{"xsd:unexpected:component/colour"}},
		{"1.6 element in 1.2", "1.2", `<bom xmlns="http://cyclonedx.org/schema/bom/1.2"><annotations/></bom>`,
			[]string{"xsd:unexpected:bom/annotations"}},
		{"dateTime ok", "1.6", `<bom ` + ns16 + `><metadata><timestamp> 2024-02-29T23:59:60Z </timestamp></metadata></bom>`,
			[]string{"xsd:dateTime"}}, // second 60 is not allowed by xs:dateTime
		{"dateTime leap", "1.6", `<bom ` + ns16 + `><metadata><timestamp>2024-02-29T12:00:00.123+01:00</timestamp></metadata></bom>`, nil},
		{"dateTime no leap", "1.6", `<bom ` + ns16 + `><metadata><timestamp>2023-02-29T12:00:00Z</timestamp></metadata></bom>`,
			[]string{"xsd:dateTime"}},
		{"hash whitespace collapsed", "1.6", `<bom ` + ns16 + `><components><component type="file"><name>f</name><hashes><hash alg="MD5">
			3942447fac867ae5cdb3229b658f4d48
		</hash></hashes></component></components></bom>`, nil},
		{"empty bom-ref 1.4 allowed", "1.4", `<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library" bom-ref=""><name>a</name></component></components></bom>`, nil},
		{"empty bom-ref 1.5", "1.5", `<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component type="library" bom-ref=""><name>a</name></component></components></bom>`,
			[]string{"xsd:minLength:refType"}},
		{"duplicate bom-ref across types", "1.6", `<bom ` + ns16 + `><components><component type="library" bom-ref="x"><name>a</name></component></components>` +
			`<services><service bom-ref="x"><name>s</name></service></services></bom>`, []string{"xsd:unique:bom-ref"}},
		{"license expression 1.7 mix ok", "1.7", `<bom xmlns="http://cyclonedx.org/schema/bom/1.7"><components><component type="library"><name>a</name><licenses>` +
			`<license><id>MIT</id></license><expression>MIT OR Apache-2.0</expression><expression>GPL-2.0-only</expression></licenses></component></components></bom>`, nil},
		{"license with id and name", "1.4", `<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library"><name>a</name><licenses>` +
			`<license><id>MIT</id><name>MIT</name></license></licenses></component></components></bom>`, []string{"xsd:choice:license/id|name"}},
		{"1.0 license id count unbounded", "1.0", `<bom xmlns="http://cyclonedx.org/schema/bom/1.0"><components><component type="library"><name>a</name><version>1</version><licenses>` +
			`<license><id>MIT</id><id>MIT</id></license></licenses></component></components></bom>`, nil},
		{"bom version", "1.6", `<bom ` + ns16 + ` version="0"/>`, []string{"xsd:positiveInteger"}},
		{"bom serial braces", "1.6", `<bom ` + ns16 + ` serialNumber="{3e671687-395b-41f5-a30f-a58921a69b79}"/>`, nil},
		{"provides ref", "1.6", `<bom ` + ns16 + `><dependencies><dependency ref="a"><provides/></dependency></dependencies></bom>`,
			[]string{"xsd:required:provides/@ref"}},
		{"acknowledgement", "1.6", `<bom ` + ns16 + `><components><component type="library"><name>a</name><licenses>` +
			`<license acknowledgement="guessed"><id>MIT</id></license></licenses></component></components></bom>`, []string{"xsd:enum:licenseAcknowledgementEnumerationType"}},
		{"missing service name", "1.6", `<bom ` + ns16 + `><services><service/></services></bom>`, []string{"xsd:required:service/name"}},
		{"latin1", "1.6", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><bom " + ns16 + "><components><component type=\"library\"><name>caf\xe9</name></component></components></bom>", nil},
	}
	for _, c := range cases {
		vs, err := CheckCycloneDXXML(c.version, []byte(c.doc))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, v := range vs {
			got = append(got, v.Rule)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: got rules %v, want %v%s", c.name, got, c.want, summarize(vs, 5))
		}
	}
}

func TestXMLLocationsAndOrder(t *testing.T) {
	var comps strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&comps, `<component type="bad%d"><name>c</name></component>`, i)
	}
	doc := `<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>` + comps.String() + `</components></bom>`
	vs, err := CheckCycloneDXXML("1.6", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 12 {
		t.Fatalf("got %d violations%s", len(vs), summarize(vs, 20))
	}
	for i, v := range vs {
		if want := fmt.Sprintf("/bom/components[1]/component[%d]/@type", i+1); v.Location != want {
			t.Errorf("violation %d at %s, want %s", i, v.Location, want)
		}
	}
}

// largestCycloneDXXML finds the largest CycloneDX XML document of a
// supported version in the shared data.
func largestCycloneDXXML(tb testing.TB) (path, version string, doc []byte) {
	shared := sharedDir(tb)
	for _, root := range []string{filepath.Join(shared, "conformance", "cyclonedx"), filepath.Join(shared, "sboms")} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xml") || strings.Contains(filepath.Base(p), "invalid") {
				return nil
			}
			info, err := d.Info()
			if err != nil || int(info.Size()) <= len(doc) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for m := maxMinor; m >= minMinor; m-- {
				v := fmt.Sprintf("1.%d", m)
				if strings.Contains(string(b[:min(len(b), 4096)]), cdxNamespacePrefix+v+`"`) {
					path, version, doc = p, v, b
					break
				}
			}
			return nil
		})
	}
	if doc == nil {
		tb.Skip("no CycloneDX XML document in the shared data")
	}
	return path, version, doc
}

func BenchmarkCheckCycloneDXXML(b *testing.B) {
	path, version, doc := largestCycloneDXXML(b)
	b.Logf("%s (CycloneDX %s, %d bytes)", path, version, len(doc))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := CheckCycloneDXXML(version, doc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSPDXLicenseIDsLoad(t *testing.T) {
	ids, err := spdxLicenseIDs()
	if err != nil || len(ids) < 800 || !ids["Apache-2.0"] || !ids["Classpath-exception-2.0"] || ids["Apache-2"] {
		t.Fatalf("err=%v, %d ids", err, len(ids))
	}
}

// TestCheckCycloneDXXMLDeep: nesting past the XML depth limit is an error
// naming the limit, not a stack that grows with the document (issue 14).
func TestCheckCycloneDXXMLDeep(t *testing.T) {
	n := 200_000
	doc := `<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">` + strings.Repeat("<x>", n) + strings.Repeat("</x>", n) + `</bom>`
	_, err := CheckCycloneDXXML("1.5", []byte(doc))
	if err == nil || !strings.Contains(err.Error(), "10000") {
		t.Fatalf("got %v, want an error naming the depth limit", err)
	}
}
