package db

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bomrank/bomrank/advisory"
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

// TODO(advcodec): KEV and EPSS are gob-encoded until internal/advcodec's
// AppendKEV/DecodeKEV and AppendEPSS/DecodeEPSS land; the schema stays 1
// since no database has been released with this form.

func encodeKEV(kev []advisory.KEV) ([]byte, error) { return gobEncode(kev) }

func encodeEPSS(epss []advisory.EPSS) ([]byte, error) { return gobEncode(epss) }

func decodeKEV(data []byte) ([]advisory.KEV, error) {
	var kev []advisory.KEV
	return kev, gobDecode(data, &kev)
}

func decodeEPSS(data []byte) ([]advisory.EPSS, error) {
	var epss []advisory.EPSS
	return epss, gobDecode(data, &epss)
}

func gobEncode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gobDecode decodes data into v; gob does not panic on bad input, it
// returns an error.
func gobDecode(data []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

func decodeMeta(data []byte) (*Meta, error) {
	m := &Meta{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, corrupt("section meta: %v", err)
	}
	return m, nil
}
