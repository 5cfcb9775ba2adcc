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

// alloc hands out the room of one block.
type alloc struct {
	b                                 *block
	nstr, nsev, naff, nrng, nev, nref int
}

// take returns n elements of arr from *used on (capacity n, so that an
// append by the caller never writes into the next slice), or a new slice
// when arr has no room left.
func take[T any](arr []T, used *int, n int) []T {
	if *used+n > len(arr) {
		return make([]T, n)
	}
	s := arr[*used : *used+n : *used+n]
	*used += n
	return s
}

func (al *alloc) strings(n int) []string { return take(al.b.strs[:], &al.nstr, n) }

func (al *alloc) severities(n int) []advisory.Severity { return take(al.b.sev[:], &al.nsev, n) }

func (al *alloc) affected(n int) []advisory.Affected { return take(al.b.aff[:], &al.naff, n) }

func (al *alloc) ranges(n int) []advisory.Range { return take(al.b.rng[:], &al.nrng, n) }

func (al *alloc) events(n int) []advisory.Event { return take(al.b.ev[:], &al.nev, n) }

func (al *alloc) references(n int) []advisory.Reference { return take(al.b.ref[:], &al.nref, n) }
