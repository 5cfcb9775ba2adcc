package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/bomrank/bomrank/match"
)

// The JSON of `bomrank scan` is a contract (see the README): fields may be
// added, never renamed or removed.
type scanJSON struct {
	Devices []deviceJSON `json:"devices"`
	Errors  []errorJSON  `json:"errors"`
	Summary summaryJSON  `json:"summary"`
}

type summaryJSON struct {
	Devices    int `json:"devices"`
	Affected   int `json:"affected_devices"`
	Findings   int `json:"findings"`
	Unknown    int `json:"unknown_findings"`
	Advisories int `json:"advisories"`
	Skipped    int `json:"skipped_inputs"`
}

type deviceJSON struct {
	ID           string        `json:"id"`
	SBOM         string        `json:"sbom"`
	Name         string        `json:"name"`
	Manufacturer string        `json:"manufacturer"`
	Version      string        `json:"version"`
	Rank         int           `json:"rank"`
	Priority     string        `json:"priority"`
	Score        float64       `json:"score"`
	Reasons      []string      `json:"reasons"`
	Findings     []findingJSON `json:"findings"`
}

type findingJSON struct {
	ID            string        `json:"id"`
	Aliases       []string      `json:"aliases"`
	Status        string        `json:"status"`
	Reason        string        `json:"reason,omitempty"`
	Component     componentJSON `json:"component"`
	Fixed         []string      `json:"fixed"`
	Severity      severityJSON  `json:"severity"`
	Summary       string        `json:"summary,omitempty"`
	Informational string        `json:"informational,omitempty"`
	Sources       []sourceJSON  `json:"sources"`
}

type componentJSON struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	PURL    string   `json:"purl"`
	CPEs    []string `json:"cpes"`
	Ref     string   `json:"ref,omitempty"`
}

type severityJSON struct {
	// Vectors lists the scores as the sources wrote them.
	Vectors []vectorJSON `json:"vectors"`
}

type vectorJSON struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type sourceJSON struct {
	ID     string `json:"id"`
	Format string `json:"format"`
	Path   string `json:"path"`
	Match  string `json:"match"`
}

type errorJSON struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JSON writes the scan as indented JSON.
func JSON(w io.Writer, s *Scan) error {
	out := scanJSON{Devices: []deviceJSON{}, Errors: []errorJSON{}}
	for _, r := range s.Results {
		d := r.Device
		dj := deviceJSON{
			ID: r.ID, SBOM: d.Path, Name: d.Name, Manufacturer: d.Manufacturer, Version: d.Version,
			Rank: r.Rank, Priority: r.Priority, Score: r.Score, Reasons: strs(r.Reasons), Findings: []findingJSON{},
		}
		for _, f := range r.Findings {
			fj := findingJSON{
				ID: f.ID, Aliases: strs(f.Aliases), Status: string(f.Status), Reason: f.Reason,
				Component: componentJSON{Name: f.Component.Name, Version: f.Component.Version, PURL: f.Component.PURL, CPEs: strs(f.Component.CPEs), Ref: f.Component.Ref},
				Fixed:     strs(f.Fixed), Summary: f.Summary, Informational: f.Informational,
				Severity: severityJSON{Vectors: []vectorJSON{}}, Sources: []sourceJSON{},
			}
			for _, v := range f.Severity {
				fj.Severity.Vectors = append(fj.Severity.Vectors, vectorJSON{Type: v.Type, Score: v.Score})
			}
			for _, src := range f.Sources {
				fj.Sources = append(fj.Sources, sourceJSON{ID: src.ID, Format: src.Format, Path: src.Path, Match: src.Match})
			}
			dj.Findings = append(dj.Findings, fj)
			out.Summary.Findings++
			if f.Status == match.Unknown {
				out.Summary.Unknown++
			}
		}
		if r.Affected() > 0 {
			out.Summary.Affected++
		}
		out.Devices = append(out.Devices, dj)
	}
	for _, e := range s.SBOMErrors {
		out.Errors = append(out.Errors, errorJSON{Path: e.Path, Error: strings.TrimPrefix(e.Error(), e.Path+": ")})
	}
	for _, e := range s.AdvisoryErrors {
		out.Errors = append(out.Errors, errorJSON{Path: e.Path, Error: strings.TrimPrefix(e.Error(), e.Path+": ")})
	}
	out.Summary.Devices = len(s.Results)
	out.Summary.Advisories = s.Advisories
	out.Summary.Skipped = len(out.Errors)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
