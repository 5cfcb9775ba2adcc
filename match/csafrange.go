package match

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// This file reads the version ranges of CSAF products
// (product_version_range branch names, and product_version names, which
// real files also fill with ranges) and compares device versions with
// them.
//
// Why a parser of our own: the Go vers implementations
// (github.com/git-pkgs/vers, github.com/alowayed/go-univers's pkg/spec/vers;
// packageurl-go has none) parse only valid vers URIs, with the version
// order of a known package ecosystem. CSAF ranges from device
// manufacturers are mostly not vers: "vls" constraints ("< 1.003"), the
// invalid but common "vers:all/<V4.3.8", and free text ("<= L81",
// ">= 1.0.0  | <= 1.3.1", "A10 < A11", "<= 2.01 (end-of-life Nov 2017)"),
// with firmware versions that no ecosystem orders ("L81", "012U000061",
// "3.0 D15", "V3.2_SP2"). One small parser covers the three forms, and one
// generic comparator (genericCompare) orders such versions; wrapping a vers
// library would still leave both to write.
//
// What is not understood is an error carrying the raw text, which the
// matcher reports as status unknown: never "not affected".

// csafRange is a parsed CSAF version range: the union of Intervals
// (minus the excluded versions), or every version.
type csafRange struct {
	raw      string
	all      bool
	parts    []interval
	excluded []genVersion
	err      error
}

// interval is [lo, hi] with open or closed ends; a nil end is unbounded.
// A point (an exact version) has lo == hi, both closed.
type interval struct {
	lo, hi         *genVersion
	loOpen, hiOpen bool
}

// genVersion is a version split into comparable tokens. A token "x" or
// "*" ends a wildcard prefix ("6.x"): such a version stands for every
// version that starts with the tokens before it.
type genVersion struct {
	raw      string
	tokens   []verToken
	wildcard bool
}

type verToken struct {
	num   bool
	text  string // digits without leading zeros, or lower-case letters
	width int    // for numbers, the number of digits (leading zeros kept out)
}

var (
	reMonth = regexp.MustCompile(`(?i)\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b`)
	reDate  = regexp.MustCompile(`\b\d{1,2}/\d{1,2}/\d{2,4}\b`)
	// reInfix is the free-text interval "A10 < A11", "A.01 <= C.0x".
	reInfix = regexp.MustCompile(`^([^<>=!\s]\S*?)\s*(<=?)\s*(\S+)$`)
	// reCondition starts a trailing condition ("<=11.2 on Windows 8.1
	// with IIS 7.5"): the range is read without it, which can only
	// widen it.
	reCondition = regexp.MustCompile(`(?i)\s+(on|with|when|if|for)\s+.*$`)
	reListSep   = regexp.MustCompile(`(?i)\s+(/|and|or)\s+|\s*,\s*`)
)

// errRange marks a range that is not understood.
var errRange = errors.New("version range not understood")

func rangeErr(raw, why string) error {
	return fmt.Errorf("%w: %q: %s", errRange, raw, why)
}

// parseCSAFRange reads a CSAF product_version_range (or product_version):
// vers ("vers:generic/>=1.0|<2.0", "vers:all/*", and the invalid
// "vers:all/<V4.3.8" read as vers:generic), vls and free-text
// constraints joined by "|" ("<= L81", ">= 1.0.0  | <= 1.3.1", "3.0|3.1",
// "<= U61 |<= L81"), the interval "A < B" (read as A to B inclusive: CISA
// writes "A10 < A11" for "versions A10 and A11"), a plain version, a
// wildcard ("6.x", "<= 11.x"), and "all versions". Parenthesised notes and
// trailing conditions ("on Windows 8.1") are dropped, which can only widen
// the range. Dates ("<8/30/2024", "distributed  < april 1, 2018") are not
// versions and are not understood.
func parseCSAFRange(raw string) csafRange {
	r := csafRange{raw: raw}
	s := strings.TrimSpace(raw)
	low := strings.ToLower(s)
	switch low {
	case "", "-":
		r.err = rangeErr(raw, "empty")
		return r
	case "*", "all", "all versions", "vers:all/*", "vers:generic/*", "any", "all software versions":
		r.all = true
		return r
	}
	if strings.HasPrefix(low, "vers:") {
		rest := s[len("vers:"):]
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			r.err = rangeErr(raw, "vers without a versioning scheme")
			return r
		}
		body := strings.TrimSpace(rest[i+1:])
		if body == "*" {
			r.all = true
			return r
		}
		r.parseConstraints(strings.Split(body, "|"))
		return r
	}
	s = dropNotes(s)
	if reMonth.MatchString(s) || reDate.MatchString(s) {
		r.err = rangeErr(raw, "a date, not a version")
		return r
	}
	s = reCondition.ReplaceAllString(s, "")
	s = strings.TrimSpace(s)
	if s == "" {
		r.err = rangeErr(raw, "no version left once notes are dropped")
		return r
	}
	if strings.ContainsAny(s, "()") {
		r.err = rangeErr(raw, "unbalanced parentheses")
		return r
	}
	var pieces []string
	for _, p := range strings.Split(s, "|") {
		pieces = append(pieces, reListSep.Split(strings.TrimSpace(p), -1)...)
	}
	r.parseConstraints(pieces)
	return r
}

// dropNotes removes balanced parenthesised groups, and then, for an
// unbalanced "(", everything from it on.
func dropNotes(s string) string {
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			return s
		}
		depth, end := 0, -1
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				end = j
				break
			}
		}
		if end < 0 {
			return strings.TrimSpace(s[:i])
		}
		s = strings.TrimSpace(s[:i]) + " " + strings.TrimSpace(s[end+1:])
		s = strings.TrimSpace(s)
	}
}

// parseConstraints reads constraints in written order: a lower bound
// followed by an upper bound is one interval, a lone bound is open-ended,
// an exact version is a point, "!=" excludes.
func (r *csafRange) parseConstraints(pieces []string) {
	var pendingLo *genVersion
	var pendingOpen bool
	flush := func() {
		if pendingLo != nil {
			r.parts = append(r.parts, interval{lo: pendingLo, loOpen: pendingOpen})
			pendingLo = nil
		}
	}
	n := 0
	for _, p := range pieces {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n++
		if p == "*" {
			r.all = true
			continue
		}
		if m := reInfix.FindStringSubmatch(p); m != nil {
			lo, err1 := parseGeneric(digitWild(m[1], "0"))
			hi, err2 := parseGeneric(digitWild(m[3], "9"))
			if err := errors.Join(err1, err2); err != nil {
				r.err = rangeErr(r.raw, err.Error())
				return
			}
			flush()
			r.parts = append(r.parts, interval{lo: &lo, hi: &hi})
			continue
		}
		op, ver := splitOp(p)
		switch op {
		case "<=", ">":
			ver = digitWild(ver, "9")
		case ">=", "<":
			ver = digitWild(ver, "0")
		}
		v, err := parseGeneric(ver)
		if err != nil {
			r.err = rangeErr(r.raw, err.Error())
			return
		}
		switch op {
		case "", "=", "==":
			flush()
			r.parts = append(r.parts, interval{lo: &v, hi: &v})
		case "!=":
			r.excluded = append(r.excluded, v)
		case ">", ">=":
			flush()
			pendingLo, pendingOpen = &v, op == ">"
		case "<", "<=":
			r.parts = append(r.parts, interval{lo: pendingLo, loOpen: pendingOpen, hi: &v, hiOpen: op == "<"})
			pendingLo = nil
		}
	}
	flush()
	if n == 0 {
		r.err = rangeErr(r.raw, "no constraint")
	}
}

var reDigitX = regexp.MustCompile(`(\d)[xX]\b`)

// digitWild fills a digit wildcard ("C.0x": C.00 to C.09) with digit d:
// "9" at an upper end, "0" at a lower end.
func digitWild(s, d string) string {
	return reDigitX.ReplaceAllString(s, "${1}"+d)
}

// splitOp splits a constraint into its comparator and version.
func splitOp(p string) (op, ver string) {
	for _, o := range []string{">=", "<=", "!=", "==", "=<", "=>", ">", "<", "="} {
		if strings.HasPrefix(p, o) {
			switch o {
			case "=<":
				o = "<="
			case "=>":
				o = ">="
			}
			return o, strings.TrimSpace(p[len(o):])
		}
	}
	return "", p
}

// parseGeneric splits a version into tokens: runs of digits and runs of
// letters, with ".", "-", "_", "+", "~", ":" and white space separating
// them. A leading "v" or "V" before a digit is dropped ("V11.5.1"), and
// "service pack" is read as "sp".
func parseGeneric(s string) (genVersion, error) {
	v := genVersion{raw: s}
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && s[1] >= '0' && s[1] <= '9' {
		s = s[1:]
	}
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "service pack", "sp")
	if s == "" {
		return v, errors.New("empty version")
	}
	i := 0
	for i < len(s) {
		c := rune(s[i])
		switch {
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			d := strings.TrimLeft(s[i:j], "0")
			v.tokens = append(v.tokens, verToken{num: true, text: d, width: len(d)})
			i = j
		case c >= 'a' && c <= 'z':
			j := i
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			v.tokens = append(v.tokens, verToken{text: s[i:j]})
			i = j
		case c == '*':
			v.tokens = append(v.tokens, verToken{text: "*"})
			i++
		case strings.ContainsRune(".-_+~: ", c) || unicode.IsSpace(c):
			i++
		default:
			return v, fmt.Errorf("%q is not a version", v.raw)
		}
	}
	if len(v.tokens) == 0 {
		return v, fmt.Errorf("%q is not a version", v.raw)
	}
	// A trailing "x" or "*" after a number makes a wildcard ("6.x",
	// "12.2.x.x", "3.0.x").
	for k := range v.tokens {
		if t := v.tokens[k]; (t.text == "x" || t.text == "*") && k > 0 && allWild(v.tokens[k:]) {
			v.tokens, v.wildcard = v.tokens[:k], true
			break
		}
	}
	if len(v.tokens) == 1 && v.tokens[0].text == "*" {
		return v, fmt.Errorf("%q is not a version", v.raw)
	}
	return v, nil
}

func allWild(ts []verToken) bool {
	for _, t := range ts {
		if t.text != "x" && t.text != "*" {
			return false
		}
	}
	return true
}

// preRelease lists the words that, after a version, make an earlier
// version ("1.0.0-rc1" < "1.0.0").
var preRelease = map[string]bool{"alpha": true, "beta": true, "rc": true, "pre": true, "preview": true, "dev": true, "snapshot": true}

// genericCompare orders two versions of the generic scheme: token by token,
// numbers numerically, letters alphabetically (letter releases "K" < "L",
// "B.06.18" < "C.00.04"). When one version runs out, the other is greater
// ("2.4A" > "2.4", "1.8.4 sp1" > "1.8.4") unless what follows is zeros
// ("1.0" == "1.0.0") or a pre-release word ("1.0-beta" < "1.0"). A number
// against letters at the same place cannot be ordered ("4.2" against
// "L81"): an error. When b is a wildcard, a is compared with b's prefix
// only, so that "6.3" equals "6.x".
func genericCompare(a, b genVersion) (int, error) {
	at, bt := a.tokens, b.tokens
	if b.wildcard && len(at) > len(bt) {
		at = at[:len(bt)]
	}
	for i := 0; i < len(at) || i < len(bt); i++ {
		switch {
		case i >= len(at):
			return -rest(bt[i:]), nil
		case i >= len(bt):
			return rest(at[i:]), nil
		}
		x, y := at[i], bt[i]
		if x.num != y.num {
			return 0, fmt.Errorf("%q and %q cannot be ordered", a.raw, b.raw)
		}
		if x.num {
			if x.width != y.width {
				return sign(x.width - y.width), nil
			}
			if c := strings.Compare(x.text, y.text); c != 0 {
				return c, nil
			}
			continue
		}
		if c := strings.Compare(x.text, y.text); c != 0 {
			return c, nil
		}
	}
	return 0, nil
}

// rest says how the tokens left over after a common prefix make their
// version compare with the shorter one: 0 for zeros, -1 for a pre-release
// word, else 1.
func rest(ts []verToken) int {
	for _, t := range ts {
		if t.num && t.text == "" {
			continue
		}
		if !t.num && preRelease[t.text] {
			return -1
		}
		return 1
	}
	return 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// contains reports whether version lies in the range. An error says the
// range or the version cannot be read, or the two cannot be ordered.
func (r *csafRange) contains(version string) (bool, error) {
	if r.err != nil {
		return false, r.err
	}
	if r.all {
		return true, nil
	}
	v, err := parseGeneric(version)
	if err != nil {
		return false, fmt.Errorf("device version %q cannot be read: %w", version, err)
	}
	for _, x := range r.excluded {
		if c, err := genericCompare(v, x); err == nil && c == 0 {
			return false, nil
		}
	}
	var errs []error
	for _, iv := range r.parts {
		in, err := iv.contains(v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if in {
			return true, nil
		}
	}
	if len(errs) > 0 {
		return false, fmt.Errorf("version %q against range %q: %w", version, r.raw, errs[0])
	}
	return false, nil
}

func (iv interval) contains(v genVersion) (bool, error) {
	if iv.lo != nil && iv.lo == iv.hi {
		// An exact version: versions that cannot be ordered against it
		// ("D.01" against "4.0") are not it.
		c, err := genericCompare(v, *iv.lo)
		return err == nil && c == 0, nil
	}
	if iv.lo != nil {
		c, err := genericCompare(v, *iv.lo)
		if err != nil {
			return false, err
		}
		if c < 0 || c == 0 && iv.loOpen {
			return false, nil
		}
	}
	if iv.hi != nil {
		c, err := genericCompare(v, *iv.hi)
		if err != nil {
			return false, err
		}
		if c > 0 || c == 0 && iv.hiOpen {
			return false, nil
		}
	}
	return true, nil
}
