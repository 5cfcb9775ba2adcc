package db

import (
	"encoding/binary"
	"errors"
	"fmt"

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
//	number of entries (uvarint; the index's Contents().Entries)
//	offsets: entries+1 little-endian uint32s, from 0, never decreasing
//	the forms, entry after entry (entry seq is data[off(seq):off(seq+1)],
//	  empty when the entry's form could not be stored)
//
// Open checks the layout; a form is read only by the matcher, which
// checks it as it reads it and compiles the entry from its record when
// the form does not decode. Verify compares every stored form with a
// fresh compile of the entry's record.

// forms is the compiled section, its layout checked.
type forms struct {
	version uint64
	n       int
	offs    string // n+1 little-endian uint32s
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
	var data []byte
	offs := make([]byte, 0, 4*(n+1))
	for seq := range n {
		offs = advcodec.AppendUint32(offs, uint32(len(data)))
		if c == nil {
			continue
		}
		if aff := ix.Affected(seq, nil); aff != nil {
			data, _ = c.Append(data, aff)
		}
		if len(data) >= 1<<32-1 {
			return nil, errors.New("encode compiled: forms over 4 GiB")
		}
	}
	offs = advcodec.AppendUint32(offs, uint32(len(data)))
	b := binary.AppendUvarint(nil, version)
	b = binary.AppendUvarint(b, uint64(n))
	b = append(b, offs...)
	return append(b, data...), nil
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
	if d.Len() < 4*(f.n+1) {
		return nil, fmt.Errorf("%d bytes, less than the offsets of %d entries: %w", d.Len(), f.n, advcodec.ErrTruncated)
	}
	f.offs = d.Raw(4 * (f.n + 1))
	f.data = d.Raw(d.Len())
	if f.off(0) != 0 || int(f.off(f.n)) != len(f.data) {
		return nil, errors.New("offsets do not span the forms")
	}
	for i := range f.n {
		if f.off(i) > f.off(i+1) {
			return nil, fmt.Errorf("entry %d ends before it starts", i)
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

// form returns entry seq's form, "" when there is none or seq is out of
// range.
func (f *forms) form(seq int) string {
	if seq < 0 || seq >= f.n {
		return ""
	}
	return f.data[f.off(seq):f.off(seq+1)]
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
