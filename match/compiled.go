package match

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/google/osv-scalibr/semantic"
)

// This file holds the compiled form of an OSV affected entry's ranges: the
// events parsed and sorted once per entry, shared by every component the
// entry is evaluated against.
//
// Why this layout: on the 600k-record workload (gen.py --records 600000
// --packages 120000 --sboms 2000) a scan evaluates some 5 million
// (component, entry) pairs over 600,000 entries, and the evaluation was
// bound by memory, not by comparisons: each entry's compiled ranges were
// five allocations (the slice box, the slice, the range, its events, its
// fixed versions), 540 bytes an entry in the allocation profile of the
// 100k bench, each event holding a whole Version (three strings, an
// interface and a fastKey), and evaluate read the range types from the
// advisory's own Ranges again. The CPU profile put a third of osvHits in
// loads that missed the cache (the pointer, the range slice, the events)
// and the compiled entries took about 320 MB. A compiledEntry is now one
// allocation of 288 bytes for the commonest entry (one range of at most
// two events), each event holds only what differs between events, and the
// range's ordering is decided once. Matching the 100k bench went from
// 146 MB and 2.19M allocations to 117 MB and 1.70M with this alone.

// evaluator evaluates advisory entries against installed versions. It
// compiles each entry once (events parsed and sorted in each range's
// ordering) and shares the compiled entries across goroutines: a scan
// compares many components with the same advisories.
type evaluator struct {
	// entries holds each index entry's compiled ranges, by Entry.Seq: a
	// slice of atomic pointers, because a concurrent map lookup per
	// evaluation cost as much as the evaluation itself. Two goroutines
	// may compile the same entry at once; both results are equal and
	// either is kept.
	entries []atomic.Pointer[compiledEntry]
	// forms gives the entries' stored forms when the index keeps them
	// (a database: see entryform.go), nil otherwise.
	forms index.CompiledForms
	// contents is the index's Contents (Matcher.contents).
	contents index.Contents
}

func newEvaluator(entries int) *evaluator {
	return &evaluator{entries: make([]atomic.Pointer[compiledEntry], entries)}
}

// compiledEntry is an affected entry's ranges, compiled; ranges is aligned
// with Affected.Ranges. A compiledEntry is immutable once built and is
// never copied (its slices may point into its own arrays).
type compiledEntry struct {
	// eco is Affected.Ecosystem and versions Affected.Versions (nil
	// when there are none): with the ranges, all that matching reads of
	// an entry, so that an index that decodes its entries on demand
	// (index.Candidates) decodes each once a scan, into a scratch
	// (evaluator.candidate). A pointer, not a slice, and the unknown
	// range type kept as the range's error: the entry stays in its size
	// class of 288 bytes (280 bytes; with a slice and the type's own
	// field, 320), which the 600k workload's 600,000 entries notice.
	// First, as every lookup reads eco (releaseMatches) and most go no
	// further: one cache line.
	eco      string
	versions *[]string
	ranges   []compiledRange
	one      [1]compiledRange // storage of ranges for an entry of one range
}

// explicit returns the entry's explicit versions.
func (ce *compiledEntry) explicit() []string {
	if ce.versions == nil {
		return nil
	}
	return *ce.versions
}

// compiledRange is a range's ordering and its events, parsed and sorted,
// or the reason they cannot be. It is never copied once built (events may
// point into two).
type compiledRange struct {
	// order is the ordering of the events (SemVer or the ecosystem);
	// "" for a GIT range and for a range of an unknown type, whose err
	// then says so.
	order string
	// eco and cmp are the Version fields shared by every event of the
	// range (see ParseVersion).
	eco, cmp string
	events   []event // sorted in the range's ordering
	err      error
	two      [2]event // storage of events for a range of one or two
}

// eventKind is the kind of a range event.
type eventKind uint8

const (
	introduced eventKind = iota
	fixed
	lastAffected
	limit
)

// String returns the kind as the OSV schema names it.
func (k eventKind) String() string {
	return [...]string{"introduced", "fixed", "last_affected", "limit"}[k]
}

// event is a range event with its parsed version: the fields of a Version
// that differ between the events of a range (compiledRange.version puts
// the Version back together).
type event struct {
	str  string           // Version.str
	v    semantic.Version // Version.v
	fk   fastKey          // Version.fk
	pos  int32            // place among the range's events as written
	kind eventKind
	zero bool // introduced "0": before every version
}

// version returns the Version of one of the range's events.
func (cr *compiledRange) version(e *event) Version {
	return Version{eco: cr.eco, cmp: cr.cmp, str: e.str, v: e.v, fk: e.fk}
}

// compare compares the installed version iv with an event's version, as
// iv.CompareVersion(cr.version(e)) does.
func (cr *compiledRange) compare(iv Version, e *event) (int, error) {
	if c, ok := fastCompare(&iv.fk, &e.fk); ok && iv.cmp == cr.cmp && iv.eco == cr.eco {
		return c, nil
	}
	return iv.CompareVersion(cr.version(e))
}

// compiled returns the entry's ranges compiled, once per entry.
func (ev *evaluator) compiled(e index.Entry, eco string, pc *parseCache) *compiledEntry {
	if e.Affected.Ecosystem == "" || e.Seq < 0 || e.Seq >= len(ev.entries) {
		// The order depends on the component, or the entry is not
		// from the index: do not cache.
		return compileEntry(e.Affected, eco, pc)
	}
	if c := ev.entries[e.Seq].Load(); c != nil {
		return c
	}
	c := compileEntry(e.Affected, eco, pc)
	ev.entries[e.Seq].Store(c)
	return c
}

// candidate returns entry seq of the index cr compiled: built from its
// stored form when the index keeps one (see entryform.go), in the
// worker's scratch (pc.formEntry: valid until the next call with pc),
// else decoding its affected package (into s) and compiling it the first
// time: nil if it does not decode. An entry whose package names no
// ecosystem is compiled for the component's, eco, and not kept (see
// compiled); its versions are then valid until the next call with s.
//
// Why a scratch, built at every call, rather than building each entry
// once and keeping it as the compiled entries are kept: the kept entry is
// 288 bytes of fresh memory per entry (28 MB a scan of the 100k
// workload), and reading it back, and the pointer to it, missed the
// cache at nearly every call; the form (34 bytes an entry) is read
// straight from the database. CPU of candidate per scan of the 100k
// workload (profiles of interleaved runs): decoding and compiling each
// entry once, 0.19-0.25 s; building each entry once from its form and
// keeping it, 0.20-0.24 s (its allocation 0.07 s); the scratch, with the
// forms in entry order, 0.15-0.23 s, and grouped by package (db/forms.go)
// 0.11-0.13 s.
func (ev *evaluator) candidate(cr index.Candidates, seq int, s *index.Scratch, eco string, pc *parseCache) *compiledEntry {
	form := ""
	if ev.forms != nil && pc != nil && seq >= 0 && seq < len(ev.entries) {
		form = ev.forms.CompiledForm(seq)
	}
	return ev.candidateForm(cr, seq, form, s, eco, pc)
}

// candidateForm is candidate given entry seq's stored form, "" for none
// (as CompiledForm gives it: osvCandidates reads the forms of a
// component's entries before it builds any, see there).
func (ev *evaluator) candidateForm(cr index.Candidates, seq int, form string, s *index.Scratch, eco string, pc *parseCache) *compiledEntry {
	keep := seq >= 0 && seq < len(ev.entries)
	if keep {
		if form != "" && pc != nil {
			if c := pc.formEntry(form); c != nil {
				return c
			}
		}
		if c := ev.entries[seq].Load(); c != nil {
			return c
		}
	}
	aff := cr.Affected(seq, s)
	if aff == nil {
		return nil
	}
	if aff.Ecosystem == "" {
		return compileEntry(aff, eco, pc)
	}
	// The ecosystem's text is the index's (a database's: somewhere in
	// its 30 MB), read again by every comparison of the entry's
	// ecosystem and of its versions' orderings (Version.eco and cmp are
	// substrings of it): the worker's one copy of it stays in the cache.
	// Comparing the database's copies was 0.12 s of CPU a scan of the
	// 100k workload, a third of releaseMatches, in cache misses.
	eco = pc.intern(aff.Ecosystem)
	c := compileEntry(aff, eco, pc)
	c.eco = eco
	if !keep {
		return c
	}
	if c.versions != nil {
		// The compiled entry outlives the scratch the package was
		// decoded into: its versions need a slice of their own (their
		// strings are the index's).
		vs := slices.Clip(slices.Clone(*c.versions))
		c.versions = &vs
	}
	ev.entries[seq].Store(c)
	return c
}

// compileEntry compiles every range of aff, for a component of ecosystem
// eco where aff names none.
func compileEntry(aff *advisory.Affected, eco string, pc *parseCache) *compiledEntry {
	ce := new(compiledEntry)
	compileEntryInto(ce, aff, eco, pc)
	return ce
}

// compileEntryInto is compileEntry into ce, which must be zero.
func compileEntryInto(ce *compiledEntry, aff *advisory.Affected, eco string, pc *parseCache) {
	ce.eco = aff.Ecosystem
	if len(aff.Versions) > 0 {
		ce.versions = &aff.Versions
	}
	if len(aff.Ranges) == 1 {
		ce.ranges = ce.one[:]
	} else {
		ce.ranges = make([]compiledRange, len(aff.Ranges))
	}
	for i := range aff.Ranges {
		r, cr := &aff.Ranges[i], &ce.ranges[i]
		order, known := rangeOrder(r, eco)
		switch {
		case order != "":
			compileRange(cr, order, r, pc)
		case !known:
			cr.err = fmt.Errorf("range type %q is not known", r.Type)
		}
	}
}

// compileRange parses the events of r in the ordering order into cr, in
// place, and sorts them.
func compileRange(cr *compiledRange, order string, r *advisory.Range, pc *parseCache) {
	cr.order = order
	fp := newFastParser(order)
	cr.events = cr.two[:0]
	if len(r.Events) > len(cr.two) {
		cr.events = make([]event, 0, len(r.Events))
	}
	for i, e := range r.Events {
		var evt event
		var raw string
		switch {
		case e.Introduced != "":
			evt.kind, raw = introduced, e.Introduced
			if e.Introduced == "0" {
				evt.zero, evt.pos = true, int32(i)
				cr.events = append(cr.events, evt)
				continue
			}
		case e.Fixed != "":
			evt.kind, raw = fixed, e.Fixed
		case e.LastAffected != "":
			evt.kind, raw = lastAffected, e.LastAffected
		case e.Limit != "":
			if e.Limit == "*" {
				continue // no limit
			}
			evt.kind, raw = limit, e.Limit
		default:
			continue
		}
		v, ok := fp.parse(raw)
		if !ok {
			var err error
			if v, err = pc.parse(order, raw); err != nil {
				cr.err = eventError(order, evt.kind, raw, err)
				return
			}
		}
		cr.eco, cr.cmp = v.eco, v.cmp
		evt.str, evt.v, evt.fk, evt.pos = v.str, v.v, v.fk, int32(i)
		cr.events = append(cr.events, evt)
	}
	cr.sort()
}

// eventError says why an advisory's event version cannot be read.
func eventError(order string, kind eventKind, raw string, err error) error {
	var iv *invalidVersion
	switch {
	case errors.Is(err, ErrNoComparator):
		return fmt.Errorf("no version ordering for ecosystem %q", BaseEcosystem(order))
	case errors.As(err, &iv):
		return errors.New(iv.describe("the advisory's " + kind.String() + " version"))
	}
	return fmt.Errorf("%s version %q of the advisory cannot be read in %s order", kind, raw, order)
}

// sort sorts the events in the range's ordering, "introduced 0" first; a
// comparison that fails is the range's error.
func (cr *compiledRange) sort() {
	less := func(a, b *event) bool {
		if a.zero || b.zero {
			return a.zero && !b.zero
		}
		c, err := cr.version(a).CompareVersion(cr.version(b))
		if err != nil && cr.err == nil {
			cr.err = err
		}
		return c < 0
	}
	// Most ranges are written in order (introduced, then fixed): check
	// before sorting.
	sorted := true
	for i := 1; i < len(cr.events) && sorted; i++ {
		sorted = !less(&cr.events[i], &cr.events[i-1])
	}
	if !sorted {
		sort.SliceStable(cr.events, func(i, j int) bool { return less(&cr.events[i], &cr.events[j]) })
	}
}

// contains evaluates the range for the installed version, per the OSV
// schema: walking the sorted events, an introduced at or below the version
// makes it vulnerable, a fixed at or below it (or a last_affected below
// it) makes it safe again. A limit at or below the version ends the range.
//
// An installed version that cannot be read leaves the answer open, and
// gives the error, unless the range affects every version (its only
// events are introduced "0").
func (cr *compiledRange) contains(inst *installed) (bool, error) {
	iv, err := inst.in(cr.order)
	if err != nil {
		if cr.err == nil && cr.everyVersion() {
			return true, nil
		}
		return false, err
	}
	if cr.err != nil {
		return false, cr.err
	}
	vulnerable := false
	for i := range cr.events {
		e := &cr.events[i]
		if e.zero {
			vulnerable = true
			continue
		}
		c, err := cr.compare(iv, e)
		if err != nil {
			return false, err
		}
		switch e.kind {
		case introduced:
			if c >= 0 {
				vulnerable = true
			}
		case fixed:
			if c >= 0 {
				vulnerable = false
			}
		case lastAffected:
			if c > 0 {
				vulnerable = false
			}
		case limit:
			if c >= 0 {
				return false, nil
			}
		}
	}
	return vulnerable, nil
}

// everyVersion reports whether the range affects every version of the
// package: it has events, and each one is introduced "0".
func (cr *compiledRange) everyVersion() bool {
	for _, e := range cr.events {
		if !e.zero {
			return false
		}
	}
	return len(cr.events) > 0
}

// withFixed adds the smallest fixed version above the installed one, over
// every range of the entry (a vulnerability fixed on several branches has
// several fixed events). Of two fixed versions of a range that compare
// equal ("1.0" and "1.0.0"), the one written first is given.
func withFixed(v verdict, inst *installed, ce *compiledEntry) verdict {
	var (
		best   Version
		bestCR *compiledRange
		bestAt int32
	)
	for i := range ce.ranges {
		cr := &ce.ranges[i]
		if cr.order == "" {
			continue
		}
		iv, err := inst.in(cr.order)
		if err != nil {
			continue
		}
		for j := range cr.events {
			fe := &cr.events[j]
			if fe.kind != fixed || fe.zero {
				continue
			}
			fv := cr.version(fe)
			if c, err := fv.CompareVersion(iv); err != nil || c <= 0 {
				continue
			}
			if best.String() == "" {
				best, bestCR, bestAt = fv, cr, fe.pos
				continue
			}
			if c, err := fv.CompareVersion(best); err == nil && (c < 0 || c == 0 && cr == bestCR && fe.pos < bestAt) {
				best, bestCR, bestAt = fv, cr, fe.pos
			}
		}
	}
	v.fixed = best.String()
	return v
}
