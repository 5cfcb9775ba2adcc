package cpe

import "strings"

// Relation is the relation of a source attribute value (or name) to a
// target one, as IR 7696 defines it.
type Relation int

// The relations of IR 7696 section 6.
const (
	// Disjoint: no value is in both.
	Disjoint Relation = iota
	// Subset: the source is a proper subset of the target.
	Subset
	// Superset: the source is a proper superset of the target.
	Superset
	// Equal: the two are the same.
	Equal
	// Undefined: the relation cannot be decided (a target with
	// wildcards).
	Undefined
)

var relNames = [...]string{"DISJOINT", "SUBSET", "SUPERSET", "EQUAL", "UNDEFINED"}

// String returns the IR 7696 name of the relation ("SUPERSET", ...).
func (r Relation) String() string {
	if r < 0 || int(r) >= len(relNames) {
		return "UNDEFINED"
	}
	return relNames[r]
}

// Compare returns the relation of the source value to the target value of
// one attribute, both in WFN form (IR 7696 section 6.1.2, compare). Only
// the source may hold wildcards: a target with wildcards gives Undefined.
func Compare(source, target string) Relation {
	if target != Any && hasWildcards(target) {
		return Undefined
	}
	switch {
	case source == target:
		return Equal
	case source == Any:
		return Superset
	case target == Any:
		return Subset
	case source == NA || target == NA:
		return Disjoint
	}
	return compareStrings(source, target)
}

// hasWildcards reports whether v holds an unquoted "*" or "?".
func hasWildcards(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		}
	}
	return false
}

// logical splits a WFN value into its characters, a quoted pair counting
// as one.
func logical(v string) []string {
	out := make([]string, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			out = append(out, v[i:i+2])
			i++
			continue
		}
		out = append(out, v[i:i+1])
	}
	return out
}

// compareStrings is compare_strings of IR 7696: the source, a value that
// may start and end with wildcards ("*" for any run of characters, each
// "?" for at most one character at an end), is a Superset of the target
// if its middle occurs in the target with what is left on either side
// allowed by the wildcards, else Disjoint.
func compareStrings(source, target string) Relation {
	src := logical(source)
	begins, ends := 0, 0 // -1: any number ("*")
	switch {
	case len(src) > 0 && src[0] == "*":
		src, begins = src[1:], -1
	default:
		for len(src) > 0 && src[0] == "?" {
			src, begins = src[1:], begins+1
		}
	}
	switch {
	case len(src) > 0 && src[len(src)-1] == "*":
		src, ends = src[:len(src)-1], -1
	default:
		for len(src) > 0 && src[len(src)-1] == "?" {
			src, ends = src[:len(src)-1], ends+1
		}
	}
	if begins == 0 && ends == 0 {
		if source == target {
			return Equal
		}
		return Disjoint
	}
	tgt := logical(target)
	for i := 0; i+len(src) <= len(tgt); i++ {
		if begins >= 0 && i > begins {
			break
		}
		if !equalRun(tgt[i:i+len(src)], src) {
			continue
		}
		if left := len(tgt) - i - len(src); ends >= 0 && left > ends {
			continue
		}
		return Superset
	}
	return Disjoint
}

func equalRun(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// CompareNames returns the relation of each attribute of source to the
// same attribute of target, in the order of Name.Attrs.
func CompareNames(source, target Name) [11]Relation {
	var out [11]Relation
	s, t := source.Attrs(), target.Attrs()
	for i := range s {
		out[i] = Compare(s[i], t[i])
	}
	return out
}

// IsDisjoint reports whether source and target are disjoint: some
// attribute is (IR 7696 CPE_DISJOINT).
func IsDisjoint(source, target Name) bool {
	for _, r := range CompareNames(source, target) {
		if r == Disjoint {
			return true
		}
	}
	return false
}

// IsEqual reports whether every attribute is Equal (CPE_EQUAL).
func IsEqual(source, target Name) bool {
	for _, r := range CompareNames(source, target) {
		if r != Equal {
			return false
		}
	}
	return true
}

// IsSuperset reports whether source names every platform target names:
// every attribute is Superset or Equal (CPE_SUPERSET). This is the test
// of a dictionary or NVD criterion (source) against a product (target).
func IsSuperset(source, target Name) bool {
	for _, r := range CompareNames(source, target) {
		if r != Superset && r != Equal {
			return false
		}
	}
	return true
}

// IsSubset reports whether every attribute is Subset or Equal
// (CPE_SUBSET).
func IsSubset(source, target Name) bool {
	for _, r := range CompareNames(source, target) {
		if r != Subset && r != Equal {
			return false
		}
	}
	return true
}

// Unquote returns a WFN value with its quoting removed ("1\.0\.2k" becomes
// "1.0.2k"), for display and for comparing versions; Any and NA are
// returned as they are.
func Unquote(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// HasWildcards reports whether the value holds an unquoted "*" or "?"
// wildcard (Any itself is not counted).
func HasWildcards(v string) bool { return v != Any && hasWildcards(v) }

// Quote returns a plain string as a WFN value: lower case, with every
// character other than a letter, a digit or "_" quoted with a backslash
// ("u-boot" becomes "u\-boot", "1.0.2k" becomes "1\.0\.2k"). It is the
// inverse of Unquote for names built from SBOM fields (a product name, a
// version); "*" and "?" are quoted too, so the result holds no wildcard.
// The empty string gives Any.
func Quote(s string) string {
	if s == "" {
		return Any
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := lowerASCII(s[i])
		if !isAlnum(c) && c != '_' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
