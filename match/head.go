package match

import (
	"slices"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
)

// recordHead is what a finding takes from an OSV record naming exactly one
// CVE: the CVE (the finding's ID), its other identifiers as the finding's
// aliases, its severities, exploit_status threats, summary, informational
// flag and source, each list as merge leaves it in a new finding. It is
// made once a scan per entry that matches (Matcher.addRecord), from the
// record decoded once, and shared, read-only, by every finding of that
// record: their Aliases, Severity, Threats and Sources are its lists
// (clipped, so that a finding adding to one copies it first; see
// mergeSeverity, addAlias, addSource).
//
// Why: on the 100k workload 82,000 findings come from 30,500 records.
// Each finding decoded its record again (0.07 s of CPU a scan in
// DecodeAdvisoryInto) and carried its own copy of these lists (a
// findingBlock of 480 bytes: the Finding and room for one source, alias,
// fixed version and severity); now a finding is a headBlock of 312 bytes
// and its record's head, 208 bytes, is shared. (The common lists, of at
// most one alias and severity and no threat, are the head's arrays and
// counts, not slices: with the slices it took 256 bytes.)
type recordHead struct {
	cve, summary, informational string
	src                         [1]Source // Match is that of the hit that made the head
	alias                       [1]string
	sev                         [1]advisory.Severity
	more                        *headLists // nil: the lists are alias[:nAlias] and sev[:nSev], no threat
	nAlias, nSev                uint8
}

// headLists are the lists of a record head when one is longer than its
// room or it has threats.
type headLists struct {
	aliases  []string
	severity []advisory.Severity
	threats  []advisory.Threat
}

// newRecordHead makes the head of adv, which names exactly one CVE, cve,
// as merge folds it into a new finding of that CVE through a hit found by
// match.
func newRecordHead(adv *advisory.Advisory, cve, match string) *recordHead {
	hd := &recordHead{cve: cve}
	// merge itself makes the lists, in the head's room.
	f := Finding{ID: cve, Status: Affected, Aliases: hd.alias[:0], Severity: hd.sev[:0], Sources: hd.src[:0]}
	merge(&f, hit{adv: adv, verdict: verdict{status: Affected}, match: match})
	hd.summary, hd.informational = f.Summary, f.Informational
	if len(f.Aliases) > 1 || len(f.Severity) > 1 || len(f.Threats) > 0 {
		hd.more = &headLists{aliases: clipped(f.Aliases), severity: clipped(f.Severity), threats: clipped(f.Threats)}
	} else {
		hd.nAlias, hd.nSev = uint8(len(f.Aliases)), uint8(len(f.Severity))
	}
	return hd
}

// clipped returns s with no room past its end, nil when empty.
func clipped[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clip(s)
}

// aliases returns the head's aliases (nil for none).
func (hd *recordHead) aliases() []string {
	if hd.more != nil {
		return hd.more.aliases
	}
	return clipped(hd.alias[:hd.nAlias])
}

// severity returns the head's severities (nil for none).
func (hd *recordHead) severity() []advisory.Severity {
	if hd.more != nil {
		return hd.more.severity
	}
	return clipped(hd.sev[:hd.nSev])
}

// threats returns the head's threats (nil for none).
func (hd *recordHead) threats() []advisory.Threat {
	if hd.more != nil {
		return hd.more.threats
	}
	return nil
}

// sources returns the finding's sources for a hit found by match: the
// head's own list when match is the head's (nearly always), else a list
// of its own.
func (hd *recordHead) sources(match string) []Source {
	if hd.src[0].Match == match {
		return hd.src[:1:1]
	}
	return []Source{hd.source(match)}
}

// source returns the finding's source for a hit found by match.
func (hd *recordHead) source(match string) Source {
	src := hd.src[0]
	src.Match = match
	return src
}

// headBlock is a finding made from a record's head (see recordHead) with
// room for its fixed version: 312 bytes.
type headBlock struct {
	f     Finding
	fixed [1]string
}

// slabBlocks is how many headBlocks a worker's set allocates at once:
// 26 of 312 bytes are 8,112, in the size class of 8,192.
//
// Why: allocating the 82,000 findings of the 100k workload one by one
// (each in the size class of 320 bytes, as small objects with pointers
// whose heap bits the allocator writes) was most of addHead's CPU in
// the profile; the findings all live until the report is written, so
// that slabs of them keep nothing alive that would not be.
const slabBlocks = 26

// newHeadBlock returns room for a new finding: the next of the worker's
// slab, or one of its own for a set that is not a worker's.
func (fs *findingSet) newHeadBlock() *headBlock {
	if !fs.slab {
		return new(headBlock)
	}
	if len(fs.blocks) == 0 {
		fs.blocks = make([]headBlock, slabBlocks)
	}
	b := &fs.blocks[0]
	fs.blocks = fs.blocks[1:]
	return b
}

// addHead folds a hit of the record of hd (naming one CVE) with verdict v,
// found by match, into the set: what add does with that hit.
func (fs *findingSet) addHead(hd *recordHead, v verdict, match string) {
	if v.status == "" {
		return
	}
	if f := fs.find(hd.cve); f != nil {
		mergeHead(f, hd, v, match)
		return
	}
	// A new finding: what get and merge make of the hit.
	b := fs.newHeadBlock()
	b.f = Finding{ID: hd.cve, Component: fs.comp, Status: v.status, Aliases: hd.aliases(),
		Severity: hd.severity(), Summary: hd.summary, Informational: hd.informational,
		Sources: hd.sources(match), Threats: hd.threats()}
	if v.status == Unknown {
		b.f.Reason = v.reason
	}
	if v.fixed != "" {
		b.fixed[0] = v.fixed
		b.f.Fixed = b.fixed[:1]
	}
	fs.insert(&b.f)
}

// mergeHead is merge for a hit of the record of hd into f, a finding of
// its CVE.
func mergeHead(f *Finding, hd *recordHead, v verdict, match string) {
	mergeVerdict(f, v)
	for _, id := range hd.aliases() {
		addAlias(f, id)
	}
	mergeFixed(f, v.fixed)
	mergeSeverity(f, hd.severity())
	mergeThreats(f, hd.threats())
	mergeText(f, hd.summary, hd.informational)
	addSource(f, hd.source(match))
}

// heads holds the record heads a scan has made, by entry number
// (index.Entry.Seq); two workers may make the same one at once, and then
// share the first stored.
type heads struct {
	slots []atomic.Pointer[recordHead]
}

// get returns the head of entry seq, nil if none is made yet.
func (h *heads) get(seq int) *recordHead {
	if seq < 0 || seq >= len(h.slots) {
		return nil
	}
	return h.slots[seq].Load()
}

// put keeps hd as the head of entry seq unless one is kept already, and
// returns the head kept.
func (h *heads) put(seq int, hd *recordHead) *recordHead {
	if seq < 0 || seq >= len(h.slots) {
		return hd
	}
	if h.slots[seq].CompareAndSwap(nil, hd) {
		return hd
	}
	return h.slots[seq].Load()
}

// addRecord folds the hit of entry seq with verdict v, found by match,
// into fs: through the entry's record head when its record names one CVE
// (made from the record the first time), else as a hit of the record.
func (m *Matcher) addRecord(cr index.Candidates, seq int, s *index.Scratch, v verdict, match string, fs *findingSet) {
	if hd := m.heads.get(seq); hd != nil {
		fs.addHead(hd, v, match)
		return
	}
	adv := cr.Record(seq, s)
	if adv == nil {
		return // does not decode: the index's Err says so
	}
	switch n, cve := cveIDs(adv); n {
	case 1:
		fs.addHead(m.heads.put(seq, newRecordHead(adv, cve, match)), v, match)
	case 0:
		// The findings copy what they keep of a record, except that a
		// record naming no CVE is held until the set is complete
		// (findingSet.loose): that one must be the index's own.
		if s != nil {
			adv = cr.Record(seq, nil)
		}
		fs.add(hit{adv: adv, verdict: v, match: match})
	default:
		fs.add(hit{adv: adv, verdict: v, match: match})
	}
}
