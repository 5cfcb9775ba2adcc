// Package entryform carries the matcher's compiled form of OSV affected
// entries between package match, which defines it, and package db, which
// stores it: a database stores each entry's matching form compiled at
// build time (its versions and range events parsed, sorted and keyed), so
// that a scan does not decode and compile every entry it touches again.
//
// Why a registry and not an import: match's tests read databases, so db
// must not import match; and the form is match's (its ordering rules,
// its fast keys, its sort), which db should not know. match registers its
// Codec when it is linked in (as the bomrank command always links it);
// a program that builds databases without match writes none of the forms,
// and a scan then compiles every entry from its record, as before.
package entryform

import (
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
)

// Codec is the matcher's compiled form of an affected entry.
type Codec struct {
	// Version names the form and the rules it was compiled with (it
	// changes whenever a fresh compile of some entry would give other
	// bytes); a database stores it, and its forms are used only by a
	// matcher of the same version. Never 0 (a database built without a
	// Codec stores 0).
	Version uint64
	// Append appends the compiled form of aff to b, and false (with b
	// unchanged) when the entry's form cannot be stored: its ordering
	// depends on the component (no ecosystem), or a range of it does not
	// compile (the scan compiles it and reports why). The bytes depend
	// only on aff.
	Append func(b []byte, aff *advisory.Affected) ([]byte, bool)
}

var current atomic.Pointer[Codec]

// Register makes c the Codec that databases are built and checked with
// (package match registers its own when linked in).
func Register(c *Codec) { current.Store(c) }

// Current returns the registered Codec, nil when none is.
func Current() *Codec { return current.Load() }
