package db

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/advcodec"
)

// Meta is what a database records besides the index: its provenance and
// what a scan from it reports as a scan of the feeds would.
type Meta struct {
	// Built is when the database was built (BuildOptions.Now) and Version
	// the bomrank version that built it.
	Built   time.Time `json:"built"`
	Version string    `json:"bomrank_version"`
	// Feeds lists the paths the build read, as given.
	Feeds []string `json:"feeds"`
	// Sources describes each source read: kind, path, records, newest
	// modified date, SHA-256 of its bytes, capture time
	// (advisory.LoadResult.Sources with Options.Digest).
	Sources []advisory.Source `json:"sources"`
	// Advisories is the number of records read (withdrawn and replaced
	// ones included: what a scan of the feeds counts), Records the number
	// of vulnerability records indexed.
	Advisories int `json:"advisories"`
	Records    int `json:"records"`
	// KEV and EPSS count the KEV entries and EPSS scores stored.
	KEV  int `json:"kev"`
	EPSS int `json:"epss"`
	// Documents lists the CSAF and VEX documents read (rank.Documents).
	Documents []advisory.Document `json:"documents"`
	// Errors lists the feed inputs that could not be read, and Ignored
	// what was passed over; a scan from the database reports Errors as a
	// scan of the feeds does.
	Errors  []LoadError `json:"errors"`
	Ignored []LoadError `json:"ignored"`
	// Origins says where the data under feed paths was fetched from
	// (BuildOptions.Origins; `bomrank db update` sets it, `db build`
	// does not: absent from the JSON then, so such databases keep their
	// bytes).
	Origins []Origin `json:"origins,omitempty"`
}

// Origin is where the data under one feed path was fetched from and
// what checked it: the provenance `bomrank db update` records per
// source.
type Origin struct {
	// Path is the feed path as given in BuildOptions.Feeds.
	Path string `json:"path"`
	// URL is where it was fetched from.
	URL string `json:"url"`
	// Fetched is the last successful fetch of the whole source (zero
	// when it never succeeded: the data is what an earlier, partial
	// update stored).
	Fetched time.Time `json:"fetched"`
	// Verification says in words what was checked, and what was not.
	Verification string `json:"verification"`
}

// LoadError is an advisory.LoadError as the database keeps it: the path
// and the message.
type LoadError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

func loadErrors(errs []*advisory.LoadError) []LoadError {
	out := make([]LoadError, len(errs))
	for i, e := range errs {
		out[i] = LoadError{Path: e.Path, Error: fmt.Sprint(e.Err)}
	}
	return out
}

// LoadErrors returns the load errors recorded at build time as
// *advisory.LoadError values with the same messages (errors.Is no longer
// finds the original causes in them).
func (m *Meta) LoadErrors() []*advisory.LoadError {
	out := make([]*advisory.LoadError, len(m.Errors))
	for i, e := range m.Errors {
		out[i] = &advisory.LoadError{Path: e.Path, Err: errors.New(e.Error)}
	}
	return out
}

// KEV and EPSS are written with internal/advcodec (a real EPSS file has
// about 300,000 scores: gob took 2-3x the bytes and time of the codec for
// advisories, see advcodec's doc).

func encodeKEV(kev []advisory.KEV) ([]byte, error) { return advcodec.AppendKEV(nil, kev), nil }

func encodeEPSS(epss []advisory.EPSS) ([]byte, error) { return advcodec.AppendEPSS(nil, epss), nil }

func decodeKEV(data []byte) ([]advisory.KEV, error) { return advcodec.DecodeKEV(data) }

func decodeEPSS(data []byte) ([]advisory.EPSS, error) { return advcodec.DecodeEPSS(data) }

func decodeMeta(data []byte) (*Meta, error) {
	m := &Meta{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, corrupt("section meta: %v", err)
	}
	return m, nil
}
