package purl

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// parsePlain is Parse's fast path for the common purl: "pkg:" in lower
// case, a lower-case type, ASCII only, no percent escapes, no subpath, no
// empty namespace segment, and qualifiers (if any) with lower-case keys in
// strictly increasing order and non-empty values. For such a purl every
// component is a substring of s, packageurl-go's decoding and Normalize
// change nothing but what this package's type rules change again (see
// pkgurlAdjusts), so the result is built directly; ok is false for any
// other input, which goes to parseFull. TestParsePlainMatchesFull (every
// purl of the purl-spec suite and of the shared SBOMs) and FuzzParse hold
// it to parseFull.
//
// Measured: BenchmarkParse (the benchmark workload's five purl shapes)
// 12 -> 1 allocations (224 -> 32 bytes) and about 2.2 -> 1.0 us per five
// purls (best of 6 on a loaded machine); in the CPU profile of the 100k
// `scan --db` (3 runs each, same minutes) purl.Parse went from 0.12 s to
// 0.06 s a scan, of which 0.02 s is the first touch of the purl's bytes
// (strings.TrimSpace); all 100,000 purls of that workload take this path.
func parsePlain(s string) (p packageurl.PackageURL, ok bool) {
	if len(s) < 6 || s[:4] != "pkg:" {
		return p, false
	}
	// IndexByte, not strings.Cut with a one-byte string, and the case
	// of the path noted in the one loop over it: Cut (through
	// strings.Index) was an eighth of BenchmarkParse, and hasUpper's
	// passes over the name and namespace a tenth.
	path, query, hasQuery := s[4:], "", false
	if q := strings.IndexByte(path, '?'); q >= 0 {
		path, query, hasQuery = path[:q], path[q+1:], true
	}
	upper := false
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '%' || c == '#' || c >= 0x80:
			return p, false
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	slash := strings.IndexByte(path, '/')
	if slash < 0 {
		return p, false
	}
	typ, rest := path[:slash], path[slash+1:]
	if !plainType(typ) || rest == "" || rest[0] == '/' {
		return p, false
	}
	if rest[0] == '@' && (typ != packageurl.TypeNPM || !strings.Contains(rest, "/")) {
		return p, false
	}
	if at := strings.LastIndexByte(rest, '@'); at > 0 {
		rest, p.Version = rest[:at], rest[at+1:]
	}
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		p.Namespace, p.Name = rest[:i], rest[i+1:]
	} else {
		p.Name = rest
	}
	if p.Name == "" || p.Namespace != "" && (p.Namespace[len(p.Namespace)-1] == '/' || strings.Contains(p.Namespace, "//")) {
		return p, false
	}
	p.Type = typ
	if pkgurlAdjusts(&p, upper) {
		return packageurl.PackageURL{}, false
	}
	if p.Qualifiers, ok = plainQualifiers(query, hasQuery); !ok {
		return packageurl.PackageURL{}, false
	}
	return withTypeRulesOK(p)
}

// withTypeRulesOK is withTypeRules for parsePlain.
func withTypeRulesOK(p packageurl.PackageURL) (packageurl.PackageURL, bool) {
	p, err := withTypeRules(p)
	return p, err == nil
}

// plainType reports whether typ is a valid purl type in lower case that
// packageurl-go has no validation rule for (those types, and mlflow whose
// name rule depends on a qualifier, go to parseFull).
func plainType(typ string) bool {
	if typ == "" || typ[0] >= '0' && typ[0] <= '9' {
		return false
	}
	for i := 0; i < len(typ); i++ {
		if c := typ[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-') {
			return false
		}
	}
	switch typ {
	case packageurl.TypeChromeExtension, packageurl.TypeCpan, packageurl.TypeJulia, packageurl.TypeMLFlow,
		packageurl.TypeOTP, packageurl.TypeSwift, packageurl.TypeVcpkg, packageurl.TypeVSCodeExtension:
		return false
	}
	return true
}

// pkgurlAdjusts reports whether packageurl-go's Normalize (v0.1.7:
// typeAdjustNamespace, typeAdjustName, typeAdjustVersion) would change the
// (ASCII) components of p. When it would not, what it leaves is what this
// package's type rules get in parseFull, as they do in parsePlain. (Today
// those rules lower-case and PEP 503-normalise every component this one
// reports, so the check only keeps parsePlain right if they change.)
//
// upper is false when p's components have no upper-case letter.
func pkgurlAdjusts(p *packageurl.PackageURL, upper bool) bool {
	hasUpper := func(s string) bool { return upper && hasUpper(s) }
	switch p.Type {
	case packageurl.TypeAlpm, packageurl.TypeApk, packageurl.TypeBitbucket, packageurl.TypeBrew,
		packageurl.TypeComposer, packageurl.TypeDebian, packageurl.TypeGithub, packageurl.TypeGolang:
		return hasUpper(p.Namespace) || hasUpper(p.Name)
	case packageurl.TypeRPM, packageurl.TypeQpkg:
		return hasUpper(p.Namespace)
	case packageurl.TypeBitnami:
		return hasUpper(p.Name)
	case packageurl.TypePyPi:
		return hasUpper(p.Name) || strings.IndexByte(p.Name, '_') >= 0
	case packageurl.TypeHuggingface:
		return hasUpper(p.Version)
	}
	return false
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// plainQualifiers returns the qualifiers of the raw query q when they need
// neither decoding nor normalising: "k=v" pairs joined by "&", each key a
// valid lower-case qualifier key, the keys in strictly increasing order,
// each value non-empty and free of "%" and ";". Without a query the result
// is the empty, non-nil slice that packageurl-go's Normalize returns.
func plainQualifiers(q string, hasQuery bool) (packageurl.Qualifiers, bool) {
	if !hasQuery || q == "" {
		return packageurl.Qualifiers{}, true
	}
	n := strings.Count(q, "&") + 1
	qs := make(packageurl.Qualifiers, 0, n)
	for q != "" {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(kv, "=")
		if !plainKey(k) || v == "" || strings.ContainsAny(v, "%;#") || len(qs) > 0 && qs[len(qs)-1].Key >= k {
			return nil, false
		}
		qs = append(qs, packageurl.Qualifier{Key: k, Value: v})
	}
	if len(qs) != n {
		return nil, false // an empty pair
	}
	return qs, true
}

// plainKey reports whether k is a valid qualifier key in lower case.
func plainKey(k string) bool {
	if k == "" || k[0] >= '0' && k[0] <= '9' {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
