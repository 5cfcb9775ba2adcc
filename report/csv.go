package report

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
)

// csvHeader names the CSV columns. Columns are added at the end, never
// renamed, removed or reordered (spreadsheets refer to them by position).
var csvHeader = []string{
	"rank", "device_id", "device", "device_version", "manufacturer", "sbom", "priority", "score", "reasons",
	"vulnerability", "aliases", "status", "component", "component_version", "purl", "cpe",
	"severity", "cvss_score", "cvss_vector", "fixed", "remediations", "justification", "impact", "reason",
	"summary", "sources", "accepted",
	"asset_id", "location", "exposure", "safety", "mission", "units", "outcome", "action", "kev", "epss", "next_step",
	"actor",
}

// csvFindingColumns is the number of columns csvFinding fills (from
// vulnerability to accepted).
const csvFindingColumns = 18

// CSV writes one row per (device, finding) for spreadsheets, devices in
// rank order; a device without findings has one row with the finding
// columns empty, so every device appears. Lists inside a cell are joined
// with "; ". An SBOM is untrusted input: control and bidi characters are
// replaced, cells holding ';', tab or '|' are quoted as well as those
// encoding/csv quotes, and a cell or part of a cell (after ';', ',', tab,
// '|' or a newline) that a spreadsheet would read as a formula (starting
// with =, +, -, @, tab or carriage return) gets a single quote before it
// (the OWASP advice on CSV injection). Only http and https remediation
// URLs are written.
//
// The last columns give the device's context (asset_id and location
// from the inventory; exposure, safety, mission and units as the ranking
// used them, the defaults without an inventory; all empty for a scan
// that was not ranked), the finding's SSVC outcome, its action in plain words
// (FindingAction), the date its CVE entered the CISA KEV catalog and its
// EPSS score (each as known on the scan's as-of date), and the device's
// next step (NextStep). The last column, actor, says who can install the
// fix of a finding that counts (FindingActor: hospital, manufacturer,
// both, or unknown without the device's MDS2 form); empty for the
// others.
func CSV(w io.Writer, s *Scan) error {
	cw := &csvWriter{ew: &errWriter{w: w}}
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range s.Results {
		d := r.Device
		dev := []string{strconv.Itoa(r.Rank), r.ID, d.Name, d.Version, d.Manufacturer, d.Path, string(r.Priority),
			strconv.FormatFloat(r.Score, 'g', -1, 64), strings.Join(r.Reasons, "; ")}
		step := NextStep(r)
		if len(r.Findings) == 0 {
			row := append(dev, make([]string, csvFindingColumns)...)
			row = append(row, csvContext(r, nil, s.AsOf, step)...)
			if err := cw.Write(csvSafe(row)); err != nil {
				return err
			}
			continue
		}
		for _, f := range r.Findings {
			row := append(append(slices.Clip(dev), csvFinding(f)...), csvContext(r, f, s.AsOf, step)...)
			if err := cw.Write(csvSafe(row)); err != nil {
				return err
			}
		}
	}
	// A scan-wide warning (no vulnerability data) is a last row of its
	// own, so that a spreadsheet shows it under the devices.
	for _, wn := range s.Warnings {
		row := make([]string, len(csvHeader))
		row[0] = "# warning: " + wn
		if err := cw.Write(csvSafe(row)); err != nil {
			return err
		}
	}
	return cw.ew.err
}

func csvFinding(f *match.Finding) []string {
	var name, version, purl, cpe string
	if c := f.Component; c != nil {
		name, version, purl = c.Name, c.Version, c.PURL
		if len(c.CPEs) > 0 {
			cpe = c.CPEs[0]
		}
	}
	var sev, score, vector string
	if sc, ok := FindingScore(f); ok {
		sev, score, vector = sc.Rating, strconv.FormatFloat(sc.Base, 'f', 1, 64), sc.Vector
	} else {
		// The source's own rating ("medium" from GHSA's MODERATE; score
		// and vector empty), or "unknown".
		sev = rank.FindingRating(f).Rating
	}
	var rems, srcs []string
	for _, r := range f.Remediations {
		t := r.Category
		if r.Details != "" {
			t += ": " + r.Details
		}
		if u := textsafe.URL(r.URL); u != "" {
			t += " " + u
		}
		rems = append(rems, t)
	}
	for _, src := range f.Sources {
		srcs = append(srcs, src.Format+":"+src.ID)
	}
	return []string{f.ID, strings.Join(f.Aliases, "; "), string(f.Status), name, version, purl, cpe,
		sev, score, vector, strings.Join(f.Fixed, "; "), strings.Join(rems, "; "), f.Justification, f.Impact, f.Reason,
		f.Summary, strings.Join(srcs, "; "), Accepted(f)}
}

// csvContext is the columns after accepted: the device's context, the
// finding's outcome, action, KEV date and EPSS score (f nil: none), the
// device's next step, and the finding's actor.
func csvContext(r *match.DeviceResult, f *match.Finding, asOf time.Time, step string) []string {
	out := make([]string, 0, 12)
	if c := r.Context; c != nil {
		out = append(out, c.AssetID, c.Location, string(c.Exposure), string(c.Safety), string(c.Mission), strconv.Itoa(max(c.Units, 1)))
	} else {
		out = append(out, "", "", "", "", "", "")
	}
	var outcome, action, kev, epss, actor string
	if f != nil {
		actor = string(FindingActor(f))
		if f.Decision != nil {
			outcome = string(f.Decision.Outcome)
		}
		action = FindingAction(r, f)
		if f.KEV != nil && !after(f.KEV.DateAdded, asOf) {
			kev = dateOnly(f.KEV.DateAdded)
		}
		if f.EPSS != nil && !after(f.EPSS.Date, asOf) {
			epss = strconv.FormatFloat(f.EPSS.Score, 'f', -1, 64)
		}
	}
	return append(out, outcome, action, kev, epss, step, actor)
}

// csvWriter writes rows as encoding/csv does (comma, "\n" line ends,
// quotes only when needed) but also quotes every cell holding a
// character another separator could split on (';', the default of
// European spreadsheets, tab or '|'), so that a spreadsheet importing
// with that separator keeps the cell whole.
type csvWriter struct {
	ew *errWriter
	b  strings.Builder
}

func (w *csvWriter) Write(row []string) error {
	w.b.Reset()
	for i, c := range row {
		if i > 0 {
			w.b.WriteByte(',')
		}
		if !csvNeedsQuotes(c) {
			w.b.WriteString(c)
			continue
		}
		w.b.WriteByte('"')
		w.b.WriteString(strings.ReplaceAll(c, `"`, `""`))
		w.b.WriteByte('"')
	}
	w.b.WriteByte('\n')
	w.ew.str(w.b.String())
	return w.ew.err
}

// csvNeedsQuotes is encoding/csv's rule (a comma, quote, CR or LF, a
// leading space, or the field `\.`) plus ';', tab and '|'.
func csvNeedsQuotes(c string) bool {
	if c == "" {
		return false
	}
	if c == `\.` || strings.ContainsAny(c, ",\"\r\n;\t|") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(c)
	return unicode.IsSpace(r)
}

// csvFormulaStart holds the characters that make a spreadsheet read a
// cell, or a part of one it splits off, as a formula (the OWASP list).
const csvFormulaStart = "=+-@\t\r"

// csvSafe makes every cell safe for a spreadsheet: control and bidi
// characters from the inputs are replaced (textsafe.Text; newline and tab
// stay), and a single quote is put before a formula character at the
// start of the cell and at the start of every part a spreadsheet could
// split off (after ';', ',', tab, '|' or a newline, and any spaces), so
// that "x;=1+41" imported with ';' as separator is text, not a formula.
func csvSafe(row []string) []string {
	for i, c := range row {
		row[i] = csvGuard(textsafe.Text(c))
	}
	return row
}

func csvGuard(c string) string {
	if c == "" {
		return c
	}
	if strings.IndexByte(csvFormulaStart, c[0]) >= 0 {
		c = "'" + c
	}
	if !strings.ContainsAny(c, ";,\t|\n") {
		return c
	}
	var b strings.Builder
	start := true // at the start of a part, before its first non-space
	for i := 0; i < len(c); i++ {
		ch := c[i]
		switch {
		case i > 0 && strings.IndexByte(";,\t|\n", ch) >= 0:
			start = true
		case start && ch == ' ':
		case start:
			if i > 0 && strings.IndexByte(csvFormulaStart, ch) >= 0 {
				b.WriteByte('\'')
			}
			start = false
		}
		b.WriteByte(ch)
	}
	return b.String()
}
