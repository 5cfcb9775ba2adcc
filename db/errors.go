package db

import (
	"errors"
	"fmt"
)

// The reasons a database cannot be used or built. An *Error wraps one of
// them (errors.Is finds it); SchemaError carries the two versions.
var (
	// ErrNotDB: the file is not a bomrank database (wrong magic number,
	// too short to hold a header).
	ErrNotDB = errors.New("not a bomrank database")
	// ErrTruncated: the file is shorter than its header says.
	ErrTruncated = errors.New("truncated")
	// ErrCorrupt: a checksum or the digest does not match, or a section
	// does not decode.
	ErrCorrupt = errors.New("corrupt")
	// ErrLocked: another build holds the database's lock.
	ErrLocked = errors.New("another build holds the lock")
	// ErrNoData: a build read no advisory, KEV or EPSS data at all.
	ErrNoData = errors.New("no advisory data read")
)

// Error is a database that could not be opened, verified or built.
type Error struct {
	// Path is the database file (or its lock file, for ErrLocked).
	Path string
	// Err is the reason: wraps ErrNotDB, ErrTruncated, ErrCorrupt,
	// ErrLocked, ErrNoData, a *SchemaError, or an error of the file
	// system.
	Err error
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("database %s: %v", e.Path, e.Err) }

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// SchemaError is a database written with another schema version than the
// one this bomrank reads.
type SchemaError struct {
	// Have is the file's schema version, Want the one this bomrank reads.
	Have, Want uint32
}

// Error implements error.
func (e *SchemaError) Error() string {
	return fmt.Sprintf("built by schema %d, this bomrank reads %d: rebuild it with `bomrank db build`", e.Have, e.Want)
}

func fail(path string, err error) *Error { return &Error{Path: path, Err: err} }

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}
