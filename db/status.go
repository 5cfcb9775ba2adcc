package db

import (
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
)

// Status is what `bomrank db status` prints about a database.
type Status struct {
	// Path is the file, Size its size in bytes.
	Path string
	Size int64
	// Schema is the schema version, Built the build time, Version the
	// bomrank version that built it, Digest its "sha256:..." digest.
	Schema  int
	Built   time.Time
	Version string
	Digest  string
	// Sources describes each source the database was built from.
	Sources []advisory.Source
	// Advisories, Records, KEV and EPSS count what was read and stored
	// (see Meta).
	Advisories, Records, KEV, EPSS int
	// Errors lists the feed inputs the build could not read.
	Errors []LoadError
	// Origins says where the feeds were fetched from (Meta.Origins).
	Origins []Origin
}

// Origin returns the origin recorded for a source's path (its own, or
// that of a feed path holding it), and whether there is one.
func (s *Status) Origin(path string) (Origin, bool) {
	for _, o := range s.Origins {
		if o.Path == path || strings.HasPrefix(path, strings.TrimSuffix(o.Path, "/")+"/") {
			return o, true
		}
	}
	return Origin{}, false
}

// Status returns what the database records about itself.
func (d *DB) Status() Status {
	m := d.meta
	return Status{
		Path: d.path, Size: int64(len(d.data)), Schema: Schema, Built: m.Built, Version: m.Version,
		Digest: d.Digest(), Sources: m.Sources, Advisories: m.Advisories, Records: m.Records,
		KEV: m.KEV, EPSS: m.EPSS, Errors: m.Errors, Origins: m.Origins,
	}
}
