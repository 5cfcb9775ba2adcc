package db

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/advcodec"
	"github.com/bomrank/bomrank/internal/entryform"
)

// The compiled section holds each OSV affected entry's matching form,
// compiled at build time by the matcher's codec (internal/entryform;
// package match defines the form), so that a scan does not decode and
// compile every entry it touches from its record:
//
//	version of the form (uvarint; 0 when built without a codec)
//	number of entries n (uvarint; the index's Contents().Entries)
//	offsets: n little-endian uint32s, entry seq's form at data[off(seq):]
//	data: a 0 byte (the empty form, at offset 0: every entry whose form
//	  could not be stored points there), then each stored form, its
//	  length (uvarint) then its bytes, grouped by package
//
// Why grouped by package: a scan reads the forms of a component's
// package one after the other, and the entries of a package are spread
// over the whole index (they are numbered in advisory ID order); laid out
// in entry order, nearly every form read missed the cache (the data is
// 3.4 MB for the 100k workload, read at random). Open checks the layout
// (the offsets within the data); a form is read only by the matcher,
// which checks it as it reads it, and compiles the entry from its record
// when the form does not decode. Verify compares every stored form with a
// fresh compile of the entry's record.

// forms is the compiled section, its layout checked.
type forms struct {
	version uint64
	n       int
	offs    string // n little-endian uint32s
	data    string
	usable  bool // the version is the registered codec's
}

// encodeForms compiles every entry of ix with the registered codec (none:
// every entry's form is empty, version 0).
func encodeForms(ix *index.Memory) ([]byte, error) {
	c := entryform.Current()
	n := ix.Contents().Entries
	var version uint64
	if c != nil {
		version = c.Version
	}
	offs := make([]byte, 4*n)
	data := []byte{0}
	var form []byte
	for _, seq := range byPackage(ix) {
		if c == nil {
			break
		}
		var ok bool
		if form, ok = c.Append(form[:0], ix.Affected(seq, nil)); !ok {
			continue
		}
		binary.LittleEndian.PutUint32(offs[4*seq:], uint32(len(data)))
		data = binary.AppendUvarint(data, uint64(len(form)))
		data = append(data, form...)
		if len(data) >= 1<<32-1 {
			return nil, errors.New("encode compiled: forms over 4 GiB")
		}
	}
	b := binary.AppendUvarint(nil, version)
	b = binary.AppendUvarint(b, uint64(n))
	b = append(b, offs...)
	return append(b, data...), nil
}

// byPackage returns the entry numbers of ix whose affected package
// decodes, grouped by package, in entry order within a group. A group is
// a 64-bit FNV-1a hash of the ecosystem without its release and the name
// as written (a hash that two packages share, or two spellings of one
// package, only changes the layout): keying each entry by its normalized
// package name instead cost 55 MB more at the 600k workload's build, whose
// peak it raised by 0.1 GiB.
func byPackage(ix *index.Memory) []int {
	type keyed struct {
		key uint64
		seq int
	}
	ks := make([]keyed, 0, ix.Contents().Entries)
	for seq := range ix.Contents().Entries {
		if aff := ix.Affected(seq, nil); aff != nil {
			base, _, _ := strings.Cut(aff.Ecosystem, ":")
			ks = append(ks, keyed{fnv64a(fnv64a(fnv64a(fnvOffset, base), "\x00"), aff.Name), seq})
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.key, b.key), a.seq-b.seq) })
	out := make([]int, len(ks))
	for i, k := range ks {
		out[i] = k.seq
	}
	return out
}

const fnvOffset = 14695981039346656037

// fnv64a continues the 64-bit FNV-1a hash h over s.
func fnv64a(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// decodeForms checks the layout of the compiled section sec of an index
// of entries entries.
func decodeForms(sec string, entries int) (*forms, error) {
	d := advcodec.NewDecoder(sec)
	f := &forms{version: d.Uvarint()}
	f.n = d.Int(1<<31 - 1)
	if err := d.Err(); err != nil {
		return nil, err
	}
	if f.n != entries {
		return nil, fmt.Errorf("%d entries, the index has %d", f.n, entries)
	}
	if d.Len() < 4*f.n+1 {
		return nil, fmt.Errorf("%d bytes, less than the offsets of %d entries and the empty form: %w", d.Len(), f.n, advcodec.ErrTruncated)
	}
	f.offs = d.Raw(4 * f.n)
	f.data = d.Raw(d.Len())
	if f.data[0] != 0 {
		return nil, errors.New("no empty form")
	}
	for i := range f.n {
		if int(f.off(i)) >= len(f.data) {
			return nil, fmt.Errorf("entry %d's form is past the end", i)
		}
	}
	c := entryform.Current()
	f.usable = c != nil && f.version != 0 && f.version == c.Version
	return f, nil
}

// off returns the offset of entry i's form.
func (f *forms) off(i int) uint32 {
	b := f.offs[4*i : 4*i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// form returns entry seq's form, "" when there is none, seq is out of
// range or the form's length runs past the data.
func (f *forms) form(seq int) string {
	if seq < 0 || seq >= f.n {
		return ""
	}
	off := int(f.off(seq)) // checked by decodeForms: within data
	n, w := uint64(f.data[off]), 1
	if n >= 0x80 {
		var x uint64
		var s uint
		for w = 0; off+w < len(f.data) && w < 10; w++ {
			c := f.data[off+w]
			x |= uint64(c&0x7f) << s
			s += 7
			if c < 0x80 {
				break
			}
		}
		if off+w >= len(f.data) || w == 10 {
			return ""
		}
		n, w = x, w+1
	}
	if n > uint64(len(f.data)-off-w) {
		return ""
	}
	return f.data[off+w : off+w+int(n)]
}

// CompiledForm implements index.CompiledForms: the stored form of entry
// seq, "" when there is none or the database was built with another
// version of the form than this bomrank's matcher reads.
func (d *DB) CompiledForm(seq int) string {
	if d.forms == nil || !d.forms.usable {
		return ""
	}
	return d.forms.form(seq)
}

// verifyForms compares every stored form of f with a fresh compile of
// the entry's affected package in ix (the index as decoded from the
// file). A database built with another version of the form is not
// compared (scans do not use its forms).
func verifyForms(f *forms, ix *index.Memory) error {
	c := entryform.Current()
	if c == nil || f.version != c.Version {
		return nil
	}
	var fresh []byte
	for seq := range f.n {
		aff := ix.Affected(seq, nil)
		if aff == nil {
			continue // the index's own check names it
		}
		fresh, _ = c.Append(fresh[:0], aff)
		if stored := f.form(seq); stored != string(fresh) {
			id := "?"
			if a := ix.Record(seq, nil); a != nil {
				id = a.ID
			}
			return corrupt("section compiled: entry %d (%s, package %q) differs from a fresh compile of its record (%d bytes stored, %d compiled)",
				seq, id, aff.Name, len(stored), len(fresh))
		}
	}
	return nil
}
