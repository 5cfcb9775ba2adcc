package report

import (
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// Table writes the devices in rank order for a terminal, without colour;
// see TableWith.
func Table(w io.Writer, s *Scan, details bool) error {
	return TableWith(w, s, Options{Details: details})
}

// TableWith writes the devices in rank order for a terminal: rank,
// priority, score, device (with its asset id, or the SBOM's file name
// when several devices share a name), version, manufacturer, location
// (with an inventory), the number of affected and unknown findings and
// the top reasons. With o.Width the table fits that many columns: long
// names are shortened in the middle and the reasons cut with "…" (0: no
// limit). With o.Details each device is followed by its inventory
// context, its next step (NextStep), all its reasons, and its findings
// most urgent first (id, status, severity, KEV and EPSS, component, the
// action for an affected finding, else the VEX justification or the
// reason of an unknown). With o.Color priorities and statuses are
// coloured with ANSI escapes (the caller decides: a terminal, NO_COLOR
// unset).
func TableWith(w io.Writer, s *Scan, o Options) error {
	ew := &errWriter{w: w}
	t := newDeviceTable(s, o)
	var fd findingDetails
	if o.Details {
		fd = newFindingDetails(s, o)
	}
	writeRow(ew, t.rows[0], t.widths, t.modes, o.Color, true)
	for i, r := range s.Results {
		writeRow(ew, t.rows[i+1], t.widths, t.modes, o.Color, false)
		if o.Details {
			writeDetails(ew, r, fd.rows[i], fd.widths, o)
		}
	}
	if n := s.LimitNote(); n != "" {
		ew.str("\n" + textsafe.Line(n) + "\n")
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

// deviceTable is the device rows of the table, fitted to the width.
type deviceTable struct {
	rows   [][]cell
	widths []int
	modes  []shorten
}

// shorten says how a cell too wide for its column is cut.
type shorten uint8

const (
	keep   shorten = iota // never cut
	middle                // "VitaFlow…[ICU-PUMP-01]": both ends stay
	tail                  // "exploitation active: …"
)

// tableColumn is a column of the device table: how a cell too wide is
// cut, the width it is narrowed to when the table does not fit (0:
// never), and whether it is left out, in the order of the columns, when
// the reasons would still get fewer than minReasons columns.
type tableColumn struct {
	head     string
	mode     shorten
	cap      int
	optional bool
	cell     func(r *match.DeviceResult, n map[match.Status]int) cell
}

// minReasons is the fewest columns the reasons get before optional
// columns are left out of a fitted table.
const minReasons = 24

func deviceColumns(s *Scan) []tableColumn {
	labels := deviceLabels(s.Results)
	cols := []tableColumn{
		{"RANK", keep, 0, false, func(r *match.DeviceResult, _ map[match.Status]int) cell { return cell{text: strconv.Itoa(r.Rank)} }},
		{"PRIORITY", keep, 0, false, func(r *match.DeviceResult, _ map[match.Status]int) cell {
			return cell{text: string(r.Priority), color: priorityColor(r.Priority)}
		}},
		{"SCORE", keep, 0, true, func(r *match.DeviceResult, _ map[match.Status]int) cell {
			return cell{text: strconv.FormatFloat(r.Score, 'g', -1, 64)}
		}},
		{"DEVICE", middle, 28, false, func(r *match.DeviceResult, _ map[match.Status]int) cell { return cell{text: labels[r]} }},
		{"VERSION", middle, 10, true, func(r *match.DeviceResult, _ map[match.Status]int) cell { return cell{text: dash(r.Device.Version)} }},
		{"MANUFACTURER", middle, 18, true, func(r *match.DeviceResult, _ map[match.Status]int) cell {
			return cell{text: dash(r.Device.Manufacturer)}
		}},
	}
	if hasLocation(s) {
		cols = append(cols, tableColumn{"LOCATION", middle, 14, true, func(r *match.DeviceResult, _ map[match.Status]int) cell {
			return cell{text: dash(location(r))}
		}})
	}
	cols = append(cols,
		tableColumn{"AFFECTED", keep, 0, false, func(_ *match.DeviceResult, n map[match.Status]int) cell {
			return cell{text: strconv.Itoa(n[match.Affected])}
		}},
		tableColumn{"UNKNOWN", keep, 0, true, func(_ *match.DeviceResult, n map[match.Status]int) cell {
			return cell{text: strconv.Itoa(n[match.Unknown])}
		}},
		whoActsColumn(s),
		tableColumn{"TOP REASONS", tail, 0, false, func(r *match.DeviceResult, _ map[match.Status]int) cell {
			return cell{text: dash(topReasons(r, 2))}
		}})
	return slices.DeleteFunc(cols, func(c tableColumn) bool { return c.head == "" })
}

// whoActsColumn is the WHO ACTS column (DeviceActor) when a device of the
// scan has an MDS2 form, else a column without a head that deviceColumns
// leaves out: without any form every device's actor is unknown, and the
// table stays as it was.
func whoActsColumn(s *Scan) tableColumn {
	if !slices.ContainsFunc(s.Results, func(r *match.DeviceResult) bool { return r.Disclosure != nil && r.Disclosure.MDS2 != nil }) {
		return tableColumn{}
	}
	return tableColumn{"WHO ACTS", keep, 0, true, func(r *match.DeviceResult, _ map[match.Status]int) cell {
		return cell{text: dash(DeviceActor(r))}
	}}
}

// newDeviceTable lays the device rows out: every column when they fit
// o.Width (or it is 0), else the wide ones narrowed to their caps and,
// while the reasons would get fewer than minReasons columns, the
// optional ones left out in the order manufacturer, version, score,
// unknown, location, who acts (--details shows them all under the
// device).
func newDeviceTable(s *Scan, o Options) deviceTable {
	cols := deviceColumns(s)
	counts := make([]map[match.Status]int, len(s.Results))
	for i, r := range s.Results {
		counts[i] = statusCounts(r)
	}
	for _, drop := range []string{"", "MANUFACTURER", "VERSION", "SCORE", "UNKNOWN", "LOCATION", "WHO ACTS"} {
		cols = slices.DeleteFunc(cols, func(c tableColumn) bool { return c.optional && c.head == drop })
		t := layoutTable(s, cols, counts, o.Width)
		if o.Width <= 0 || t.widths[len(t.widths)-1] >= minReasons || t.natural {
			return t.deviceTable
		}
	}
	return layoutTable(s, cols, counts, o.Width).deviceTable
}

type laidOut struct {
	deviceTable
	natural bool // every column at its natural width
}

func layoutTable(s *Scan, cols []tableColumn, counts []map[match.Status]int, width int) laidOut {
	head := make([]cell, len(cols))
	modes := make([]shorten, len(cols))
	caps := make([]int, len(cols))
	for i, c := range cols {
		head[i], modes[i], caps[i] = cell{text: c.head}, c.mode, c.cap
	}
	rows := [][]cell{head}
	for i, r := range s.Results {
		row := make([]cell, len(cols))
		for j, c := range cols {
			row[j] = c.cell(r, counts[i])
		}
		rows = append(rows, row)
	}
	natural := columnWidths(rows)
	widths := fitWidths(slices.Clone(natural), caps, width)
	return laidOut{deviceTable{rows: rows, widths: widths, modes: modes}, slices.Equal(natural, widths)}
}

// hasLocation reports whether an inventory gave any device a location.
func hasLocation(s *Scan) bool {
	for _, r := range s.Results {
		if location(r) != "" {
			return true
		}
	}
	return false
}

// location is the device's location in the inventory, "" without one.
func location(r *match.DeviceResult) string {
	if r.Context == nil {
		return ""
	}
	return r.Context.Location
}

// fitWidths fits the columns into width (0: no limit): when they do not
// fit, each column with a cap is narrowed to it, and the last column
// takes the space left (at least 12). The columns may still overflow a
// very narrow terminal.
func fitWidths(widths, caps []int, width int) []int {
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	if width <= 0 || total <= width || len(widths) == 0 {
		return widths
	}
	out := slices.Clone(widths)
	used := 2 * (len(out) - 1)
	for i := range out[:len(out)-1] {
		if caps[i] > 0 {
			out[i] = min(out[i], caps[i])
		}
		used += out[i]
	}
	last := len(out) - 1
	out[last] = min(out[last], max(width-used, 12))
	return out
}

// fitText cuts text (already safe) to n runes with "…", keeping both ends
// (middle) or the start (tail).
func fitText(text string, n int, mode shorten) string {
	k := utf8.RuneCountInString(text)
	if mode == keep || k <= n || n < 2 {
		return text
	}
	r := []rune(text)
	if mode == tail {
		return strings.TrimRight(string(r[:n-1]), " ;,") + "…"
	}
	head := (n - 1) / 2 // the end (an asset id, a version) keeps the extra rune
	return string(r[:head]) + "…" + string(r[k-(n-1-head):])
}

// findingDetails holds the finding rows of every device (the devices in
// order, each one's findings most urgent first), aligned among
// themselves.
type findingDetails struct {
	rows   [][][]cell
	widths []int
}

func newFindingDetails(s *Scan, o Options) findingDetails {
	asOf := scanAsOf(s, o)
	var fd findingDetails
	var all [][]cell
	for _, r := range s.Results {
		where := componentPlaces(r)
		var rows [][]cell
		for _, f := range UrgencyOrder(r.Findings) {
			rows = append(rows, findingCells(r, f, where, asOf))
		}
		fd.rows = append(fd.rows, rows)
		all = append(all, rows...)
	}
	fd.widths = columnWidths(all)
	return fd
}

// detailIndent indents the details under a device's row.
const detailIndent = "      "

// writeDetails writes a device's context, next step, reasons and
// finding rows under its row, each line indented and wrapped to the
// width.
func writeDetails(ew *errWriter, r *match.DeviceResult, rows [][]cell, widths []int, o Options) {
	d := r.Device
	head := strings.TrimSpace(d.Name + " " + d.Version)
	if d.Manufacturer != "" {
		head += " by " + d.Manufacturer
	}
	lines := []string{head}
	if c := ContextLine(r); c != "" {
		lines = append(lines, c)
	}
	lines = append(lines, "SBOM "+d.Path)
	if step := NextStep(r); step != "" {
		lines = append(lines, "next step: "+step)
	}
	if len(r.Reasons) > 0 {
		lines = append(lines, "reasons:")
	}
	for _, l := range lines {
		for _, part := range wrapText(textsafe.Line(l), o.Width-len(detailIndent)) {
			ew.str(detailIndent + part + "\n")
		}
	}
	for _, reason := range r.Reasons {
		for i, part := range wrapText(textsafe.Line(reason), o.Width-len(detailIndent)-4) {
			bullet := "  - "
			if i > 0 {
				bullet = "    "
			}
			ew.str(detailIndent + bullet + part + "\n")
		}
	}
	if v := responsibilityOfDevice(r); v != nil {
		writeView(ew, v, o)
	}
	stacked := o.Width > 0 && rowWidth(widths)+len(detailIndent) > o.Width
	for _, row := range rows {
		if stacked {
			writeStacked(ew, row, widths, o)
		} else {
			writeWrapped(ew, detailIndent, row, widths, o)
		}
	}
}

// writeView writes the device's responsibility view under its reasons:
// each level indented two more columns, a line to do after "- ", the
// answers behind it further in, each line wrapped to the width.
func writeView(ew *errWriter, v *respView, o Options) {
	for _, l := range append([]viewLine{{0, "responsibility: " + v.Form}}, v.lines(false)...) {
		indent, bullet := detailIndent+strings.Repeat("  ", l.depth), ""
		switch l.depth {
		case 2:
			bullet = "- "
		case 3:
			indent += "  "
		}
		for i, part := range wrapLong(textsafe.Line(l.text), o.Width-len(indent)-len(bullet)) {
			if i > 0 {
				part = strings.Repeat(" ", len(bullet)) + part
			} else {
				part = bullet + part
			}
			ew.str(indent + part + "\n")
		}
	}
}

// wrapLong is wrapText, with a word longer than the width (a guide's URL,
// a form's path) cut into lines of the width: the view's references stay
// whole, over several lines, where the table's names are shortened.
func wrapLong(text string, width int) []string {
	var out []string
	for _, part := range wrapText(text, width) {
		r := []rune(part)
		for width > 20 && len(r) > width {
			out = append(out, string(r[:width]))
			r = r[width:]
		}
		out = append(out, string(r))
	}
	return out
}

// rowWidth is the width of a row of columns of these widths.
func rowWidth(widths []int) int {
	n := 2 * (len(widths) - 1)
	for _, w := range widths {
		n += w
	}
	return n
}

// writeStacked writes a finding row that does not fit the width on
// several lines: id, status, severity and component (shortened in the
// middle to fit), then the KEV and EPSS line and the action or note,
// wrapped, indented under it.
func writeStacked(ew *errWriter, row []cell, widths []int, o Options) {
	first := []cell{row[0], row[1], row[2], row[4]}
	fw := []int{widths[0], widths[1], widths[2], 0}
	fw[3] = max(12, o.Width-len(detailIndent)-rowWidth(fw[:3])-2)
	ew.str(detailIndent)
	writeRow(ew, first, fw, []shorten{keep, keep, keep, middle}, o.Color, false)
	indent := detailIndent + "    "
	for _, c := range []cell{row[3], row[5]} {
		if c.text == "-" {
			continue
		}
		for _, part := range wrapText(textsafe.Line(c.text), o.Width-len(indent)) {
			c.text = part
			ew.str(indent)
			writeRow(ew, []cell{c}, []int{0}, nil, o.Color, false)
		}
	}
}

// findingCells is a finding's row under its device: id, status,
// severity, KEV and EPSS, component (with its place in the SBOM when the
// device has several components of that name and version), and the
// action (an affected finding) or the note.
func findingCells(r *match.DeviceResult, f *match.Finding, where map[*sbom.Component]string, asOf time.Time) []cell {
	cells := []cell{{text: f.ID}, {text: string(f.Status), color: statusColor(f.Status)}, {text: SeverityLabel(f)},
		{text: dash(Exploitation(f, asOf))}, {text: componentWhere(f, where)}, {text: dash(findingNote(r, f))}}
	if f.Ignored != nil {
		muteCells(cells)
	}
	return cells
}

// findingNote is what the human formats say of a finding in one line:
// the action of an affected finding (after its acceptance, when it is
// accepted), else note's text.
func findingNote(r *match.DeviceResult, f *match.Finding) string {
	if a := FindingAction(r, f); a != "" {
		return joinNotes(Accepted(f), a)
	}
	return note(f)
}

// componentPlaces names the place in the SBOM of every component of the
// device that shares its name and version with another of its findings'
// components: its parent, else its bom-ref ("" for the others).
func componentPlaces(r *match.DeviceResult) map[*sbom.Component]string {
	byLabel := map[string][]*sbom.Component{}
	for _, f := range r.Findings {
		if f.Component == nil {
			continue
		}
		l := componentLabel(f)
		if !slices.Contains(byLabel[l], f.Component) {
			byLabel[l] = append(byLabel[l], f.Component)
		}
	}
	out := map[*sbom.Component]string{}
	for _, cs := range byLabel {
		if len(cs) < 2 {
			continue
		}
		for _, c := range cs {
			out[c] = componentPlace(c)
		}
	}
	return out
}

func componentPlace(c *sbom.Component) string {
	switch {
	case c.Parent != "":
		return "in " + c.Parent
	case c.Ref != "":
		return "ref " + c.Ref
	}
	return "top level"
}

// writeWrapped writes a finding row: the last column wraps to the width
// (o.Width), its continuation lines aligned under it.
func writeWrapped(ew *errWriter, indent string, row []cell, widths []int, o Options) {
	start := len(indent)
	for _, w := range widths[:len(widths)-1] {
		start += w + 2
	}
	last := row[len(row)-1]
	parts := wrapText(textsafe.Line(last.text), o.Width-start)
	first := slices.Clone(row)
	first[len(first)-1].text = parts[0]
	ew.str(indent)
	writeRow(ew, first, widths, nil, o.Color, false)
	pad := strings.Repeat(" ", start)
	for _, p := range parts[1:] {
		c := last
		c.text = p
		ew.str(pad)
		writeRow(ew, []cell{c}, []int{0}, nil, o.Color, false)
	}
}

// wrapText breaks text at spaces into lines of at most width runes (a
// word longer than that stays whole); width <= 20 or text that fits: one
// line.
func wrapText(text string, width int) []string {
	if width <= 20 || utf8.RuneCountInString(text) <= width {
		return []string{text}
	}
	var lines []string
	line := ""
	for _, word := range strings.Split(text, " ") {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
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

func writeRow(ew *errWriter, row []cell, widths []int, modes []shorten, color, bold bool) {
	var sb strings.Builder
	for i, c := range row {
		text := textsafe.Line(c.text)
		if i < len(modes) {
			text = fitText(text, widths[i], modes[i])
		}
		switch {
		case color && bold:
			sb.WriteString("\x1b[1m" + text + "\x1b[0m")
		case color && c.color != "":
			sb.WriteString("\x1b[" + c.color + "m" + text + "\x1b[0m")
		default:
			sb.WriteString(text)
		}
		if i < len(row)-1 {
			sb.WriteString(strings.Repeat(" ", max(0, widths[i]-utf8.RuneCountInString(text))+2))
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

// deviceLabels labels the devices so that they can be told apart:
// deviceLabel, and for a device without an asset id whose name another
// device of the scan shares, the SBOM's file name in parentheses.
func deviceLabels(rs []*match.DeviceResult) map[*match.DeviceResult]string {
	names := map[string]int{}
	for _, r := range rs {
		names[r.Device.Name]++
	}
	out := make(map[*match.DeviceResult]string, len(rs))
	for _, r := range rs {
		l := deviceLabel(r)
		if l == r.Device.Name && names[l] > 1 && r.Device.Path != "" {
			l += " (" + path.Base(filepath.ToSlash(r.Device.Path)) + ")"
		}
		out[r] = l
	}
	return out
}
