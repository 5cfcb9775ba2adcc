package index

import (
	"math"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/advcodec"
)

// Candidates is implemented by an index that can give a package's
// entries before their records are decoded ([Memory], when read by
// Decode): deciding whether an entry affects a component needs only its
// affected package, and only the entries that do need their record. A
// scan of the 100k workload looks at the affected package of nearly every
// record but reports a third of the records; decoding every record it
// looked at was a quarter of its CPU and 117 MB.
type Candidates interface {
	// PackageCandidates returns what Packages does, except that an
	// entry's Advisory may be nil (its record not decoded): Record gives
	// it. Affected is then decoded on its own, one value per entry
	// shared by every call (not a pointer into the record).
	PackageCandidates(ecosystem, name string) []Entry
	// PackageURLCandidates is PackageURL as PackageCandidates is
	// Packages.
	PackageURLCandidates(key string) []Entry
	// Record returns the record of entry seq (Entry.Seq), nil if it does
	// not decode (see Err) or there is no such entry. With a nil s it is
	// the index's own record, kept once decoded; with s, it may be
	// decoded into s, valid until the next call with s (the caller copies
	// what it keeps).
	Record(seq int, s *Scratch) *advisory.Advisory
	// PackageEntries appends to dst the entry numbers (Entry.Seq) of the
	// entries PackageCandidates(ecosystem, name) returns, in its order,
	// and decodes nothing: Affected gives each entry's affected package,
	// nil for one that does not decode (PackageCandidates leaves that
	// one out). A matcher that keeps what it needs of an entry by its
	// number (its ranges compiled) needs the decoded package only the
	// first time; see Affected.
	PackageEntries(dst []int, ecosystem, name string) []int
	// PackageURLEntries is PackageEntries for PackageURLCandidates.
	PackageURLEntries(dst []int, key string) []int
	// Affected returns the affected package of entry seq, nil if it does
	// not decode (see Err) or there is no such entry. With a nil s it is
	// the one PackageCandidates hands out, kept once decoded; with s, it
	// may be decoded into s, valid until the next call of Affected with
	// s (its strings stay valid).
	Affected(seq int, s *Scratch) *advisory.Affected
}

// CompiledForms is implemented by an index that stores each entry's
// matching form compiled ahead of the scan (a database: db.DB). The form
// is the matcher's (package match defines it and registers it with
// internal/entryform); the index only keeps it, by entry number.
type CompiledForms interface {
	// CompiledForm returns the stored form of entry seq (Entry.Seq), ""
	// when there is none (no such entry, an entry whose form could not be
	// stored, a database built with another version of the form): the
	// matcher then compiles the entry from its affected package.
	CompiledForm(seq int) string
}

// Scratch is room for Candidates.Record and Candidates.Affected to decode
// a record or an affected package into, one after the other; one per
// goroutine. The zero value is ready to use.
type Scratch struct {
	s advcodec.Scratch
	a advcodec.AffectedScratch
}

var _ Candidates = (*Memory)(nil)

// PackageCandidates implements Candidates.
func (ix *Memory) PackageCandidates(ecosystem, name string) []Entry {
	base := baseEcosystem(ecosystem)
	return lookupPartial(ix, ix.pkgList(base, normalizeName(base, name)))
}

// PackageURLCandidates implements Candidates.
func (ix *Memory) PackageURLCandidates(key string) []Entry {
	return lookupPartial(ix, ix.byPURL[key])
}

// Record implements Candidates.
func (ix *Memory) Record(seq int, s *Scratch) *advisory.Advisory {
	if seq < 0 || seq >= len(ix.seqRec) || ix.seqRec[seq] == noRec {
		return nil
	}
	i := int(ix.seqRec[seq])
	if s == nil || !ix.st.encoded {
		return ix.st.get(i)
	}
	if a := ix.st.recs[i].Load(); a != nil && a != bad {
		return a
	}
	a, err := advcodec.DecodeAdvisoryInto(ix.st.raw(i), ix.st.docs, &s.s)
	if err != nil {
		return ix.st.get(i) // records the error once
	}
	return a
}

// PackageEntries implements Candidates.
func (ix *Memory) PackageEntries(dst []int, ecosystem, name string) []int {
	base := baseEcosystem(ecosystem)
	if ix.pkgTab != nil {
		return ix.pkgTab.appendSeqs(dst, base, normalizeName(base, name))
	}
	return appendSeqs(dst, ix.byPkg[pkgKey{base, normalizeName(base, name)}])
}

// PackageURLEntries implements Candidates.
func (ix *Memory) PackageURLEntries(dst []int, key string) []int {
	return appendSeqs(dst, ix.byPURL[key])
}

func appendSeqs(dst []int, l *entryList) []int {
	if l == nil {
		return dst
	}
	for _, r := range l.refs {
		dst = append(dst, int(r.seq))
	}
	return dst
}

// Affected implements Candidates.
func (ix *Memory) Affected(seq int, s *Scratch) *advisory.Affected {
	if seq < 0 || seq >= len(ix.seqRec) || ix.seqRec[seq] == noRec {
		return nil
	}
	r := entryRef{rec: ix.seqRec[seq], sub: ix.seqSub[seq], seq: uint32(seq)}
	if !ix.st.encoded {
		a := ix.st.get(int(r.rec))
		if a == nil || int(r.sub) >= len(a.Affected) {
			return nil
		}
		return &a.Affected[r.sub]
	}
	if s == nil {
		return ix.st.affected(r)
	}
	if aff := ix.st.affs[seq].Load(); aff != nil && aff != badAffected {
		return aff
	}
	aff, err := advcodec.DecodeAffectedInto(ix.st.raw(int(r.rec)), int(r.sub), &s.a)
	if err != nil {
		return ix.st.affected(r) // records the error once
	}
	return aff
}

// noRec marks an entry number no table refers to (a corrupt index).
const noRec = math.MaxUint32

// lookupPartial is lookup for PackageCandidates: an index built by New
// has its records, and gives the entries of Packages.
func lookupPartial(ix *Memory, l *entryList) []Entry {
	if !ix.st.encoded {
		return lookup(ix, l, (*Memory).resolveEntries)
	}
	if l == nil {
		return nil
	}
	if p := l.partial.Load(); p != nil {
		return *p
	}
	out := make([]Entry, 0, len(l.refs))
	for _, r := range l.refs {
		if aff := ix.st.affected(r); aff != nil {
			out = append(out, Entry{Affected: aff, Seq: int(r.seq)})
		}
	}
	l.partial.Store(&out)
	return out
}

// affected returns the affected package of entry r alone, decoding it the
// first time (advcodec.DecodeAffected), or nil when it does not decode
// (the error kept for Err). Concurrent first calls may both decode it;
// every caller gets the one stored first.
func (s *store) affected(r entryRef) *advisory.Affected {
	p := &s.affs[r.seq]
	aff := p.Load()
	if aff == nil {
		var err error
		aff, err = advcodec.DecodeAffected(s.raw(int(r.rec)), int(r.sub))
		if err != nil {
			aff = badAffected
		}
		if p.CompareAndSwap(nil, aff) {
			if err != nil {
				s.fail(int(r.rec), err)
			}
		} else {
			aff = p.Load()
		}
	}
	if aff == badAffected {
		return nil
	}
	return aff
}

// badAffected marks an affected package that did not decode.
var badAffected = new(advisory.Affected)

// numberEntries fills ix.seqRec and ix.seqSub, the record of each entry
// number and its place in the record's Affected, from the package and
// purl tables, and makes the store's room for the entries' affected
// packages.
func (ix *Memory) numberEntries() {
	ix.seqRec = make([]uint32, ix.entries)
	ix.seqSub = make([]uint32, ix.entries)
	for i := range ix.seqRec {
		ix.seqRec[i] = noRec
	}
	for _, l := range ix.byPkg {
		for _, r := range l.refs {
			ix.seqRec[r.seq], ix.seqSub[r.seq] = r.rec, r.sub
		}
	}
	for _, l := range ix.byPURL {
		for _, r := range l.refs {
			ix.seqRec[r.seq], ix.seqSub[r.seq] = r.rec, r.sub
		}
	}
	if ix.st.encoded {
		ix.st.affs = make([]atomic.Pointer[advisory.Affected], ix.entries)
	}
}
