package rank

import (
	"fmt"

	"github.com/bomrank/bomrank/match"
)

// counted reports whether finding f counts for its device's priority,
// score, reasons and order: it is Affected and not accepted in an ignore
// file (match.Finding.Counts). An accepted finding is not decided
// (Decision stays nil); a device whose affected findings are all accepted
// has priority none.
func counted(f *match.Finding) bool { return f.Counts() }

// acceptedReason is the device's reason naming its accepted affected
// findings, "" when it has none.
func acceptedReason(r *match.DeviceResult) string {
	n := 0
	for _, f := range r.Findings {
		if f.Status == match.Affected && f.Ignored != nil {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d affected finding(s) accepted in the ignore file (not counted)", n)
}
