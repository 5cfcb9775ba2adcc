package index

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/advcodec"
)

// store holds every record an index refers to, by number: the indexed
// records first (numbers 0 to Memory.nsel-1, in ID order), then the VEX
// statements and replaced copies that are not indexed records. The
// lookup tables hold record numbers, never pointers, and resolve them
// here: an index built by New has every record in memory already; one
// read by Decode decodes a record the first time a lookup returns it.
// That is what keeps one copy of the lookup code for both.
type store struct {
	recs []atomic.Pointer[advisory.Advisory]

	// Decoded form only (encoded set): record i is
	// data[off(i):off(i+1)], with the offsets (len(recs)+1 little-endian
	// uint32s, checked increasing by Decode) in offs. A decoded record's
	// strings are substrings of data.
	encoded bool
	data    string
	offs    string
	docs    *advcodec.Documents
	// affs holds each entry's affected package decoded on its own, by
	// entry number (partial.go).
	affs []atomic.Pointer[advisory.Affected]

	mu    sync.Mutex
	errs  []error // the first few record errors
	nerrs int
}

// bad marks a record that did not decode; it is never handed out.
var bad = new(advisory.Advisory)

// maxErrs bounds the record errors kept for Err.
const maxErrs = 10

// newStore returns a store of records already in memory.
func newStore(advs []*advisory.Advisory) *store {
	s := &store{recs: make([]atomic.Pointer[advisory.Advisory], len(advs))}
	for i, a := range advs {
		s.recs[i].Store(a)
	}
	return s
}

func (s *store) len() int { return len(s.recs) }

// off returns the offset of record i in data.
func (s *store) off(i int) uint32 {
	b := s.offs[4*i : 4*i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func (s *store) raw(i int) string { return s.data[s.off(i):s.off(i+1)] }

// get returns record i, decoding it the first time, or nil when it does
// not decode (the error is kept for Err). Concurrent first calls may both
// decode it; one result wins and every caller gets that one, so a record
// is one pointer for the index's life.
func (s *store) get(i int) *advisory.Advisory {
	p := &s.recs[i]
	a := p.Load()
	if a == nil {
		var err error
		a, err = advcodec.DecodeAdvisoryString(s.raw(i), s.docs)
		if err != nil {
			a = bad
		}
		if p.CompareAndSwap(nil, a) {
			if err != nil {
				s.fail(i, err)
			}
		} else {
			a = p.Load()
		}
	}
	if a == bad {
		return nil
	}
	return a
}

func (s *store) fail(i int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nerrs++
	if len(s.errs) < maxErrs {
		id, _ := advcodec.PeekID(s.raw(i))
		s.errs = append(s.errs, fmt.Errorf("index: record %d (%q) does not decode: %w", i, id, err))
	}
}

// badRef records that a table refers to part n (of the given kind) of
// record a, which has no such part: the data was corrupted. A nil a has
// its error recorded already.
func (s *store) badRef(a *advisory.Advisory, kind string, n uint32) {
	if a == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nerrs++
	if len(s.errs) < maxErrs {
		s.errs = append(s.errs, fmt.Errorf("index: a table refers to %s %d of record %q, which has fewer", kind, n, a.ID))
	}
}

// err returns the record errors met so far, nil when none.
func (s *store) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	errs := slices.Clone(s.errs)
	if s.nerrs > len(errs) {
		errs = append(errs, fmt.Errorf("index: %d more records do not decode", s.nerrs-len(errs)))
	}
	return errors.Join(errs...)
}

// id returns the ID of record i without decoding the record.
func (s *store) id(i int) string {
	if a := s.recs[i].Load(); a != nil && a != bad {
		return a.ID
	}
	if !s.encoded {
		return ""
	}
	id, _ := advcodec.PeekID(s.raw(i))
	return id
}

// search returns the first of records 0 to n-1 (sorted by ID) with the
// given ID, or -1.
func (s *store) search(n int, id string) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if strings.Compare(s.id(m), id) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < n && s.id(lo) == id {
		return lo
	}
	return -1
}

// all returns records 0 to n-1 that decode.
func (s *store) all(n int) []*advisory.Advisory {
	out := make([]*advisory.Advisory, 0, n)
	for i := range n {
		if a := s.get(i); a != nil {
			out = append(out, a)
		}
	}
	return out
}

// Err returns the errors of records that could not be decoded when a
// lookup (or Advisories, Inputs, Replacements) first needed them, nil if
// none. Such records are left out of every answer. An index built by New
// never has any; one read by Decode may, if its data was corrupted after
// it was written (Decode checks the tables, not each record).
func (ix *Memory) Err() error { return ix.st.err() }

// Verify decodes every record the index holds and resolves every
// reference of its lookup tables, and returns Err: the whole check a
// database's verification needs (Decode checks the form of the tables,
// and a lookup decodes only what it returns). For an index built by New
// it finds nothing.
func (ix *Memory) Verify() error {
	for i := range ix.st.len() {
		ix.st.get(i)
	}
	for _, l := range ix.byPkg {
		lookup(ix, l, (*Memory).resolveEntries)
	}
	for _, l := range ix.byPURL {
		lookup(ix, l, (*Memory).resolveEntries)
	}
	for _, l := range ix.cpe.byVP {
		lookup(ix, l, (*Memory).resolveCPE)
	}
	for _, l := range ix.csaf.byName {
		lookup(ix, l, (*Memory).csafEntries)
	}
	for _, m := range []map[string]*csafList{ix.csaf.byModel, ix.csaf.byPURL, ix.csaf.byCPE, ix.csaf.byHash} {
		for _, l := range m {
			lookup(ix, l, (*Memory).csafEntries)
		}
	}
	for _, g := range ix.csaf.globs {
		ix.resolveCSAF(nil, []csafRef{g.csafRef})
	}
	for _, m := range []map[string]*vexList{ix.vex.byPURL, ix.vex.byCPE, ix.vex.byHash, ix.vex.bySer, ix.vex.byURI} {
		for _, l := range m {
			lookup(ix, l, (*Memory).vexEntries)
		}
	}
	ix.Replacements()
	return ix.Err()
}
