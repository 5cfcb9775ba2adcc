package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/bomrank/bomrank/match"
)

// Table writes the devices in rank order for a terminal: rank, priority,
// score, device, and its affected and undecided findings; with details,
// each finding follows its device.
func Table(w io.Writer, s *Scan, details bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tPRIORITY\tSCORE\tDEVICE\tVERSION\tMANUFACTURER\tAFFECTED\tUNKNOWN")
	for _, r := range s.Results {
		d := r.Device
		unknown := 0
		for _, f := range r.Findings {
			if f.Status == match.Unknown {
				unknown++
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%g\t%s\t%s\t%s\t%d\t%d\n", r.Rank, r.Priority, r.Score, d.Name, dash(d.Version), dash(d.Manufacturer), r.Affected(), unknown)
		if details {
			for _, f := range r.Findings {
				fix := "no fix known"
				if len(f.Fixed) > 0 {
					fix = "fixed in " + f.Fixed[0]
				}
				note := fix
				if f.Status == match.Unknown {
					note = f.Reason
				}
				fmt.Fprintf(tw, "\t\t\t  %s\t%s %s\t%s\t%s\n", f.ID, f.Component.Name, f.Component.Version, f.Status, note)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := len(s.SBOMErrors) + len(s.AdvisoryErrors); n > 0 {
		fmt.Fprintf(w, "\n%d input(s) skipped; see the errors above\n", n)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
