package db

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/advcodec"
	"github.com/bomrank/bomrank/internal/entryform"
	_ "github.com/bomrank/bomrank/match" // registers the compiled form's codec
)

// rewrite returns the database file data with the section of the given
// kind replaced by f's result, every checksum and the digest made to
// agree: damage only the section's own checks can find.
func rewrite(t *testing.T, data []byte, kind uint32, f func([]byte) []byte) []byte {
	t.Helper()
	h, err := parseHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []uint32
	var secs [][]byte
	for _, s := range h.sections {
		d := append([]byte(nil), data[s.off:s.off+s.len]...)
		if s.kind == kind {
			d = f(d)
		}
		kinds, secs = append(kinds, s.kind), append(secs, d)
	}
	out := encode(kinds, secs)
	var pad [8]byte
	for _, d := range secs {
		out = append(append(out, d...), pad[:align8(len(d))-len(d)]...)
	}
	return out
}

// formsLayout returns the offsets of the compiled section's parts: where
// its offsets and its forms start, and the number of entries.
func formsLayout(t *testing.T, sec []byte) (offs, data, n int) {
	t.Helper()
	d := advcodec.NewDecoder(sec)
	d.Uvarint()
	n = d.Int(1 << 30)
	if d.Err() != nil {
		t.Fatal(d.Err())
	}
	return d.Offset(), d.Offset() + 4*n, n
}

// The sample database stores the compiled form of its OSV entries, and
// every one is what a fresh compile gives (Verify).
func TestFormsStored(t *testing.T) {
	d, err := Open(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	stored := 0
	for seq := range d.Contents().Entries {
		if d.CompiledForm(seq) != "" {
			stored++
		}
	}
	if stored == 0 || d.CompiledForm(-1) != "" || d.CompiledForm(d.Contents().Entries) != "" {
		t.Fatalf("%d of %d entries stored", stored, d.Contents().Entries)
	}
	if err := d.Verify(); err != nil {
		t.Fatal(err)
	}
}

// A compiled section whose layout is wrong (checksums and digest made to
// agree) is an error of Open naming the section, never a panic; a form
// whose length runs past the section is one of Verify (a scan does not
// read it: CompiledForm gives "").
func TestFormsDamaged(t *testing.T) {
	good, err := os.ReadFile(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bad")
	cases := map[string]func(sec []byte) []byte{
		"empty":      func([]byte) []byte { return nil },
		"bad varint": func([]byte) []byte { return bytes.Repeat([]byte{0xff}, 12) },
		"one entry":  func([]byte) []byte { return []byte{1, 1, 0, 0, 0, 0, 0} },
		"no offsets": func(sec []byte) []byte { _, o, _ := formsLayout(t, sec); return sec[:o-1] },
		"no data":    func(sec []byte) []byte { _, o, _ := formsLayout(t, sec); return sec[:o] },
		"no empty form": func(sec []byte) []byte {
			_, o, _ := formsLayout(t, sec)
			sec[o] = 1
			return sec
		},
		"offset past the end": func(sec []byte) []byte {
			o, _, n := formsLayout(t, sec)
			copy(sec[o+4*(n/2):], []byte{0xff, 0xff, 0xff, 0x7f})
			return sec
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(p, rewrite(t, good, secForms, f), 0o644)
			d, err := Open(p)
			if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "section compiled: ") || !strings.Contains(err.Error(), p) {
				t.Fatalf("Open = %v, %v; want the section named", d, err)
			}
		})
	}
	os.WriteFile(p, rewrite(t, good, secForms, func(sec []byte) []byte { return sec[:len(sec)-1] }), 0o644)
	d, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Verify(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "section compiled: entry ") {
		t.Fatalf("the last form cut short: Verify = %v", err)
	}
}

// A form changed in place (its layout intact, checksums and digest made
// to agree) is found: Verify names the entry (a scan that meets a form
// that does not decode compiles the entry from its record: match's
// TestCandidateFallback). No flipped bit of the forms makes Open or
// Verify panic.
func TestVerifyForms(t *testing.T) {
	good, err := os.ReadFile(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bad")
	var start, end int
	rewrite(t, good, secForms, func(sec []byte) []byte {
		_, start, _ = formsLayout(t, sec)
		end = len(sec)
		return sec
	})
	if end <= start {
		t.Fatal("no forms stored")
	}
	found := 0
	for i := start + 1; i < end; i += max(1, (end-start)/300) { // past the empty form
		bad := rewrite(t, good, secForms, func(sec []byte) []byte { sec[i] ^= 0x01; return sec })
		os.WriteFile(p, bad, 0o644)
		d, err := Open(p)
		if err != nil {
			t.Fatalf("byte %d of the forms flipped: Open = %v", i, err)
		}
		err = d.Verify()
		if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "section compiled: entry ") ||
			!strings.Contains(err.Error(), "differs from a fresh compile") {
			t.Fatalf("byte %d of the forms flipped: Verify = %v", i, err)
		}
		found++
		d.Close()
	}
	t.Logf("%d flipped bytes named", found)
}

// A schema-2 database (before the compiled section) is refused, to be
// rebuilt.
func TestOpenSchema2(t *testing.T) {
	data, err := os.ReadFile(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	data[8] = 2
	p := filepath.Join(t.TempDir(), "old")
	os.WriteFile(p, data, 0o644)
	_, err = Open(p)
	var se *SchemaError
	if !errors.As(err, &se) || se.Have != 2 || se.Want != 3 || !strings.Contains(err.Error(), "built by schema 2, this bomrank reads 3: rebuild it with `bomrank db build`") {
		t.Fatalf("Open = %v", err)
	}
}

// A database built without the codec stores no form, and one built with
// another version of the form has its forms unused: scans compile every
// entry from its record, and Verify does not count them corrupt.
func TestFormsOtherCodec(t *testing.T) {
	c := entryform.Current()
	defer entryform.Register(c)
	for _, other := range []*entryform.Codec{nil, {Version: c.Version + 1, Append: c.Append}} {
		t.Run(fmt.Sprint(other != nil), func(t *testing.T) {
			entryform.Register(other)
			path := sample(t)
			entryform.Register(c)
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if d.Contents().Entries == 0 || d.forms.usable {
				t.Fatalf("%d entries, forms usable", d.Contents().Entries)
			}
			for seq := range d.Contents().Entries {
				if d.CompiledForm(seq) != "" {
					t.Fatalf("entry %d: a form of another codec is used", seq)
				}
			}
			if err := d.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
