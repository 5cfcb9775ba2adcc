package schemacheck

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// jsonExpectedRules maps each invalid CycloneDX JSON test file (by stem) to
// the rules that must be among its violations: the mechanism that catches
// it. A new test file upstream without an entry here fails the test.
var jsonExpectedRules = map[string][]string{
	"invalid-bomformat":                                    {"schema:enum"},
	"invalid-component-ref":                                {"schema:uniqueItems", "schema:minLength"}, // duplicate component (≤1.5) or empty bom-ref (1.5+)
	"invalid-component-swid":                               {"schema:required"},
	"invalid-component-type":                               {"schema:enum"},
	"invalid-dependency":                                   {"schema:required"},
	"invalid-empty-component":                              {"schema:required"},
	"skip_invalid-empty-component":                         {"schema:required"},
	"invalid-hash-alg":                                     {"schema:enum"},
	"invalid-hash-md5":                                     {"schema:pattern"},
	"invalid-hash-sha1":                                    {"schema:pattern"},
	"invalid-hash-sha256":                                  {"schema:pattern"},
	"invalid-hash-sha512":                                  {"schema:pattern"},
	"invalid-issue-type":                                   {"schema:enum"},
	"invalid-license-choice":                               {"schema:oneOf", "schema:additionalProperties"}, // both branches match (≤1.4) / neither does (1.5+)
	"invalid-license-declared-concluded-mix":               {"schema:required", "schema:additionalProperties"},
	"invalid-license-encoding":                             {"schema:enum"},
	"invalid-license-id":                                   {"schema:enum"},
	"invalid-license-missing-id-and-name":                  {"schema:required"},
	"invalid-metadata-license":                             {"schema:enum"},
	"invalid-metadata-timestamp":                           {"schema:format"},
	"invalid-missing-component-type":                       {"schema:required"},
	"skip_invalid-missing-component-type":                  {"schema:required"},
	"invalid-patch-type":                                   {"schema:enum"},
	"invalid-properties":                                   {"schema:required"},
	"invalid-scope":                                        {"schema:enum"},
	"invalid-serialnumber":                                 {"schema:pattern"},
	"invalid-service-data":                                 {"schema:enum"},
	"invalid-citations":                                    {"schema:required", "schema:oneOf"},
	"invalid-component-external-version-and-range":         {"schema:not"},
	"invalid-component-versionRange-non-external-explicit": {"schema:not"},
	"invalid-component-versionRange-non-external-implicit": {"schema:not"},
	"invalid-metadata-distribution":                        {"schema:additionalProperties"},
}

func TestCycloneDXJSONConformance(t *testing.T) {
	shared := sharedDir(t)
	for _, v := range cdxVersions {
		t.Run(v, func(t *testing.T) {
			valid, invalid := conformanceFiles(t, shared, v, "json")
			var bad []string
			for _, f := range valid {
				vs, err := CheckJSON("CycloneDX", v, mustRead(t, f))
				if err != nil || len(vs) > 0 {
					bad = append(bad, fmt.Sprintf("%s: err=%v%s", filepath.Base(f), err, summarize(vs, 5)))
				}
			}
			if len(bad) > 0 {
				t.Errorf("%d valid CycloneDX %s JSON files reported violations:\n  %s", len(bad), v, strings.Join(bad, "\n  "))
			}
			bad = nil
			for _, f := range invalid {
				vs, err := CheckJSON("CycloneDX", v, mustRead(t, f))
				want, known := jsonExpectedRules[stem(f)]
				switch {
				case err != nil:
					bad = append(bad, fmt.Sprintf("%s: error %v", filepath.Base(f), err))
				case len(vs) == 0:
					bad = append(bad, filepath.Base(f)+": no violation")
				case !known:
					bad = append(bad, fmt.Sprintf("%s: no expectation in jsonExpectedRules (got %v)", filepath.Base(f), rules(vs)))
				case !hasRule(vs, want...):
					bad = append(bad, fmt.Sprintf("%s: want one of %v, got %v", filepath.Base(f), want, rules(vs)))
				}
			}
			if len(bad) > 0 {
				t.Errorf("%d invalid CycloneDX %s JSON files not caught as expected:\n  %s", len(bad), v, strings.Join(bad, "\n  "))
			}
			t.Logf("CycloneDX %s JSON: %d valid, %d invalid files checked", v, len(valid), len(invalid))
		})
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// spdxVersionOf returns the spdxVersion of a JSON document, or "".
func spdxVersionOf(b []byte) string {
	var d struct {
		SPDXVersion string `json:"spdxVersion"`
	}
	if json.Unmarshal(b, &d) != nil {
		return ""
	}
	return d.SPDXVersion
}

func TestSPDXExamples(t *testing.T) {
	shared := sharedDir(t)
	spdx := filepath.Join(shared, "conformance", "spdx")
	files := []string{
		filepath.Join(spdx, "spec-examples-2.2", "SPDXJSONExample-v2.2.spdx.json"),
		filepath.Join(spdx, "spec-examples-2.3", "SPDXJSONExample-v2.3.spdx.json"),
	}
	err := filepath.WalkDir(filepath.Join(spdx, "spdx-examples"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") && strings.HasPrefix(spdxVersionOf(mustRead(t, p)), "SPDX-2.") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d SPDX 2.x JSON examples; is the shared data complete?", len(files))
	}
	seen := map[string]int{}
	for _, f := range files {
		b := mustRead(t, f)
		ver := spdxVersionOf(b)
		seen[ver]++
		vs, err := CheckJSON("SPDX", ver, b)
		if err != nil || len(vs) > 0 {
			rel, _ := filepath.Rel(shared, f)
			t.Errorf("%s (%s): err=%v%s", rel, ver, err, summarize(vs, 10))
		}
	}
	if seen["SPDX-2.2"] == 0 || seen["SPDX-2.3"] == 0 {
		t.Errorf("want both SPDX-2.2 and SPDX-2.3 examples, got %v", seen)
	}
	t.Logf("SPDX examples checked: %v", seen)
}

// minimalSPDX is a small valid SPDX 2.3 document.
const minimalSPDX = `{
  "spdxVersion": "SPDX-2.3",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "infusion-pump-firmware",
  "documentNamespace": "https://example.com/spdx/infusion-pump-firmware-1.0",
  "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: hand"]},
  "packages": [{
    "SPDXID": "SPDXRef-Package-zlib",
    "name": "zlib",
    "versionInfo": "1.3",
    "downloadLocation": "NOASSERTION"
  }]
}`

func TestSPDXMissingSPDXID(t *testing.T) {
	for _, ver := range []string{"SPDX-2.3", "SPDX-2.2"} {
		vs, err := CheckJSON("SPDX", ver, []byte(minimalSPDX))
		if err != nil || len(vs) != 0 {
			t.Fatalf("%s: minimal document: err=%v%s", ver, err, summarize(vs, 10))
		}
	}

	var doc map[string]any
	if err := json.Unmarshal([]byte(minimalSPDX), &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "SPDXID")
	delete(doc["packages"].([]any)[0].(map[string]any), "SPDXID")
	b, _ := json.Marshal(doc)

	vs, err := CheckJSON("SPDX", "SPDX-2.3", b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Violation{
		{Rule: "schema:required", Location: "", Message: `missing required property "SPDXID"`},
		{Rule: "schema:required", Location: "/packages/0", Message: `missing required property "SPDXID"`},
	}
	if !reflect.DeepEqual(vs, want) {
		t.Errorf("got%s\nwant%s", summarize(vs, 10), summarize(want, 10))
	}
}

func TestCheckJSONNotJSON(t *testing.T) {
	inputs := map[string]string{
		"empty":       "",
		"garbage":     "\x00\xff not json at all",
		"xml":         `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>`,
		"truncated":   `{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [`,
		"two values":  `{"bomFormat": "CycloneDX"} {"x": 1}`,
		"bad literal": `{"bomFormat": tru}`,
	}
	for name, in := range inputs {
		for _, fam := range [][2]string{{"CycloneDX", "1.6"}, {"CycloneDX", "1.1"}, {"SPDX", "SPDX-2.3"}} {
			vs, err := CheckJSON(fam[0], fam[1], []byte(in))
			if err == nil {
				t.Errorf("%s as %s %s: want an error, got violations%s", name, fam[0], fam[1], summarize(vs, 5))
			}
		}
	}
	// A JSON value that is not an object is valid JSON: the schema reports it.
	vs, err := CheckJSON("CycloneDX", "1.6", []byte(`[1, 2]`))
	if err != nil || !hasRule(vs, "schema:type") {
		t.Errorf("array document: err=%v, violations%s", err, summarize(vs, 5))
	}
}

func TestCheckJSONVersions(t *testing.T) {
	doc := []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.1", "version": 1}`)
	for _, v := range []string{"1.0", "1.1"} {
		vs, err := CheckJSON("CycloneDX", v, doc)
		if err != nil || len(vs) != 1 || vs[0].Rule != RuleUnsupportedVersion {
			t.Errorf("CycloneDX %s JSON: err=%v, violations%s", v, err, summarize(vs, 5))
		}
	}
	for _, c := range [][2]string{{"CycloneDX", "1.8"}, {"CycloneDX", "2"}, {"CycloneDX", ""}, {"SPDX", "SPDX-2.1"}, {"SPDX", "3.0"}, {"SWID", "1"}} {
		if _, err := CheckJSON(c[0], c[1], doc); err == nil {
			t.Errorf("%s %q: want an error", c[0], c[1])
		}
	}
	// Family is case-insensitive and the SPDX- prefix optional.
	for _, c := range [][2]string{{"cyclonedx", "1.6"}, {"spdx", "2.3"}, {"SPDX", "2.2"}} {
		if _, err := CheckJSON(c[0], c[1], []byte(`{}`)); err != nil {
			t.Errorf("%s %q: %v", c[0], c[1], err)
		}
	}
}

// TestAllSchemasCompile compiles every root schema; compilation resolves
// every $ref through embedLoader, so this also proves that nothing outside
// the embedded files is needed.
func TestAllSchemasCompile(t *testing.T) {
	for key, c := range roots {
		fresh := &compiled{url: c.url}
		start := time.Now()
		if _, err := fresh.get(); err != nil {
			t.Errorf("%s: %v", key, err)
		}
		t.Logf("%s: compiled in %v", key, time.Since(start).Round(time.Millisecond))
	}
}

func TestEmbedLoaderRefusesOtherURLs(t *testing.T) {
	for _, u := range []string{
		"https://cyclonedx.org/schema/bom-1.6.schema.json", // https, not the $id
		"http://example.com/evil.json",
		"file:///etc/passwd",
		"http://cyclonedx.org/schema/ext/vulnerability-1.0.schema.json",
	} {
		if _, err := (embedLoader{}).Load(u); err == nil {
			t.Errorf("Load(%q) succeeded; only embedded schemas may load", u)
		}
	}
	for u := range embeddedURLs {
		if _, err := (embedLoader{}).Load(u); err != nil {
			t.Errorf("Load(%q): %v", u, err)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	shared := sharedDir(t)
	docs := map[string][]byte{}
	xmlDocs := map[string][]byte{}
	for _, v := range cdxVersions {
		docs[v] = mustRead(t, filepath.Join(shared, "conformance", "cyclonedx", v, "valid-bom-"+v+".json"))
		xmlDocs[v] = mustRead(t, filepath.Join(shared, "conformance", "cyclonedx", v, "valid-bom-"+v+".xml"))
	}
	bad := mustRead(t, filepath.Join(shared, "conformance", "cyclonedx", "1.6", "invalid-license-id-1.6.json"))
	want, err := CheckJSON("CycloneDX", "1.6", bad)
	if err != nil || len(want) == 0 {
		t.Fatalf("err=%v violations=%d", err, len(want))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v := cdxVersions[i%len(cdxVersions)]
			if vs, err := CheckJSON("CycloneDX", v, docs[v]); err != nil || len(vs) != 0 {
				errs <- fmt.Sprintf("%s: err=%v n=%d", v, err, len(vs))
			}
			if vs, _ := CheckJSON("CycloneDX", "1.6", bad); !reflect.DeepEqual(vs, want) {
				errs <- "non-deterministic result for invalid-license-id-1.6.json"
			}
			if vs, err := CheckCycloneDXXML(v, xmlDocs[v]); err != nil || len(vs) != 0 {
				errs <- fmt.Sprintf("XML %s: err=%v n=%d", v, err, len(vs))
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestViolationOrderDedupAndCap(t *testing.T) {
	var comps []string
	for i := 0; i < 120; i++ {
		comps = append(comps, fmt.Sprintf(`{"type": "gadget", "name": "c%d"}`, i))
	}
	doc := []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [` + strings.Join(comps, ",") + `]}`)
	vs, err := CheckJSON("CycloneDX", "1.6", doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != MaxViolations {
		t.Fatalf("got %d violations, want the cap %d", len(vs), MaxViolations)
	}
	last := vs[len(vs)-1]
	if last.Rule != RuleTruncated || !strings.Contains(last.Message, "71 more") {
		t.Errorf("last violation = %v, want a truncation note for 71 more", last)
	}
	for i, v := range vs[:len(vs)-1] {
		if want := fmt.Sprintf("/components/%d/type", i); v.Location != want || v.Rule != "schema:enum" {
			t.Errorf("violation %d = %v, want schema:enum at %s", i, v, want)
		}
	}
	again, _ := CheckJSON("CycloneDX", "1.6", doc)
	if !reflect.DeepEqual(vs, again) {
		t.Error("two runs gave different results")
	}
	if got := finish([]Violation{{Rule: "a", Location: "/x"}, {Rule: "a", Location: "/x"}, {Rule: "b", Location: ""}}); len(got) != 2 || got[0].Location != "" {
		t.Errorf("finish did not dedupe/sort: %v", got)
	}
}

func TestEnumMessage(t *testing.T) {
	shared := sharedDir(t)
	vs, err := CheckJSON("CycloneDX", "1.6", mustRead(t, filepath.Join(shared, "conformance", "cyclonedx", "1.6", "invalid-license-id-1.6.json")))
	if err != nil || len(vs) != 1 {
		t.Fatalf("err=%v%s", err, summarize(vs, 5))
	}
	if m := vs[0].Message; len(m) > 200 || !strings.Contains(m, `"Apache-2"`) || !strings.Contains(m, "allowed values") {
		t.Errorf("license-id enum message not summarised: %q", m)
	}
	vs, _ = CheckJSON("CycloneDX", "1.6", []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "a", "scope": "maybe"}]}`))
	if len(vs) != 1 || vs[0].Message != `value "maybe" is not one of "required", "optional", "excluded"` {
		t.Errorf("scope enum: %s", summarize(vs, 5))
	}
}

func TestJSONPointerEscaping(t *testing.T) {
	doc := []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "a/b~c": 1}`)
	vs, err := CheckJSON("CycloneDX", "1.6", doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Location != "/a~1b~0c" || vs[0].Rule != "schema:additionalProperties" {
		t.Errorf("got%s", summarize(vs, 5))
	}
}

// largestCycloneDXJSON finds the largest CycloneDX JSON document in the
// shared data (conformance examples and real SBOMs).
func largestCycloneDXJSON(tb testing.TB) (path, version string, doc []byte) {
	shared := sharedDir(tb)
	for _, root := range []string{filepath.Join(shared, "conformance", "cyclonedx"), filepath.Join(shared, "sboms")} {
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") || strings.Contains(filepath.Base(p), "invalid") {
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
			var h struct{ BomFormat, SpecVersion string }
			if json.Unmarshal(b, &h) != nil || h.BomFormat != "CycloneDX" {
				return nil
			}
			if _, ok := roots["CycloneDX/"+h.SpecVersion]; !ok {
				return nil
			}
			path, version, doc = p, h.SpecVersion, b
			return nil
		})
	}
	if doc == nil {
		tb.Skip("no CycloneDX JSON document in the shared data")
	}
	return path, version, doc
}

func BenchmarkCheckJSON(b *testing.B) {
	path, version, doc := largestCycloneDXJSON(b)
	if _, err := roots["CycloneDX/"+version].get(); err != nil { // compile outside the timing
		b.Fatal(err)
	}
	b.Logf("%s (CycloneDX %s, %d bytes)", path, version, len(doc))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CheckJSON("CycloneDX", version, doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileCycloneDX16(b *testing.B) {
	for i := 0; i < b.N; i++ {
		c := &compiled{url: roots["CycloneDX/1.6"].url}
		if _, err := c.get(); err != nil {
			b.Fatal(err)
		}
	}
}
