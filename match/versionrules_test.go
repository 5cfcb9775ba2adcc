package match

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/sbom"
	"github.com/google/osv-scalibr/semantic"
)

// pep440Cases are spellings from PEP 440 (https://peps.python.org/pep-0440/),
// its "Normalization" section above all, and strings that are not PEP 440
// (the issue's own examples first).
var pep440Cases = []struct {
	v     string
	valid bool
}{
	// Public version identifiers, "Final releases" to "Developmental
	// releases" and the examples of "Summary of permitted suffixes".
	{"0", true}, {"1.0", true}, {"2012.10", true}, {"1.0.0.0.0.0.1", true},
	{"1!1.0", true}, {"2!1.0.dev456", true},
	{"1.0a1", true}, {"1.0b2", true}, {"1.0rc1", true}, {"1.0c1", true},
	{"1.0.post456", true}, {"1.0.dev456", true}, {"1.0.post456.dev34", true},
	{"1.0a12.dev456", true}, {"1.0b2.post345.dev456", true}, {"1.1.dev1", true},
	{"1.0+abc.5", true}, {"1.0+abc.7", true}, {"1.0+5", true}, {"1.0+ubuntu-1", true},
	{"1.0+ubuntu_1", true}, {"1.0+AbC.5", true},
	// Normalization: case, integers, separators, spellings, implicit
	// numbers, implicit post releases, a preceding v.
	{"1.1RC1", true}, {"00", true}, {"09000", true}, {"1.0.01", true},
	{"1.1.a1", true}, {"1.1-a1", true}, {"1.1_a1", true},
	{"1.0a.1", true}, {"1.1a-1", true}, {"1.1a_1", true},
	{"1.1alpha1", true}, {"1.1beta2", true}, {"1.1c3", true}, {"1.1pre4", true}, {"1.1preview5", true},
	{"1.2a", true}, {"1.2-post2", true}, {"1.2post2", true}, {"1.2.post-2", true}, {"1.2.post_2", true},
	{"1.2.post", true}, {"1.0-r4", true}, {"1.0-rev4", true}, {"1.0.r", true},
	{"1.0-1", true}, {"1.0.0-1", true}, {"1.2-dev2", true}, {"1.2dev2", true}, {"1.2.dev", true},
	{"1.2-dev_2", true}, {"v1.0", true}, {"V1.0", true}, {"v1!2.0rc1.post2.dev3+local.4", true},
	{"1.0a1-1", true}, {"1.0rc1-1.dev2", true}, {"2019-09", true},
	// The expression accepts a dangling separator after a label.
	{"1.0a.", true}, {"0Dev.", true}, {"1.0.post-", true}, {"1.0a--1", true}, {"1.0a.post1", true},
	{"1.0a-.1", false}, {"1.0.dev-", true}, {"1.0.dev1-", false},
	// Not PEP 440.
	{"2.2.1-final", false}, {"10.0.0-final", false}, {"0.2.0-n653", false}, {"2019-09-12", false},
	{"", false}, {"v", false}, {"1.", false}, {"1..0", false}, {".1", false}, {"1.0-", false},
	{"1.0+", false}, {"1.0+abc..1", false}, {"1.0+abc.", false}, {"1.0++1", false}, {"1!", false},
	{"!1", false}, {"1!2!3", false}, {"1.0-1-1", false}, {"1.0.x", false}, {"1.0.*", false},
	{"1.0a1a2", false}, {"1.0.dev1.post1", false}, {"1.0.dev1a1", false}, {"1.0-foo", false},
	{"1.0_1", false}, {"1.0.1-p1", false}, {"0.5m1", false}, {"a3", false}, {"latest", false},
	{"1.3.1-STAGING", false}, {"1.0beta6.1", false}, {">=1.0", false}, {"1.0,2.0", false},
	{"1.0 ", false}, {"vv1.0", false}, {"1.0\u212a", false}, {"1.0+\u212a", false}, {"1.0po\u017ft1", false},
}

func TestValidPEP440(t *testing.T) {
	for _, tt := range pep440Cases {
		if got := validPEP440(tt.v); got != tt.valid {
			t.Errorf("validPEP440(%q) = %v, want %v", tt.v, got, tt.valid)
		}
	}
}

// semanticPyPILegacy reports whether semantic reads s as a "legacy"
// version, that is not PEP 440. Legacy versions sort below every PEP 440
// version, and 0.dev0 is the smallest PEP 440 version (epoch 0, release 0,
// a development release with no pre-release before it, no local label).
func semanticPyPILegacy(t testing.TB, s string) bool {
	t.Helper()
	v, err := semantic.ParsePyPIVersion(s)
	if err != nil {
		t.Fatalf("semantic.ParsePyPIVersion(%q): %v", s, err)
	}
	c, err := v.CompareStr("0.dev0")
	if err != nil {
		t.Fatal(err)
	}
	return c < 0
}

// TestPEP440AgreesWithSemantic checks validPEP440 against the expression
// semantic itself applies (the same Appendix B expression): a string
// semantic reads as legacy is not PEP 440, and a PEP 440 string is never
// legacy.
func TestPEP440AgreesWithSemantic(t *testing.T) {
	for _, tt := range pep440Cases {
		if tt.v == "" || strings.TrimSpace(tt.v) != tt.v || !isASCII(tt.v) {
			continue // removed or rejected by ParseVersion before the grammar
		}
		if legacy := semanticPyPILegacy(t, tt.v); legacy == tt.valid {
			t.Errorf("%q: semantic legacy %v, PEP 440 valid %v", tt.v, legacy, tt.valid)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// FuzzPEP440 checks validPEP440 against semantic on any printable ASCII
// string: valid exactly when semantic does not fall back to legacy.
func FuzzPEP440(f *testing.F) {
	for _, tt := range pep440Cases {
		f.Add(tt.v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || len(s) > 64 || !isASCII(s) || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return
		}
		if valid, legacy := validPEP440(s), semanticPyPILegacy(t, s); valid == legacy {
			t.Errorf("%q: validPEP440 %v, semantic legacy %v", s, valid, legacy)
		}
	})
}

func TestValidRubyGems(t *testing.T) {
	// Gem::Version::ANCHORED_VERSION_PATTERN; the valid ones are versions
	// of published gems or of rubygems' own tests.
	tests := []struct {
		v     string
		valid bool
	}{
		{"1", true}, {"1.2.3", true}, {"1.2.3.pre", true}, {"1.0.0.rc1", true}, {"1.0.a.10", true},
		{"1.2.4.beta", true}, {"1.2-java", true}, {"2.0.0-rc.1", true}, {"1.0-x86-mingw32", true},
		{"0.9.10.20101006202612", true}, {"1.0.A", true},
		{"v1.0", false}, {"1beta", false}, {"1.2.3_1", false}, {"1..2", false}, {"1.2.", false},
		{"1.2-", false}, {"1.2-a..b", false}, {"~> 1.2", false}, {".1", false}, {"1.2+b", false}, {"latest", false},
	}
	for _, tt := range tests {
		if got := validRubyGems(tt.v); got != tt.valid {
			t.Errorf("validRubyGems(%q) = %v, want %v", tt.v, got, tt.valid)
		}
	}
}

func TestCheckNuGet(t *testing.T) {
	// NuGetVersion.TryParse (NuGet.Versioning).
	tests := []struct {
		v     string
		valid bool
	}{
		{"1", true}, {"1.0", true}, {"1.2.3", true}, {"1.2.3.4", true}, {"01.2", true},
		{"1.0.0-beta", true}, {"1.0.0-beta.1", true}, {"1.0.0-rc-2", true}, {"1.0.0-0", true},
		{"1.0.0-0a", true}, {"1.0+build.5", true}, {"1.0.0-beta+001", true}, {"1.0.0+meta-data", true},
		{"2147483647.0", true}, {"002147483647.0", true},
		{"v1.0", false}, {"1.2.3.4.5", false}, {"1.0.0-beta.01", false}, {"1.0.0-", false},
		{"1.0.0+", false}, {"1.0_1", false}, {"1..0", false}, {"1.", false}, {"2147483648.0", false},
		{"1.0.0-be_ta", false}, {"1.0.0-a..b", false}, {"[1.0,2.0)", false}, {"1.0.0+a+b", false}, {"99999999999999999999.0", false},
	}
	for _, tt := range tests {
		if why := checkNuGet(tt.v); (why == "") != tt.valid {
			t.Errorf("checkNuGet(%q) = %q, want valid %v", tt.v, why, tt.valid)
		}
	}
}

// debianCases are Debian versions and what checkDebian says of them.
var debianCases = []struct{ v, why string }{
	{"1.2.3", ""}, {"1:2.30-1ubuntu1", ""}, {"2.4.52-1~deb11u2", ""}, {"7.74.0+dfsg", ""},
	{"1.1.1n-0+deb11u3", ""}, {"0", ""}, {"1:1:1-1", ""}, {"2.0~rc1-1-1", ""}, {"1.0-a.b~c+d", ""},
	{"abc", "does not start with a digit"}, {"v1.0", "does not start with a digit"},
	{"1.0-", "revision is empty"}, {":1", "epoch is not a number"}, {"a:1.0", "epoch is not a number"},
	{"1:-1", "upstream version is empty"}, {"-1", "upstream version is empty"},
	{"1.0_1", `contains '_'`}, {"1.0-1_1", `revision contains '_'`}, {"1.0-1:2", "epoch is not a number"}, {"1:1.0-1:2", `revision contains ':'`},
}

func TestCheckDebian(t *testing.T) {
	// deb-version(5) as dpkg's parseversion applies it.
	for _, tt := range debianCases {
		why := checkDebian(tt.v)
		if (why == "") != (tt.why == "") || !strings.Contains(why, tt.why) {
			t.Errorf("checkDebian(%q) = %q, want %q", tt.v, why, tt.why)
		}
	}
}

// TestCheckDebianAgreesWithDpkg asks dpkg itself, where it is installed,
// about the cases above and the versions of the Debian and Ubuntu
// fixtures: "dpkg --validate-version" fails on exactly the versions
// parseversion reports an error or a warning for.
func TestCheckDebianAgreesWithDpkg(t *testing.T) {
	if testing.Short() {
		t.Skip("runs dpkg once per version")
	}
	dpkg, err := exec.LookPath("dpkg")
	if err != nil {
		t.Skip("dpkg not installed")
	}
	vs := map[string]bool{}
	for _, tt := range debianCases {
		vs[tt.v] = true
	}
	paths := []string{filepath.Join("testdata", "versions", "ubuntu-versions.txt")}
	if dir, err := sharedDirQuiet(); err == nil {
		paths = append(paths, filepath.Join(dir, "conformance", "versions", "debian-versions.txt"))
	}
	for _, p := range paths {
		for _, l := range readFixture(t, p) {
			vs[l.a], vs[l.b] = true, true
		}
	}
	for v := range vs {
		dpkgOK := exec.Command(dpkg, "--validate-version", "--", v).Run() == nil
		if why := checkDebian(v); (why == "") != dpkgOK {
			t.Errorf("%q: checkDebian %q, dpkg accepts %v", v, why, dpkgOK)
		}
	}
	t.Logf("%d versions checked with %s", len(vs), dpkg)
}

// TestParseVersionGrammar checks that ParseVersion reports a string
// outside its ecosystem's grammar as ErrBadVersion, naming the string and
// the rule, where semantic alone would have ordered it.
func TestParseVersionGrammar(t *testing.T) {
	tests := []struct{ eco, v, reason string }{
		{"PyPI", "2.2.1-final", `version "2.2.1-final" is not a valid PEP 440 version`},
		{"PyPI", " 0.2.0-n653 ", `version "0.2.0-n653" is not a valid PEP 440 version`},
		{"RubyGems", "1beta", `version "1beta" is not a valid RubyGems version`},
		{"NuGet", "1.0.0-beta.01", `version "1.0.0-beta.01" is not a valid NuGet version (bad pre-release label)`},
		{"Debian:12", "abc-1", `version "abc-1" is not a valid Debian version (the upstream version does not start with a digit)`},
		{"Ubuntu:22.04:LTS", "1.0-", `version "1.0-" is not a valid Debian version (the revision is empty)`},
	}
	for _, tt := range tests {
		if _, err := semantic.Parse(strings.TrimSpace(tt.v), BaseEcosystem(tt.eco)); err != nil {
			t.Errorf("semantic.Parse(%q, %s) fails (%v): the case does not show the fallback", tt.v, tt.eco, err)
		}
		_, err := ParseVersion(tt.eco, tt.v)
		if !errors.Is(err, ErrBadVersion) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("ParseVersion(%q, %q): %v; want ErrBadVersion saying %s", tt.eco, tt.v, err, tt.reason)
		}
	}
	// Valid spellings still parse and order.
	for _, tt := range []struct{ eco, a, b string }{
		{"PyPI", "v1.0", "1.0.0-1"}, {"PyPI", "1.0.0-1", "1.0.1rc1"}, {"RubyGems", "1.2.4.beta", "1.2.4"},
		{"NuGet", "1.0.0-beta", "1.0.0"}, {"Debian", "1:0.9-1", "1:1.0-1"},
	} {
		a, err := ParseVersion(tt.eco, tt.a)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := a.Compare(tt.b); err != nil || c != -1 {
			t.Errorf("%s: %s <=> %s = %d, %v; want -1", tt.eco, tt.a, tt.b, c, err)
		}
	}
}

// pysecIndex reads the PyPI advisory database records in testdata/pysec.
func pysecIndex(t *testing.T) *index.Memory {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "pysec", "*.yaml"))
	if err != nil || len(paths) != 4 {
		t.Fatalf("testdata/pysec: %v, %d records", err, len(paths))
	}
	sort.Strings(paths)
	var all []*advisory.Advisory
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		advs, err := advisory.Parse(f, p)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, advs...)
	}
	return index.New(all)
}

// TestPyPIUnreadableVersions is defect 5 of issue 13 on the real records:
// a component version or a range event that PEP 440 cannot read gives
// status unknown with the reason, where semantic's legacy ordering gave no
// finding (django, binderhub, steam) or a wrong one (pillow).
func TestPyPIUnreadableVersions(t *testing.T) {
	m := &Matcher{Index: pysecIndex(t)}
	tests := []struct {
		purl, id string
		status   Status
		reason   string
	}{
		{"pkg:pypi/django@2.2.1", "CVE-2019-12781", Affected, ""},
		{"pkg:pypi/django@2.2.1-final", "CVE-2019-12781", Unknown, `installed version "2.2.1-final" is not a valid PEP 440 version`},
		{"pkg:pypi/django@2.2.3", "", "", ""},
		{"pkg:pypi/pillow@7.0.0", "CVE-2020-10378", Affected, ""},
		{"pkg:pypi/pillow@10.0.0", "", "", ""},
		{"pkg:pypi/pillow@10.0.0-final", "CVE-2020-10378", Unknown, `installed version "10.0.0-final" is not a valid PEP 440 version`},
		{"pkg:pypi/binderhub@0.1.0", "CVE-2021-39159", Unknown, `the advisory's fixed version "0.2.0-n653" is not a valid PEP 440 version`},
		{"pkg:pypi/steam@0.9.0", "CVE-2019-17180", Unknown, `the advisory's fixed version "2019-09-12" is not a valid PEP 440 version`},
	}
	for _, tt := range tests {
		dev := &sbom.Device{Component: sbom.Component{Name: "d"}, Path: "d.json", Components: []*sbom.Component{{Name: "c", PURL: tt.purl}}}
		res, failed, err := m.Scan(context.Background(), []*sbom.Device{dev})
		if err != nil || len(failed) > 0 {
			t.Fatalf("%s: %v %v", tt.purl, err, failed)
		}
		fs := res[0].Findings
		if tt.status == "" {
			if len(fs) != 0 {
				t.Errorf("%s: %d findings (%s %s), want none", tt.purl, len(fs), fs[0].ID, fs[0].Status)
			}
			continue
		}
		if len(fs) != 1 {
			t.Errorf("%s: %d findings, want one", tt.purl, len(fs))
			continue
		}
		f := fs[0]
		if f.ID != tt.id || f.Status != tt.status || !strings.Contains(f.Reason, tt.reason) {
			t.Errorf("%s: %s %s (%q); want %s %s (%q)", tt.purl, f.ID, f.Status, f.Reason, tt.id, tt.status, tt.reason)
		}
	}
}

// BenchmarkCheckGrammarPyPI measures the PEP 440 check against semantic's
// own parse of the same strings, which it precedes on ParseVersion's slow
// path (plain dotted versions take the fastKey path and skip both).
func BenchmarkCheckGrammarPyPI(b *testing.B) {
	b.Run("checkGrammar", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, tt := range pep440Cases {
				_ = checkGrammar("PyPI", tt.v)
			}
		}
	})
	b.Run("semantic", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, tt := range pep440Cases {
				_, _ = semantic.ParsePyPIVersion(tt.v)
			}
		}
	})
}
