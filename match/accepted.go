package match

import "time"

// Acceptance is a hospital's recorded decision to accept a finding for a
// while (an entry of bomrank's ignore file that matched it). The finding
// keeps its status and stays in every report, but it no longer counts for
// the device's priority, score and reasons nor for --fail-on.
type Acceptance struct {
	// Reason says why the finding is accepted (always set).
	Reason string
	// By names who accepted it; "" when the entry does not say.
	By string
	// Until is the last day the acceptance holds (UTC midnight); the
	// zero time means no end. From the day after it, the finding counts
	// again.
	Until time.Time
}

// Counts reports whether the finding counts for the ranking and for
// --fail-on: it is Affected and not accepted (Ignored is nil).
func (f *Finding) Counts() bool { return f.Status == Affected && f.Ignored == nil }
