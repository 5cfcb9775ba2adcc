package membudget

import (
	"errors"
	"fmt"
	"runtime"
)

// Why a lane and not the Budget for memory that grows while a document is
// read: a reader that streams (or reads the whole file before it knows
// what it holds) learns its cost only as it goes, and workers that each
// hold part of a shared budget while waiting for more can wait for each
// other for ever. A Lane never makes a worker wait while it holds more
// than its small share: every document may use Small bytes freely, and
// only the one document holding the lane may grow beyond, up to Max.
// The one holding the lane never waits for anything, so all finish; at
// most workers*Small + Max bytes are in use; and whether a document is
// read never depends on what else is being read (it is refused only when
// it alone needs more than Max).

// ErrOver is what Meter.Add's error is (errors.Is): a document would
// need more than the lane's maximum.
var ErrOver = errors.New("over the memory limit of one document")

type overError string

func (e overError) Error() string        { return string(e) }
func (e overError) Is(target error) bool { return target == ErrOver }

// Lane lets one document at a time grow beyond a small share.
type Lane struct {
	// Small is what each document may use without the lane, Max what
	// the document holding the lane may use.
	Small, Max int64
	token      chan struct{}
}

// NewLane returns a lane of the given shares.
func NewLane(small, maxBytes int64) *Lane {
	return &Lane{Small: small, Max: maxBytes, token: make(chan struct{}, 1)}
}

// DefaultLane is the lane the readers of this process share: eight
// workers at 16 MiB and one at 384 MiB hold at most 512 MiB.
var DefaultLane = NewLane(16<<20, 384<<20)

// Meter counts what one document uses. It is not safe for concurrent use;
// Release it when the document is done with.
type Meter struct {
	lane *Lane
	what string
	used int64
	held bool
}

// Meter returns a meter for the document described by what (used in
// errors).
func (l *Lane) Meter(what string) *Meter { return &Meter{lane: l, what: what} }

// Add counts n more bytes. Crossing Small waits for the lane; crossing
// Max is an error (and the meter stays below it).
func (m *Meter) Add(n int64) error {
	if m.used+n > m.lane.Max {
		return overError(fmt.Sprintf("%s would need more than %d MiB of memory to read (bomrank's limit for one document)", m.what, m.lane.Max>>20))
	}
	m.used += n
	if m.used > m.lane.Small && !m.held {
		m.lane.token <- struct{}{}
		m.held = true
	}
	return nil
}

// Used returns the bytes counted so far.
func (m *Meter) Used() int64 { return m.used }

// Release gives the lane back if the meter holds it, collecting garbage
// first: a document that grew past its small share leaves as much
// garbage (its bytes, its buffers' earlier copies, a decoder's
// structures), and the next document to take the lane would grow on top
// of it until the collector's next cycle, which the runtime sets at
// twice the live heap (measured: eight OSV bombs at 1.53 GiB of peak
// resident memory without the collection, see TestBombMemory). A second
// call does nothing.
func (m *Meter) Release() {
	if m.held {
		m.held = false
		runtime.GC()
		<-m.lane.token
	}
}
