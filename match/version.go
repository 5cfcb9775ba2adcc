package match

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/osv-scalibr/semantic"
)

// SemVer is the pseudo-ecosystem to give ParseVersion for the events of an
// OSV range of type SEMVER.
//
// The OSV schema says SEMVER ranges hold SemVer 2.0.0 versions whatever
// the package's ecosystem (Go, npm, crates.io, ... advisories use them),
// with no leading "v". Component versions of Go modules always carry one
// ("v1.2.3"), so the leading "v" is tolerated on both sides.
//
// SemVer versions are ordered by osv-scalibr's semantic.SemverVersion, the
// comparator osv-scanner applies to SEMVER ranges. It follows SemVer 2.0.0
// precedence, including pre-releases: a pre-release sorts before its
// release, pre-release identifiers are compared one by one (numeric ones
// as numbers, the others in ASCII order, numeric before alphanumeric, a
// longer list after its prefix: 1.0.0-alpha < 1.0.0-alpha.1 <
// 1.0.0-alpha.beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0),
// and build metadata is ignored (so Go's v2.0.0+incompatible equals
// v2.0.0). Numbers are big integers, so the arbitrarily long numeric
// identifiers that SemVer allows compare correctly. It is lenient where
// SemVer is strict: "1.2" is 1.2.0, the hyphen before a pre-release is
// optional, and components past the third ("1.2.3.4") become pre-release
// identifiers (so 1.2.3.4 < 1.2.3). github.com/Masterminds/semver/v3 was
// not chosen: it reads major, minor and patch into uint64 (failing the
// long numbers of the conformance fixtures), and it would be a second
// ordering, different in its corner cases from the one the OSV tools use.
const SemVer = "SEMVER"

// ErrNoComparator is wrapped by the errors of ParseVersion for an ecosystem
// whose version ordering is unknown (for example "GitHub Actions", or a
// misspelt ecosystem). A matcher cannot evaluate such a range and should
// report the advisory as undetermined rather than as not affecting.
var ErrNoComparator = errors.New("no version comparator for ecosystem")

// ErrBadVersion is wrapped by the errors of ParseVersion and Compare for a
// version the ecosystem's rules cannot read: an empty string, white space
// or control characters, more than MaxVersionLen bytes, a SemVer-like
// version that does not start with a digit (such as "latest" or
// "^1.2.0"), a version outside the grammar of its ecosystem where
// semantic would order it anyway (PEP 440 for PyPI, RubyGems, NuGet,
// Debian and Ubuntu: see versionrules.go), or whatever the ecosystem's
// comparator rejects.
var ErrBadVersion = errors.New("unparseable version")

// MaxVersionLen is the longest version, in bytes, that ParseVersion
// accepts. Real versions are well under 100 bytes; several of semantic's
// parsers take time quadratic in the length (40 KB takes seconds), so an
// SBOM or feed with a huge version string must not stall a scan.
const MaxVersionLen = 1024

// Version is a version parsed by ParseVersion with the ordering rules of an
// ecosystem. The zero Version has no ecosystem; comparing it returns an
// error wrapping ErrNoComparator.
type Version struct {
	eco string           // base ecosystem, or SemVer
	cmp string           // ecosystem whose semantic comparator is used
	str string           // the version as parsed
	v   semantic.Version // nil in the zero Version, and when fk is set
	fk  fastKey          // see fastversion.go
}

// comparatorAliases maps ecosystems that semantic does not know to the
// ecosystem whose comparator implements their ordering. Azure Linux (and
// CBL-Mariner before it) versions are RPM epoch:version-release strings
// compared with rpmvercmp, the ordering semantic implements for Red Hat
// (and AlmaLinux, Rocky Linux, SUSE, ...).
var comparatorAliases = map[string]string{
	"Azure Linux": "Red Hat",
}

// ParseVersion parses the version v with the ordering rules of the OSV
// ecosystem eco. eco may carry a suffix ("Debian:11", "Ubuntu:22.04:LTS",
// "Red Hat:enterprise_linux:8::appstream"): versions are ordered by the
// base ecosystem. Pass SemVer for the events of a SEMVER range. Ecosystem
// names are case-sensitive, as in OSV.
//
// Surrounding white space is ignored. The error wraps ErrNoComparator when
// eco has no comparator, and ErrBadVersion when v cannot be read.
func ParseVersion(eco, v string) (Version, error) {
	base := strings.TrimSpace(BaseEcosystem(eco))
	cmp := base
	if a, ok := comparatorAliases[base]; ok {
		cmp = a
	}
	s := strings.TrimSpace(v)
	// The commonest versions ("1.2.3") are valid in every ecosystem that
	// the shortcut of fastversion.go serves: semantic parses them only
	// if a comparison needs it.
	if fk := newFastKey(cmp, s); fk.n > 0 {
		return Version{eco: base, cmp: cmp, str: s, fk: fk}, nil
	}
	if err := checkVersionString(s); err != nil {
		if !HasComparator(base) {
			return Version{}, noComparator(eco)
		}
		return Version{}, badVersion(eco, v, err)
	}
	if err := checkGrammar(cmp, s); err != nil {
		return Version{}, badVersion(eco, v, err)
	}
	sv, err := parseSemantic(cmp, s)
	if err != nil {
		if errors.Is(err, semantic.ErrUnsupportedEcosystem) {
			return Version{}, noComparator(eco)
		}
		return Version{}, badVersion(eco, v, err)
	}
	if semverLike(sv) && !startsWithDigit(s) {
		return Version{}, badVersion(eco, v, errors.New("does not start with a digit"))
	}
	return Version{eco: base, cmp: cmp, str: s, v: sv, fk: newFastKey(cmp, s)}, nil
}

// HasComparator reports whether ParseVersion can order versions of the OSV
// ecosystem eco (with or without a suffix), or of SemVer.
func HasComparator(eco string) bool {
	cmp := strings.TrimSpace(BaseEcosystem(eco))
	if a, ok := comparatorAliases[cmp]; ok {
		cmp = a
	}
	_, err := parseSemantic(cmp, "0")
	return !errors.Is(err, semantic.ErrUnsupportedEcosystem)
}

// Compare parses s with the rules of v's ecosystem and compares v with
// it: the result is -1 if v < s, 0 if v = s (in the ecosystem's sense, so
// "1.2.3" equals "v1.2.3" for SemVer and "1:0" equals "1:0-0" for Debian)
// and +1 if v > s. The error wraps ErrBadVersion when s cannot be read.
func (v Version) Compare(s string) (int, error) {
	if v.cmp == "" {
		return 0, noComparator("")
	}
	w, err := ParseVersion(v.eco, s)
	if err != nil {
		return 0, err
	}
	return v.compare(w)
}

// CompareVersion compares v with w, parsed for the same base ecosystem
// (versions parsed for "Debian:11" and "Debian:12" compare; versions of
// Debian and of SemVer do not). The result is -1, 0 or +1 as for Compare.
func (v Version) CompareVersion(w Version) (int, error) {
	if v.cmp == "" || w.cmp == "" {
		return 0, noComparator("")
	}
	if v.eco != w.eco {
		return 0, fmt.Errorf("match: cannot compare a %s version with a %s version", v.eco, w.eco)
	}
	return v.compare(w)
}

// String returns the version as parsed, without surrounding white space.
func (v Version) String() string { return v.str }

// Ecosystem returns the base ecosystem whose rules v was parsed with
// ("Debian" for a version parsed for "Debian:11"), SemVer, or "" for the
// zero Version.
func (v Version) Ecosystem() string { return v.eco }

// compare orders two parsed versions of the same ecosystem with the parsed
// values (matching compares each installed version with many advisory
// events, so re-parsing on every comparison would dominate a scan). Hackage
// alone goes through CompareStr: in the osv-scalibr release we use,
// semantic's HackageVersion.Compare misses the tie-break that makes "1.0" <
// "1.0.0", which CompareStr has.
func (v Version) compare(w Version) (c int, err error) {
	if c, ok := fastCompare(&v.fk, &w.fk); ok && v.cmp == w.cmp {
		return c, nil
	}
	defer func() {
		if r := recover(); r != nil {
			c, err = 0, badVersion(v.eco, v.str+" <=> "+w.str, fmt.Errorf("comparator panicked: %v", r))
		}
	}()
	vs, ws := v.v, w.v
	if vs == nil {
		if vs, err = parseSemantic(v.cmp, v.str); err != nil {
			return 0, badVersion(v.eco, v.str, err)
		}
	}
	if ws == nil {
		if ws, err = parseSemantic(w.cmp, w.str); err != nil {
			return 0, badVersion(w.eco, w.str, err)
		}
	}
	if v.cmp == "Hackage" {
		c, err = vs.CompareStr(w.str)
	} else {
		c, err = vs.Compare(ws)
	}
	if err != nil {
		return 0, badVersion(v.eco, w.str, err)
	}
	switch {
	case c < 0:
		return -1, nil
	case c > 0:
		return 1, nil
	}
	return 0, nil
}

// parseSemantic parses s with semantic's comparator for the base ecosystem
// cmp, or as SemVer.
//
// It recovers from panics: semantic parses strings that come from
// manufacturers' SBOMs and from advisory feeds, neither of which we
// control, with hand-written parsers that index into strings and regular
// expression matches (and its own callers in osv-scanner use MustParse,
// which panics by design). One malformed version must cost one finding an
// error, never abort the scan of a whole fleet. FuzzCompare exercises the
// parsers directly, without this net, to look for such panics.
func parseSemantic(cmp, s string) (sv semantic.Version, err error) {
	defer func() {
		if r := recover(); r != nil {
			sv, err = nil, fmt.Errorf("comparator panicked: %v", r)
		}
	}()
	if cmp == SemVer {
		return semantic.ParseSemverVersion(s), nil
	}
	return semantic.Parse(s, cmp)
}

// semverLike reports whether sv comes from one of semantic's lenient
// parsers for ecosystems whose versions must start with a digit (SemVer
// and the SemVer-like npm, Go, crates.io, Hex, SwiftURL, ...; Pub). Those
// parsers accept any string ("latest" becomes 0.0.0 with a pre-release),
// so ParseVersion rejects what they would silently misorder. NuGet and
// RubyGems versions are checked against their full grammars before
// (checkGrammar, versionrules.go).
func semverLike(sv semantic.Version) bool {
	switch sv.(type) {
	case semantic.SemverVersion, semantic.PubVersion:
		return true
	}
	return false
}

// startsWithDigit reports whether s starts with an ASCII digit, after an
// optional "v" (Go module versions and git tags).
func startsWithDigit(s string) bool {
	s = strings.TrimPrefix(s, "v")
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// checkVersionString rejects strings that are not a version in any
// ecosystem: empty ones, too long ones, invalid UTF-8, and those with
// white space or control characters inside.
func checkVersionString(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	if len(s) > MaxVersionLen {
		return fmt.Errorf("longer than %d bytes", MaxVersionLen)
	}
	if !utf8.ValidString(s) {
		return errors.New("not UTF-8")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("contains %q", r)
		}
	}
	return nil
}

func noComparator(eco string) error {
	return fmt.Errorf("match: ecosystem %q: %w", eco, ErrNoComparator)
}

func badVersion(eco, v string, cause error) error {
	return fmt.Errorf("match: %s version %q: %w: %w", eco, v, ErrBadVersion, cause)
}
