package cpe

import "testing"

// FuzzCPE holds the parser to never panicking and to round trips: a name
// read from either binding, bound to a formatted string and to a URI,
// reads back the same (a URI cannot carry every formatted-string value, so
// only names whose URI reads back are compared).
func FuzzCPE(f *testing.F) {
	for _, s := range []string{
		"cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*",
		"cpe:2.3:o:linux:linux_kernel:4.9:-:*:*:*:*:*:*",
		`cpe:2.3:a:foo\\bar:big\$money_2010:*:*:*:*:special:ipod_touch:80gb:*`,
		"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
		"cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
		"cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
		"cpe:/a:%01%01x%01",
		"cpe:/a%:000000000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		fs := n.String()
		n2, err := ParseFS(fs)
		if err != nil {
			t.Fatalf("%q bound to %q, which does not parse: %v", s, fs, err)
		}
		if n2 != n {
			t.Fatalf("%q -> %q -> %#v, want %#v", s, fs, n2, n)
		}
		wild := false
		for _, v := range n.Attrs() {
			wild = wild || HasWildcards(v)
		}
		if !wild && !IsEqual(n, n2) { // a target with wildcards is UNDEFINED
			t.Fatalf("%q not equal to itself: %v", s, CompareNames(n, n2))
		}
		uri := n.URI()
		if n3, err := ParseURI(uri); err == nil && n3 != n {
			// A URI loses nothing for values it can carry; a
			// difference means a binding bug, unless the value
			// needed the packed edition's "~" (quoted as %7e, fine).
			t.Fatalf("%q -> %q -> %#v, want %#v", s, uri, n3, n)
		}
		CompareNames(n, n2)
	})
}
