package match

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/google/osv-scalibr/semantic"
)

// sharedFixtureEcosystems maps the prefix of each file in
// ../shared/conformance/versions (osv-scalibr's semantic/testdata) to the
// ecosystem its lines are ordered by.
var sharedFixtureEcosystems = map[string]string{
	"alpine":    "Alpine",
	"cran":      "CRAN",
	"debian":    "Debian",
	"hackage":   "Hackage",
	"maven":     "Maven",
	"nuget":     "NuGet",
	"packagist": "Packagist",
	"pub":       "Pub",
	"pypi":      "PyPI",
	"redhat":    "Red Hat",
	"rubygems":  "RubyGems",
	"semver":    SemVer,
}

// ownFixtureEcosystems maps the prefix of each file in testdata/versions,
// our own ordered pairs for ecosystems the shared fixtures do not cover, to
// the ecosystems its lines are checked in. The rpm file holds RPM
// epoch:version-release pairs of the RPM distributions.
var ownFixtureEcosystems = map[string][]string{
	"npm":      {"npm"},
	"go":       {"Go"},
	"cratesio": {"crates.io"},
	"hex":      {"Hex"},
	"ubuntu":   {"Ubuntu:22.04:LTS"},
	"rpm":      {"AlmaLinux:8", "Rocky Linux:9", "Azure Linux:3", "openSUSE:Leap 15.5", "SUSE"},
	"swifturl": {"SwiftURL"},
}

// fixtureLine is one "A op B" line of a version-ordering fixture.
type fixtureLine struct {
	file string
	num  int
	a, b string
	op   string
}

func (l fixtureLine) String() string {
	return fmt.Sprintf("%s:%d: %s %s %s", l.file, l.num, l.a, l.op, l.b)
}

// readFixture reads the ordering lines of a fixture file: "A < B",
// "A = B" or "A > B"; blank lines and lines starting with "#" or "//" are
// comments.
func readFixture(t testing.TB, path string) []fixtureLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []fixtureLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "//") {
			continue
		}
		fields := strings.Fields(s)
		if len(fields) != 3 || !strings.Contains("<=>", fields[1]) || len(fields[1]) != 1 {
			t.Errorf("%s:%d: not an ordering line: %q", filepath.Base(path), n, s)
			continue
		}
		lines = append(lines, fixtureLine{file: filepath.Base(path), num: n, a: fields[0], op: fields[1], b: fields[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// checkLine checks one fixture line in ecosystem eco both ways round: for
// "A < B", A.Compare(B) is -1 and B.Compare(A) is +1, and CompareVersion
// agrees.
func checkLine(eco string, l fixtureLine) error {
	want := map[string]int{"<": -1, "=": 0, ">": 1}[l.op]
	a, err := ParseVersion(eco, l.a)
	if err != nil {
		return err
	}
	b, err := ParseVersion(eco, l.b)
	if err != nil {
		return err
	}
	ab, err := a.Compare(l.b)
	if err != nil {
		return err
	}
	ba, err := b.Compare(l.a)
	if err != nil {
		return err
	}
	vv, err := a.CompareVersion(b)
	if err != nil {
		return err
	}
	if ab != want || ba != -want || vv != want {
		return fmt.Errorf("got A<=>B %d, B<=>A %d, CompareVersion %d; want %d", ab, ba, vv, want)
	}
	return nil
}

// runFixture checks every line of the fixture file path in eco and
// returns the number of lines that pass and that fail, reporting each
// failure. A line holding a version that the ecosystem's grammar rejects
// (versionrules.go) is counted in rejected, not in pass or fail: such a
// line records the order semantic invents for a string the ecosystem
// cannot read (PyPI's "legacy" versions, RubyGems' "1beta"), which
// ParseVersion refuses on purpose. For PyPI each rejected version must be
// one that semantic itself reads as legacy, so the two grammars agree.
func runFixture(t *testing.T, eco, path string) (pass, fail, rejected int) {
	t.Helper()
	lines := readFixture(t, path)
	if len(lines) == 0 {
		t.Errorf("%s: no ordering lines", path)
	}
	for _, l := range lines {
		err := checkLine(eco, l)
		var iv *invalidVersion
		if errors.As(err, &iv) {
			rejected++
			if BaseEcosystem(eco) == "PyPI" && !semanticPyPILegacy(t, iv.v) {
				t.Errorf("%s: %q rejected, but semantic reads it as PEP 440", l, iv.v)
			}
			continue
		}
		if err != nil {
			fail++
			t.Errorf("%s: %s: %v", eco, l, err)
			continue
		}
		pass++
	}
	return pass, fail, rejected
}

// fixturePrefix returns the part of a fixture file name before the first
// "-" ("alpine" for alpine-versions-generated.txt).
func fixturePrefix(path string) string {
	p, _, _ := strings.Cut(filepath.Base(path), "-")
	return p
}

// TestVersionConformance runs every version-ordering fixture of the shared
// data (osv-scalibr's own test data, from each ecosystem's native tools)
// through ParseVersion and Compare, and reports the count of passing
// comparisons per file.
func TestVersionConformance(t *testing.T) {
	dir := filepath.Join(sharedtest.Dir(t), "conformance", "versions")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no version fixtures in %s", dir)
	}
	seen := map[string]bool{}
	for _, path := range files {
		prefix := fixturePrefix(path)
		eco, ok := sharedFixtureEcosystems[prefix]
		if !ok {
			t.Errorf("%s: no ecosystem for fixture prefix %q", filepath.Base(path), prefix)
			continue
		}
		seen[prefix] = true
		t.Run(filepath.Base(path), func(t *testing.T) {
			pass, fail, rejected := runFixture(t, eco, path)
			t.Logf("version conformance %s (%s): %d of %d comparisons pass; %d lines hold a version outside the ecosystem's grammar",
				filepath.Base(path), eco, pass, pass+fail, rejected)
		})
	}
	for prefix := range sharedFixtureEcosystems {
		if !seen[prefix] {
			t.Errorf("no %s-*.txt fixture in %s", prefix, dir)
		}
	}
}

// TestVersionFixtures runs our own ordered pairs in testdata/versions, for
// ecosystems the shared fixtures do not cover. Each file's expected order
// was checked against the ecosystem's specification (see the comments in
// the files), not taken from the comparator's output.
func TestVersionFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "versions", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		prefix := fixturePrefix(path)
		ecos, ok := ownFixtureEcosystems[prefix]
		if !ok {
			t.Errorf("%s: no ecosystem for fixture prefix %q", path, prefix)
			continue
		}
		seen[prefix] = true
		for _, eco := range ecos {
			t.Run(filepath.Base(path)+"/"+eco, func(t *testing.T) {
				pass, fail, rejected := runFixture(t, eco, path)
				t.Logf("%s (%s): %d of %d comparisons pass", filepath.Base(path), eco, pass, pass+fail)
				if rejected > 0 {
					t.Errorf("%s: %d lines hold a version outside the grammar of %s", path, rejected, eco)
				}
			})
		}
	}
	for prefix := range ownFixtureEcosystems {
		if !seen[prefix] {
			t.Errorf("no testdata/versions/%s-*.txt fixture", prefix)
		}
	}
}

func TestParseVersionNoComparator(t *testing.T) {
	for _, eco := range []string{"", "Nonsense", "debian", "GitHub Actions", "GIT", "Mariner:2"} {
		_, err := ParseVersion(eco, "1.0.0")
		if !errors.Is(err, ErrNoComparator) {
			t.Errorf("ParseVersion(%q, 1.0.0): err = %v, want ErrNoComparator", eco, err)
		}
		if errors.Is(err, ErrBadVersion) {
			t.Errorf("ParseVersion(%q, 1.0.0): err = %v also wraps ErrBadVersion", eco, err)
		}
		// An unknown ecosystem is reported as such even for a bad version.
		if _, err := ParseVersion(eco, ""); !errors.Is(err, ErrNoComparator) {
			t.Errorf("ParseVersion(%q, \"\"): err = %v, want ErrNoComparator", eco, err)
		}
		if HasComparator(eco) {
			t.Errorf("HasComparator(%q) = true", eco)
		}
	}
	var zero Version
	if _, err := zero.Compare("1.0"); !errors.Is(err, ErrNoComparator) {
		t.Errorf("zero Version Compare: err = %v, want ErrNoComparator", err)
	}
	if _, err := zero.CompareVersion(zero); !errors.Is(err, ErrNoComparator) {
		t.Errorf("zero Version CompareVersion: err = %v, want ErrNoComparator", err)
	}
}

func TestHasComparator(t *testing.T) {
	for _, eco := range []string{
		"npm", "PyPI", "Maven", "Maven:https://maven.google.com", "Go", "crates.io", "RubyGems",
		"NuGet", "Packagist", "Pub", "Hex", "SwiftURL", "CRAN", "Hackage", "Bitnami",
		"Debian", "Debian:11", "Ubuntu:22.04:LTS", "Ubuntu:Pro:18.04:LTS", "Alpine:v3.16",
		"Red Hat", "Red Hat:enterprise_linux:8::appstream", "AlmaLinux:8", "Rocky Linux:9",
		"openSUSE:Leap 15.5", "SUSE", "Azure Linux:3", SemVer,
	} {
		if !HasComparator(eco) {
			t.Errorf("HasComparator(%q) = false", eco)
		}
	}
}

func TestParseVersionBadVersion(t *testing.T) {
	tests := []struct{ eco, v string }{
		{"npm", ""},
		{"npm", "   "},
		{"npm", "latest"},
		{"npm", "^1.2.0"},
		{"npm", ">=1.0.0"},
		{"npm", "1.0.0 || 2.0.0"},
		{"Go", "master"},
		{SemVer, "x"},
		{SemVer, "v"},
		{"crates.io", "*"},
		{"NuGet", "[1.0,2.0)"},
		{"RubyGems", "~> 1.2"},
		{"Pub", "any"},
		{"PyPI", "not a version"},
		{"PyPI", "1.0\x00"},
		{"Debian", "1.0 1"},
		{"Debian", "a:1.0"},
		{"Debian:11", ":1"},
		{"Alpine", "1.0 -r1"},
		{"Alpine", ""},
		{"Hackage", "1.0-beta"},
		{"CRAN", "1.0.a"},
		{"Maven", "1.0\t2"},
		{"Red Hat", "\xff\xfe"},
		{"Maven", "1." + strings.Repeat("1", MaxVersionLen)},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.eco, tt.v)
		if !errors.Is(err, ErrBadVersion) {
			t.Errorf("ParseVersion(%q, %q) = %v, %v; want ErrBadVersion", tt.eco, tt.v, v, err)
		}
		if errors.Is(err, ErrNoComparator) {
			t.Errorf("ParseVersion(%q, %q): err = %v also wraps ErrNoComparator", tt.eco, tt.v, err)
		}
	}

	// Compare reports a bad right-hand side the same way.
	v, err := ParseVersion("npm", "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Compare("next"); !errors.Is(err, ErrBadVersion) {
		t.Errorf("Compare(next): err = %v, want ErrBadVersion", err)
	}
}

func TestParseVersionDetails(t *testing.T) {
	v, err := ParseVersion("Debian:11", "  1:2.3-4 ")
	if err != nil {
		t.Fatal(err)
	}
	if v.String() != "1:2.3-4" || v.Ecosystem() != "Debian" {
		t.Errorf("got String %q, Ecosystem %q; want 1:2.3-4, Debian", v.String(), v.Ecosystem())
	}
	// Suffixes do not matter: Debian:11 and Debian:12 versions compare.
	w, err := ParseVersion("Debian:12", "1:2.3-5")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := v.CompareVersion(w); err != nil || c != -1 {
		t.Errorf("CompareVersion = %d, %v; want -1", c, err)
	}
	// Different base ecosystems do not.
	s, err := ParseVersion(SemVer, "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.CompareVersion(s); err == nil {
		t.Error("comparing a Debian version with a SemVer version: no error")
	}
	// Azure Linux uses the RPM comparator.
	a, err := ParseVersion("Azure Linux:2", "1.1.1k-10.cm2")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := a.Compare("1.1.1k-9.cm2"); err != nil || c != 1 {
		t.Errorf("Azure Linux 1.1.1k-10.cm2 vs 1.1.1k-9.cm2 = %d, %v; want 1", c, err)
	}
	if a.Ecosystem() != "Azure Linux" {
		t.Errorf("Ecosystem() = %q, want Azure Linux", a.Ecosystem())
	}
}

// TestSemVerQuirks documents how the SEMVER comparator treats versions that
// are not SemVer 2.0.0, so that a change of behaviour in a new osv-scalibr
// release shows up here.
func TestSemVerQuirks(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.2", "1.2.0", 0},                // missing components are zero
		{"1", "1.0.0", 0},                  //
		{"v1.2.3", "1.2.3", 0},             // leading v
		{"1.2.3+build.1", "1.2.3+b2", 0},   // build metadata ignored
		{"1.2.3-beta", "1.2.3beta", 0},     // the hyphen is optional
		{"1.2.3.4", "1.2.3", -1},           // a fourth component becomes a pre-release
		{"01.2.3", "1.2.3", 0},             // leading zeros are numbers
		{"1.2.3-01", "1.2.3-1", 0},         // also in pre-release identifiers
		{"1.2.3-rc.1", "1.2.3-rc.1.0", -1}, // longer pre-release list sorts after
	}
	for _, tt := range tests {
		v, err := ParseVersion(SemVer, tt.a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.Compare(tt.b)
		if err != nil || got != tt.want {
			t.Errorf("SemVer %s <=> %s = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
}

// fuzzEcosystems are the ecosystems FuzzCompare exercises: the SEMVER path
// and one ecosystem of each of semantic's parsers.
var fuzzEcosystems = []string{
	SemVer, "Alpine", "CRAN", "Debian", "Hackage", "Maven", "NuGet",
	"Packagist", "Pub", "PyPI", "Red Hat", "RubyGems",
}

// FuzzCompare feeds arbitrary strings to semantic's parsers and
// comparators directly (without the recover in parseSemantic, so that a
// panic in osv-scalibr shows up) and to ParseVersion and Compare, which
// must never panic, must return only the documented errors, and must be
// antisymmetric. It is seeded with the pairs of our fixtures and, when
// the shared data is present, of the shared fixtures.
func FuzzCompare(f *testing.F) {
	var paths []string
	own, _ := filepath.Glob(filepath.Join("testdata", "versions", "*.txt"))
	paths = append(paths, own...)
	if dir, err := sharedDirQuiet(); err == nil {
		shared, _ := filepath.Glob(filepath.Join(dir, "conformance", "versions", "*.txt"))
		for _, p := range shared {
			// The generated files hold thousands of similar lines; the
			// hand-written ones cover the edge cases.
			if !strings.Contains(p, "generated") {
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, l := range readFixture(f, p) {
			f.Add(l.a, l.b)
		}
	}
	f.Add("", "")
	f.Add("1:", "-")
	f.Add("v", "~")
	f.Fuzz(func(t *testing.T, a, b string) {
		// ParseVersion rejects longer strings before semantic sees them
		// (some of its parsers are quadratic), so fuzzing semantic
		// with them only slows the search down.
		direct := len(a) <= MaxVersionLen && len(b) <= MaxVersionLen
		for _, eco := range fuzzEcosystems {
			// semantic directly: any panic here is a bug in osv-scalibr
			// that parseSemantic's recover is there to contain.
			if direct {
				var sv semantic.Version
				var err error
				if eco == SemVer {
					sv = semantic.ParseSemverVersion(a)
				} else {
					sv, err = semantic.Parse(a, eco)
				}
				if err == nil {
					_, _ = sv.CompareStr(b)
				}
			}

			va, errA := ParseVersion(eco, a)
			if errA != nil {
				if !errors.Is(errA, ErrBadVersion) {
					t.Fatalf("ParseVersion(%q, %q): %v does not wrap ErrBadVersion", eco, a, errA)
				}
				continue
			}
			ab, errAB := va.Compare(b)
			vb, errB := ParseVersion(eco, b)
			if (errAB == nil) != (errB == nil) {
				t.Fatalf("%s: Compare(%q, %q) err %v but ParseVersion(%q) err %v", eco, a, b, errAB, b, errB)
			}
			if errB != nil {
				if !errors.Is(errB, ErrBadVersion) {
					t.Fatalf("ParseVersion(%q, %q): %v does not wrap ErrBadVersion", eco, b, errB)
				}
				continue
			}
			ba, err := vb.Compare(a)
			if err != nil {
				t.Fatalf("%s: Compare(%q, %q): %v", eco, b, a, err)
			}
			if ab != -ba {
				t.Errorf("%s: %q <=> %q = %d but %q <=> %q = %d", eco, a, b, ab, b, a, ba)
			}
			if aa, err := va.Compare(a); err != nil || aa != 0 {
				t.Errorf("%s: %q <=> itself = %d, %v", eco, a, aa, err)
			}
		}
	})
}

// sharedDirQuiet returns the shared folder if it is there, looking where
// sharedtest.Dir does ($BOMRANK_SHARED, else ../shared beside the module
// root) but without skipping: a fuzz target's seed corpus is optional.
func sharedDirQuiet() (string, error) {
	dir := os.Getenv("BOMRANK_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		return "", err
	}
	return dir, nil
}
