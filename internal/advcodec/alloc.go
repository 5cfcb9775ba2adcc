package advcodec

import "github.com/bomrank/bomrank/advisory"

// block holds a record's Advisory and room for the slices of a small
// OSV record (two aliases, a severity, one affected package with one
// range of two events, a reference), allocated as one object of 768
// bytes (a size class: no rounding up): decoding such a record costs two
// allocations (this and its strings) instead of eight (BenchmarkDecodeBench:
// 200,000 allocations for the 100k workload's records instead of
// 800,000). Larger slices are allocated on their own.
type block struct {
	adv  advisory.Advisory
	strs [2]string
	sev  [1]advisory.Severity
	aff  [1]advisory.Affected
	rng  [1]advisory.Range
	ev   [2]advisory.Event
	ref  [1]advisory.Reference
}

// affBlock holds one affected package of a record decoded alone
// (DecodeAffected) and room for one range of two events and one version:
// 256 bytes, one allocation for the commonest entry.
type affBlock struct {
	aff  advisory.Affected
	strs [1]string
	rng  [1]advisory.Range
	ev   [2]advisory.Event
}

// alloc hands out the room of one block (or affBlock): each slice is the
// room left of one kind.
type alloc struct {
	strs []string
	sev  []advisory.Severity
	aff  []advisory.Affected
	rng  []advisory.Range
	ev   []advisory.Event
	ref  []advisory.Reference
}

func newAlloc(b *block) *alloc {
	return &alloc{strs: b.strs[:], sev: b.sev[:], aff: b.aff[:], rng: b.rng[:], ev: b.ev[:], ref: b.ref[:]}
}

// take returns n elements of *room (capacity n, so that an append by the
// caller never writes into the next slice), or a new slice when *room
// has fewer left.
func take[T any](room *[]T, n int) []T {
	if n > len(*room) {
		return make([]T, n)
	}
	s := (*room)[:n:n]
	*room = (*room)[n:]
	return s
}

func (al *alloc) strings(n int) []string { return take(&al.strs, n) }

func (al *alloc) severities(n int) []advisory.Severity { return take(&al.sev, n) }

func (al *alloc) affected(n int) []advisory.Affected { return take(&al.aff, n) }

func (al *alloc) ranges(n int) []advisory.Range { return take(&al.rng, n) }

func (al *alloc) events(n int) []advisory.Event { return take(&al.ev, n) }

func (al *alloc) references(n int) []advisory.Reference { return take(&al.ref, n) }
