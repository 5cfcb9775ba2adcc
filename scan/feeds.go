package scan

import (
	"context"
	"slices"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/report"
)

// feedSide is the advisory side of a scan, read from feed files or from a
// database (with feed files on top).
type feedSide struct {
	ix         index.Reader
	replaced   []index.Replacement
	kev        []advisory.KEV
	epss       []advisory.EPSS
	errors     []*advisory.LoadError
	advisories int
	documents  []advisory.Document
	sources    []advisory.Source
	db         *report.DBInfo
	handle     *db.DB
	err        error // the database could not be opened
}

// loadFeeds reads the advisory side as cfg says.
func loadFeeds(ctx context.Context, cfg Config) *feedSide {
	d := cfg.DB
	if d == nil && cfg.DBPath != "" {
		var err error
		open := db.Open
		if cfg.MapDB {
			open = db.OpenMapped
		}
		if d, err = open(cfg.DBPath); err != nil {
			return &feedSide{err: err}
		}
		if cfg.OpenedDB != nil {
			if err := cfg.OpenedDB(d); err != nil {
				d.Close()
				return &feedSide{err: err}
			}
		}
	}
	var extra *advisory.LoadResult
	if d == nil || len(cfg.Advisories) > 0 {
		extra = advisory.Options{Workers: cfg.Workers, Progress: cfg.Progress.Feeds}.Load(ctx, cfg.Advisories...)
	}
	if d == nil {
		ix := index.New(extra.Advisories)
		return &feedSide{
			ix: ix, replaced: ix.Replacements(), kev: extra.KEV, epss: extra.EPSS, errors: extra.Errors,
			advisories: len(extra.Advisories), documents: rank.Documents(extra.Advisories), sources: extra.Sources,
		}
	}
	return fromDB(d, extra)
}

// dbError is the database's record that failed to decode during the
// scan, as a feed error (the scan may have missed its findings), or nil.
func (f *feedSide) dbError() *advisory.LoadError {
	if f.handle == nil {
		return nil
	}
	if err := f.handle.Err(); err != nil {
		return &advisory.LoadError{Path: f.handle.Path(), Err: err}
	}
	return nil
}

// fromDB is the advisory side read from a database, with the feeds read
// on top of it (extra, nil when none).
func fromDB(d *db.DB, extra *advisory.LoadResult) *feedSide {
	m := d.Meta()
	f := &feedSide{
		ix: d, replaced: d.Replacements(), kev: d.KEV(), epss: d.EPSS(), errors: m.LoadErrors(),
		advisories: m.Advisories, documents: m.Documents, sources: m.Sources,
		db:     &report.DBInfo{Path: d.Path(), Schema: db.Schema, Built: m.Built, Digest: d.Digest()},
		handle: d,
	}
	if extra == nil {
		return f
	}
	ix := index.New(append(d.Inputs(), extra.Advisories...))
	f.ix = ix
	f.replaced = slices.Concat(f.replaced, ix.Replacements())
	f.kev = slices.Concat(f.kev, extra.KEV)
	f.epss = slices.Concat(f.epss, extra.EPSS)
	f.errors = slices.Concat(f.errors, extra.Errors)
	f.advisories += len(extra.Advisories)
	f.sources = slices.Concat(f.sources, extra.Sources)
	// rank.Documents orders and de-duplicates: give it the database's
	// documents as records of their own, then the new ones.
	docs := make([]*advisory.Advisory, 0, len(m.Documents)+len(extra.Advisories))
	for i := range m.Documents {
		docs = append(docs, &advisory.Advisory{Document: &m.Documents[i]})
	}
	f.documents = rank.Documents(append(docs, extra.Advisories...))
	return f
}
