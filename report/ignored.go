package report

import (
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
)

// IgnoreEntry is an entry of the ignore file, as the reports name it
// (Scan.StaleIgnores).
type IgnoreEntry struct {
	// File is the ignore file and N the entry's position in its list,
	// from 1.
	File string
	N    int
	// ID, Device, Component, Reason, By and Until are the entry's
	// fields; Until is zero for no end.
	ID, Device, Component, Reason, By string
	Until                             time.Time
}

// ignoredJSON is a finding's match.Acceptance.
type ignoredJSON struct {
	Reason string `json:"reason"`
	// Until is the last day the acceptance holds (YYYY-MM-DD), By who
	// accepted it; each absent when the entry does not say.
	Until string `json:"until,omitempty"`
	By    string `json:"by,omitempty"`
}

// staleIgnoreJSON is an entry of the ignore file that matched nothing.
type staleIgnoreJSON struct {
	File      string `json:"file"`
	Entry     int    `json:"entry"`
	ID        string `json:"id"`
	Device    string `json:"device,omitempty"`
	Component string `json:"component,omitempty"`
	Reason    string `json:"reason"`
	Until     string `json:"until,omitempty"`
	By        string `json:"by,omitempty"`
}

// ymd formats a date as YYYY-MM-DD, "" for the zero time.
func ymd(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func toIgnoredJSON(a *match.Acceptance) ignoredJSON {
	return ignoredJSON{Reason: a.Reason, Until: ymd(a.Until), By: a.By}
}

func staleIgnoresJSON(es []IgnoreEntry) []staleIgnoreJSON {
	out := make([]staleIgnoreJSON, len(es))
	for i, e := range es {
		out[i] = staleIgnoreJSON{File: e.File, Entry: e.N, ID: e.ID, Device: e.Device, Component: e.Component,
			Reason: e.Reason, Until: ymd(e.Until), By: e.By}
	}
	return out
}

// ignored writes x at depth d, in the order of ignoredJSON's fields.
func (w *indenter) ignored(d int, x *ignoredJSON) {
	w.first(d, kReason)
	w.str(x.Reason)
	w.omitEmpty(d, kUntil, x.Until)
	w.omitEmpty(d, kBy, x.By)
	w.end(d)
}

// Accepted is how the human formats show a finding's acceptance:
// "accepted by <by>: <reason> until <date>" (without "by <by>" or "until
// <date>" when the entry does not say), on one line of safe text; "" for
// a finding that is not accepted.
func Accepted(f *match.Finding) string {
	a := f.Ignored
	if a == nil {
		return ""
	}
	s := "accepted"
	if a.By != "" {
		s += " by " + a.By
	}
	s += ": " + a.Reason
	if !a.Until.IsZero() {
		s += " until " + ymd(a.Until)
	}
	return textsafe.Line(s)
}

// statusLabel is the finding's status as the Markdown report shows it:
// "affected (accepted)" for an accepted finding.
func statusLabel(f *match.Finding) string {
	if f.Ignored != nil {
		return string(f.Status) + " (accepted)"
	}
	return string(f.Status)
}

// muteCells shows a table row dim (ANSI faint) whatever its colours: an
// accepted finding.
func muteCells(cells []cell) {
	for i := range cells {
		cells[i].color = "2"
	}
}

// sarifSuppression is a SARIF 2.1.0 suppression object.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

// sarifSuppressions is an accepted finding's suppression (nil for
// others): code-scanning services show such results as dismissed.
func sarifSuppressions(f *match.Finding) []sarifSuppression {
	if f.Ignored == nil {
		return nil
	}
	return []sarifSuppression{{Kind: "external", Status: "accepted", Justification: Accepted(f)}}
}

// joinNotes joins the non-empty notes with "; ".
func joinNotes(notes ...string) string {
	var parts []string
	for _, n := range notes {
		if n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "; ")
}
