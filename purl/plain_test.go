package purl

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// checkPlainMatchesFull fails t if parsePlain accepts the trimmed purl s
// with a result other than parseFull's, and reports whether it accepted.
func checkPlainMatchesFull(t *testing.T, s string) bool {
	t.Helper()
	fast, ok := parsePlain(s)
	if !ok {
		return false
	}
	full, err := parseFull(s)
	if err != nil || !reflect.DeepEqual(fast, full) {
		t.Errorf("parsePlain(%q) = %#v; parseFull: %#v, %v", s, fast, full, err)
	}
	return true
}

// plainCases are purls on both sides of parsePlain's conditions.
var plainCases = []string{
	"pkg:maven/org.example34/lib422@0.8.5",
	"pkg:pypi/pkg1871@5.5.7",
	"pkg:npm/pkg7445@0.12.9",
	"pkg:golang/example.com/mod123@v1.2.3",
	"pkg:deb/debian/pkg289@1.3.4-1?distro=debian-11",
	"pkg:deb/debian/pkg289@1.3.4-1?arch=amd64&distro=debian-11",
	"pkg:deb/debian/pkg289@1.3.4-1?distro=debian-11&arch=amd64",
	"pkg:deb/debian/pkg289@1.3.4-1?arch=amd64&arch=i386",
	"pkg:deb/debian/pkg289@1.3.4-1?arch=&distro=x",
	"pkg:deb/debian/pkg289@1.3.4-1?arch=a&",
	"pkg:deb/debian/pkg289@1.3.4-1?&arch=a",
	"pkg:deb/debian/pkg289@1.3.4-1?Arch=a",
	"pkg:deb/debian/pkg289@1.3.4-1?arch=a;b",
	"pkg:deb/debian/pkg289@1.3.4-1?arch=a=b",
	"pkg:deb/debian/pkg289@1.3.4-1?1arch=a",
	"pkg:deb/debian/pkg289@1.3.4-1?",
	"pkg:deb/Debian/pkg289@1.3.4-1",
	"pkg:deb/debian/Pkg289@1.3.4-1",
	"pkg:rpm/Fedora/Curl@7.50.3-1.fc25",
	"pkg:npm/@babel/core@7.0.0",
	"pkg:npm/@babel/Core@7.0.0",
	"pkg:npm/@core@7.0.0",
	"pkg:npm/@babel//core@7.0.0",
	"pkg:npm/babel/@7.0.0",
	"pkg:maven/@org/x@1",
	"pkg:maven//org/x@1",
	"pkg:maven/org/x@1@2",
	"pkg:maven/org/x@",
	"pkg:maven/org/x@1/2",
	"pkg:maven/x@1?a=b@c/d",
	"pkg:pypi/Django_Package@1.11.1.DEV1",
	"pkg:pypi/django-package@1.11.1.DEV1",
	"pkg:pypi/zope..interface@5",
	"pkg:pypi/django_package@1",
	"pkg:golang/GitHub.com/x/Y@v1",
	"pkg:huggingface/x@ABC",
	"pkg:pub/flutter-test@1.0.0",
	"pkg:huggingface/distilbert-base-uncased@043235D6088ECD3DD5FB5CA3592B6913FD516027",
	"pkg:git/codeberg.org/forgejo/Forgejo@v1",
	"pkg:mlflow/CreditFraud@3?repository_url=https://adb-1.azuredatabricks.net/api/2.0/mlflow",
	"pkg:cpan/DROLSKY/DateTime@1.55",
	"pkg:cpan/drolsky/DateTime@1.55",
	"pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
	"pkg:swift/Alamofire@5.4.3",
	"pkg:julia/Dates@1.9.0?uuid=ade2ca70-3891-5945-98fb-dc099432e06a",
	"pkg:generic/x@1#a/b",
	"pkg:generic/x@1?a=b#c",
	"pkg:generic/x%2Fy@1",
	"pkg:generic/café@1",
	"pkg:generic/x@1?a=café",
	"pkg:GENERIC/x@1",
	"PKG:generic/x@1",
	"pkg:/generic/x@1",
	"pkg:generic/x",
	"pkg:generic/",
	"pkg:1generic/x",
	"pkg:c++/x@1",
	"pkg:generic?x/y",
	"pkg:generic/x?a=b?c",
	"pkg:generic/a/b/c/x@1",
}

// TestParsePlainMatchesFull holds Parse's fast path to the full path on
// every string of the purl-spec suite files, every purl in the shared
// SBOMs and plainCases; it also checks the fast path is taken for the
// benchmark workload's purl shapes and for most SBOM purls.
func TestParsePlainMatchesFull(t *testing.T) {
	for i, s := range plainCases {
		if ok := checkPlainMatchesFull(t, s); i < 5 && !ok {
			t.Errorf("parsePlain(%q) not taken", s)
		}
	}
	var suite []string
	walkJSONStrings(t, purlSuiteDir(t), func(s string) { suite = append(suite, s) })
	var sbom []string
	walkJSONStrings(t, sharedtest.Path(t, "sboms"), func(s string) {
		sbom = append(sbom, purlRE.FindAllString(s, -1)...)
	})
	// The suite's files hold descriptions and invalid purls too; the
	// minimum counts of fast-path purls are about half of today's.
	for name, in := range map[string][]string{"suite": suite, "sboms": sbom} {
		min := map[string]int{"suite": 250, "sboms": 1400}[name]
		taken := 0
		for _, s := range in {
			if checkPlainMatchesFull(t, strings.TrimSpace(s)) {
				taken++
			}
		}
		t.Logf("%s: %d strings, %d by the fast path", name, len(in), taken)
		if taken < min {
			t.Errorf("%s: %d strings, %d by the fast path: too few", name, len(in), taken)
		}
	}
}

var purlRE = regexp.MustCompile(`(?i)pkg:[^\s"'<>]+`)

// walkJSONStrings calls f with every string value (and object key) of
// every JSON file under dir; for other files, with the whole text.
func walkJSONStrings(t *testing.T, dir string, f func(string)) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		if !strings.HasSuffix(path, ".json") || json.Unmarshal(data, &v) != nil {
			f(string(data))
			return nil
		}
		walkValue(v, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func walkValue(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, e := range v {
			walkValue(e, f)
		}
	case map[string]any:
		for k, e := range v {
			f(k)
			walkValue(e, f)
		}
	}
}
