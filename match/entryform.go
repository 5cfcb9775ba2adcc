package match

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/entryform"
)

// This file holds the stored form of a compiled entry (see compiled.go):
// what a database built by `bomrank db build` keeps of each OSV affected
// entry, so that a scan builds the entry's compiledEntry from it without
// decoding the affected package from its record and compiling it (events
// parsed, keyed and sorted) again. Package db stores the forms (one per
// entry number) and hands them back through index.CompiledForms; the
// form itself is this package's, registered with internal/entryform.
//
// Why: a scan of the 100k workload (`bomrank scan --db`) touches nearly
// every entry of the database once; decoding each one's affected package
// from the record (skipping the record's other fields) took 0.115 s of
// CPU a scan and compiling it 0.085 s, of the 1.3-1.5 s of the scan. The
// entry is built from its form at every evaluation, in the worker's
// scratch (formEntry; evaluator.candidate says why and what it measured:
// candidate 0.12-0.19 s a scan before, 0.06-0.11 s with the forms). A
// version without a fastKey is parsed there with the worker's parseCache
// (a map lookup), since semantic's values have no stored form.
//
// The form, every integer an unsigned varint, every string its length
// then its bytes:
//
//	ecosystem (never "": an entry without one is not stored)
//	number of explicit versions, then each
//	number of ranges, then each:
//	  order: formGit (nothing follows), formSemVer or formEco (the
//	    entry's ecosystem), then the number of events and each event
//	    in the range's sorted order:
//	      flags: kind (bits 0-1), zero (bit 2: introduced "0", nothing
//	        but its position follows), revision (bit 3) and number of
//	        parts (bits 4-6) of its fastKey (0: none)
//	      position among the range's events as written
//	      version string (as parsed: trimmed)
//	      the fastKey's parts
//
// An entry that does not compile cleanly (a range
// of an unknown type, a version its ecosystem cannot read) is not stored:
// the scan compiles it from its record and says why, as before.
// appendForm checks that its form decodes to the very compiledEntry it
// was made from, and stores nothing otherwise, so that a database never
// gives a scan another answer than its records would.

// formVersion is the version of the stored form and of the rules it is
// compiled with: raise it whenever a fresh compile of some entry would
// give other bytes (compileEntry, ParseVersion's fast path, fastKey and
// the event order), so that a database built before is not used (its
// scans compile every entry from the records) until it is rebuilt.
const formVersion = 1

// The orders of a stored range.
const (
	formGit    = 0
	formSemVer = 1
	formEco    = 2
)

// Bits of a stored event's flags.
const (
	formKind     = 0x03
	formZero     = 0x04
	formRev      = 0x08
	formPartsOff = 4
	formParts    = 0x70
	formUnused   = 0x80
)

func init() {
	entryform.Register(&entryform.Codec{Version: formVersion, Append: appendForm})
}

// formEncoder is the room appendForm compiles an entry and decodes its
// form back in, reused entry after entry: a build compiles every entry
// of the feeds, and a fresh compiledEntry and decoded copy for each was
// 0.35 GB of garbage at 600k records (the build's peak rose by 0.2 GiB).
type formEncoder struct {
	pc       *parseCache
	ce, back compiledEntry
	room     formRoom
}

var formEncoders = sync.Pool{New: func() any { return &formEncoder{pc: newParseCache()} }}

// appendForm appends the stored form of aff to b (see the layout above),
// and false with b unchanged when aff's form cannot be stored.
func appendForm(b []byte, aff *advisory.Affected) ([]byte, bool) {
	if aff == nil || aff.Ecosystem == "" {
		return b, false
	}
	enc := formEncoders.Get().(*formEncoder)
	defer formEncoders.Put(enc)
	if len(enc.pc.byEco) > 64 { // a build of many ecosystems' releases: bound the cache
		enc.pc = newParseCache()
	}
	enc.ce, enc.back = compiledEntry{}, compiledEntry{}
	compileEntryInto(&enc.ce, aff, aff.Ecosystem, enc.pc)
	start := len(b)
	b, ok := appendCompiled(b, &enc.ce)
	if !ok {
		return b[:start], false
	}
	enc.room.vers, enc.room.rngs, enc.room.evs = enc.room.vers[:0], enc.room.rngs[:0], enc.room.evs[:0]
	if !decodeFormInto(&enc.back, string(b[start:]), enc.pc, &enc.room) || !sameCompiled(&enc.back, &enc.ce) {
		return b[:start], false
	}
	return b, true
}

// appendCompiled appends ce's form to b; false when ce cannot be stored.
func appendCompiled(b []byte, ce *compiledEntry) ([]byte, bool) {
	b = appendFormString(b, ce.eco)
	vs := ce.explicit()
	b = binary.AppendUvarint(b, uint64(len(vs)))
	for _, v := range vs {
		b = appendFormString(b, v)
	}
	b = binary.AppendUvarint(b, uint64(len(ce.ranges)))
	for i := range ce.ranges {
		cr := &ce.ranges[i]
		switch {
		case cr.err != nil:
			return b, false
		case cr.order == "":
			b = append(b, formGit)
			continue
		case cr.order == SemVer:
			b = append(b, formSemVer)
		case cr.order == ce.eco:
			b = append(b, formEco)
		default:
			return b, false
		}
		b = binary.AppendUvarint(b, uint64(len(cr.events)))
		for j := range cr.events {
			b = appendFormEvent(b, &cr.events[j])
		}
	}
	return b, true
}

// appendFormEvent appends one event of a range.
func appendFormEvent(b []byte, e *event) []byte {
	f := byte(e.kind) | byte(e.fk.n)<<formPartsOff
	if e.zero {
		f |= formZero
	}
	if e.fk.rev {
		f |= formRev
	}
	b = append(b, f)
	b = binary.AppendUvarint(b, uint64(e.pos))
	if e.zero {
		return b
	}
	b = appendFormString(b, e.str)
	for _, p := range e.fk.parts[:e.fk.n] {
		b = binary.AppendUvarint(b, uint64(p))
	}
	return b
}

func appendFormString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// formReader reads a stored form. Every read is bounds-checked; the
// first failure sets bad, and every read after it returns zero values.
// It is advcodec.Decoder's reading, written again on purpose: the forms
// are read in the matcher's hottest loop, and the generic decoder there
// (readRange and readKey on an advcodec.Decoder[string], the forms
// unchanged) made BenchmarkScanDatabase 7% slower (cpu-s/op medians 0.254
// -> 0.272 over 9 interleaved runs of 5, December 2026); the writer is
// encoding/binary's varints, the same bytes advcodec writes.
type formReader struct {
	s   string
	off int
	bad bool
}

// uvarint reads an unsigned varint of at most 63 bits.
func (r *formReader) uvarint() uint64 {
	// One byte is the commonest case (every count, position and most
	// parts).
	if r.off < len(r.s) && r.s[r.off] < 0x80 {
		r.off++
		return uint64(r.s[r.off-1])
	}
	var x uint64
	for shift := uint(0); shift < 63; shift += 7 {
		if r.bad || r.off >= len(r.s) {
			r.bad = true
			return 0
		}
		c := r.s[r.off]
		r.off++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
	r.bad = true
	return 0
}

// count reads a number of elements that each take a byte at least: never
// more than the bytes left.
func (r *formReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.off) {
		r.bad = true
		return 0
	}
	return int(n)
}

// str reads a string: a substring of the form.
func (r *formReader) str() string {
	n := r.count()
	if r.bad {
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

// byte reads one byte.
func (r *formReader) byte() byte {
	if r.bad || r.off >= len(r.s) {
		r.bad = true
		return 0
	}
	r.off++
	return r.s[r.off-1]
}

// decodeForm builds the compiledEntry a stored form holds, its ecosystem
// interned by pc (see evaluator.candidate): nil when the form does not
// decode (the caller compiles the entry from its record). The entry's
// strings are substrings of form.
func decodeForm(form string, pc *parseCache) *compiledEntry {
	ce := new(compiledEntry)
	if !decodeFormInto(ce, form, pc, nil) {
		return nil
	}
	return ce
}

// formScratch is a worker's room to build the entries it evaluates from
// their stored forms, one after the other (see evaluator.candidate).
type formScratch struct {
	ce   compiledEntry
	room formRoom
}

// formEntry builds the compiledEntry of form in the worker's scratch,
// valid until the next call: nil when the form does not decode.
func (pc *parseCache) formEntry(form string) *compiledEntry {
	fs := &pc.forms
	fs.ce = compiledEntry{}
	fs.room.vers, fs.room.rngs, fs.room.evs = fs.room.vers[:0], fs.room.rngs[:0], fs.room.evs[:0]
	if !decodeFormInto(&fs.ce, form, pc, &fs.room) {
		return nil
	}
	return &fs.ce
}

// formRoom is the slices a worker's scratch entry is built in, reused
// entry after entry; a nil formRoom makes fresh ones.
type formRoom struct {
	vers []string
	vbox []string // what the scratch entry's versions points to
	rngs []compiledRange
	evs  []event
}

// take returns n elements of *buf (zeroed), growing it into a new array
// when full (what was taken before keeps the old one).
func take[T any](buf *[]T, n int) []T {
	if len(*buf)+n > cap(*buf) {
		*buf = make([]T, 0, max(2*cap(*buf), n, 8))
	}
	l := len(*buf)
	*buf = (*buf)[:l+n]
	s := (*buf)[l : l+n : l+n]
	clear(s)
	return s
}

// decodeFormInto builds the compiledEntry form holds into ce (zero),
// taking its slices from room (nil: fresh ones); false when the form
// does not decode. The entry's strings are substrings of form.
func decodeFormInto(ce *compiledEntry, form string, pc *parseCache, room *formRoom) bool {
	if form == "" {
		return false
	}
	r := &formReader{s: form}
	if ce.eco = r.str(); ce.eco == "" {
		return false
	}
	if room == nil {
		// An entry kept for the scan: the worker's copy of its
		// ecosystem (see evaluator.candidate). A scratch entry's is in
		// the form, read just now.
		ce.eco = pc.intern(ce.eco)
	}
	if nv := r.count(); nv > 0 {
		var vs []string
		if room == nil {
			vs = make([]string, nv)
		} else {
			vs = take(&room.vers, nv)
		}
		for i := range vs {
			vs[i] = r.str()
		}
		if room == nil {
			ce.versions = &vs
		} else {
			room.vbox = vs
			ce.versions = &room.vbox
		}
	}
	switch nr := r.count(); {
	case nr == 1:
		ce.ranges = ce.one[:]
	case room == nil:
		ce.ranges = make([]compiledRange, nr)
	default:
		ce.ranges = take(&room.rngs, nr)
	}
	for i := range ce.ranges {
		if !r.readRange(&ce.ranges[i], ce.eco, pc, room) {
			return false
		}
	}
	return !r.bad && r.off == len(r.s)
}

// readRange reads one range into cr, of the entry of ecosystem eco;
// false when it does not decode.
func (r *formReader) readRange(cr *compiledRange, eco string, pc *parseCache, room *formRoom) bool {
	switch r.byte() {
	case formGit:
		return !r.bad
	case formSemVer:
		cr.order = SemVer
	case formEco:
		cr.order = eco
	default:
		return false
	}
	n := r.count()
	switch {
	case n <= len(cr.two):
		cr.events = cr.two[:0]
	case room == nil:
		cr.events = make([]event, 0, n)
	default:
		cr.events = take(&room.evs, n)[:0]
	}
	// The ecosystem and comparator of a keyed version, as ParseVersion
	// gives them (a keyed ordering is never an alias).
	keyed := strings.TrimSpace(BaseEcosystem(cr.order))
	for range n {
		f := r.byte()
		pos := r.uvarint()
		if r.bad || f&formUnused != 0 || pos > math.MaxInt32 {
			return false
		}
		evt := event{kind: eventKind(f & formKind), pos: int32(pos), zero: f&formZero != 0}
		if evt.zero {
			if f != formZero { // only an introduced "0" is zero
				return false
			}
			cr.events = append(cr.events, evt)
			continue
		}
		if evt.str = r.str(); evt.str == "" || !r.readKey(&evt.fk, f) {
			return false
		}
		if evt.fk.n > 0 {
			cr.eco, cr.cmp = keyed, keyed
		} else {
			v, err := pc.parse(cr.order, evt.str)
			if err != nil || v.str != evt.str {
				return false
			}
			evt.v, evt.fk = v.v, v.fk
			cr.eco, cr.cmp = v.eco, v.cmp
		}
		cr.events = append(cr.events, evt)
	}
	return !r.bad
}

// readKey reads the fastKey of an event with flags f into fk; false when
// it does not decode or is not a fastKey.
func (r *formReader) readKey(fk *fastKey, f byte) bool {
	n := int(f&formParts) >> formPartsOff
	if n > len(fk.parts) || n == 0 && f&formRev != 0 {
		return false
	}
	fk.n, fk.rev = uint8(n), f&formRev != 0
	for i := range n {
		p := r.uvarint()
		if p >= 1e9 { // a fastKey's parts are below 1e9
			return false
		}
		fk.parts[i] = uint32(p)
	}
	return !r.bad
}

// sameCompiled reports whether two compiled entries are the same: every
// field matching reads, the events' semantic values by presence (a
// value is a function of its ordering and string). Empty slices equal
// nil ones (matching reads their lengths).
func sameCompiled(a, b *compiledEntry) bool {
	if a.eco != b.eco || (a.versions == nil) != (b.versions == nil) || !slices.Equal(a.explicit(), b.explicit()) ||
		len(a.ranges) != len(b.ranges) {
		return false
	}
	for i := range a.ranges {
		x, y := &a.ranges[i], &b.ranges[i]
		if x.order != y.order || x.eco != y.eco || x.cmp != y.cmp || (x.err == nil) != (y.err == nil) ||
			x.err != nil && x.err.Error() != y.err.Error() || len(x.events) != len(y.events) {
			return false
		}
		for j := range x.events {
			e, f := &x.events[j], &y.events[j]
			if e.str != f.str || e.fk != f.fk || e.pos != f.pos || e.kind != f.kind || e.zero != f.zero || (e.v == nil) != (f.v == nil) {
				return false
			}
		}
	}
	return true
}
