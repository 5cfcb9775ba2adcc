package schemacheck

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// sharedDir returns the shared real-data folder or skips the test.
func sharedDir(t testing.TB) string { return sharedtest.Dir(t) }

var cdxVersions = []string{"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}

// conformanceFiles lists the CycloneDX specification test files of one
// version with the given extension, split into those that must pass and
// those that must fail. skip_invalid-* and informal-invalid-* files count as
// invalid.
func conformanceFiles(t *testing.T, shared, version, ext string) (valid, invalid []string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(shared, "conformance", "cyclonedx", version, "*."+ext))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		base := filepath.Base(f)
		switch {
		case strings.HasPrefix(base, "valid-"):
			valid = append(valid, f)
		case strings.Contains(base, "invalid-"):
			invalid = append(invalid, f)
		default:
			t.Errorf("unexpected conformance file %s", base)
		}
	}
	if len(valid) == 0 || len(invalid) == 0 {
		t.Fatalf("CycloneDX %s: found %d valid and %d invalid *.%s files; is the shared data complete?", version, len(valid), len(invalid), ext)
	}
	return valid, invalid
}

var versionSuffix = regexp.MustCompile(`(-1\.\d)?\.(json|xml)$`)

// stem turns "invalid-hash-md5-1.6.xml" into "invalid-hash-md5" and
// "informal-invalid-…-implicit.xml" into "informal-invalid-…-implicit".
func stem(path string) string {
	return versionSuffix.ReplaceAllString(filepath.Base(path), "")
}

func rules(vs []Violation) []string {
	set := map[string]bool{}
	for _, v := range vs {
		set[v.Rule] = true
	}
	out := make([]string, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func hasRule(vs []Violation, want ...string) bool {
	for _, v := range vs {
		for _, w := range want {
			if v.Rule == w {
				return true
			}
		}
	}
	return false
}

func summarize(vs []Violation, max int) string {
	var sb strings.Builder
	for i, v := range vs {
		if i == max {
			sb.WriteString("\n      …")
			break
		}
		sb.WriteString("\n      ")
		sb.WriteString(v.String())
	}
	return sb.String()
}
