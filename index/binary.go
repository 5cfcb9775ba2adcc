package index

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/advcodec"
)

// The binary form of an index (what a compiled database stores) is the
// index as built, not its input: Decode reads the lookup tables back
// (their size is the number of keys and entries) and keeps the records
// encoded, each decoded by the first lookup that returns it. A scan of a
// fleet touches a small part of the records, so it pays for what it
// finds, not for the feeds.
//
//	"BRIX" version
//	records, indexed records, entries, non-VEX records   (uvarints)
//	document table                                       (advcodec, length first)
//	record offsets: records+1 little-endian uint32s      (length first)
//	records (advcodec.Encoder.AppendAdvisory each)       (length first)
//	tables                                               (length first)
//
// The tables, in order: packages, purls, CPE (count, vendor:product
// table, parsed criteria), CSAF (count, the five key tables, globs), VEX
// (entries, the five key tables), replacements. A table is its number of
// keys, its total number of references, then per key (sorted) the key,
// its number of references and the references, every number a uvarint.
//
// Why not gob of the records (the provisional form): decoding it meant
// decoding every record and rebuilding the index. Measured on the 100k
// workload in one run (2 cores shared with five other jobs, so CPU time
// is the steadier figure): Decode takes 6-11 ms of CPU, 0.002x the decode
// floor, and 5 MB (BenchmarkDecode); Decode and then a lookup of every
// package, which decodes every record, 210-370 ms of CPU
// (BenchmarkLookupAll/cold), against 480-600 ms for the gob form's
// decode, New and the same lookups; the same lookups again, 6-10 ms
// (BenchmarkLookupAll/warm). The form is 29.8 MiB, gob's 29.6 MiB without
// the tables.

const (
	binaryMagic   = "BRIX"
	binaryVersion = 2 // 1 was the form before products moved into per-document tables (never released)
)

// ErrCorrupt is wrapped by every error Decode returns.
var ErrCorrupt = errors.New("index: corrupt binary form")

// AppendBinary appends the index in its binary form (what Decode reads)
// to b. The output depends only on the index's content: the same records
// give the same bytes.
func (ix *Memory) AppendBinary(b []byte) ([]byte, error) {
	n := ix.st.len()
	if n >= 1<<31 {
		return b, fmt.Errorf("index: %d records is too many for the binary form", n)
	}
	enc := advcodec.NewEncoder()
	var recs []byte
	offs := make([]byte, 0, 4*(n+1))
	for i := range n {
		offs = advcodec.AppendUint32(offs, uint32(len(recs)))
		a := ix.st.get(i)
		if a == nil {
			return b, fmt.Errorf("index: record %d: %w", i, ix.Err())
		}
		recs = enc.AppendAdvisory(recs, a)
		if len(recs) >= 1<<32 {
			return b, errors.New("index: records over 4 GiB")
		}
	}
	offs = advcodec.AppendUint32(offs, uint32(len(recs)))
	parts := [][]byte{enc.AppendDocuments(nil), offs, recs, ix.appendTables(nil)}
	// Room for all of it at once: grown by append, b took a second copy
	// of the records (190 MB at 600k records) on top of the first.
	size := len(binaryMagic) + 5*binary.MaxVarintLen64
	for _, part := range parts {
		size += binary.MaxVarintLen64 + len(part)
	}
	b = slices.Grow(b, size)
	b = append(b, binaryMagic...)
	for _, v := range []int{binaryVersion, n, ix.nsel, ix.entries, ix.records} {
		b = advcodec.AppendUvarint(b, uint64(v))
	}
	for _, part := range parts {
		b = advcodec.AppendUvarint(b, uint64(len(part)))
		b = append(b, part...)
	}
	return b, nil
}

// Decode reads an index written by AppendBinary. It checks the form and
// reads the lookup tables; the records are decoded when a lookup first
// returns them. Decode copies data once (see DecodeString); what the
// index hands out (records, entries) stays valid after data changes. A
// record found corrupt later is left out of the answers and reported by
// Err.
func Decode(data []byte) (*Memory, error) { return DecodeString(string(data)) }

// DecodeString is Decode without the copy: the index keeps data, and the
// records it decodes share its memory (each string of a record is a
// substring of data). A database reads its file into memory once and
// decodes it so: copying each record's text out as it was decoded cost
// 0.18 s of the 2.2 s of CPU of the 100k workload's scan (a copy per
// record, the fresh memory's page faults included) and a fifth of the
// decoded records' memory.
func DecodeString(data string) (*Memory, error) {
	ix, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return ix, nil
}

func decode(data string) (*Memory, error) {
	d := advcodec.NewDecoder(data)
	if d.Raw(len(binaryMagic)) != binaryMagic {
		return nil, errors.New("not an index (bad magic)")
	}
	if v := d.Uvarint(); v != binaryVersion && d.Err() == nil {
		return nil, fmt.Errorf("version %d, this bomrank reads %d", v, binaryVersion)
	}
	ix := &Memory{}
	n := d.Int(1<<31 - 1)
	ix.nsel = d.Int(n)
	ix.entries = d.Int(1<<31 - 1)
	ix.records = d.Int(ix.nsel)
	docs, offs, recs := d.Raw(d.Count()), d.Raw(d.Count()), d.Raw(d.Count())
	tables := d.Raw(d.Count())
	if err := d.Done(); err != nil {
		return nil, err
	}
	st := &store{recs: make([]atomic.Pointer[advisory.Advisory], n), encoded: true, data: recs, offs: offs}
	if err := st.checkOffsets(); err != nil {
		return nil, err
	}
	var err error
	if st.docs, err = advcodec.DecodeDocuments(docs); err != nil {
		return nil, err
	}
	ix.st = st
	if err := ix.decodeTables(tables); err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	ix.numberEntries()
	return ix, nil
}

// checkOffsets checks the record offsets: one per record and one for the
// end, from 0, never decreasing, ending at the end of the records.
func (s *store) checkOffsets() error {
	n := len(s.recs)
	if len(s.offs) != 4*(n+1) {
		return fmt.Errorf("%d bytes of offsets for %d records", len(s.offs), n)
	}
	if s.off(0) != 0 || int(s.off(n)) != len(s.data) {
		return errors.New("record offsets do not span the records")
	}
	for i := range n {
		if s.off(i) > s.off(i+1) {
			return fmt.Errorf("record %d ends before it starts", i)
		}
	}
	return nil
}

// tabDec reads the tables: the record and entry counts bound the
// references.
type tabDec struct {
	*advcodec.Decoder[string]
	recs, entries int
}

func (d *tabDec) rec() uint32 { return uint32(d.Int(d.recs - 1)) }

// u32 reads a number that must fit a uint32.
func (d *tabDec) u32() uint32 { return uint32(d.Int(1<<32 - 1)) }

func appendTable[K comparable, R any](b []byte, m map[K][]R, cmpKey func(a, b K) int, key func([]byte, K) []byte, ref func([]byte, R) []byte) []byte {
	keys := slices.SortedFunc(maps.Keys(m), cmpKey)
	total := 0
	for _, refs := range m {
		total += len(refs)
	}
	b = advcodec.AppendUvarint(advcodec.AppendUvarint(b, uint64(len(keys))), uint64(total))
	for _, k := range keys {
		b = key(b, k)
		b = advcodec.AppendUvarint(b, uint64(len(m[k])))
		for _, r := range m[k] {
			b = ref(b, r)
		}
	}
	return b
}

// decodeTable reads what appendTable wrote: nil for no keys. The
// references of all keys share one allocation.
func decodeTable[K comparable, R any](d *tabDec, key func(*tabDec) K, ref func(*tabDec) R) map[K][]R {
	return decodeTableOf(d, key, ref, func(_ int, refs []R) []R { return refs })
}

// decodeTableOf is decodeTable with each key's references made a value
// by val (given the number of keys too).
func decodeTableOf[K comparable, R, V any](d *tabDec, key func(*tabDec) K, ref func(*tabDec) R, val func(nk int, refs []R) V) map[K]V {
	nk, total := d.Count(), d.Count()
	if nk == 0 || d.Err() != nil {
		if total != 0 {
			d.Fail(errors.New("references without keys"))
		}
		return nil
	}
	m := make(map[K]V, nk)
	slab := make([]R, total)
	for range nk {
		k := key(d)
		n := d.Int(len(slab))
		refs := slab[:n:n]
		slab = slab[n:]
		for i := range refs {
			refs[i] = ref(d)
		}
		if d.Err() != nil {
			return nil
		}
		if _, dup := m[k]; dup {
			d.Fail(fmt.Errorf("key %v twice", k))
			return nil
		}
		m[k] = val(nk, refs)
	}
	if len(slab) != 0 {
		d.Fail(fmt.Errorf("%d references missing", len(slab)))
	}
	return m
}

func appendStringKey(b []byte, k string) []byte { return advcodec.AppendString(b, k) }
func decodeStringKey(d *tabDec) string          { return d.String() }

func appendEntryRef(b []byte, r entryRef) []byte {
	return advcodec.AppendUvarint(advcodec.AppendUvarint(advcodec.AppendUvarint(b, uint64(r.rec)), uint64(r.sub)), uint64(r.seq))
}

func decodeEntryRef(d *tabDec) entryRef {
	return entryRef{rec: d.rec(), sub: d.u32(), seq: uint32(d.Int(d.entries - 1))}
}

func appendCSAFRef(b []byte, r csafRef) []byte {
	return advcodec.AppendUvarint(advcodec.AppendUvarint(b, uint64(r.rec)), uint64(r.status))
}

func decodeCSAFRef(d *tabDec) csafRef { return csafRef{rec: d.rec(), status: d.u32()} }

func appendInt(b []byte, n int) []byte { return advcodec.AppendUvarint(b, uint64(n)) }

func cmpPkgKey(a, b pkgKey) int {
	return cmp.Or(strings.Compare(a.eco, b.eco), strings.Compare(a.name, b.name))
}

func cmpNameKey(a, b nameKey) int {
	return cmp.Or(strings.Compare(a.vendor, b.vendor), strings.Compare(a.token, b.token))
}
