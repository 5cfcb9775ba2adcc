package match

import (
	"fmt"
	"strings"
)

// This file holds the grammars of the ecosystems whose comparator in
// osv-scalibr's semantic reads any string at all. semantic never says that
// a PyPI, RubyGems, NuGet or Debian version is malformed: it orders
// whatever it is given, and for a string outside the ecosystem's grammar
// that order is an invention. For PyPI it is worse than arbitrary: a
// string that is not PEP 440 becomes a "legacy" version that sorts below
// every valid one, so "2.2.1-final" is taken to be older than 0.1 and a
// component at that version is silently passed over by every range that
// starts above 0 (and reported affected by every range fixed above 0).
// bomrank promises that a version or range it cannot read gives status
// unknown, never a silent answer, so ParseVersion checks each string
// against the ecosystem's own grammar before semantic orders it, once per
// distinct string (the parse caches of osv.go remember the answer).
//
// Maven has no such check because Maven has no invalid versions: its
// ordering (ComparableVersion, the "Version Order Specification" of the
// POM reference, https://maven.apache.org/pom.html#version-order-specification)
// splits any string into number and qualifier tokens and orders them all,
// and semantic implements that ordering. Pub, and SemVer and the SemVer-like
// orderings (npm, Go, crates.io, Hex, SwiftURL, ...) keep the lighter rule
// of version.go (semverLike): the version must start with a digit.

// invalidVersion is the cause of the ErrBadVersion error of ParseVersion
// for a string that the ecosystem's grammar rejects. It names the string
// and the rule, so that a finding's reason can say why it is unknown.
type invalidVersion struct {
	v    string // the version, without surrounding white space
	rule string // "a valid PEP 440 version", ...
	why  string // optional detail: "the upstream version does not start with a digit"
}

func (e *invalidVersion) Error() string { return e.describe("version") }

// describe says that what (such as "installed version" or "fixed version")
// is not valid: `installed version "2.2.1-final" is not a valid PEP 440
// version`.
func (e *invalidVersion) describe(what string) string {
	s := fmt.Sprintf("%s %q is not %s", what, e.v, e.rule)
	if e.why != "" {
		s += " (" + e.why + ")"
	}
	return s
}

// checkGrammar returns an *invalidVersion when s is not a version of the
// ordering cmp (a base ecosystem as in Version.cmp), and nil when it is or
// when cmp has no grammar check here.
func checkGrammar(cmp, s string) error {
	switch cmp {
	case "PyPI":
		if !validPEP440(s) {
			return &invalidVersion{v: s, rule: "a valid PEP 440 version"}
		}
	case "RubyGems":
		if !validRubyGems(s) {
			return &invalidVersion{v: s, rule: "a valid RubyGems version"}
		}
	case "NuGet":
		if why := checkNuGet(s); why != "" {
			return &invalidVersion{v: s, rule: "a valid NuGet version", why: why}
		}
	case "Debian", "Ubuntu":
		if why := checkDebian(s); why != "" {
			return &invalidVersion{v: s, rule: "a valid Debian version", why: why}
		}
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// lower returns the ASCII letter c in lower case, and any other byte as is.
func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// validPEP440 reports whether s is a version of PEP 440
// (https://peps.python.org/pep-0440/), in any of the spellings its
// "Normalization" section accepts: the language of the regular expression
// of its Appendix B (the one the packaging library uses, applied case
// insensitively), which is
//
//	v? (N!)? N(.N)* pre? post? dev? (+local)?
//	pre   = S? (a|b|c|rc|alpha|beta|pre|preview) S? N?
//	post  = -N | S? (post|rev|r) S? N?
//	dev   = S? dev S? N?
//	local = [a-z0-9]+ (S [a-z0-9]+)*
//
// where N is a run of ASCII digits (leading zeros allowed) and S one of
// the separators "-", "_" and ".". So "v1.0", "1.0.0-1" (an implicit
// post-release), "1.0-rc.1", "1.0.post", "1.0-dev" and "1.0+ubuntu-1" are
// valid, and "2.2.1-final", "0.2.0-n653", "2019-09-12", "1.0-", "1.0.x"
// and "1.0+" are not. The separator after a label is optional and
// independent of the number, so the expression also accepts a dangling
// one ("1.0a.", "1.0.post-"), and so does packaging. Surrounding white
// space, which PEP 440 also accepts, is removed by ParseVersion before
// this check.
//
// Letters are ASCII only: Python applies the expression with
// re.IGNORECASE, which also folds four non-ASCII letters (such as U+212A
// KELVIN SIGN into k) that no real version holds and that semantic, which
// lower-cases first, reads differently; such a string is reported as not
// readable rather than ordered by a guess.
//
// The expression's parts are matched greedily here, longest label first
// ("preview" before "pre", "alpha" before "a"), and a separator before a
// label only when the label follows. That accepts the same language: no
// label is a prefix of another that could follow it, the separator
// before each later part is optional, and a number taken early ("1.0a-1"
// as pre-release a1 rather than a with post-release 1) leaves a suffix
// that the other reading would need to accept too. FuzzPEP440 checks
// this against semantic, which applies the expression itself.
func validPEP440(s string) bool {
	i := 0
	if i < len(s) && lower(s[i]) == 'v' {
		i++
	}
	// Epoch and release: N! N(.N)* or N(.N)*.
	i = digitsAt(s, i)
	if i < 0 {
		return false
	}
	if i < len(s) && s[i] == '!' {
		if i = digitsAt(s, i+1); i < 0 {
			return false
		}
	}
	for i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i = digitsAt(s, i+1)
	}
	i = pep440Labelled(s, i, pep440PreLabels)
	// Post-release: the implicit "-N", or a labelled one.
	if i+1 < len(s) && s[i] == '-' && isDigit(s[i+1]) {
		i = digitsAt(s, i+1)
	} else {
		i = pep440Labelled(s, i, pep440PostLabels)
	}
	i = pep440Labelled(s, i, pep440DevLabels)
	// Local version label.
	if i < len(s) && s[i] == '+' {
		i++
		for {
			j := i
			for j < len(s) && isAlnum(s[j]) {
				j++
			}
			if j == i {
				return false // empty segment
			}
			i = j
			if i == len(s) || !isSep(s[i]) {
				break
			}
			i++
		}
	}
	return i == len(s)
}

// PEP 440's labels, longest first where one is a prefix of another.
var (
	pep440PreLabels  = []string{"alpha", "a", "beta", "b", "preview", "pre", "rc", "c"}
	pep440PostLabels = []string{"post", "rev", "r"}
	pep440DevLabels  = []string{"dev"}
)

// isSep reports whether c is one of PEP 440's separators.
func isSep(c byte) bool { return c == '.' || c == '-' || c == '_' }

// digitsAt returns the index after the run of ASCII digits at s[i:], or -1
// when there is none.
func digitsAt(s string, i int) int {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// pep440Labelled reads an optional "S? label S? N?" part at s[i:] and
// returns the index after it (i when there is none).
func pep440Labelled(s string, i int, labels []string) int {
	j := i
	if j < len(s) && isSep(s[j]) {
		j++
	}
	n := labelAt(s, j, labels)
	if n == 0 {
		return i
	}
	j += n
	if j < len(s) && isSep(s[j]) {
		j++
	}
	if k := digitsAt(s, j); k > 0 {
		return k
	}
	return j
}

// labelAt returns the length of the first of labels that s[i:] starts
// with, compared case-insensitively, or 0.
func labelAt(s string, i int, labels []string) int {
	for _, l := range labels {
		if len(s)-i < len(l) {
			continue
		}
		ok := true
		for k := 0; k < len(l) && ok; k++ {
			ok = lower(s[i+k]) == l[k]
		}
		if ok {
			return len(l)
		}
	}
	return 0
}

// validRubyGems reports whether s is a RubyGems version: it matches
// Gem::Version::ANCHORED_VERSION_PATTERN (lib/rubygems/version.rb), less
// the surrounding white space that ParseVersion removes and the empty
// string that it rejects, that is
//
//	[0-9]+ (\.[0-9a-zA-Z]+)* (-[0-9A-Za-z-]+ (\.[0-9A-Za-z-]+)*)?
//
// Gem::Version.new raises "Malformed version number string" for anything
// else, so no gem is published with such a version. Valid: "1.2.3",
// "1.2.3.pre", "1.0.0.rc1", "1.2-java", "2.0.0-rc.1"; not valid: "v1.0",
// "1.2.3_1", "1..2", "1.2.", "~> 1.2".
func validRubyGems(s string) bool {
	i := digitsAt(s, 0)
	if i < 0 {
		return false
	}
	for i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		if j == i+1 {
			return false
		}
		i = j
	}
	if i == len(s) {
		return true
	}
	if s[i] != '-' {
		return false
	}
	// The pre-release part: segments of [0-9A-Za-z-]+ separated by dots.
	for {
		j := i + 1
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
			j++
		}
		if j == i+1 {
			return false
		}
		if j == len(s) {
			return true
		}
		if s[j] != '.' {
			return false
		}
		i = j
	}
}

// checkNuGet returns why s is not a NuGet version, or "". The rules are
// those of NuGetVersion.TryParse (NuGet.Versioning, NuGetVersionFactory.cs
// and SemanticVersionFactory.cs in NuGet/NuGet.Client), the parser NuGet
// itself uses for package versions:
//
//	N(.N){0,3} [-label(.label)*] [+meta(.meta)*]
//
// where N is a run of ASCII digits below 2^31 (System.Version; leading
// zeros allowed, and 1 to 4 numbers: a single one means N.0), a label is
// [0-9A-Za-z-]+ and not a number with a leading zero, and metadata parts
// are [0-9A-Za-z-]+. Valid: "1.0", "1.2.3.4", "1.0.0-beta.1", "1.0.0-rc-2",
// "01.2", "1.0+build.5"; not valid: "v1.0", "1.2.3.4.5", "1.0.0-beta.01",
// "1.0.0-", "1.0_1".
func checkNuGet(s string) string {
	rest := s
	var meta string
	if k := strings.IndexByte(rest, '+'); k >= 0 {
		rest, meta = rest[:k], rest[k+1:]
		if !dotted(meta, false) {
			return "bad build metadata"
		}
	}
	var labels string
	hasLabels := false
	if k := strings.IndexByte(rest, '-'); k >= 0 {
		rest, labels, hasLabels = rest[:k], rest[k+1:], true
	}
	parts := 0
	for i := 0; ; {
		j := digitsAt(rest, i)
		if j < 0 {
			return "the version must be 1 to 4 numbers separated by dots"
		}
		if n := strings.TrimLeft(rest[i:j], "0"); len(n) > 10 || (len(n) == 10 && n > "2147483647") {
			return "a number is above 2147483647"
		}
		parts++
		if j == len(rest) {
			break
		}
		if rest[j] != '.' || parts == 4 {
			return "the version must be 1 to 4 numbers separated by dots"
		}
		i = j + 1
	}
	if hasLabels && !dotted(labels, true) {
		return "bad pre-release label"
	}
	return ""
}

// dotted reports whether s is one or more dot-separated parts of
// [0-9A-Za-z-]+; with noLeadingZero, a part of digits alone has no
// leading zero ("0" is fine, "01" is not).
func dotted(s string, noLeadingZero bool) bool {
	for i := 0; ; {
		j := i
		allDigits := true
		for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
			allDigits = allDigits && isDigit(s[j])
			j++
		}
		if j == i || (noLeadingZero && allDigits && j-i > 1 && s[i] == '0') {
			return false
		}
		if j == len(s) {
			return true
		}
		if s[j] != '.' {
			return false
		}
		i = j + 1
	}
}

// checkDebian returns why s is not a Debian version, or "". The rules are
// those of deb-version(5) ("[epoch:]upstream_version[-debian_revision]")
// as dpkg's parseversion (lib/dpkg/parsehelp.c) applies them, errors and
// warnings alike (a version dpkg warns about is one the Debian archive
// does not accept): the epoch, when there is a colon, is a non-empty run
// of digits; the revision, after the last hyphen, is non-empty and holds
// only alphanumerics and "+.~"; the upstream version is non-empty, starts
// with a digit, and holds only alphanumerics and ".+~-:" (dpkg's set).
// Valid: "1.2.3", "1:2.30-1ubuntu1", "2.4.52-1~deb11u2", "7.74.0+dfsg";
// not valid: "abc", "1.0-", ":1", "a:1.0", "1.0_1", "1:-1". One
// difference is deliberate: dpkg reads the epoch with strtol, which also
// takes a leading "+" ("+5:1.0"); no real version has one, and reporting
// it as unreadable is the safe side. TestCheckDebianAgreesWithDpkg
// compares the two where dpkg is installed (4,000 strings agreed, random
// ones and the generated fixture's, but for that sign).
func checkDebian(s string) string {
	upstream := s
	if k := strings.IndexByte(s, ':'); k >= 0 {
		if digitsAt(s, 0) != k {
			return "the epoch is not a number"
		}
		upstream = s[k+1:]
	}
	revision := ""
	hasRevision := false
	for k := len(upstream) - 1; k >= 0; k-- {
		if upstream[k] == '-' {
			upstream, revision, hasRevision = upstream[:k], upstream[k+1:], true
			break
		}
	}
	switch {
	case upstream == "":
		return "the upstream version is empty"
	case !isDigit(upstream[0]):
		return "the upstream version does not start with a digit"
	case hasRevision && revision == "":
		return "the revision is empty"
	}
	for i := 0; i < len(upstream); i++ {
		if c := upstream[i]; !isAlnum(c) && strings.IndexByte(".+~-:", c) < 0 {
			return fmt.Sprintf("the upstream version contains %q", c)
		}
	}
	for i := 0; i < len(revision); i++ {
		if c := revision[i]; !isAlnum(c) && strings.IndexByte(".+~", c) < 0 {
			return fmt.Sprintf("the revision contains %q", c)
		}
	}
	return ""
}
