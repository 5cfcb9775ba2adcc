package report

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// Limit returns a copy of the scan that lists only the most urgent
// devices: those at priority minPriority or a more urgent one ("" for
// any), the first top of them in rank order (0 for all). The copy's All
// keeps every device, so that the summaries (device and finding counts,
// the devices-by-priority charts, the JSON summary) still count the
// whole scan; the human formats say how many devices they leave out. The
// scan itself is not changed; without a limit it is returned as is.
func (s *Scan) Limit(top int, minPriority ssvc.Priority) *Scan {
	if top <= 0 && minPriority == "" {
		return s
	}
	c := *s
	c.All = s.all()
	c.Results = nil
	for _, r := range c.All {
		if minPriority != "" && PriorityIndex(r.Priority) > PriorityIndex(minPriority) {
			continue
		}
		if top > 0 && len(c.Results) == top {
			break
		}
		c.Results = append(c.Results, r)
	}
	c.limit = limitNote(len(c.Results), len(c.All), top, minPriority)
	return &c
}

// all is every device of the scan: All when Limit left some out, else
// Results.
func (s *Scan) all() []*match.DeviceResult {
	if s.All != nil {
		return s.All
	}
	return s.Results
}

// limitNote says what Limit left out: "listing the 10 most urgent of 200
// devices (--top 10, --min-priority scheduled)"; "" when nothing was.
func limitNote(shown, total, top int, minPriority ssvc.Priority) string {
	if shown == total {
		return ""
	}
	var how []string
	if top > 0 {
		how = append(how, fmt.Sprintf("--top %d", top))
	}
	if minPriority != "" {
		how = append(how, "--min-priority "+string(minPriority))
	}
	return fmt.Sprintf("listing the %d most urgent of %d devices (%s); the counts cover all of them", shown, total, strings.Join(how, ", "))
}

// LimitNote is the note the human formats print when Limit left devices
// out, "" otherwise.
func (s *Scan) LimitNote() string { return s.limit }
