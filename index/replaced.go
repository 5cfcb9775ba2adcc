package index

import (
	"reflect"

	"github.com/bomrank/bomrank/advisory"
)

// Replacement is a record left out of the index because another copy
// with the same ID (and, for CSAF, the same publisher) was newer: the
// later "modified" wins, as OSV says, and on a tie the first given. Only
// replacements that could change a finding are listed: not the same
// record read twice with identical content (a directory and its all.zip),
// not VEX statements (every statement is kept, see buildVEX), not one
// withdrawn copy replacing another, and not the revisions of one CSAF
// publisher's document (a publisher's later revision is meant to replace
// the earlier).
type Replacement struct {
	// Kept is the record indexed (or, when Withdrawn, left out as
	// withdrawn); Replaced is the copy it replaced.
	Kept, Replaced *advisory.Advisory
	// Withdrawn is set when Kept is withdrawn and Replaced was not: the
	// findings Replaced gave are gone.
	Withdrawn bool
	// AffectedDiffers is set when Kept's affected packages, ranges or
	// versions differ from Replaced's: findings Replaced gave may be gone
	// (a narrowed range) or new ones appear.
	AffectedDiffers bool
}

// rank orders replacements by what they may hide: withdrawals first,
// then changed affected ranges, then the rest.
func (r Replacement) rank() int {
	switch {
	case r.Withdrawn:
		return 0
	case r.AffectedDiffers:
		return 1
	}
	return 2
}

// replacementRef is a Replacement as the index holds it: record numbers.
type replacementRef struct {
	kept, replaced            uint32
	withdrawn, affectedDiffer bool
}

// numberReplacements keeps rs as record numbers.
func (ix *Memory) numberReplacements(rs []Replacement, num *numberer) {
	for _, r := range rs {
		ix.replaced = append(ix.replaced, replacementRef{
			kept: num.num(r.Kept), replaced: num.num(r.Replaced),
			withdrawn: r.Withdrawn, affectedDiffer: r.AffectedDiffers,
		})
	}
}

// Replacements returns the replacements New made that could change a
// finding (see Replacement): withdrawals first, then changed affected
// ranges, then the rest, each group by ID and Source.
func (ix *Memory) Replacements() []Replacement {
	var out []Replacement
	for _, r := range ix.replaced {
		kept, old := ix.st.get(int(r.kept)), ix.st.get(int(r.replaced))
		if kept != nil && old != nil {
			out = append(out, Replacement{Kept: kept, Replaced: old, Withdrawn: r.withdrawn, AffectedDiffers: r.affectedDiffer})
		}
	}
	return out
}

// replacement describes kept replacing old, and reports whether that is
// worth telling (see Replacement).
func replacement(kept, old *advisory.Advisory) (Replacement, bool) {
	switch {
	case kept == nil || kept == old,
		kept.Format == advisory.FormatCSAF, // one publisher's revisions
		kept.Format == advisory.FormatOpenVEX || kept.Format == advisory.FormatCycloneDXVEX,
		old.Format == advisory.FormatOpenVEX || old.Format == advisory.FormatCycloneDXVEX,
		kept.Withdrawn != "" && old.Withdrawn != "",
		sameContent(kept, old):
		return Replacement{}, false
	}
	return Replacement{
		Kept: kept, Replaced: old,
		Withdrawn:       kept.Withdrawn != "" && old.Withdrawn == "",
		AffectedDiffers: !reflect.DeepEqual(kept.Affected, old.Affected),
	}, true
}

// sameContent reports whether a and b are the same record read from two
// places: equal in everything but Source.
func sameContent(a, b *advisory.Advisory) bool {
	if a.Modified != b.Modified || a.Withdrawn != b.Withdrawn || len(a.Affected) != len(b.Affected) {
		return false
	}
	ac, bc := *a, *b
	ac.Source, bc.Source = "", ""
	return reflect.DeepEqual(ac, bc)
}
