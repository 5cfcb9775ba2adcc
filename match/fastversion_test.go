package match

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestFastKeyAgreesWithSemantic compares the fastKey shortcut with
// semantic's comparator on many random versions of the shapes it accepts
// (and of shapes near them, which it must refuse), in every ecosystem it
// is enabled for: wherever the shortcut answers, semantic must give the
// same answer.
func TestFastKeyAgreesWithSemantic(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	part := func() string {
		switch rng.Intn(10) {
		case 0:
			return fmt.Sprint(rng.Intn(2000000000)) // past the 9-digit limit at times
		case 1:
			return "0" + fmt.Sprint(rng.Intn(10)) // a leading zero
		default:
			return fmt.Sprint(rng.Intn(12))
		}
	}
	gen := func(rev bool) string {
		n := 1 + rng.Intn(4)
		if rng.Intn(20) == 0 {
			n = 5 + rng.Intn(3)
		}
		ps := make([]string, n)
		for i := range ps {
			ps[i] = part()
		}
		s := strings.Join(ps, ".")
		if rev && rng.Intn(2) == 0 {
			s += "-" + part()
		}
		if rng.Intn(8) == 0 {
			s = "v" + s
		}
		return s
	}
	for cmp, rules := range fastEcosystems {
		answered := 0
		for i := 0; i < 20000; i++ {
			a, b := gen(rules.revision), gen(rules.revision)
			if rng.Intn(4) == 0 {
				b = a // equal versions too
			}
			ka, kb := newFastKey(cmp, a), newFastKey(cmp, b)
			// The shortcut skips the grammar check of versionrules.go:
			// every string it reads must pass it.
			if err := checkGrammar(cmp, a); ka.n > 0 && err != nil {
				t.Fatalf("%s: %q has a fastKey but fails the grammar: %v", cmp, a, err)
			}
			got, ok := fastCompare(&ka, &kb)
			if !ok {
				continue
			}
			answered++
			sa, err1 := parseSemantic(cmp, a)
			sb, err2 := parseSemantic(cmp, b)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %q, %q: the shortcut answered but semantic cannot parse: %v, %v", cmp, a, b, err1, err2)
			}
			want, err := sa.Compare(sb)
			if err != nil {
				t.Fatalf("%s: %q <=> %q: %v", cmp, a, b, err)
			}
			if want < 0 {
				want = -1
			} else if want > 0 {
				want = 1
			}
			if got != want {
				t.Errorf("%s: %q <=> %q: shortcut %d, semantic %d", cmp, a, b, got, want)
			}
		}
		if answered < 1000 {
			t.Errorf("%s: the shortcut answered only %d of 20000 comparisons", cmp, answered)
		}
	}
}

func TestFastKeyShapes(t *testing.T) {
	for _, tc := range []struct {
		cmp, s string
		n      uint8
		rev    bool
	}{
		{"npm", "1.2.3", 3, false},
		{"npm", "v1.2.3", 0, false},
		{"Go", "v1.2.3", 3, false},
		{SemVer, "v1.2.3", 3, false},
		{"PyPI", "1.2.3-1", 0, false},
		{"Debian", "1.2.3-1", 4, true},
		{"Debian", "1.2.3-1-2", 0, false},
		{"Debian", "1:1.2.3-1", 0, false},
		{"Debian", "1.2.3-", 0, false},
		{"Debian", "1.2.3-1.1", 0, false},
		{"Maven", "1.2.", 0, false},
		{"Maven", "1..2", 0, false},
		{"Maven", "01.2", 0, false},
		{"Maven", "0.2", 2, false},
		{"Maven", "1234567890", 0, false},
		{"Maven", "1.2.3.4.5.6", 6, false},
		{"Maven", "1.2.3.4.5.6.7", 0, false},
		{"RubyGems", "1.2.3", 0, false},
		{"npm", "1.2.3-beta", 0, false},
	} {
		k := newFastKey(tc.cmp, tc.s)
		if k.n != tc.n || k.rev != tc.rev {
			t.Errorf("newFastKey(%s, %q) = n %d rev %v, want n %d rev %v", tc.cmp, tc.s, k.n, k.rev, tc.n, tc.rev)
		}
	}
}
