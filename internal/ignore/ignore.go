package ignore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/walk"
	"go.yaml.in/yaml/v2"
)

// DefaultName is the ignore file read from the working directory when no
// other is named.
const DefaultName = ".bomrank.yaml"

// MaxBytes caps the size of an ignore file, MaxEntries the number of its
// entries and MaxField the length of any of an entry's texts.
const (
	MaxBytes   = 1 << 20
	MaxEntries = 10000
	MaxField   = 4096
)

// Entry is one accepted finding (or set of findings) of the file.
type Entry struct {
	// ID is the finding's id or any of its aliases (compared without
	// regard to case).
	ID string
	// Device, when set, limits the entry to the devices with that name,
	// id or asset id; Component to the components with that purl (a
	// purl without a version matches every version) or name.
	Device, Component string
	// Reason says why the finding is accepted; By who accepted it.
	Reason, By string
	// Until is the last day the entry holds (UTC midnight); zero for
	// no end.
	Until time.Time
	// N is the entry's position in the file's list, from 1.
	N int
}

// File is an ignore file that was read.
type File struct {
	// Path is the file it was read from.
	Path string
	// Entries lists its entries in the file's order.
	Entries []Entry
}

// Error is an ignore file that cannot be used: missing, too large, not
// YAML of the expected shape, or an entry without an id or a reason.
type Error struct {
	Path string
	Err  error
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("ignore file %s: %v", e.Path, e.Err) }

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Load reads the ignore file at path (a regular file of at most
// MaxBytes). Every error is an *Error naming the file.
func Load(path string) (*File, error) {
	data, err := walk.ReadFile(path, MaxBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Path: path, Err: errors.New("no such file")}
		}
		return nil, &Error{Path: path, Err: walk.UnwrapPath(err)}
	}
	entries, err := Parse(data)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return &File{Path: path, Entries: entries}, nil
}

// fileYAML is the file's shape.
type fileYAML struct {
	Ignore []entryYAML `yaml:"ignore"`
}

type entryYAML struct {
	ID        string `yaml:"id"`
	Device    string `yaml:"device"`
	Component string `yaml:"component"`
	Reason    string `yaml:"reason"`
	Until     string `yaml:"until"`
	By        string `yaml:"by"`
}

// Parse reads the entries of an ignore file from its YAML text: strict
// (unknown keys are errors), at most MaxEntries entries, each with an id
// and a reason, its until a date (YYYY-MM-DD). An empty file has no
// entries.
func Parse(data []byte) ([]Entry, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("more than %d bytes", MaxBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var fy fileYAML
	if err := yaml.UnmarshalStrict(data, &fy); err != nil {
		return nil, err
	}
	if len(fy.Ignore) > MaxEntries {
		return nil, fmt.Errorf("%d entries, more than %d", len(fy.Ignore), MaxEntries)
	}
	out := make([]Entry, 0, len(fy.Ignore))
	for i, ey := range fy.Ignore {
		e, err := ey.entry(i + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// entry checks one entry of the list, the n-th.
func (ey entryYAML) entry(n int) (Entry, error) {
	e := Entry{
		ID: strings.TrimSpace(ey.ID), Device: strings.TrimSpace(ey.Device), Component: strings.TrimSpace(ey.Component),
		Reason: strings.TrimSpace(ey.Reason), By: strings.TrimSpace(ey.By), N: n,
	}
	where := fmt.Sprintf("ignore entry %d", n)
	if e.ID != "" {
		where += fmt.Sprintf(" (id %q)", clip(e.ID))
	}
	for _, s := range []string{e.ID, e.Device, e.Component, e.Reason, e.By, ey.Until} {
		if len(s) > MaxField {
			return Entry{}, fmt.Errorf("%s: a value longer than %d bytes", where, MaxField)
		}
	}
	switch {
	case e.ID == "":
		return Entry{}, fmt.Errorf("%s: no id (the finding's id or an alias)", where)
	case e.Reason == "":
		return Entry{}, fmt.Errorf("%s: no reason: say why the finding is accepted", where)
	}
	if u := strings.TrimSpace(ey.Until); u != "" {
		t, err := time.Parse("2006-01-02", u)
		if err != nil {
			return Entry{}, fmt.Errorf("%s: until %q is not a date (YYYY-MM-DD)", where, clip(u))
		}
		e.Until = t
	}
	return e, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
