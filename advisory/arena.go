package advisory

import (
	"slices"
	"unsafe"
)

// arena hands out the memory of decoded records in blocks, so that the
// twenty-odd small objects of a typical OSV record (strings, event, range
// and affected slices, the Advisory itself) cost a fraction of an
// allocation each instead of one each: with 100,000 records that is
// two million allocations fewer, and a third less decoding time.
//
// Blocks are never written again once handed out (the strings made with
// unsafe.String rely on that): a full block is dropped, not reused, and
// lives as long as anything carved from it. Values larger than a quarter
// of a block get their own allocation.
type arena struct {
	bytes    []byte
	strs     []string
	events   []Event
	ranges   []Range
	affected []Affected
	sevs     []Severity
	refs     []Reference
	advs     []Advisory
}

const (
	arenaBytes = 32 << 10 // bytes per string block
	arenaItems = 256      // values per slice block
)

// str returns b as a string.
func (a *arena) str(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > arenaBytes/4:
		return string(b)
	}
	if cap(a.bytes)-len(a.bytes) < len(b) {
		a.bytes = make([]byte, 0, arenaBytes)
	}
	start := len(a.bytes)
	a.bytes = append(a.bytes, b...)
	return unsafe.String(&a.bytes[start], len(b))
}

// carve copies items into a block of slab and returns the copy, with its
// capacity clipped so that appending to it cannot touch its neighbours.
func carve[T any](slab *[]T, items []T) []T {
	switch {
	case len(items) == 0:
		return nil
	case len(items) > arenaItems/4:
		return slices.Clone(items)
	}
	if cap(*slab)-len(*slab) < len(items) {
		*slab = make([]T, 0, arenaItems)
	}
	start := len(*slab)
	*slab = append(*slab, items...)
	return (*slab)[start:len(*slab):len(*slab)]
}

// newAdvisory returns a zeroed Advisory from the arena.
func (a *arena) newAdvisory() *Advisory {
	if len(a.advs) == cap(a.advs) {
		a.advs = make([]Advisory, 0, arenaItems/4)
	}
	a.advs = a.advs[:len(a.advs)+1]
	return &a.advs[len(a.advs)-1]
}

// scratch holds the values of the arrays being read, as stacks: a reader
// pushes the elements of an array above the current top, carves them into
// the arena when the array ends, and pops them.
type scratch struct {
	strs     []string
	events   []Event
	ranges   []Range
	affected []Affected
	sevs     []Severity
	refs     []Reference
}
