package advisory

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSharedCSAFSchemaFixtures validates the fictional CSAF advisories of
// testdata/feeds/csaf against the official CSAF 2.0 JSON schema (read in
// place from shared/csaf, the CVSS schemas it references from their local
// copies), so that the sample advisories are real CSAF.
func TestSharedCSAFSchemaFixtures(t *testing.T) {
	base := sharedtest.Path(t, "csaf", "oasis-tcs-csaf", "csaf_2.0")
	c := jsonschema.NewCompiler()
	add := func(url, file string) {
		data, err := os.ReadFile(filepath.Join(base, file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	add("https://www.first.org/cvss/cvss-v2.0.json", "referenced_schema/first/cvss-v2.0.json")
	add("https://www.first.org/cvss/cvss-v3.0.json", "referenced_schema/first/cvss-v3.0.json")
	add("https://www.first.org/cvss/cvss-v3.1.json", "referenced_schema/first/cvss-v3.1.json")
	add("https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", "json_schema/csaf_json_schema.json")
	sch, err := c.Compile("https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "feeds", "csaf", "*.json"))
	if len(files) != 6 {
		t.Fatalf("%d fixtures", len(files))
	}
	// The schema does reject: a document without its category.
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"document":{"csaf_version":"2.0"}}`)))
	if sch.Validate(bad) == nil {
		t.Fatal("schema accepts a document without category, publisher, title, tracking")
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
