package match

// This file holds a shortcut for comparing the commonest versions, such as
// "1.2.3" and Debian's "1.2.3-1". It is not a comparator of its own:
// semantic (see version.go) remains the ordering, and the shortcut only
// answers where every comparator it is enabled for is known to give the
// same answer, which TestFastKeyAgreesWithSemantic checks against semantic
// itself on every ecosystem below.
//
// Why: matching compares each installed version with the events of every
// advisory of its package. semantic's Debian and Maven comparators convert
// each numeric part to a big.Int on every comparison, and that conversion
// was a third of the time of a fleet scan.

// fastKey is a version made of 1 to len(parts) dot-separated decimal
// numbers without leading zeros (each below 1e9), optionally followed, for
// the dpkg orderings, by "-" and a decimal revision of the same kind. The
// zero fastKey (n == 0) means the version has another form.
type fastKey struct {
	n     uint8 // number of parts, the revision included
	rev   bool  // the last part is a dpkg revision
	parts [6]uint32
}

// fastEcosystems lists the orderings (Version.cmp values) for which two
// versions of the same fastKey shape (the same number of parts, both with
// or without a revision) are ordered by their numbers in turn, and, with
// leadingV, where a leading "v" is ignored. SemVer, npm, Go and crates.io
// compare major.minor.patch numerically; PEP 440 compares release segments
// numerically; Maven compares numeric items numerically; dpkg compares
// digit runs numerically between equal separators, upstream version first,
// then the revision.
var fastEcosystems = map[string]fastRules{
	SemVer:      {leadingV: true},
	"Go":        {leadingV: true},
	"npm":       {},
	"crates.io": {},
	"PyPI":      {},
	"Maven":     {},
	"Debian":    {revision: true},
	"Ubuntu":    {revision: true},
}

// fastRules is how an ordering of fastEcosystems reads a fastKey.
type fastRules struct{ leadingV, revision bool }

// newFastKey returns the fastKey of s for the ordering cmp, or the zero
// fastKey.
func newFastKey(cmp, s string) fastKey {
	rules, ok := fastEcosystems[cmp]
	if !ok {
		return fastKey{}
	}
	return rules.key(s)
}

// key returns the fastKey of s, or the zero fastKey.
func (rules fastRules) key(s string) fastKey {
	if rules.leadingV && len(s) > 0 && s[0] == 'v' {
		s = s[1:]
	}
	var k fastKey
	for i := 0; ; {
		if int(k.n) == len(k.parts) {
			return fastKey{}
		}
		// One number.
		j := i
		var x uint32
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			if j-i == 9 {
				return fastKey{}
			}
			x = x*10 + uint32(s[j]-'0')
			j++
		}
		if j == i || (s[i] == '0' && j-i > 1) {
			return fastKey{} // empty part or leading zero
		}
		k.parts[k.n] = x
		k.n++
		if j == len(s) {
			return k
		}
		switch {
		case s[j] == '.' && !k.rev:
		case s[j] == '-' && rules.revision && !k.rev:
			k.rev = true
		default:
			return fastKey{}
		}
		i = j + 1
		if i == len(s) {
			return fastKey{} // trailing separator
		}
	}
}

// fastCompare compares two versions by their fastKeys when both have one
// of the same shape; ok is false otherwise.
func fastCompare(a, b *fastKey) (c int, ok bool) {
	if a.n == 0 || a.n != b.n || a.rev != b.rev {
		return 0, false
	}
	for i := uint8(0); i < a.n; i++ {
		if a.parts[i] != b.parts[i] {
			if a.parts[i] < b.parts[i] {
				return -1, true
			}
			return 1, true
		}
	}
	return 0, true
}

// parseFast is ParseVersion for the versions that have a fastKey; ok is
// false for the others.
func parseFast(eco, s string) (v Version, ok bool) {
	return newFastParser(eco).parse(s)
}

// fastParser is parseFast for one ecosystem, its rules looked up once:
// compiling a range parses its events with one fastParser (two map
// lookups per event were a fifth of compiling on the 100k bench).
type fastParser struct {
	base  string
	rules fastRules
	ok    bool // the ecosystem has fastKeys
}

func newFastParser(eco string) fastParser {
	base := BaseEcosystem(eco)
	rules, ok := fastEcosystems[base] // never an ecosystem of comparatorAliases
	return fastParser{base: base, rules: rules, ok: ok}
}

// parse is parseFast(eco, s) for the parser's ecosystem.
func (p fastParser) parse(s string) (v Version, ok bool) {
	if !p.ok {
		return Version{}, false
	}
	fk := p.rules.key(s)
	if fk.n == 0 {
		return Version{}, false
	}
	return Version{eco: p.base, cmp: p.base, str: s, fk: fk}, true
}
