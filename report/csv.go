package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/match"
)

// csvHeader names the CSV columns. Columns are added at the end, never
// renamed, removed or reordered (spreadsheets refer to them by position).
var csvHeader = []string{
	"rank", "device_id", "device", "device_version", "manufacturer", "sbom", "priority", "score", "reasons",
	"vulnerability", "aliases", "status", "component", "component_version", "purl", "cpe",
	"severity", "cvss_score", "cvss_vector", "fixed", "remediations", "justification", "impact", "reason",
	"summary", "sources",
}

// CSV writes one row per (device, finding) for spreadsheets, devices in
// rank order; a device without findings has one row with the finding
// columns empty, so every device appears. Lists inside a cell are joined
// with "; ". Cells from the inputs that a spreadsheet would read as a
// formula (starting with =, +, -, @, tab or carriage return) are
// prefixed with a single quote (the OWASP advice on CSV injection): an
// SBOM is untrusted input.
func CSV(w io.Writer, s *Scan) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range s.Results {
		d := r.Device
		dev := []string{strconv.Itoa(r.Rank), r.ID, d.Name, d.Version, d.Manufacturer, d.Path, string(r.Priority),
			strconv.FormatFloat(r.Score, 'g', -1, 64), strings.Join(r.Reasons, "; ")}
		if len(r.Findings) == 0 {
			row := append(dev, make([]string, len(csvHeader)-len(dev))...)
			if err := cw.Write(csvSafe(row)); err != nil {
				return err
			}
			continue
		}
		for _, f := range r.Findings {
			if err := cw.Write(csvSafe(append(append([]string(nil), dev...), csvFinding(f)...))); err != nil {
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
	cw.Flush()
	return cw.Error()
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
	}
	var rems, srcs []string
	for _, r := range f.Remediations {
		t := r.Category
		if r.Details != "" {
			t += ": " + r.Details
		}
		if r.URL != "" {
			t += " " + r.URL
		}
		rems = append(rems, t)
	}
	for _, src := range f.Sources {
		srcs = append(srcs, src.Format+":"+src.ID)
	}
	return []string{f.ID, strings.Join(f.Aliases, "; "), string(f.Status), name, version, purl, cpe,
		sev, score, vector, strings.Join(f.Fixed, "; "), strings.Join(rems, "; "), f.Justification, f.Impact, f.Reason,
		f.Summary, strings.Join(srcs, "; ")}
}

func csvSafe(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}
