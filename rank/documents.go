package rank

import (
	"cmp"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
)

// Documents lists the documents (CSAF, OpenVEX, CycloneDX) the advisories
// came from, once each by publisher (advisory.Document.Scope), id and
// version, sorted: the advisory versions a ranking used. Two publishers'
// documents with one id are both listed. OSV and NVD records, which have no document, are not
// listed.
func Documents(advs []*advisory.Advisory) []advisory.Document {
	seen := map[[3]string]bool{}
	var out []advisory.Document
	for _, a := range advs {
		d := a.Document
		if d == nil {
			continue
		}
		k := [3]string{d.Scope(), d.ID, d.Version}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b advisory.Document) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Version, b.Version),
			strings.Compare(a.Scope(), b.Scope()))
	})
	return out
}
