package index

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"slices"
)

// pkgTable is the package table of a decoded index (byPkg) again, laid
// out for the lookups a scan makes, one or more per component, in no
// useful order. A lookup of byPkg costs about five cache misses: the
// map's group, its 40-byte slot, the key's bytes (a substring somewhere
// in the index's tables section), the entryList and its references. Here
// it is two: one 8-byte slot, then the key's record, which holds the key
// and the entry numbers PackageEntries returns, beside the other keys'
// records in one compact buffer. byPkg must not change once the table
// is built (nothing changes a decoded index's tables).
//
// Measured on the 100k workload, before/after in the same minutes:
// BenchmarkPackageLookup (every package key, shuffled, looked up with
// PackageEntries) 3.07 -> 1.99 ms per 19,874 lookups (medians of 10); in
// the CPU profile of the 100k `scan --db` (5 runs each) PackageEntries
// went from 84 to 46 ms a scan. Building the table adds 1.7 ms of CPU and
// 1.4 MB to DecodeString (BenchmarkDecode 7.0 -> 8.7 cpu-ms, 6.0 -> 7.4
// MB), 6-10 ms a scan in the CLI's profile (newPkgTable; building it in
// the table's order as it is decoded, not in map order, measured no
// different): a net 30 ms or so.
type pkgTable struct {
	seed  maphash.Seed
	bits  uint64   // the bits of the hash kept: all but in a test of colliding keys
	slots []uint64 // a key's hash in the high 32 bits, its record's offset + 1 in the low; 0 is empty
	// recs holds a record per key: its ecosystem's length (a byte), its
	// name's length (2 bytes), ecosystem, name, its number in lists, its
	// number of references and their Seq (4 bytes each). Fixed-width
	// numbers: with uvarints a lookup took a fifth longer
	// (BenchmarkPackageLookup 2.4 ms).
	recs  []byte
	lists []*entryList
}

// newPkgTable builds the table of m, or returns nil when m is empty or
// too large for it, or a key too long (lookups then use m).
func newPkgTable(m map[pkgKey]*entryList) *pkgTable { return buildPkgTable(m, ^uint64(0)) }

// buildPkgTable is newPkgTable keeping hashBits of the hashes.
func buildPkgTable(m map[pkgKey]*entryList, hashBits uint64) *pkgTable {
	size := 0
	for k, l := range m {
		if len(k.eco) > 255 || len(k.name) > 1<<16-1 {
			return nil
		}
		size += 11 + len(k.eco) + len(k.name) + 4*len(l.refs)
	}
	if len(m) == 0 || len(m) >= 1<<30 || size >= 1<<32-1 {
		return nil
	}
	t := &pkgTable{
		seed:  maphash.MakeSeed(),
		bits:  hashBits,
		slots: make([]uint64, 1<<bits.Len(uint(len(m)+len(m)/2))),
		lists: make([]*entryList, 0, len(m)),
	}
	recs := make([]byte, 0, size)
	mask := uint64(len(t.slots) - 1)
	for k, l := range m {
		off := len(recs)
		recs = binary.LittleEndian.AppendUint16(append(recs, byte(len(k.eco))), uint16(len(k.name)))
		recs = binary.LittleEndian.AppendUint32(append(append(recs, k.eco...), k.name...), uint32(len(t.lists)))
		recs = binary.LittleEndian.AppendUint32(recs, uint32(len(l.refs)))
		for _, r := range l.refs {
			recs = binary.LittleEndian.AppendUint32(recs, r.seq)
		}
		t.lists = append(t.lists, l)
		h := t.hash(k.eco, k.name)
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = h&^(1<<32-1) | uint64(off+1)
	}
	t.recs = recs
	return t
}

// hash hashes the name and mixes in the ecosystem's length and first and
// last bytes, which tell the ecosystems of a feed apart (hashing both
// strings with maphash took a fifth of the time of a lookup); keys it
// confuses are told apart by find's comparison.
func (t *pkgTable) hash(eco, name string) uint64 {
	e := uint64(len(eco))
	if len(eco) > 0 {
		e |= uint64(eco[0])<<16 | uint64(eco[len(eco)-1])<<8
	}
	return (maphash.String(t.seed, name) ^ e*0x9e3779b97f4a7c15) & t.bits
}

// find returns the rest of the record of the key {eco, name} after the
// key (its number in lists, then its Seqs), or ok false.
func (t *pkgTable) find(eco, name string) (rest []byte, ok bool) {
	h := t.hash(eco, name)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return nil, false
		}
		if s>>32 != h>>32 {
			continue
		}
		r := t.recs[uint32(s)-1:]
		if int(r[0]) != len(eco) || int(r[1])|int(r[2])<<8 != len(name) {
			continue
		}
		if r = r[3:]; string(r[:len(eco)]) == eco && string(r[len(eco):len(eco)+len(name)]) == name {
			return r[len(eco)+len(name):], true
		}
	}
}

// get returns the list of the key {eco, name}, or nil.
func (t *pkgTable) get(eco, name string) *entryList {
	r, ok := t.find(eco, name)
	if !ok {
		return nil
	}
	return t.lists[u32(r)]
}

// appendSeqs appends the Seq of each entry of the key {eco, name} to dst.
func (t *pkgTable) appendSeqs(dst []int, eco, name string) []int {
	r, ok := t.find(eco, name)
	if !ok {
		return dst
	}
	n := int(u32(r[4:]))
	r = r[8 : 8+4*n]
	dst = slices.Grow(dst, n)
	for i := 0; i < len(r); i += 4 {
		dst = append(dst, int(u32(r[i:])))
	}
	return dst
}

// u32 reads a little-endian uint32 from the start of b.
func u32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// pkgList returns byPkg's list for the ecosystem (base) and name (both
// normalised), through pkgTable when the index has one.
func (ix *Memory) pkgList(base, name string) *entryList {
	if ix.pkgTab != nil {
		return ix.pkgTab.get(base, name)
	}
	return ix.byPkg[pkgKey{base, name}]
}
