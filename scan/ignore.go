package scan

import (
	"errors"
	"fmt"
	"time"

	"github.com/bomrank/bomrank/internal/ignore"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/report"
)

// IgnoreError is an ignore file that cannot be used: missing, too large,
// not of the expected shape, or with an entry without an id or a reason.
// No scan is made: a misread file must not leave accepted findings
// counted, nor count the findings of an entry misspelt.
type IgnoreError struct {
	Path string
	Err  error
}

// Error implements error.
func (e *IgnoreError) Error() string { return fmt.Sprintf("ignore file %s: %v", e.Path, e.Err) }

// Unwrap returns Err.
func (e *IgnoreError) Unwrap() error { return e.Err }

// loadIgnore reads the ignore file at path; nil for "".
func loadIgnore(path string) (*ignore.File, error) {
	if path == "" {
		return nil, nil
	}
	f, err := ignore.Load(path)
	if err != nil {
		var ie *ignore.Error
		if errors.As(err, &ie) {
			return nil, &IgnoreError{Path: ie.Path, Err: ie.Err}
		}
		return nil, &IgnoreError{Path: path, Err: err}
	}
	return f, nil
}

// applyIgnore marks the accepted findings of results before they are
// ranked, and records the stale entries and, as warnings, the expired
// ones that still match findings.
func applyIgnore(s *report.Scan, results []*match.DeviceResult, f *ignore.File, asOf time.Time) {
	if f == nil {
		return
	}
	out := ignore.Apply(results, f.Entries, asOf)
	for _, e := range out.Stale {
		s.StaleIgnores = append(s.StaleIgnores, report.IgnoreEntry{File: f.Path, N: e.N, ID: e.ID, Device: e.Device,
			Component: e.Component, Reason: e.Reason, By: e.By, Until: e.Until})
	}
	for _, e := range out.Expired {
		s.Warnings = append(s.Warnings, fmt.Sprintf("ignore file %s entry %d (%s): the acceptance ended on %s, before %s: its %d finding(s) count again",
			f.Path, e.N, e.ID, e.Until.Format("2006-01-02"), asOf.UTC().Format("2006-01-02"), e.Findings))
	}
}
