package purl

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"

	packageurl "github.com/package-url/packageurl-go"
)

// ---------------------------------------------------------------------------
// Locating the purl-spec test suites.

// sharedDir returns the shared real-data folder or skips the test.
func sharedDir(t testing.TB) string { return sharedtest.Dir(t) }

// purlSuiteDir returns the purl-spec conformance directory, skipping the
// test when it is absent.
func purlSuiteDir(t *testing.T) string {
	t.Helper()
	d := filepath.Join(sharedDir(t), "conformance", "purl")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("purl-spec test suite not found at %s (set BOMRANK_SHARED to the shared test-data directory): %v", d, err)
	}
	return d
}

// ---------------------------------------------------------------------------
// The current suite: tests/spec/*.json and tests/types/*.json, following
// schemas/purl-test.schema-0.2.json. test_type is one of
//
//	parse:    input is a purl string, expected_output its decoded components;
//	build:    input is decoded components, expected_output the canonical purl;
//	validate: input is a purl string, expected_output its canonical form
//	          (the suite's descriptions call these "roundtrip" tests);
//
// and expected_failure=true means processing the input must fail.

// components is the decoded-components object of the test schema; JSON null
// is a nil pointer or map.
type components struct {
	Type       *string           `json:"type"`
	Namespace  *string           `json:"namespace"`
	Name       *string           `json:"name"`
	Version    *string           `json:"version"`
	Qualifiers map[string]string `json:"qualifiers"`
	Subpath    *string           `json:"subpath"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (c components) purl() packageurl.PackageURL {
	var q packageurl.Qualifiers
	if len(c.Qualifiers) > 0 {
		q = packageurl.QualifiersFromMap(c.Qualifiers)
	}
	return packageurl.PackageURL{
		Type:       deref(c.Type),
		Namespace:  deref(c.Namespace),
		Name:       deref(c.Name),
		Version:    deref(c.Version),
		Qualifiers: q,
		Subpath:    deref(c.Subpath),
	}
}

// diff describes how p differs from the expected components, or returns "".
func (c components) diff(p packageurl.PackageURL) string {
	var d []string
	check := func(field, got string, want *string) {
		if got != deref(want) {
			d = append(d, fmt.Sprintf("%s=%q, want %q", field, got, deref(want)))
		}
	}
	check("type", p.Type, c.Type)
	check("namespace", p.Namespace, c.Namespace)
	check("name", p.Name, c.Name)
	check("version", p.Version, c.Version)
	check("subpath", p.Subpath, c.Subpath)
	want := c.Qualifiers
	if want == nil {
		want = map[string]string{}
	}
	if got := p.Qualifiers.Map(); !maps.Equal(got, want) {
		d = append(d, fmt.Sprintf("qualifiers=%v, want %v", got, want))
	}
	return strings.Join(d, "; ")
}

type suiteTest struct {
	Description     string          `json:"description"`
	TestGroup       string          `json:"test_group"`
	TestType        string          `json:"test_type"`
	Input           json.RawMessage `json:"input"`
	ExpectedOutput  json.RawMessage `json:"expected_output"`
	ExpectedFailure bool            `json:"expected_failure"`
	ExpectedMessage *string         `json:"expected_message"`
}

// id returns the stable identifier used by knownDisagreements: the test
// file name, the test type and the input (a purl string, or the compact JSON
// of the input components with keys sorted).
func (tc suiteTest) id(file string) string {
	in := string(tc.Input)
	var s string
	if json.Unmarshal(tc.Input, &s) == nil {
		in = s
	} else {
		var c map[string]any
		if json.Unmarshal(tc.Input, &c) == nil {
			if b, err := json.Marshal(c); err == nil {
				in = string(b)
			}
		}
	}
	return file + " " + tc.TestType + " " + in
}

// run checks one case against Parse, Normalize or canonicalize and returns
// a description of the disagreement, or "" when the result matches the
// suite.
func (tc suiteTest) run() string {
	switch tc.TestType {
	case "parse", "validate":
		var in string
		if err := json.Unmarshal(tc.Input, &in); err != nil {
			return fmt.Sprintf("bad test input %s: %v", tc.Input, err)
		}
		if tc.ExpectedFailure {
			if p, err := Parse(in); err == nil {
				return fmt.Sprintf("Parse(%q) = %q, want an error", in, p.ToString())
			}
			return ""
		}
		if tc.TestType == "parse" {
			var want components
			if err := json.Unmarshal(tc.ExpectedOutput, &want); err != nil {
				return fmt.Sprintf("bad expected_output %s: %v", tc.ExpectedOutput, err)
			}
			p, err := Parse(in)
			if err != nil {
				return fmt.Sprintf("Parse(%q): %v", in, err)
			}
			if d := want.diff(p); d != "" {
				return fmt.Sprintf("Parse(%q): %s", in, d)
			}
			return ""
		}
		var want string
		if err := json.Unmarshal(tc.ExpectedOutput, &want); err != nil {
			return fmt.Sprintf("bad expected_output %s: %v", tc.ExpectedOutput, err)
		}
		got, err := Normalize(in)
		if err != nil {
			return fmt.Sprintf("Normalize(%q): %v", in, err)
		}
		if got != want {
			return fmt.Sprintf("Normalize(%q) = %q, want %q", in, got, want)
		}
		return ""
	case "build":
		var in components
		if err := json.Unmarshal(tc.Input, &in); err != nil {
			return fmt.Sprintf("bad test input %s: %v", tc.Input, err)
		}
		p, err := canonicalize(in.purl())
		if tc.ExpectedFailure {
			if err == nil {
				return fmt.Sprintf("build %s = %q, want an error", tc.Input, p.ToString())
			}
			return ""
		}
		var want string
		if err := json.Unmarshal(tc.ExpectedOutput, &want); err != nil {
			return fmt.Sprintf("bad expected_output %s: %v", tc.ExpectedOutput, err)
		}
		if err != nil {
			return fmt.Sprintf("build %s: %v", tc.Input, err)
		}
		if got := p.ToString(); got != want {
			return fmt.Sprintf("build %s = %q, want %q", tc.Input, got, want)
		}
		// The canonical string must parse back to itself.
		if got, err := Normalize(want); err != nil || got != want {
			return fmt.Sprintf("Normalize(%q) = %q, %v; want it unchanged", want, got, err)
		}
		return ""
	}
	return fmt.Sprintf("unknown test_type %q", tc.TestType)
}

// knownDisagreements lists the suite cases on which this package knowingly
// disagrees with the suite, keyed by suiteTest.id (or "legacy <purl>" for
// the legacy suite), with the reason. A listed case is skipped; if it starts
// agreeing with the suite the test fails so that the entry gets removed.
var knownDisagreements = map[string]string{
	// Current suite. Both cases contradict a "recommended" validate case of
	// the same file that expects the very same input to be normalised to
	// lower-case keys; bomrank needs that lenient behaviour because SBOM
	// generators do emit upper-case keys.
	"gem-test.json parse pkg:gem/jruby-launcher@1.1.2?Platform=java":                   "the strict (required) parse case wants upper-case qualifier keys rejected; Parse lower-cases them by design",
	"rpm-test.json parse pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25": "the strict (required) parse case wants upper-case qualifier keys rejected; Parse lower-cases them by design",

	// The git type decodes "codeberg.org/forgejo/forgejo" as namespace
	// "codeberg.org" (the host) and name "forgejo/forgejo", yet writes the
	// name's "/" unencoded. packageurl-go's String would encode such a name
	// as "forgejo%2Fforgejo", so Parse keeps the split packageurl-go parses
	// (namespace "codeberg.org/forgejo", name "forgejo"), which yields the
	// suite's canonical string (the git validate and build cases pass).
	"git-test.json parse pkg:git/codeberg.org/forgejo/forgejo@a72d2c07cfca03b55371089de6aa230d8c951fa0":                          gitSplit,
	"git-test.json parse pkg:git/codeberg.org/forgejo/forgejo@a72d2c07cfca03b55371089de6aa230d8c951fa0#options/locale_readme.md": gitSplit,

	// Legacy suite (superseded by the current suite in 2025-07).
	"legacy pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E%2E/api/annotations/": legacyDotSegments,
	"legacy pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E/api/annotations/":    legacyDotSegments,

	"legacy pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=repo.spring.io/release":                                                                                                                                  legacySlash,
	"legacy pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?extension=pom&repositorY_url=repo.spring.io/release":                                                                                                                                       legacySlash,
	"legacy pkg:huggingface/microsoft/deberta-v3-base@559062ad13d311b87b2c455e67dcd5f1c8f65111?repository_url=https://hub-ci.huggingface.co":                                                                                                             legacySlash,
	"legacy pkg:mlflow/CreditFraud@3?repository_url=https://adb-5245952564735461.0.azuredatabricks.net/api/2.0/mlflow":                                                                                                                                   legacySlash,
	"legacy pkg:mlflow/CreditFraud@3?repository_url=https://westus2.api.azureml.ms/mlflow/v1.0/subscriptions/a50f2011-fab8-4164-af23-c62881ef8c95/resourceGroups/TestResourceGroup/providers/Microsoft.MachineLearningServices/workspaces/TestWorkspace": legacySlash,
	"legacy pkg:mlflow/trafficsigns@10?model_uuid=36233173b22f4c89b451f1228d700d49&run_id=410a3121-2709-4f88-98dd-dba0ef056b0a&repository_url=https://adb-5245952564735461.0.azuredatabricks.net/api/2.0/mlflow":                                         legacySlash,

	"legacy pkg:conan/bincrafters/cctz@2.3":           "legacy rule (a conan namespace requires a channel qualifier) dropped by the current conan type definition, where user and channel are independent optional qualifiers",
	"legacy pkg:conan/cctz@2.3?channel=stable":        "legacy rule (a conan channel qualifier requires a namespace) dropped by the current conan type definition, where user and channel are independent optional qualifiers",
	"legacy pkg:cran/A3":                              "legacy rule (cran version required); the current cran type definition makes the version optional",
	"legacy pkg:swift/github.com/Alamofire/Alamofire": "legacy rule (swift version required); the current swift type definition makes the version optional",
	"legacy pkg:cpan/URI::PackageURL@2.11":            "legacy suite accepts a cpan module name (with '::'); the current cpan-test.json requires rejecting it (pkg:cpan/URI::PackageURL), as packageurl-go does",
	"legacy pkg:cpan/Perl-Version@1.013":              "legacy suite rejects a namespace-less cpan distribution name; the current cpan-test.json accepts it (pkg:cpan/URI-PackageURL), as packageurl-go does",
}

const (
	gitSplit          = "the suite expects namespace \"codeberg.org\" and name \"forgejo/forgejo\"; Parse returns \"codeberg.org/forgejo\" and \"forgejo\", the split whose String is the suite's canonical purl"
	legacyDotSegments = "the legacy case's decoded subpath keeps the '.'/'..' segment while its own canonical_purl drops it; Parse drops it in both, as the current spec and suite do (the canonical form matches)"
	legacySlash       = "the legacy canonical form leaves '/' unencoded in qualifier values; the current suite (e.g. maven-test.json, huggingface-test.json, mlflow-test.json) requires %2F, which packageurl-go produces"
)

// checkNoStaleEntries fails if an entry of knownDisagreements whose id
// starts with (or, for an empty prefix, does not start with "legacy ")
// matches no case of the suite just run.
func checkNoStaleEntries(t *testing.T, legacy bool, seen map[string]bool) {
	t.Helper()
	for id := range knownDisagreements {
		if strings.HasPrefix(id, "legacy ") == legacy && !seen[id] {
			t.Errorf("knownDisagreements entry %q matches no test case; remove it", id)
		}
	}
}

// tally counts outcomes per suite for the summary log line.
type tally struct{ pass, skip, fail int }

func (c *tally) String() string {
	return fmt.Sprintf("%d passed, %d skipped (known disagreements), %d failed", c.pass, c.skip, c.fail)
}

// checkCase runs one case as a subtest, honouring knownDisagreements, and
// records id in seen.
func checkCase(t *testing.T, name, id string, c *tally, seen map[string]bool, run func() string) {
	t.Helper()
	seen[id] = true
	t.Run(name, func(t *testing.T) {
		problem := run()
		reason, known := knownDisagreements[id]
		switch {
		case known && problem == "":
			c.fail++
			t.Errorf("case %q is listed in knownDisagreements (%s) but now agrees with the suite; remove it from the list", id, reason)
		case known:
			c.skip++
			t.Skipf("known disagreement: %s\n(case %q: %s)", reason, id, problem)
		case problem != "":
			c.fail++
			t.Errorf("case %q: %s", id, problem)
		default:
			c.pass++
		}
	})
}

func TestPurlSpecSuite(t *testing.T) {
	dir := purlSuiteDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "tests", "spec", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	types, err := filepath.Glob(filepath.Join(dir, "tests", "types", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, types...)
	if len(files) < 2 {
		t.Fatalf("expected tests/spec and tests/types files under %s, found %v", dir, files)
	}
	var total tally
	seen := 0
	ids := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var suite struct {
			Schema string      `json:"$schema"`
			Tests  []suiteTest `json:"tests"`
		}
		if err := json.Unmarshal(data, &suite); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !strings.HasSuffix(suite.Schema, "purl-test.schema-0.2.json") {
			t.Errorf("%s: unexpected test schema %q", f, suite.Schema)
		}
		base := filepath.Base(f)
		for i, tc := range suite.Tests {
			seen++
			name := fmt.Sprintf("%s/%03d-%s", strings.TrimSuffix(base, ".json"), i, tc.TestType)
			checkCase(t, name, tc.id(base), &total, ids, tc.run)
		}
	}
	checkNoStaleEntries(t, false, ids)
	t.Logf("purl-spec suite (%d files, %d cases): %v", len(files), seen, &total)
}

// ---------------------------------------------------------------------------
// The legacy suite (test-suite-data.json before 2025-07).

type legacyTest struct {
	Description   string            `json:"description"`
	Purl          string            `json:"purl"`
	CanonicalPurl *string           `json:"canonical_purl"`
	Type          *string           `json:"type"`
	Namespace     *string           `json:"namespace"`
	Name          *string           `json:"name"`
	Version       *string           `json:"version"`
	Qualifiers    map[string]string `json:"qualifiers"`
	Subpath       *string           `json:"subpath"`
	IsInvalid     bool              `json:"is_invalid"`
}

func (tc legacyTest) run() string {
	p, err := Parse(tc.Purl)
	if tc.IsInvalid {
		if err == nil {
			return fmt.Sprintf("Parse(%q) = %q, want an error", tc.Purl, p.ToString())
		}
		return ""
	}
	if err != nil {
		return fmt.Sprintf("Parse(%q): %v", tc.Purl, err)
	}
	want := components{tc.Type, tc.Namespace, tc.Name, tc.Version, tc.Qualifiers, tc.Subpath}
	if d := want.diff(p); d != "" {
		return fmt.Sprintf("Parse(%q): %s", tc.Purl, d)
	}
	got, err := Normalize(tc.Purl)
	if err != nil {
		return fmt.Sprintf("Normalize(%q): %v", tc.Purl, err)
	}
	if got != deref(tc.CanonicalPurl) {
		return fmt.Sprintf("Normalize(%q) = %q, want %q", tc.Purl, got, deref(tc.CanonicalPurl))
	}
	return ""
}

func TestPurlLegacySuite(t *testing.T) {
	f := filepath.Join(purlSuiteDir(t), "test-suite-data.legacy.json")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Skipf("legacy purl suite not found: %v", err)
	}
	var tests []legacyTest
	if err := json.Unmarshal(data, &tests); err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	var total tally
	ids := map[string]bool{}
	for i, tc := range tests {
		checkCase(t, fmt.Sprintf("%03d", i), "legacy "+tc.Purl, &total, ids, tc.run)
	}
	checkNoStaleEntries(t, true, ids)
	t.Logf("legacy purl suite (%d cases): %v", len(tests), &total)
}

// TestTypeRulesMatchDefinitions cross-checks typeRules against the
// case_sensitive flags of the purl type definitions, so that a change in the
// spec (or in the table) is noticed.
func TestTypeRulesMatchDefinitions(t *testing.T) {
	defs, err := filepath.Glob(filepath.Join(purlSuiteDir(t), "types", "*-definition.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) == 0 {
		t.Skip("no purl type definitions found")
	}
	// Deliberate deviations from the definitions' case_sensitive flags.
	deviations := map[string]string{
		"golang namespace": "definition says case_sensitive but its note says 'shall be lowercased'; packageurl-go lower-cases",
		"golang name":      "definition says case_sensitive but its note says 'shall be lowercased'; packageurl-go lower-cases",
		"npm namespace":    "lower-cased for matching (npm forbids upper case in new names)",
		"npm name":         "lower-cased for matching (npm forbids upper case in new names)",
		"git namespace":    "git-test.json (recommended) expects namespace and name lower-cased",
		"git name":         "git-test.json (recommended) expects namespace and name lower-cased",
	}
	type part struct {
		CaseSensitive *bool `json:"case_sensitive"`
	}
	for _, f := range defs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var def struct {
			Type      string `json:"type"`
			Namespace *part  `json:"namespace_definition"`
			Name      *part  `json:"name_definition"`
			Version   *part  `json:"version_definition"`
		}
		if err := json.Unmarshal(data, &def); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		r := typeRules[def.Type]
		for _, c := range []struct {
			what  string
			part  *part
			lower bool
		}{
			{"namespace", def.Namespace, r.lowerNamespace},
			{"name", def.Name, r.lowerName},
			{"version", def.Version, r.lowerVersion},
		} {
			if c.part == nil || c.part.CaseSensitive == nil {
				continue
			}
			key := def.Type + " " + c.what
			if _, ok := deviations[key]; ok {
				continue
			}
			if insensitive := !*c.part.CaseSensitive; insensitive != c.lower {
				t.Errorf("%s: definition case_sensitive=%v but typeRules lower-cases it: %v", key, *c.part.CaseSensitive, c.lower)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Unit tests with inline cases for each normalisation rule.

func TestNormalize(t *testing.T) {
	tests := []struct {
		rule, in, want string
	}{
		// Generic rules.
		{"type lower case", "pkg:MAVEN/org.apache.commons/io@1.3.4", "pkg:maven/org.apache.commons/io@1.3.4"},
		{"scheme case and slashes", "PKG:///generic/openssl@1.1.1", "pkg:generic/openssl@1.1.1"},
		{"surrounding space", "  pkg:generic/openssl@1.1.1\n", "pkg:generic/openssl@1.1.1"},
		{"qualifier keys lower-cased and sorted", "pkg:generic/x@1?Z=1&B=2&a=3", "pkg:generic/x@1?a=3&b=2&z=1"},
		{"empty qualifier values dropped", "pkg:generic/x@1?a=&b=2&c", "pkg:generic/x@1?b=2"},
		{"qualifier values percent-encoded", "pkg:generic/x@1?download_url=https://e.org/a b", "pkg:generic/x@1?download_url=https:%2F%2Fe.org%2Fa%20b"},
		{"subpath slashes trimmed", "pkg:generic/x@1#/a/b/", "pkg:generic/x@1#a/b"},
		{"subpath empty and dot segments dropped", "pkg:generic/x@1#a//./b/../c", "pkg:generic/x@1#a/b/c"},
		{"subpath encoded dot segments dropped", "pkg:generic/x@1#a/%2E/%2E%2E/b", "pkg:generic/x@1#a/b"},
		{"subpath of only dots dropped", "pkg:generic/x@1#./..", "pkg:generic/x@1"},
		{"namespace empty segments dropped", "pkg:generic/a//b/x@1", "pkg:generic/a/b/x@1"},
		{"version percent-decoded", "pkg:generic/x@1.0%2Bbuild", "pkg:generic/x@1.0%2Bbuild"},

		// pypi: PEP 503.
		{"pypi lower case", "pkg:pypi/Django@1.11.1", "pkg:pypi/django@1.11.1"},
		{"pypi underscore", "pkg:pypi/Django_package@1.11.1.dev1", "pkg:pypi/django-package@1.11.1.dev1"},
		{"pypi dot", "pkg:pypi/zope.interface@5.4.0", "pkg:pypi/zope-interface@5.4.0"},
		{"pypi separator runs", "pkg:pypi/Foo.-_Bar__baz@1", "pkg:pypi/foo-bar-baz@1"},
		{"pypi version case", "pkg:pypi/foo@1.0RC1", "pkg:pypi/foo@1.0rc1"},
		{"pypi file_name qualifier kept as is", "pkg:pypi/django@1.11.1?file_name=Django-1.11.1.tar.gz", "pkg:pypi/django@1.11.1?file_name=Django-1.11.1.tar.gz"},

		// npm.
		{"npm name lower case", "pkg:npm/JSONStream@1.3.5", "pkg:npm/jsonstream@1.3.5"},
		{"npm scope keeps @ (encoded)", "pkg:npm/%40Angular/Core@12.0.0", "pkg:npm/%40angular/core@12.0.0"},
		{"npm unencoded scope", "pkg:npm/@babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0"},
		{"npm version case kept", "pkg:npm/foo@1.0.0-Beta", "pkg:npm/foo@1.0.0-Beta"},

		// maven: case preserved.
		{"maven case preserved", "pkg:maven/HTTPClient/HTTPClient@0.3-3", "pkg:maven/HTTPClient/HTTPClient@0.3-3"},
		{"maven groupId and artifactId", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"},

		// golang.
		{"golang module path", "pkg:golang/github.com/gorilla/context@v1.1.1", "pkg:golang/github.com/gorilla/context@v1.1.1"},
		{"golang lower case", "pkg:golang/github.com/Sirupsen/Logrus@v1.0.0", "pkg:golang/github.com/sirupsen/logrus@v1.0.0"},
		{"golang version case kept", "pkg:golang/example.com/m@v0.0.0-2021ABC", "pkg:golang/example.com/m@v0.0.0-2021ABC"},
		{"golang subpath", "pkg:GOLANG/google.golang.org/genproto#/googleapis/api/annotations/", "pkg:golang/google.golang.org/genproto#googleapis/api/annotations"},

		// github / bitbucket.
		{"github lower case", "pkg:github/Package-url/purl-Spec@244fd47e", "pkg:github/package-url/purl-spec@244fd47e"},
		{"github version case kept", "pkg:github/a/b@V1.0", "pkg:github/a/b@V1.0"},
		{"bitbucket lower case", "pkg:bitbucket/birKenfeld/pyGments-main@244fd47e", "pkg:bitbucket/birkenfeld/pygments-main@244fd47e"},

		// OS distributions: names lower-cased where the spec says, distro,
		// arch and epoch qualifiers kept.
		{"deb", "pkg:DEB/Debian/Curl@7.50.3-1?Arch=i386&Distro=jessie", "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"},
		{"deb epoch in version", "pkg:deb/debian/openssl@1:1.1.1n-0+deb11u3?arch=amd64", "pkg:deb/debian/openssl@1:1.1.1n-0%2Bdeb11u3?arch=amd64"},
		{"rpm namespace lower case, name kept", "pkg:rpm/Fedora/NetworkManager@1.30.0-1.fc34?arch=x86_64&epoch=1&distro=fedora-34", "pkg:rpm/fedora/NetworkManager@1.30.0-1.fc34?arch=x86_64&distro=fedora-34&epoch=1"},
		{"apk", "pkg:apk/Alpine/Curl@7.83.0-r0?arch=x86&distro=3.16", "pkg:apk/alpine/curl@7.83.0-r0?arch=x86&distro=3.16"},
		{"alpm", "pkg:alpm/Arch/Pacman@6.0.1-1?arch=x86_64", "pkg:alpm/arch/pacman@6.0.1-1?arch=x86_64"},

		// Other types.
		{"nuget case kept", "pkg:Nuget/EnterpriseLibrary.Common@6.0.1304", "pkg:nuget/EnterpriseLibrary.Common@6.0.1304"},
		{"cargo case kept", "pkg:cargo/Inflector@0.11.4", "pkg:cargo/Inflector@0.11.4"},
		{"gem case kept", "pkg:gem/RedCloth@4.3.2?Platform=java", "pkg:gem/RedCloth@4.3.2?platform=java"},
		{"composer lower case", "pkg:composer/Laravel/Laravel@5.5.0", "pkg:composer/laravel/laravel@5.5.0"},
		{"hex lower case", "pkg:hex/Acme/Foo@2.3.0", "pkg:hex/acme/foo@2.3.0"},
		{"pub lower case and underscores", "pkg:pub/Flutter-Test@1.0.0", "pkg:pub/flutter_test@1.0.0"},
		{"swift case kept", "pkg:swift/github.com/Alamofire/Alamofire@5.4.3", "pkg:swift/github.com/Alamofire/Alamofire@5.4.3"},
		{"cocoapods case kept", "pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib", "pkg:cocoapods/GoogleUtilities@7.5.2#NSData%2Bzlib"},
		{"conan case kept", "pkg:conan/openssl.org/OpenSSL@3.0.3?user=bincrafters&channel=stable", "pkg:conan/openssl.org/OpenSSL@3.0.3?channel=stable&user=bincrafters"},
		{"generic case kept", "pkg:generic/BusyBox@1.35.0", "pkg:generic/BusyBox@1.35.0"},
		{"oci lower case", "pkg:oci/Debian@SHA256%3A244FD47E?tag=Latest", "pkg:oci/debian@sha256:244fd47e?tag=Latest"},
		{"huggingface version lower case", "pkg:huggingface/EleutherAI/gpt-neo-1.3B@797174552AE4", "pkg:huggingface/EleutherAI/gpt-neo-1.3B@797174552ae4"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Errorf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}

func TestParseComponents(t *testing.T) {
	p, err := Parse("pkg:npm/%40Babel/Core@7.0.0?Repository_URL=https://r.example#/lib/./x/")
	if err != nil {
		t.Fatal(err)
	}
	want := packageurl.PackageURL{
		Type:       "npm",
		Namespace:  "@babel",
		Name:       "core",
		Version:    "7.0.0",
		Qualifiers: packageurl.Qualifiers{{Key: "repository_url", Value: "https://r.example"}},
		Subpath:    "lib/x",
	}
	if p.Type != want.Type || p.Namespace != want.Namespace || p.Name != want.Name ||
		p.Version != want.Version || p.Subpath != want.Subpath || !slices.Equal(p.Qualifiers, want.Qualifiers) {
		t.Errorf("Parse = %#v, want %#v", p, want)
	}

	p, err = Parse("pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&type=pom")
	if err != nil {
		t.Fatal(err)
	}
	if p.Namespace != "org.apache.xmlgraphics" || p.Name != "batik-anim" {
		t.Errorf("maven groupId/artifactId = %q/%q", p.Namespace, p.Name)
	}
	if got := p.Qualifiers.Map(); got["classifier"] != "sources" || got["type"] != "pom" {
		t.Errorf("maven qualifiers = %v", got)
	}

	p, err = Parse("pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&epoch=1&distro=fedora-25")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Qualifiers.Map(); got["arch"] != "i386" || got["epoch"] != "1" || got["distro"] != "fedora-25" {
		t.Errorf("rpm qualifiers = %v", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"EnterpriseLibrary.Common@6.0.1304",     // no scheme
		"pkg:EnterpriseLibrary.Common@6.0.1304", // no type
		"pkg%3Amaven/org.apache.commons/io",     // encoded colon
		"pkg:3nginx/nginx@0.8.9",                // type starts with a digit
		"pkg:n&g?inx/nginx@0.8.9",               // invalid character in type
		"pkg:maven/@1.3.4",                      // no name
		"pkg:npm/myartifact@1.0.0?in%20production=true", // invalid qualifier key
		"pkg:generic/x@1?a=1&A=2",                       // duplicate qualifier key
		"pkg:generic/x@%zz",                             // bad percent-encoding
		"pkg:generic/x#%zz",                             // bad percent-encoding in the subpath
		"pkg:swift/Alamofire@5.4.3",                     // swift requires a namespace
		"pkg:pypi/",                                     // empty name
	} {
		if p, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", in, p.ToString())
		}
		if s, err := Normalize(in); err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", in, s)
		}
	}
}

func TestPackageKey(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"pkg:pypi/Django_Package@1.11.1?file_name=x.whl#sub", "pypi/django-package"},
		{"pkg:npm/%40Angular/Core@12.0.0", "npm/%40angular/core"},
		{"pkg:npm/lodash@4.17.21", "npm/lodash"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?classifier=sources&type=jar", "maven/org.apache.logging.log4j/log4j-core"},
		{"pkg:golang/github.com/gorilla/context@v1.1.1#api", "golang/github.com/gorilla/context"},
		{"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "deb/debian/curl"},
		{"pkg:GitHub/Package-URL/purl-spec@v1", "github/package-url/purl-spec"},
	}
	for _, tt := range tests {
		p, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := PackageKey(p); got != tt.want {
			t.Errorf("PackageKey(Parse(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}

	// Keys of equivalent purls are equal, whatever their version.
	a, _ := Parse("pkg:pypi/Zope.Interface@5.0")
	b, _ := Parse("pkg:pypi/zope_interface@6.0")
	if PackageKey(a) != PackageKey(b) {
		t.Errorf("PackageKey(%v) = %q != PackageKey(%v) = %q", a, PackageKey(a), b, PackageKey(b))
	}

	// Hand-built, unnormalised values are normalised.
	raw := packageurl.PackageURL{Type: "PyPI", Name: "Foo_Bar", Version: "1.0"}
	if got, want := PackageKey(raw), "pypi/foo-bar"; got != want {
		t.Errorf("PackageKey(%#v) = %q, want %q", raw, got, want)
	}
	// Values that do not validate still get a best-effort key.
	julia := packageurl.PackageURL{Type: "julia", Name: "Dates", Version: "1.9.0"} // no uuid qualifier
	if got, want := PackageKey(julia), "julia/Dates"; got != want {
		t.Errorf("PackageKey(%#v) = %q, want %q", julia, got, want)
	}
	// PackageKey does not modify its argument's qualifiers.
	q := packageurl.Qualifiers{{Key: "z", Value: "1"}, {Key: "a", Value: "2"}}
	PackageKey(packageurl.PackageURL{Type: "generic", Name: "x", Qualifiers: q})
	if q[0].Key != "z" {
		t.Errorf("PackageKey reordered the caller's qualifiers: %v", q)
	}
}

// ---------------------------------------------------------------------------
// Fuzzing.

// parseNormalizingTwice is Parse as it was before canonicalizeParsed:
// packageurl-go's Normalize run again on what FromString returns.
func parseNormalizingTwice(s string) (packageurl.PackageURL, error) {
	p, err := packageurl.FromString(cleanRawSubpath(strings.TrimSpace(s)))
	if err != nil {
		return packageurl.PackageURL{}, err
	}
	return canonicalize(p)
}

func FuzzParse(f *testing.F) {
	for _, s := range plainCases {
		f.Add(s)
	}
	for _, s := range []string{
		"pkg:pypi/Django_package@1.11.1.dev1",
		"pkg:npm/%40angular/animation@12.3.1",
		"pkg:npm/@babel/core#/googleapis/api/annotations/",
		"pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=https://repo.spring.io/release",
		"pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E%2E/api/annotations/",
		"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
		"pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&epoch=1&distro=fedora-25",
		"pkg:github/Package-url/purl-Spec@244fd47e07d1004f0aed9c",
		"pkg:brew/node@20@20.10.0",
		"pkg:pub/Flutter-Test@1.0.0",
		"pkg:julia/Dates@1.9.0?uuid=ade2ca70-3891-5945-98fb-dc099432e06a",
		"pkg:generic/x@1?a=&b=%20#./a//b/..",
		"pkg:///generic/a//b/c",
		"pkg:cpan/DROLSKY/DateTime@1.55",
		"pkg:mlflow/CreditFraud@3?repository_url=https://adb-1.azuredatabricks.net/api/2.0/mlflow",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkPlainMatchesFull(t, strings.TrimSpace(s))
		p, err := Parse(s)
		if want, wantErr := parseNormalizingTwice(s); (err == nil) != (wantErr == nil) || !reflect.DeepEqual(p, want) {
			t.Fatalf("Parse(%q) = %#v, %v; normalizing twice: %#v, %v", s, p, err, want, wantErr)
		}
		if err != nil {
			return
		}
		_ = PackageKey(p)
		n1 := p.ToString()
		n2, err := Normalize(n1)
		if err != nil {
			t.Fatalf("Normalize(%q) (the canonical form of %q): %v", n1, s, err)
		}
		if n1 != n2 {
			t.Fatalf("Normalize is not idempotent: %q -> %q -> %q", s, n1, n2)
		}
		p2, err := Parse(n2)
		if err != nil {
			t.Fatalf("Parse(%q): %v", n2, err)
		}
		if k1, k2 := PackageKey(p), PackageKey(p2); k1 != k2 {
			t.Fatalf("PackageKey changed on reparse of %q: %q -> %q", s, k1, k2)
		}
	})
}

// BenchmarkParse parses purls of the shapes of the benchmark workload's
// components (../shared/bench/gen.py): maven, pypi, npm, golang, and deb
// with a distro qualifier.
func BenchmarkParse(b *testing.B) {
	in := []string{
		"pkg:maven/org.example34/lib422@0.8.5",
		"pkg:pypi/pkg1871@5.5.7",
		"pkg:npm/pkg7445@0.12.9",
		"pkg:golang/example.com/mod123@v1.2.3",
		"pkg:deb/debian/pkg289@1.3.4-1?distro=debian-11",
	}
	for b.Loop() {
		for _, s := range in {
			if _, err := Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// pep503Name replaces every run of "-", "_" and "." by one "-", as the
// regular expression of PEP 503 does.
func TestPEP503Name(t *testing.T) {
	re := regexp.MustCompile(`[-_.]+`)
	for _, s := range []string{"", "a", "-", "--", "_", "a-b", "a--b", "a_b", "a._-b", "-a-", "__a__", "zope.interface", "foo.-_bar__baz", "a-", "a-.", "é_x", "a-b-c", "a-_"} {
		if got, want := pep503Name(s), re.ReplaceAllLiteralString(s, "-"); got != want {
			t.Errorf("pep503Name(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestRuleOf holds ruleOf to the typeRules map for every type it lists,
// every type packageurl-go knows, and strings that are no type, and
// checks that few types share a slot (each such one is a map lookup).
func TestRuleOf(t *testing.T) {
	types := []string{"", "a", "maven", "generic", "cargo", "gem", "NPM", "npmx", "xnpm", "pypi ", "deb\x00"}
	for typ := range typeRules {
		types = append(types, typ, typ+"x", "x"+typ, strings.ToUpper(typ))
	}
	for typ := range packageurl.KnownTypes {
		types = append(types, typ)
	}
	for _, typ := range types {
		got, gok := ruleOf(typ)
		want, wok := typeRules[typ]
		if gok != wok || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ruleOf(%q) = %v, %v; the map has %v, %v", typ, got, gok, want, wok)
		}
	}
	shared := 0
	for _, s := range ruleSlots {
		if s.taken > 1 {
			shared += s.taken
		}
	}
	if shared > 0 {
		t.Errorf("%d of %d types share a slot of ruleSlots", shared, len(typeRules))
	}
}
