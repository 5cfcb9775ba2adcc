package report

import (
	"fmt"
	"time"

	"github.com/bomrank/bomrank/advisory"
)

// SourceDate returns the date that says how old a source's data is: when
// it was captured (the newest file time of the source), or, when that is
// not known, its newest record modification date. ok is false when the
// source has neither.
func SourceDate(src advisory.Source) (date time.Time, ok bool) {
	if !src.Captured.IsZero() {
		return src.Captured.UTC(), true
	}
	if t, err := time.Parse(time.RFC3339, src.NewestModified); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// OldestSource returns the source of sources whose data is oldest (the
// earliest SourceDate; the first in order among equals) and that date. ok
// is false when no source has a date.
func OldestSource(sources []advisory.Source) (oldest advisory.Source, date time.Time, ok bool) {
	for _, src := range sources {
		if d, has := SourceDate(src); has && (!ok || d.Before(date)) {
			oldest, date, ok = src, d, true
		}
	}
	return oldest, date, ok
}

// AgeDays returns the whole days from date to asOf (24-hour days, rounded
// down), 0 when date is not before asOf.
func AgeDays(date, asOf time.Time) int {
	if !date.Before(asOf) {
		return 0
	}
	return int(asOf.Sub(date) / (24 * time.Hour))
}

// DataAge says how old the advisory data of a scan is: its oldest source
// (OldestSource of s.Sources) and that source's age in whole days at
// s.AsOf. ok is false when no source has a date or s.AsOf is zero. A
// warning about old data is made from it; a caller that wants the age at
// another time (the clock) uses OldestSource and the date it returns.
func DataAge(s *Scan) (oldest advisory.Source, days int, ok bool) {
	oldest, date, ok := OldestSource(s.Sources)
	if !ok || s.AsOf.IsZero() {
		return oldest, 0, false
	}
	return oldest, AgeDays(date, s.AsOf), true
}

// dataAgeLine is the line table, Markdown and HTML print about the age of
// the data: "advisory data as of 2025-12-20 (oldest source: osv, 13
// days)", the date being the oldest source's; without s.AsOf there is no
// age, and without a dated source no line (""). The kind is the caller's
// to sanitise for its format.
func dataAgeLine(s *Scan, kind func(string) string) string {
	oldest, date, ok := OldestSource(s.Sources)
	if !ok {
		return ""
	}
	line := fmt.Sprintf("advisory data as of %s (oldest source: %s", date.Format("2006-01-02"), kind(oldest.Kind))
	if !s.AsOf.IsZero() {
		line += ", " + plural(AgeDays(date, s.AsOf), "day")
	}
	return line + ")"
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// sourcesJSON returns feeds.sources: s.Sources with their ages at s.AsOf.
func sourcesJSON(s *Scan) []feedSourceJSON {
	out := make([]feedSourceJSON, 0, len(s.Sources))
	for _, src := range s.Sources {
		sj := feedSourceJSON{Kind: src.Kind, Path: src.Path, Records: src.Records, NewestModified: src.NewestModified}
		if !src.Captured.IsZero() {
			sj.Captured = src.Captured.UTC().Format(time.RFC3339)
		}
		if date, ok := SourceDate(src); ok && !s.AsOf.IsZero() {
			days := AgeDays(date, s.AsOf)
			sj.AgeDays = &days
		}
		out = append(out, sj)
	}
	return out
}

// toDBJSON returns feeds.db, nil without a database.
func toDBJSON(db *DBInfo) *dbJSON {
	if db == nil {
		return nil
	}
	dj := &dbJSON{Path: db.Path, Schema: db.Schema, Digest: db.Digest}
	if !db.Built.IsZero() {
		dj.Built = db.Built.UTC().Format(time.RFC3339)
	}
	return dj
}
