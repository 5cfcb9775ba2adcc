package match

import (
	"fmt"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
)

// BenchmarkEvaluate evaluates one installed version against the compiled
// entries of a package (five SEMVER and ECOSYSTEM entries of two events,
// as in the bench workload), the inner loop of osvHits once every entry
// is compiled. The first pass, outside the timing, compiles them.
func BenchmarkEvaluate(b *testing.B) {
	ecos := []string{"npm", "Maven", "PyPI", "Go", "Debian:11"}
	for _, eco := range ecos {
		b.Run(eco, func(b *testing.B) {
			typ, v := "ECOSYSTEM", "2.4.6"
			if eco == "npm" || eco == "Go" {
				typ = "SEMVER"
			}
			if eco == "Debian:11" {
				v = "2.4.6-1"
			}
			affs := make([]advisory.Affected, 5)
			entries := make([]index.Entry, len(affs))
			for i := range affs {
				intro, fix := fmt.Sprintf("%d.%d.0", i, i), fmt.Sprintf("%d.%d.1", i+1, i)
				if eco == "Debian:11" {
					intro, fix = intro+"-1", fix+"-1"
				}
				affs[i] = advisory.Affected{Ecosystem: eco, Name: "p", Ranges: []advisory.Range{rng(typ, ev("i", intro), ev("f", fix))}}
				entries[i] = index.Entry{Affected: &affs[i], Seq: i}
			}
			e := newEvaluator(len(entries))
			pc := newParseCache()
			for _, en := range entries {
				e.evaluate(eco, &installed{raw: v, pc: pc}, en)
			}
			b.ReportAllocs()
			b.ResetTimer()
			affected := 0
			for i := 0; i < b.N; i++ {
				inst := &installed{raw: v, pc: pc}
				for _, en := range entries {
					if e.evaluate(eco, inst, en).status == Affected {
						affected++
					}
				}
			}
			if affected != b.N {
				b.Fatalf("%d affected in %d passes, want 1 a pass", affected, b.N)
			}
		})
	}
}
