package update

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/bomrank/bomrank/internal/csafsync"
	"github.com/bomrank/bomrank/internal/walk"
)

// stateFile is the state's name in the staging area.
const stateFile = "state.json"

// maxState caps the size of state.json (a CSAF provider with 10,000
// documents takes a few megabytes).
const maxState = 256 << 20

// State is what the staging area remembers between updates.
type State struct {
	// Sources holds each source's state by its name ("osv", "nvd",
	// "kev", "epss", "csaf/<host>").
	Sources map[string]*SourceState `json:"sources"`
}

// SourceState is one source's state.
type SourceState struct {
	// Kind is the source's kind, URL where it is fetched from.
	Kind string `json:"kind"`
	URL  string `json:"url"`
	// Fetched is the end of the last update in which the whole source was
	// fetched and verified; Attempted that of the last try.
	Fetched   time.Time `json:"fetched,omitzero"`
	Attempted time.Time `json:"attempted,omitzero"`
	// Verification says what the last successful update checked.
	Verification string `json:"verification,omitempty"`
	// Error is why the last try failed ("" when it did not).
	Error string `json:"error,omitempty"`
	// Files holds each stored file by its path in the source's folder.
	Files map[string]*FileState `json:"files,omitempty"`
	// Refused lists the documents refused by the last try.
	Refused []Refusal `json:"refused,omitempty"`
	// CSAF is the provider's sync state (CSAF sources only).
	CSAF *csafsync.State `json:"csaf,omitempty"`
	// APIUntil is the end of the last NVD API window fetched (NVD with
	// an API key only).
	APIUntil time.Time `json:"api_until,omitzero"`
}

// FileState is one stored file: where it came from and its validators.
type FileState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	CRC32C       string    `json:"crc32c,omitempty"`
	SHA256       string    `json:"sha256,omitempty"`
	Size         int64     `json:"size"`
	Fetched      time.Time `json:"fetched"`
}

// Refusal is a document not stored, and why.
type Refusal struct {
	URL     string `json:"url"`
	Release string `json:"release,omitempty"`
	Reason  string `json:"reason"`
}

// loadState reads the staging area's state; an absent file is an empty
// state.
func loadState(root string) (*State, error) {
	path := filepath.Join(root, stateFile)
	s := &State{Sources: map[string]*SourceState{}}
	data, err := walk.ReadFile(path, maxState)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, walk.UnwrapPath(err))
	}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("%s: %v (remove it to fetch everything again)", path, err)
	}
	if s.Sources == nil {
		s.Sources = map[string]*SourceState{}
	}
	return s, nil
}

// save writes the state atomically: to a temporary file, flushed, then
// renamed over state.json.
func (s *State) save(root string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return walk.WriteFile(filepath.Join(root, stateFile), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// source returns the state of the source named name, made when absent.
func (s *State) source(name, kind, url string) *SourceState {
	st := s.Sources[name]
	if st == nil {
		st = &SourceState{}
		s.Sources[name] = st
	}
	st.Kind, st.URL = kind, url
	if st.Files == nil {
		st.Files = map[string]*FileState{}
	}
	return st
}
