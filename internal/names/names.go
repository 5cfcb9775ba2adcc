package names

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bomrank/bomrank/advisory"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Hash returns "algorithm:hex" in lower case with the algorithm's
// dashes removed ("SHA-256:AB" becomes "sha256:ab").
func Hash(h string) string {
	alg, val, ok := strings.Cut(h, ":")
	if !ok {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(alg)), "-", "") + ":" + strings.ToLower(strings.TrimSpace(val))
}

// Model returns a model or serial number in upper case without
// surrounding white space.
func Model(m string) string { return strings.ToUpper(strings.TrimSpace(m)) }

// Glob reports whether s matches pattern, where "*" stands for any
// run of characters and "?" for one (the CSAF model_numbers and
// serial_numbers wildcards).
func Glob(pattern, s string) bool {
	// Iterative matching with backtracking to the last "*": linear in
	// practice, never exponential.
	p, q := []rune(pattern), []rune(s)
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(q) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == q[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// CPEVendorProduct returns "vendor:product" of a CPE 2.3 formatted string
// or 2.2 URI, lower case, or "" when it names neither.
func CPEVendorProduct(cpe string) string {
	cpe = strings.TrimSpace(strings.ToLower(cpe))
	var parts []string
	switch {
	case strings.HasPrefix(cpe, "cpe:2.3:"):
		parts = strings.Split(cpe[len("cpe:2.3:"):], ":")
	case strings.HasPrefix(cpe, "cpe:/"):
		parts = strings.Split(cpe[len("cpe:/"):], ":")
	default:
		return ""
	}
	if len(parts) < 3 || parts[1] == "" || parts[1] == "*" || parts[2] == "" || parts[2] == "*" {
		return ""
	}
	return parts[1] + ":" + parts[2]
}

// legalSuffixes are the words of company names that say what kind of
// company it is, not which: dropped when vendor names are compared.
var legalSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "corp": true, "corporation": true, "co": true, "company": true,
	"llc": true, "ltd": true, "limited": true, "plc": true, "gmbh": true, "ag": true, "kg": true,
	"mbh": true, "se": true, "oy": true, "oyj": true, "ab": true, "as": true, "asa": true, "aps": true,
	"bv": true, "nv": true, "sa": true, "sas": true, "sarl": true, "srl": true, "spa": true,
	"pty": true, "kk": true, "lp": true, "llp": true, "ug": true, "sl": true, "pte": true,
}

// vendorAliases maps common misspellings and other names of vendors, after
// normalisation, to one spelling.
var vendorAliases = map[string]string{
	"phillips":            "philips",
	"koninklijke philips": "philips",
	"general electric":    "ge",
	"bbraun":              "b braun",
	"b braun melsungen":   "b braun",
	"b braun medical":     "b braun",
}

var stripMarks = runes.Remove(runes.In(unicode.Mn))

// foldName undoes mojibake, removes accents and lower-cases s. ASCII text,
// the usual case, skips the Unicode transforms (which allocate).
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		s = FixMojibake(s)
		s, _, _ = transform.String(transform.Chain(norm.NFD, stripMarks, norm.NFC), s)
	}
	return Lower(s)
}

// FixMojibake undoes the common double encoding of UTF-8 text as Latin-1
// ("YhtymÃ¤" for "Yhtymä"): when every rune of s is below U+0100 and their
// bytes form valid UTF-8 with at least one multi-byte sequence, that
// decoding is returned; otherwise s as it is.
func FixMojibake(s string) string {
	multi := false
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 0x100 {
			return s
		}
		if r >= 0x80 {
			multi = true
		}
		b = append(b, byte(r))
	}
	if !multi || !utf8.Valid(b) {
		return s
	}
	return string(b)
}

// Vendor returns the form of a vendor or manufacturer name used
// to compare them: mojibake undone, accents removed, lower case,
// punctuation made spaces, legal suffixes (Inc., GmbH, Oy, Ltd, AG, ...)
// dropped, known misspellings ("Phillips") corrected, the words joined by
// single spaces. "Nordlicht Medizintechnik GmbH" gives "nordlicht
// medizintechnik", "B. Braun Melsungen AG" gives "b braun".
func Vendor(s string) string {
	toks := vendorTokens(s)
	if len(toks) == 0 {
		return ""
	}
	v := strings.Join(toks, " ")
	if a, ok := vendorAliases[v]; ok {
		return a
	}
	return v
}

// VendorKeys returns the keys (Vendor forms) under which a CSAF
// vendor could name the manufacturer s: its whole normalised name and
// every run of its words, so that a vendor "Siemens" is found for the
// manufacturer "Siemens Healthineers AG". Longer runs come first.
func VendorKeys(s string) []string {
	toks := vendorTokens(s)
	var out []string
	add := func(k string) {
		if a, ok := vendorAliases[k]; ok {
			k = a
		}
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for n := len(toks); n >= 1; n-- {
		for i := 0; i+n <= len(toks); i++ {
			add(strings.Join(toks[i:i+n], " "))
		}
	}
	return out
}

func vendorTokens(s string) []string {
	s = foldName(s)
	f := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&' })
	var out []string
	for i, t := range f {
		if t == "&" {
			continue
		}
		// Legal suffixes are dropped at the end only ("AS" in the
		// middle of a name is a word).
		if legalSuffixes[t] && i > 0 && allLegal(f[i:]) {
			break
		}
		out = append(out, t)
	}
	return out
}

func allLegal(ts []string) bool {
	for _, t := range ts {
		if !legalSuffixes[t] && t != "&" {
			return false
		}
	}
	return true
}

// placeholderVendors are vendor branch names that name no vendor (CISA
// writes "multiple" for products of several vendors, the vendor then being
// the first word of the product name: "Amazon FreeRTOS").
var placeholderVendors = map[string]bool{
	"multiple": true, "multiple vendors": true, "various": true, "various vendors": true,
	"n a": true, "na": true, "unknown": true, "other": true, "others": true,
}

// ProductVendor returns the vendor of a CSAF product in Vendor
// form, and its product name. Where the vendor branch is a placeholder
// ("multiple") and the product name has several words, the first word is
// taken as the vendor and the rest as the name ("Amazon FreeRTOS" gives
// "amazon" and "FreeRTOS"). A product without a vendor gives "".
func ProductVendor(p *advisory.Product) (vendor, productName string) {
	v := Vendor(p.Vendor)
	if !placeholderVendors[v] {
		return v, p.ProductName
	}
	name := p.ProductName
	if name == "" {
		name = p.Name
	}
	f := strings.Fields(name)
	if len(f) < 2 {
		return "", p.ProductName
	}
	return Vendor(f[0]), strings.Join(f[1:], " ")
}

// NameTokens returns the normalised words of a product name: mojibake
// undone, accents removed, lower case, split at everything that is not a
// letter or digit; parenthesised parts are kept as further tokens
// ("HiMed Cockpit 12 pro (J31032-K2017-H259)" gives himed, cockpit, 12,
// pro, j31032, k2017, h259).
func NameTokens(s string) []string {
	s = foldName(s)
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Lower is strings.ToLower with a fast path for ASCII strings that are
// lower case already (Go module paths, npm names, ecosystems), which it
// returns without allocating.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// teamWords are the words with which a VEX or CSAF author names a team of
// an organisation rather than the organisation: "Acme PSIRT", "Gamma
// Imaging Product Security", "Acme Medical Product Security Team".
var teamWords = map[string]bool{
	"psirt": true, "csirt": true, "cert": true, "sirt": true, "product": true, "products": true,
	"security": true, "team": true, "response": true, "incident": true, "vulnerability": true,
	"vulnerabilities": true, "management": true, "advisory": true, "advisories": true, "office": true,
	"center": true, "centre": true, "it": true, "group": true, "department": true, "dept": true, "unit": true,
	"division": true, "cybersecurity": true, "cyber": true, "psirts": true,
}

// Author returns the organisation a VEX or CSAF author names, in Vendor
// form: the team words at the end ("Product Security", "PSIRT", "Team")
// and then the legal suffixes are dropped, so "Acme Medical Product
// Security", "Acme Medical Inc. PSIRT" and "Acme Medical Inc." all give
// "acme medical". A name that is team words only ("Product Security")
// names no organisation and gives "".
func Author(s string) string {
	f := strings.FieldsFunc(foldName(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for len(f) > 0 && teamWords[f[len(f)-1]] {
		f = f[:len(f)-1]
	}
	for len(f) > 1 && legalSuffixes[f[len(f)-1]] {
		f = f[:len(f)-1]
	}
	if len(f) == 0 {
		return ""
	}
	v := strings.Join(f, " ")
	if a, ok := vendorAliases[v]; ok {
		return a
	}
	return v
}

// SpeaksFor reports whether the author of a VEX statement or CSAF
// document (any spelling Author accepts) is the organisation org (a
// manufacturer or supplier as an SBOM writes it): the same organisation,
// or the leading words of its name ("Acme PSIRT" for "Acme Medical
// Inc.", "Siemens" for "Siemens Healthineers AG"), never another one
// ("Acme Robotics" for "Acme Medical Inc.", "Medical" for it).
func SpeaksFor(author, org string) bool {
	a, o := Author(author), Vendor(org)
	if a == "" || o == "" {
		return false
	}
	return a == o || strings.HasPrefix(o, a+" ")
}
