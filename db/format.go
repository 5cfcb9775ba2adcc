package db

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
)

// The file layout (all integers little-endian), version Schema:
//
//	offset  size  field
//	0       8     magic "bomrank\x1a"
//	8       4     schema version
//	12      4     number of sections n (at most maxSections)
//	16      8     size of the whole file
//	24      32    SHA-256 of every byte after the header (the digest)
//	56      24*n  sections: kind u32, CRC-32C u32, offset u64, length u64
//	56+24n  4     CRC-32C of the header bytes before it
//
// then zeros up to a multiple of 8, and the sections, each starting at a
// multiple of 8 (zeros between them). The header is small and checked
// whole at every open; each section's CRC-32C (hardware-assisted, a few
// milliseconds for the 100k benchmark's database) is checked at open too,
// so that a flipped bit is an error before anything decodes; the SHA-256
// digest, which costs more, only by Verify. The file size in the header
// tells a truncated file from a corrupt one.
//
// Why not SQLite, bbolt, gob: see the README's "bomrank db" section.

// Schema is the version of the file layout and of every section's
// encoding this bomrank writes and reads. A database of another version
// is refused (SchemaError) and must be rebuilt. 2 (December 2026): the
// records keep the source's own severity rating (OSV
// database_specific.severity, NVD and CSAF base severity without a
// vector) as Severity entries; a schema-1 database lacks them, so its
// scans would rate findings differently from a scan of the feeds. 3
// (December 2026): the compiled section, each OSV affected entry's
// matching form compiled at build time (forms.go); a schema-2 database
// lacks it.
const Schema = 3

var magic = [8]byte{'b', 'o', 'm', 'r', 'a', 'n', 'k', 0x1a}

const (
	fixedHeader  = 56
	sectionEntry = 24
	maxSections  = 64
)

// Section kinds.
const (
	secMeta  = 1 // JSON: Meta
	secIndex = 2 // index.(*Memory).AppendBinary
	secKEV   = 3 // KEV entries
	secEPSS  = 4 // EPSS scores
	secForms = 5 // the entries' compiled forms (forms.go)
)

var sectionNames = map[uint32]string{secMeta: "meta", secIndex: "index", secKEV: "kev", secEPSS: "epss", secForms: "compiled"}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type section struct {
	kind     uint32
	crc      uint32
	off, len uint64
}

// header is a file's parsed header.
type header struct {
	schema   uint32
	size     uint64
	digest   [32]byte
	sections []section
	length   int // bytes of header with its padding
}

func binaryLE64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }

func align8(n int) int { return (n + 7) &^ 7 }

func headerLen(n int) int { return align8(fixedHeader + sectionEntry*n + 4) }

// encode lays out the sections (kind and data, in order) and returns the
// header to write before them; the digest covers the sections with their
// padding.
func encode(kinds []uint32, data [][]byte) []byte {
	hl := headerLen(len(kinds))
	h := make([]byte, hl)
	copy(h, magic[:])
	binary.LittleEndian.PutUint32(h[8:], Schema)
	binary.LittleEndian.PutUint32(h[12:], uint32(len(kinds)))
	off := hl
	sum := sha256.New()
	var pad [8]byte
	for i, d := range data {
		e := h[fixedHeader+sectionEntry*i:]
		binary.LittleEndian.PutUint32(e, kinds[i])
		binary.LittleEndian.PutUint32(e[4:], crc32.Checksum(d, castagnoli))
		binary.LittleEndian.PutUint64(e[8:], uint64(off))
		binary.LittleEndian.PutUint64(e[16:], uint64(len(d)))
		sum.Write(d)
		p := align8(len(d)) - len(d)
		sum.Write(pad[:p])
		off += len(d) + p
	}
	binary.LittleEndian.PutUint64(h[16:], uint64(off))
	copy(h[24:56], sum.Sum(nil))
	end := fixedHeader + sectionEntry*len(kinds)
	binary.LittleEndian.PutUint32(h[end:], crc32.Checksum(h[:end], castagnoli))
	return h
}

// parseHeader reads and checks the header of data, a whole file: magic,
// schema, size, the header's own checksum and every section's bounds.
func parseHeader(data []byte) (*header, error) {
	if len(data) < len(magic) || !bytes.Equal(data[:len(magic)], magic[:]) {
		return nil, ErrNotDB
	}
	if len(data) < fixedHeader {
		return nil, fmt.Errorf("%w: %d bytes, less than a header", ErrTruncated, len(data))
	}
	h := &header{schema: binary.LittleEndian.Uint32(data[8:])}
	if h.schema != Schema {
		return nil, &SchemaError{Have: h.schema, Want: Schema}
	}
	n := int(binary.LittleEndian.Uint32(data[12:]))
	if n > maxSections {
		return nil, corrupt("header: %d sections", n)
	}
	h.length = headerLen(n)
	if len(data) < h.length {
		return nil, fmt.Errorf("%w: %d bytes, less than its header", ErrTruncated, len(data))
	}
	end := fixedHeader + sectionEntry*n
	if crc32.Checksum(data[:end], castagnoli) != binary.LittleEndian.Uint32(data[end:]) {
		return nil, corrupt("header checksum mismatch")
	}
	for _, b := range data[end+4 : h.length] {
		if b != 0 {
			return nil, corrupt("header padding")
		}
	}
	h.size = binary.LittleEndian.Uint64(data[16:])
	if uint64(len(data)) < h.size {
		return nil, fmt.Errorf("%w: %d bytes of %d", ErrTruncated, len(data), h.size)
	}
	if uint64(len(data)) != h.size {
		return nil, corrupt("%d bytes, the header says %d", len(data), h.size)
	}
	copy(h.digest[:], data[24:56])
	for i := range n {
		e := data[fixedHeader+sectionEntry*i:]
		s := section{
			kind: binary.LittleEndian.Uint32(e), crc: binary.LittleEndian.Uint32(e[4:]),
			off: binary.LittleEndian.Uint64(e[8:]), len: binary.LittleEndian.Uint64(e[16:]),
		}
		if s.off < uint64(h.length) || s.off > h.size || s.len > h.size-s.off {
			return nil, corrupt("section %s: out of bounds", sectionName(s.kind))
		}
		h.sections = append(h.sections, s)
	}
	return h, nil
}

func sectionName(kind uint32) string {
	if n, ok := sectionNames[kind]; ok {
		return n
	}
	return fmt.Sprintf("#%d", kind)
}

// checkSections checks every section's CRC-32C and that each section the
// schema needs is there, and returns the sections' data by kind.
func checkSections(data []byte, h *header) (map[uint32][]byte, error) {
	out := make(map[uint32][]byte, len(h.sections))
	for _, s := range h.sections {
		d := data[s.off : s.off+s.len]
		if crc32.Checksum(d, castagnoli) != s.crc {
			return nil, corrupt("section %s: checksum mismatch", sectionName(s.kind))
		}
		out[s.kind] = d
	}
	for _, k := range []uint32{secMeta, secIndex, secKEV, secEPSS, secForms} {
		if _, ok := out[k]; !ok {
			return nil, corrupt("section %s missing", sectionName(k))
		}
	}
	return out, nil
}

// digestOf returns the "sha256:..." form of a digest.
func digestOf(sum [32]byte) string { return "sha256:" + hex.EncodeToString(sum[:]) }
