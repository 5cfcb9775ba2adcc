package purl

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// Parse parses the package URL s and normalises it for matching.
//
// Surrounding white space is ignored. The string is parsed by packageurl-go
// (which also lower-cases the type and the qualifier keys, sorts the
// qualifiers, drops qualifiers with empty values and validates the type
// specific rules it knows about); empty, "." and ".." subpath segments are
// discarded and the per-type name, namespace and version rules described in
// the package documentation are applied. The result's String method returns
// the canonical form, which is what Normalize returns.
func Parse(s string) (packageurl.PackageURL, error) {
	s = strings.TrimSpace(s)
	if p, ok := parsePlain(s); ok {
		return p, nil
	}
	return parseFull(s)
}

// parseFull is Parse of a trimmed s through packageurl-go: the reference
// path, which parsePlain must agree with (TestParsePlainMatchesFull,
// FuzzParse).
func parseFull(s string) (packageurl.PackageURL, error) {
	if s == "" {
		return packageurl.PackageURL{}, errors.New("purl: empty package URL")
	}
	p, err := packageurl.FromString(cleanRawSubpath(s))
	if err != nil {
		return packageurl.PackageURL{}, fmt.Errorf("purl: parse %q: %w", s, err)
	}
	p, err = canonicalizeParsed(p)
	if err != nil {
		return packageurl.PackageURL{}, fmt.Errorf("purl: parse %q: %w", s, err)
	}
	return p, nil
}

// canonicalizeParsed is canonicalize for p as packageurl.FromString
// returns it, already normalised by packageurl-go: its Normalize is run
// again only when this package's namespace or subpath rules change
// something (Normalize is idempotent: FuzzParse checks that Parse gives
// what canonicalize gives). Normalizing twice was a third of the time of
// Parse, which is 7-8% of the CPU of a scan (the 100k benchmark workload,
// one purl per component: BenchmarkParse).
func canonicalizeParsed(p packageurl.PackageURL) (packageurl.PackageURL, error) {
	if cleanNamespace(p.Namespace) != p.Namespace || cleanSubpath(p.Subpath) != p.Subpath {
		return canonicalize(p)
	}
	return withTypeRules(p)
}

// Normalize parses the package URL s with Parse and returns its canonical
// string form. Normalize is idempotent: Normalize of a Normalize result
// returns the same string.
func Normalize(s string) (string, error) {
	p, err := Parse(s)
	if err != nil {
		return "", err
	}
	return p.ToString(), nil
}

// PackageKey returns a key identifying the package named by p independent of
// its version, qualifiers and subpath: the canonical "type/namespace/name"
// (or "type/name" when there is no namespace), percent-encoded as in the
// canonical purl, for example "npm/%40angular/core" or "pypi/django".
//
// p is normalised first with the same rules as Parse, so keys built from an
// SBOM purl and from an advisory purl for the same package are equal. If p
// does not validate (for example a julia purl without its uuid qualifier),
// the case and name rules are still applied on a best-effort basis; PackageKey
// never fails.
func PackageKey(p packageurl.PackageURL) string {
	c, err := canonicalize(p)
	if err != nil {
		c = packageurl.PackageURL{
			Type:      strings.ToLower(strings.TrimSpace(p.Type)),
			Namespace: cleanNamespace(p.Namespace),
			Name:      p.Name,
		}
		applyTypeRules(&c)
	}
	key := packageurl.PackageURL{Type: c.Type, Namespace: c.Namespace, Name: c.Name}
	return strings.TrimPrefix(key.ToString(), "pkg:")
}

// withTypeRules applies the type's rules to a normalised p, which must
// then have a name.
func withTypeRules(p packageurl.PackageURL) (packageurl.PackageURL, error) {
	applyTypeRules(&p)
	if p.Name == "" {
		return packageurl.PackageURL{}, errors.New("purl is missing name")
	}
	return p, nil
}

// canonicalize normalises the decoded components of a purl: it runs
// packageurl-go's Normalize (type, qualifiers, built-in type rules and
// validation) and then this package's subpath, namespace and type rules.
// It does not modify the caller's qualifier slice.
func canonicalize(p packageurl.PackageURL) (packageurl.PackageURL, error) {
	p.Qualifiers = slices.Clone(p.Qualifiers)
	p.Namespace = cleanNamespace(p.Namespace)
	p.Subpath = cleanSubpath(p.Subpath)
	if err := p.Normalize(); err != nil {
		return packageurl.PackageURL{}, err
	}
	return withTypeRules(p)
}

// cleanRawSubpath removes the empty, "." and ".." segments (also when they
// are percent-encoded, as in "%2E%2E") from the subpath of the unparsed purl
// s, so that packageurl-go, which rejects such segments, accepts it. The
// purl specification says to discard them when parsing. Segments that do not
// percent-decode are kept so that packageurl-go reports the error.
func cleanRawSubpath(s string) string {
	i := strings.IndexByte(s, '#')
	if i < 0 {
		return s
	}
	segs := strings.Split(s[i+1:], "/")
	kept := segs[:0]
	for _, seg := range segs {
		dec, err := url.PathUnescape(seg)
		if err == nil && isDotOrEmpty(dec) {
			continue
		}
		kept = append(kept, seg)
	}
	if len(kept) == 0 {
		return s[:i]
	}
	return s[:i+1] + strings.Join(kept, "/")
}

// cleanSubpath removes the empty, "." and ".." segments from a decoded
// subpath.
func cleanSubpath(s string) string {
	if s == "" {
		return ""
	}
	segs := strings.Split(s, "/")
	kept := segs[:0]
	for _, seg := range segs {
		if !isDotOrEmpty(seg) {
			kept = append(kept, seg)
		}
	}
	return strings.Join(kept, "/")
}

func isDotOrEmpty(seg string) bool {
	return seg == "" || seg == "." || seg == ".."
}

// cleanNamespace removes the empty segments from a decoded namespace, as the
// purl specification does when parsing.
func cleanNamespace(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	return strings.Join(slices.DeleteFunc(strings.Split(s, "/"), func(seg string) bool { return seg == "" }), "/")
}

// typeRule lists the normalisation applied to one purl type on top of
// packageurl-go.
type typeRule struct {
	lowerNamespace bool
	lowerName      bool
	lowerVersion   bool
	// name, if set, is applied to the name after lower-casing.
	name func(string) string
	// adjust, if set, is applied last.
	adjust func(*packageurl.PackageURL)
}

// typeRules holds the per-type rules. They follow the case_sensitive flags
// and normalization_rules of the purl type definitions (purl-spec
// types/*-definition.json), with three deliberate additions for matching,
// npm, golang and git, explained in the package documentation
// (TestTypeRulesMatchDefinitions checks the table against the definitions). Types that are
// not listed (maven, nuget, cargo, gem, cocoapods, conan, swift, generic,
// cpan, cran, hackage, julia, ...) are case sensitive and left as written.
var typeRules = map[string]typeRule{
	"alpm":             {lowerNamespace: true, lowerName: true},
	"apk":              {lowerNamespace: true, lowerName: true},
	"bitbucket":        {lowerNamespace: true, lowerName: true},
	"bitnami":          {lowerName: true},
	"brew":             {lowerNamespace: true, lowerName: true},
	"chrome-extension": {lowerName: true},
	"composer":         {lowerNamespace: true, lowerName: true},
	"deb":              {lowerNamespace: true, lowerName: true},
	"git":              {lowerNamespace: true, lowerName: true, adjust: splitGitName}, // suite test; see package doc
	"github":           {lowerNamespace: true, lowerName: true},
	"golang":           {lowerNamespace: true, lowerName: true}, // type definition note; see package doc
	"hex":              {lowerNamespace: true, lowerName: true},
	"huggingface":      {lowerVersion: true},
	"luarocks":         {lowerNamespace: true, lowerName: true},
	"npm":              {lowerNamespace: true, lowerName: true}, // matching rule; see package doc
	"oci":              {lowerName: true, lowerVersion: true},
	"otp":              {lowerName: true},
	"pub":              {lowerName: true, name: pubName},
	"pypi":             {lowerName: true, lowerVersion: true, name: pep503Name},
	"qpkg":             {lowerNamespace: true},
	"rpm":              {lowerNamespace: true},
	"vscode-extension": {lowerNamespace: true, lowerName: true, lowerVersion: true},
	"yocto":            {lowerNamespace: true},
}

// ruleSlots holds typeRules by ruleSlot, for ruleOf: a map lookup (the
// string's hash and the probe) was a tenth of BenchmarkParse.
var ruleSlots = func() (slots [64]struct {
	typ   string
	rule  typeRule
	taken int
}) {
	for typ, r := range typeRules {
		s := &slots[ruleSlot(typ)]
		s.typ, s.rule, s.taken = typ, r, s.taken+1
	}
	return slots
}()

// ruleSlot is where ruleSlots holds the rules of type typ.
func ruleSlot(typ string) int {
	if typ == "" {
		return 0
	}
	return (len(typ)*2 + int(typ[0])*9 + int(typ[len(typ)-1])) & 63
}

// ruleOf is typeRules[typ]: from its slot, or from the map when two
// types share the slot.
func ruleOf(typ string) (typeRule, bool) {
	switch s := &ruleSlots[ruleSlot(typ)]; {
	case s.taken > 1:
		r, ok := typeRules[typ]
		return r, ok
	case s.taken == 1 && s.typ == typ:
		return s.rule, true
	}
	return typeRule{}, false
}

// applyTypeRules applies typeRules to p, whose type must already be lower
// case.
func applyTypeRules(p *packageurl.PackageURL) {
	r, ok := ruleOf(p.Type)
	if !ok {
		return
	}
	if r.lowerNamespace {
		p.Namespace = strings.ToLower(p.Namespace)
	}
	if r.lowerName {
		p.Name = strings.ToLower(p.Name)
	}
	if r.name != nil {
		p.Name = r.name(p.Name)
	}
	if r.lowerVersion {
		p.Version = strings.ToLower(p.Version)
	}
	if r.adjust != nil {
		// A copy for the call: p itself does not escape (a heap copy
		// of every purl parsed otherwise, 100 bytes each).
		q := *p
		r.adjust(&q)
		*p = q
	}
}

// splitGitName moves all but the last segment of a git repository path
// from the name into the namespace. The git type definition makes the
// namespace the host and the name the path of the repository on it
// ("forgejo/forgejo"), but the canonical purl writes that path unencoded
// ("pkg:git/codeberg.org/forgejo/forgejo"), which packageurl-go can only
// produce, and parses back, with namespace "codeberg.org/forgejo" and name
// "forgejo". Using that split keeps the canonical string, and so the
// PackageKey, the same however the purl was built.
func splitGitName(p *packageurl.PackageURL) {
	i := strings.LastIndexByte(p.Name, '/')
	if i < 0 {
		return
	}
	p.Namespace = cleanNamespace(p.Namespace + "/" + p.Name[:i])
	p.Name = p.Name[i+1:]
}

// pep503Name normalises a (lower-cased) Python distribution name as PEP 503
// does: every run of "-", "_" and "." becomes a single "-" (the regular
// expression [-_.]+ replaced by "-"; by hand, as it is run on every pypi
// purl parsed: TestPEP503Name).
func pep503Name(name string) string {
	sep := func(c byte) bool { return c == '-' || c == '_' || c == '.' }
	clean := true
	for i := 0; i < len(name) && clean; i++ {
		if c := name[i]; c == '_' || c == '.' || c == '-' && i+1 < len(name) && sep(name[i+1]) {
			clean = false
		}
	}
	if clean {
		return name
	}
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		if !sep(name[i]) {
			b = append(b, name[i])
			continue
		}
		b = append(b, '-')
		for i+1 < len(name) && sep(name[i+1]) {
			i++
		}
	}
	return string(b)
}

// pubName normalises a (lower-cased) Dart pub package name: pub names only
// use [a-z0-9_], and the pub type definition says to replace any other
// character with "_".
func pubName(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, name)
}
