package advisory

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bomrank/bomrank/purl"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// CSAFEntry is one product status of one CSAF (or VEX) record, as returned
// by the CSAF lookups.
type CSAFEntry struct {
	// Advisory is the record.
	Advisory *Advisory
	// Status points into Advisory.Products.
	Status *ProductStatus
}

// csafIndex looks up the product statuses of CSAF records by normalised
// vendor and product-name token, model number, purl, CPE and hash. Every
// lookup is a map access; an index without CSAF records has empty maps and
// answers at once.
type csafIndex struct {
	n       int                     // number of statuses indexed
	byName  map[nameKey][]CSAFEntry // vendor key + one product-name token
	byModel map[string][]CSAFEntry  // model, serial number or SKU, upper case
	globs   []CSAFEntry             // statuses with wildcard model/serial numbers
	byPURL  map[string][]CSAFEntry  // purl.PackageKey
	byCPE   map[string][]CSAFEntry  // "vendor:product" of the CPE
	byHash  map[string][]CSAFEntry  // "sha256:hex"
}

type nameKey struct{ vendor, token string }

// buildCSAF indexes the product statuses of the CSAF records of ix.advs.
// (OpenVEX and CycloneDX VEX products are statements with their own index,
// index_vex.go; indexing them here too listed each statement twice.) A
// relationship product is indexed under its component's and its target's
// keys as well as its own.
func (ix *Index) buildCSAF() {
	c := &ix.csaf
	// A product is named by many statuses (one per vulnerability): its
	// keys are computed once.
	keys := map[*Product][]any{}
	keysOf := func(p *Product) []any {
		k, ok := keys[p]
		if !ok {
			k = productKeys(p)
			keys[p] = k
		}
		return k
	}
	for _, a := range ix.advs {
		if len(a.Products) == 0 || a.Format != FormatCSAF {
			continue
		}
		if c.byName == nil {
			c.byName = map[nameKey][]CSAFEntry{}
			c.byModel = map[string][]CSAFEntry{}
			c.byPURL = map[string][]CSAFEntry{}
			c.byCPE = map[string][]CSAFEntry{}
			c.byHash = map[string][]CSAFEntry{}
		}
		for i := range a.Products {
			e := CSAFEntry{Advisory: a, Status: &a.Products[i]}
			c.n++
			p := e.Status.Product
			if p == nil {
				continue
			}
			ks := keysOf(p)
			if r := p.Relationship; r != nil {
				ks = slices.Concat(ks, keysOf(r.Component), keysOf(r.Target))
			}
			var seen map[any]bool
			if len(ks) > 1 {
				seen = make(map[any]bool, len(ks))
			}
			for _, k := range ks {
				if seen != nil {
					if seen[k] {
						continue
					}
					seen[k] = true
				}
				c.put(k, e)
			}
		}
	}
}

// productKeys returns the keys product p is indexed under: nameKey values
// and seenKey values of kind 'm' (model, serial number, SKU), 'p' (purl
// package key), 'c' (CPE vendor:product), 'h' (hash), 'g' (has wildcard
// numbers).
func productKeys(p *Product) []any {
	if p == nil {
		return nil
	}
	var ks []any
	if v, pname := ProductVendor(p); v != "" {
		for _, name := range []string{pname, p.Family, p.Name} {
			for _, t := range NameTokens(name) {
				ks = append(ks, nameKey{v, t})
			}
		}
	}
	for _, list := range [][]string{p.ModelNumbers, p.SerialNumbers, p.SKUs} {
		for _, m := range list {
			if strings.ContainsAny(m, "*?") {
				ks = append(ks, seenKey{'g', ""})
				continue
			}
			ks = append(ks, seenKey{'m', NormalizeModel(m)})
		}
	}
	for _, u := range p.PURLs {
		if pu, err := purl.Parse(u); err == nil {
			ks = append(ks, seenKey{'p', purl.PackageKey(pu)})
		}
	}
	for _, cp := range p.CPEs {
		if k := CPEVendorProduct(cp); k != "" {
			ks = append(ks, seenKey{'c', k})
		}
	}
	for _, h := range p.Hashes {
		if k := NormalizeHash(h); k != "" {
			ks = append(ks, seenKey{'h', k})
		}
	}
	return ks
}

// put adds e under one key.
func (c *csafIndex) put(k any, e CSAFEntry) {
	switch k := k.(type) {
	case nameKey:
		c.byName[k] = append(c.byName[k], e)
	case seenKey:
		switch k.kind {
		case 'm':
			c.byModel[k.k] = append(c.byModel[k.k], e)
		case 'p':
			c.byPURL[k.k] = append(c.byPURL[k.k], e)
		case 'c':
			c.byCPE[k.k] = append(c.byCPE[k.k], e)
		case 'h':
			c.byHash[k.k] = append(c.byHash[k.k], e)
		case 'g':
			c.globs = append(c.globs, e)
		}
	}
}

// seenKey is a key of one of the string-keyed maps, told apart by kind.
type seenKey struct {
	kind byte
	k    string
}

// HasCSAF reports whether the index holds any product status (CSAF,
// OpenVEX, CycloneDX VEX), so that a matcher can skip every CSAF lookup
// when it does not.
func (ix *Index) HasCSAF() bool { return ix.csaf.n > 0 }

// CSAFByName returns the product statuses whose product's vendor
// normalises (NormalizeVendor) to vendor and whose product name, family
// or full name has the token (NameTokens). The slice is shared: do not
// modify it.
func (ix *Index) CSAFByName(vendor, token string) []CSAFEntry {
	if ix.csaf.n == 0 {
		return nil
	}
	return slices.Clip(ix.csaf.byName[nameKey{vendor, token}])
}

// CSAFByModel returns the product statuses whose product lists the model
// number, serial number or SKU (compared with NormalizeModel), including
// products whose numbers hold "*" or "?" wildcards that match it.
func (ix *Index) CSAFByModel(model string) []CSAFEntry {
	if ix.csaf.n == 0 {
		return nil
	}
	m := NormalizeModel(model)
	out := slices.Clip(ix.csaf.byModel[m])
	for _, e := range ix.csaf.globs {
		if productGlobMatch(e.Status.Product, m) {
			out = append(out, e)
		}
	}
	return out
}

func productGlobMatch(p *Product, m string) bool {
	for _, list := range [][]string{p.ModelNumbers, p.SerialNumbers, p.SKUs} {
		for _, pat := range list {
			if strings.ContainsAny(pat, "*?") && GlobMatch(NormalizeModel(pat), m) {
				return true
			}
		}
	}
	return false
}

// CSAFByPURL returns the product statuses whose product has a purl helper
// naming the package key (purl.PackageKey: version and qualifiers
// ignored). The slice is shared: do not modify it.
func (ix *Index) CSAFByPURL(packageKey string) []CSAFEntry {
	if ix.csaf.n == 0 {
		return nil
	}
	return slices.Clip(ix.csaf.byPURL[packageKey])
}

// CSAFByCPE returns the product statuses whose product has a CPE helper
// with the same vendor and product as cpe (CPEVendorProduct). The slice is
// shared: do not modify it.
func (ix *Index) CSAFByCPE(cpe string) []CSAFEntry {
	if ix.csaf.n == 0 {
		return nil
	}
	return slices.Clip(ix.csaf.byCPE[CPEVendorProduct(cpe)])
}

// CSAFByHash returns the product statuses whose product has the file hash
// ("sha256:ab12..."; see NormalizeHash). The slice is shared: do not
// modify it.
func (ix *Index) CSAFByHash(hash string) []CSAFEntry {
	if ix.csaf.n == 0 {
		return nil
	}
	return slices.Clip(ix.csaf.byHash[NormalizeHash(hash)])
}

// NormalizeHash returns "algorithm:hex" in lower case with the algorithm's
// dashes removed ("SHA-256:AB" becomes "sha256:ab").
func NormalizeHash(h string) string {
	alg, val, ok := strings.Cut(h, ":")
	if !ok {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(alg)), "-", "") + ":" + strings.ToLower(strings.TrimSpace(val))
}

// NormalizeModel returns a model or serial number in upper case without
// surrounding white space.
func NormalizeModel(m string) string { return strings.ToUpper(strings.TrimSpace(m)) }

// GlobMatch reports whether s matches pattern, where "*" stands for any
// run of characters and "?" for one (the CSAF model_numbers and
// serial_numbers wildcards).
func GlobMatch(pattern, s string) bool {
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
	return lower(s)
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

// NormalizeVendor returns the form of a vendor or manufacturer name used
// to compare them: mojibake undone, accents removed, lower case,
// punctuation made spaces, legal suffixes (Inc., GmbH, Oy, Ltd, AG, ...)
// dropped, known misspellings ("Phillips") corrected, the words joined by
// single spaces. "Nordlicht Medizintechnik GmbH" gives "nordlicht
// medizintechnik", "B. Braun Melsungen AG" gives "b braun".
func NormalizeVendor(s string) string {
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

// VendorKeys returns the keys (NormalizeVendor forms) under which a CSAF
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

// ProductVendor returns the vendor of a CSAF product in NormalizeVendor
// form, and its product name. Where the vendor branch is a placeholder
// ("multiple") and the product name has several words, the first word is
// taken as the vendor and the rest as the name ("Amazon FreeRTOS" gives
// "amazon" and "FreeRTOS"). A product without a vendor gives "".
func ProductVendor(p *Product) (vendor, productName string) {
	v := NormalizeVendor(p.Vendor)
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
	return NormalizeVendor(f[0]), strings.Join(f[1:], " ")
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
