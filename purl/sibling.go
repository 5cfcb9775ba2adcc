package purl

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// Sibling is Parse(s) for a purl s that differs from prev, whose Parse
// gave p, only in its version: it returns p with the version of s, and
// true. It returns false, and the caller parses s, when the two differ
// anywhere but in the version, or when either could parse other than
// by its text: a percent escape, a subpath, spaces around it, a byte
// outside ASCII, or no version in one of them.
//
// Why: a fleet's components, taken package by package (match's plan),
// come in runs of the same package at other versions (the 100k
// benchmark: ~5 a package). Parsing each purl was 25-30 ms of a scan's
// CPU; comparing its text with the last one's and lower-casing the
// version where the type asks costs a fraction of that. FuzzSibling and
// TestSiblingIsParse hold it to Parse.
func Sibling(p packageurl.PackageURL, prev, s string) (packageurl.PackageURL, bool) {
	at, q, ok := versionAt(s)
	if !ok || p.Version == "" {
		return p, false
	}
	pat, pq, ok := versionAt(prev)
	if !ok || s[:at] != prev[:pat] || s[q:] != prev[pq:] {
		return p, false
	}
	v := s[at:q]
	if r, ok := ruleOf(p.Type); ok && r.lowerVersion {
		v = strings.ToLower(v)
	}
	p.Version = v
	return p, true
}

// versionAt returns where the version of the plain purl s starts (after
// its '@') and ends (its '?', or the end), ok false when s has no plain
// version: an empty one, one holding '/', '@' or '%', a subpath, spaces
// at either end, or a byte outside ASCII anywhere.
func versionAt(s string) (at, end int, ok bool) {
	if s == "" || s[0] <= ' ' || s[len(s)-1] <= ' ' || strings.IndexByte(s, '#') >= 0 {
		return 0, 0, false
	}
	end = len(s)
	if i := strings.IndexByte(s, '?'); i >= 0 {
		end = i
	}
	i := strings.LastIndexByte(s[:end], '@')
	if i < 0 || i+1 == end {
		return 0, 0, false
	}
	for j := 0; j < len(s); j++ {
		if c := s[j]; c >= 0x80 || c == '%' || j > i && j < end && (c == '/' || c <= ' ') {
			return 0, 0, false
		}
	}
	return i + 1, end, true
}
