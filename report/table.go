package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/ssvc"
)

// Table writes the devices in rank order for a terminal, without colour;
// see TableWith.
func Table(w io.Writer, s *Scan, details bool) error {
	return TableWith(w, s, Options{Details: details})
}

// TableWith writes the devices in rank order for a terminal: rank,
// priority, score, device, version, manufacturer, the number of affected
// and unknown findings and the top reasons. With o.Details each device is
// followed by its findings (id, status, CVSS severity, component, fix, VEX justification
// or the reason of an unknown). With o.Color priorities and statuses are
// coloured with ANSI escapes (the caller decides: a terminal, NO_COLOR
// unset).
func TableWith(w io.Writer, s *Scan, o Options) error {
	ew := &errWriter{w: w}
	head := []cell{{text: "RANK"}, {text: "PRIORITY"}, {text: "SCORE"}, {text: "DEVICE"}, {text: "VERSION"},
		{text: "MANUFACTURER"}, {text: "AFFECTED"}, {text: "UNKNOWN"}, {text: "TOP REASONS"}}
	rows := [][]cell{head}
	for _, r := range s.Results {
		n := statusCounts(r)
		rows = append(rows, []cell{
			{text: strconv.Itoa(r.Rank)},
			{text: string(r.Priority), color: priorityColor(r.Priority)},
			{text: strconv.FormatFloat(r.Score, 'g', -1, 64)},
			{text: deviceLabel(r)}, {text: dash(r.Device.Version)}, {text: dash(r.Device.Manufacturer)},
			{text: strconv.Itoa(n[match.Affected])}, {text: strconv.Itoa(n[match.Unknown])},
			{text: dash(topReasons(r, 2))},
		})
	}
	widths := columnWidths(rows)
	// Findings are aligned among themselves, under their device.
	var frows [][]cell
	if o.Details {
		for _, r := range s.Results {
			for _, f := range r.Findings {
				frows = append(frows, findingCells(f))
			}
		}
	}
	fwidths := columnWidths(frows)
	writeRow(ew, rows[0], widths, o.Color, true)
	k := 0
	for i, r := range s.Results {
		writeRow(ew, rows[i+1], widths, o.Color, false)
		if o.Details {
			for range r.Findings {
				ew.str("      ")
				writeRow(ew, frows[k], fwidths, o.Color, false)
				k++
			}
		}
	}
	if line := dataAgeLine(s, textsafe.Line); line != "" {
		ew.str("\n" + line + "\n")
	}
	if n := s.Skipped(); n > 0 {
		ew.str(fmt.Sprintf("\n%d input(s) skipped; see the errors above\n", n))
	}
	for _, wn := range s.Warnings {
		ew.str("\nWARNING: " + textsafe.Line(wn) + "\n")
	}
	return ew.err
}

func findingCells(f *match.Finding) []cell {
	cells := []cell{{text: f.ID}, {text: string(f.Status), color: statusColor(f.Status)}, {text: SeverityLabel(f)}, {text: componentLabel(f)}, {text: dash(note(f))}}
	if f.Ignored != nil {
		muteCells(cells)
	}
	return cells
}

// cell is one table cell; color is an ANSI SGR parameter ("" for none).
type cell struct {
	text, color string
}

// columnWidths measures each column in runes (not bytes, so names with
// accents stay aligned) of the text as shown (textsafe.Line: control
// characters from the inputs become '?', bidi characters \u202e, so that
// an SBOM cannot drive the terminal); colour escapes are added after
// measuring.
func columnWidths(rows [][]cell) []int {
	var w []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], utf8.RuneCountInString(textsafe.Line(c.text)))
		}
	}
	return w
}

func writeRow(ew *errWriter, row []cell, widths []int, color, bold bool) {
	var sb strings.Builder
	for i, c := range row {
		text := textsafe.Line(c.text)
		switch {
		case color && bold:
			sb.WriteString("\x1b[1m" + text + "\x1b[0m")
		case color && c.color != "":
			sb.WriteString("\x1b[" + c.color + "m" + text + "\x1b[0m")
		default:
			sb.WriteString(text)
		}
		if i < len(row)-1 {
			sb.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(text)+2))
		}
	}
	sb.WriteByte('\n')
	ew.str(sb.String())
}

// priorityColor is the ANSI colour of a priority: red for the two urgent
// SSVC outcomes (bold for immediate), yellow scheduled, cyan defer, green
// none.
func priorityColor(p ssvc.Priority) string {
	switch p {
	case ssvc.PriorityImmediate:
		return "1;31"
	case ssvc.PriorityOutOfCycle:
		return "31"
	case ssvc.PriorityScheduled:
		return "33"
	case ssvc.PriorityDefer:
		return "36"
	case ssvc.PriorityNone:
		return "32"
	}
	return ""
}

func statusColor(s match.Status) string {
	switch s {
	case match.Affected:
		return "31"
	case match.Unknown, match.UnderInvestigation:
		return "33"
	case match.NotAffected, match.Fixed:
		return "32"
	}
	return ""
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// deviceLabel is the device's name, followed by its asset id when an
// inventory gave one.
func deviceLabel(r *match.DeviceResult) string {
	if r.Context != nil && r.Context.AssetID != "" {
		return r.Device.Name + " [" + r.Context.AssetID + "]"
	}
	return r.Device.Name
}
