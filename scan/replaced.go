package scan

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
)

// maxReplacementWarnings is how many replacements are named one by one;
// the rest are counted in one more warning.
const maxReplacementWarnings = 10

// replacementWarnings names the records the index left out because
// another file's copy with the same ID replaced them (rs as
// index.Memory.Replacements orders them: withdrawals first, then changed
// affected ranges): the first maxReplacementWarnings one by one, the rest
// in one count.
func replacementWarnings(rs []index.Replacement) []string {
	var out []string
	for i, r := range rs {
		if i == maxReplacementWarnings {
			out = append(out, replacementSummary(rs[i:]))
			break
		}
		out = append(out, replacementWarning(r))
	}
	return out
}

// replacementWarning says which file's copy replaced which, and what that
// may have cost.
func replacementWarning(r index.Replacement) string {
	k, o := r.Kept, r.Replaced
	var why string
	switch {
	case r.Withdrawn:
		why = fmt.Sprintf("the newer copy is withdrawn (%s), so the copy in %s no longer gives any finding", k.Withdrawn, o.Source)
	case r.AffectedDiffers:
		why = fmt.Sprintf("its affected packages or ranges differ, so findings the copy in %s gave may be missing", o.Source)
	default:
		why = "its affected packages and ranges are the same; other fields differ"
	}
	return fmt.Sprintf("%s record %s in %s (modified %s) replaces the copy in %s (modified %s): %s",
		formatName(k.Format), k.ID, k.Source, orNotGiven(k.Modified), o.Source, orNotGiven(o.Modified), why)
}

// replacementSummary counts the replacements not named one by one.
func replacementSummary(rest []index.Replacement) string {
	var withdrawn, differs int
	for _, r := range rest {
		switch {
		case r.Withdrawn:
			withdrawn++
		case r.AffectedDiffers:
			differs++
		}
	}
	return fmt.Sprintf("and %d more records replaced by another file's copy with the same id (%d by a withdrawn copy, %d with different affected packages or ranges)",
		len(rest), withdrawn, differs)
}

func orNotGiven(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}

// formatName is how a warning names a feed format.
func formatName(f string) string {
	switch f {
	case advisory.FormatOSV:
		return "OSV"
	case advisory.FormatNVD:
		return "NVD"
	case advisory.FormatCSAF:
		return "CSAF"
	}
	return strings.ToUpper(f)
}
