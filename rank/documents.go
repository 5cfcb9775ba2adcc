package rank

import (
	"cmp"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
)

// Documents lists the documents (CSAF, OpenVEX, CycloneDX) the advisories
// came from, once each by id and version, sorted: the advisory versions a
// ranking used. OSV and NVD records, which have no document, are not
// listed.
func Documents(advs []*advisory.Advisory) []advisory.Document {
	seen := map[[2]string]bool{}
	var out []advisory.Document
	for _, a := range advs {
		d := a.Document
		if d == nil || seen[[2]string{d.ID, d.Version}] {
			continue
		}
		seen[[2]string{d.ID, d.Version}] = true
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b advisory.Document) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Version, b.Version))
	})
	return out
}
