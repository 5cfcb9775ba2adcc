package db

import (
	"crypto/sha256"
	"fmt"
	"time"
	"unsafe"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/cpe"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/mapfile"
	"github.com/bomrank/bomrank/internal/walk"
)

// DB is an open database. It implements index.Reader (the matcher reads
// through it as through an index built from the feeds) and holds the KEV
// and EPSS data and the provenance the database was built with. It is
// read-only and safe for concurrent use.
type DB struct {
	path string
	data []byte
	text string // data as a string, sharing its memory (readFile)
	hdr  *header
	meta *Meta
	ix   *index.Memory
	kev  []advisory.KEV
	epss []advisory.EPSS
	// forms is the compiled section (forms.go).
	forms *forms
	// mapped says data is the file mapped (OpenMapped), not read.
	mapped bool
}

var (
	_ index.Reader        = (*DB)(nil)
	_ index.Candidates    = (*DB)(nil)
	_ index.CompiledForms = (*DB)(nil)
)

// Open opens the database at path, read-only: it takes no lock and never
// writes, so any number of scans may open one database at once, and one
// that a build replaces meanwhile stays readable. Only a regular file is
// opened (a directory, a pipe or a device is an error, as for every
// input: internal/walk.Open); it is read whole into memory (see
// readFile). Open checks the header (magic number, schema
// version, size), each section's CRC-32C, and decodes the sections; the
// SHA-256 digest is checked only by Verify. Every failure is an *Error
// naming the file (wrapping ErrNotDB, ErrTruncated, ErrCorrupt, a
// *SchemaError or the file system's error).
func Open(path string) (*DB, error) { return open(path, false) }

// OpenMapped opens the database at path as Open does, but maps the file
// into memory rather than reading it where the mapping can be guarded
// (Linux: a read lease on the file, which the process's owner holds on
// its own files; see internal/mapfile), and reads it as Open does
// elsewhere (Mapped says which). Scans from a mapped database start
// sooner and take less memory: the file's pages are shared with the page
// cache, not copied. Another process that opens the file to write it, or
// truncates it, waits while this one copies the mapping aside (a few
// milliseconds), so the database read stays the one checked at open.
//
// The mapping, and the file descriptor holding the lease, last until
// the process exits, even after Close (the records share the mapping):
// OpenMapped is for a command that scans once, as `bomrank scan` does. A
// program that opens databases again and again uses Open.
func OpenMapped(path string) (*DB, error) { return open(path, true) }

func open(path string, mapped bool) (*DB, error) {
	f, size, err := walk.Open(path, 0)
	if err != nil {
		return nil, fail(path, err)
	}
	d := &DB{path: path}
	if mapped {
		// Mapped under a read lease (internal/mapfile says what that
		// saves, and how the lease keeps the bytes those checked here);
		// where it cannot be, read.
		d.data, err = mapfile.Map(f, size)
		d.mapped = err == nil
	}
	if !d.mapped {
		d.data, err = readFile(f, size)
	}
	f.Close()
	if err != nil {
		return nil, fail(path, err)
	}
	// The index decodes its records from the data as a string sharing
	// its memory (never written after): a decoded record's strings are
	// substrings of it, with no copy.
	d.text = unsafe.String(unsafe.SliceData(d.data), len(d.data))
	if err := d.load(); err != nil {
		if d.mapped {
			mapfile.Unmap(d.data) // nothing views it: load failed
		}
		return nil, fail(path, err)
	}
	return d, nil
}

// section returns the data of the section of the given kind as a string
// sharing the file's memory (the header is checked: it is there).
func (d *DB) section(kind uint32) string {
	for _, s := range d.hdr.sections {
		if s.kind == kind {
			return d.text[s.off : s.off+s.len]
		}
	}
	return ""
}

// load checks the header and the sections' checksums and decodes them.
func (d *DB) load() error {
	h, err := parseHeader(d.data)
	if err != nil {
		return err
	}
	d.hdr = h
	secs, err := checkSections(d.data, h)
	if err != nil {
		return err
	}
	if d.meta, err = decodeMeta(secs[secMeta]); err != nil {
		return err
	}
	if d.ix, err = index.DecodeString(d.section(secIndex)); err != nil {
		return corrupt("section index: %v", err)
	}
	if d.kev, err = decodeKEV(secs[secKEV]); err != nil {
		return corrupt("section kev: %v", err)
	}
	if d.epss, err = decodeEPSS(secs[secEPSS]); err != nil {
		return corrupt("section epss: %v", err)
	}
	if d.forms, err = decodeForms(d.section(secForms), d.ix.Contents().Entries); err != nil {
		return corrupt("section compiled: %v", err)
	}
	return nil
}

// Close releases the file's data. The database must not be used after
// it. What was read before (records, entries, a scan's result) stays
// valid: it keeps the memory it shares with the data (a mapped
// database's mapping stays until the process exits: OpenMapped).
func (d *DB) Close() error {
	d.data, d.text = nil, ""
	return nil
}

// Mapped reports whether the database's file is mapped rather than read
// into memory (OpenMapped, where a lease guards the mapping).
func (d *DB) Mapped() bool { return d.mapped }

// Path returns the file the database was opened from.
func (d *DB) Path() string { return d.path }

// Meta returns what the database records besides the index. The caller
// must not modify it.
func (d *DB) Meta() *Meta { return d.meta }

// Built returns when the database was built.
func (d *DB) Built() time.Time { return d.meta.Built }

// Digest returns the database's "sha256:..." digest: the SHA-256 of every
// byte after its header, as the header records it (Verify recomputes it).
func (d *DB) Digest() string { return digestOf(d.hdr.digest) }

// Index returns the index the database holds.
func (d *DB) Index() *index.Memory { return d.ix }

// Inputs returns the records from which index.New builds the same index
// (see index.(*Memory).Inputs): a scan with more feeds on top of the
// database indexes these with the extra records.
func (d *DB) Inputs() []*advisory.Advisory { return d.ix.Inputs() }

// Replacements returns the replacements the build's index made (see
// index.(*Memory).Replacements).
func (d *DB) Replacements() []index.Replacement { return d.ix.Replacements() }

// KEV returns the KEV entries stored, in the order read. The caller must
// not modify them.
func (d *DB) KEV() []advisory.KEV { return d.kev }

// EPSS returns the EPSS scores stored, in the order read. The caller must
// not modify them.
func (d *DB) EPSS() []advisory.EPSS { return d.epss }

// Contents implements index.Reader.
func (d *DB) Contents() index.Contents { return d.ix.Contents() }

// Packages implements index.Reader.
func (d *DB) Packages(ecosystem, name string) []index.Entry { return d.ix.Packages(ecosystem, name) }

// PackageURL implements index.Reader.
func (d *DB) PackageURL(key string) []index.Entry { return d.ix.PackageURL(key) }

// PackageCandidates implements index.Candidates: the entries of a
// package before their records are decoded.
func (d *DB) PackageCandidates(ecosystem, name string) []index.Entry {
	return d.ix.PackageCandidates(ecosystem, name)
}

// PackageURLCandidates implements index.Candidates.
func (d *DB) PackageURLCandidates(key string) []index.Entry { return d.ix.PackageURLCandidates(key) }

// PackageEntries implements index.Candidates.
func (d *DB) PackageEntries(dst []int, ecosystem, name string) []int {
	return d.ix.PackageEntries(dst, ecosystem, name)
}

// PackageURLEntries implements index.Candidates.
func (d *DB) PackageURLEntries(dst []int, key string) []int { return d.ix.PackageURLEntries(dst, key) }

// Affected implements index.Candidates.
func (d *DB) Affected(seq int, s *index.Scratch) *advisory.Affected { return d.ix.Affected(seq, s) }

// Record implements index.Candidates.
func (d *DB) Record(seq int, s *index.Scratch) *advisory.Advisory { return d.ix.Record(seq, s) }

// Configurations implements index.Reader.
func (d *DB) Configurations(vendor, product string) []index.CPEEntry {
	return d.ix.Configurations(vendor, product)
}

// Criterion implements index.Reader.
func (d *DB) Criterion(criteria string) (cpe.Name, bool) { return d.ix.Criterion(criteria) }

// Products implements index.Reader.
func (d *DB) Products(k index.Key) []index.CSAFEntry { return d.ix.Products(k) }

// Statements implements index.Reader.
func (d *DB) Statements(k index.Key) []index.VEXEntry { return d.ix.Statements(k) }

// Err returns an *Error when a record failed to decode after Open (the
// index decodes a record when a lookup first returns it, and leaves out
// one that does not decode), nil while the file is intact. The checksums
// are checked at Open, so this means the file was changed in place since
// (a build never does that; copying another file over it does).
func (d *DB) Err() error {
	if e, ok := any(d.ix).(interface{ Err() error }); ok {
		if err := e.Err(); err != nil {
			return fail(d.path, corrupt("%v", err))
		}
	}
	return nil
}

// Verify checks the whole database as stored: the SHA-256 digest of
// every byte after the header against the header's, each section's
// CRC-32C, and that every record decodes again from the file (a fresh
// decode of the index, all its records, the KEV and EPSS data), that each
// entry's stored compiled form is what a fresh compile of its record
// gives (when this bomrank's matcher is linked in and reads that version
// of the form), and that the counts agree with the metadata. It returns nil or an *Error naming
// what is wrong (wrapping ErrCorrupt).
func (d *DB) Verify() error {
	if err := d.verify(); err != nil {
		return fail(d.path, err)
	}
	return nil
}

func (d *DB) verify() error {
	if d.data == nil {
		return fmt.Errorf("closed")
	}
	if sum := sha256.Sum256(d.data[d.hdr.length:]); sum != d.hdr.digest {
		return corrupt("digest mismatch: the file's bytes hash to %s, the header says %s", digestOf(sum), d.Digest())
	}
	secs, err := checkSections(d.data, d.hdr)
	if err != nil {
		return err
	}
	ix, err := index.DecodeString(d.section(secIndex))
	if err != nil {
		return corrupt("section index: %v", err)
	}
	inputs := ix.Inputs()
	// The lazily decoding index checks every record and table reference
	// itself (index.(*Memory).Verify); the provisional form decoded them
	// all in Decode.
	if v, ok := any(ix).(interface{ Verify() error }); ok {
		if err := v.Verify(); err != nil {
			return corrupt("section index: %v", err)
		}
	}
	kev, err := decodeKEV(secs[secKEV])
	if err != nil {
		return corrupt("section kev: %v", err)
	}
	epss, err := decodeEPSS(secs[secEPSS])
	if err != nil {
		return corrupt("section epss: %v", err)
	}
	forms, err := decodeForms(d.section(secForms), ix.Contents().Entries)
	if err != nil {
		return corrupt("section compiled: %v", err)
	}
	if err := verifyForms(forms, ix); err != nil {
		return err
	}
	m := d.meta
	switch {
	case ix.Contents().Records != m.Records:
		return corrupt("section index: %d records, the metadata says %d", ix.Contents().Records, m.Records)
	case len(inputs) > m.Advisories:
		return corrupt("section index: %d records, more than the %d read", len(inputs), m.Advisories)
	case len(kev) != m.KEV || len(epss) != m.EPSS:
		return corrupt("%d KEV entries and %d EPSS scores, the metadata says %d and %d", len(kev), len(epss), m.KEV, m.EPSS)
	}
	return nil
}
