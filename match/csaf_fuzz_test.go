package match

import "testing"

// FuzzCSAFRange: any range text and version give an answer or an error,
// never a panic; a version that parses lies in the range it alone makes,
// in "<=" it, and not in "<" it.
func FuzzCSAFRange(f *testing.F) {
	for _, s := range [][2]string{
		{"vers:all/>=V11.5.1|<V11.6.2", "11.5.2"}, {"<= L81", "L80"}, {">= 1.0.0  | <= 1.3.1", "1.2"},
		{"A10 < A11", "A10"}, {"A.01 <= C.0x | 4.0", "B.02"}, {"distributed  < april 1, 2018", "1"},
		{"6.x (Wireless Battery Modules (16 | <= v22D28)", "6.2"}, {"<= 12.2.x.x", "12.2.1"}, {"((", ")"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, rng, version string) {
		r := parseCSAFRange(rng)
		r.contains(version)
		v, err := parseGeneric(version)
		// A digit wildcard ("C.0x", "1X 000") is a set of versions when
		// it bounds a range (C.00 to C.09) but a letter as a version:
		// the properties below hold for plain versions only.
		if err != nil || v.wildcard || digitWild(version, "0") != version {
			return
		}
		if c, err := genericCompare(v, v); err != nil || c != 0 {
			t.Fatalf("%q compared with itself: %d %v", version, c, err)
		}
		for _, tc := range []struct {
			spec string
			want bool
		}{{"vers:generic/" + version, true}, {"vers:generic/<=" + version, true}, {"vers:generic/<" + version, false}} {
			pr := parseCSAFRange(tc.spec)
			if pr.err != nil {
				continue // "|" or "*" in the version
			}
			if in, err := pr.contains(version); err == nil && in != tc.want {
				t.Fatalf("%q contains %q: %v", tc.spec, version, in)
			}
		}
	})
}
