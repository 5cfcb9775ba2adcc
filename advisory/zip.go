package advisory

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/internal/walk"
	"github.com/bomrank/bomrank/internal/zipcheck"
)

// zipInMemory is the size up to which a zip archive is read into memory
// rather than read member by member from the file. (A variable so that
// the tests can cover both ways.)
var zipInMemory int64 = 256 << 20

// zipMember is one member to read, and what reading it gave.
type zipMember struct {
	zip  *zipArchive
	file *zip.File
	out  outcome
}

// path names the member in errors and as Advisory.Source.
func (m *zipMember) path() string { return m.zip.path + "!" + displayName(m.file.Name) }

// openZips opens the zip archives among files (recognised while reading
// them), all at once, and returns those that opened within the limits;
// for the others the file's outcome holds the error.
func (o Options) openZips(ctx context.Context, chunks [][]loadedFile) []*zipArchive {
	var isZip []*loadedFile
	for _, c := range chunks {
		for i := range c {
			if c[i].out.isZip && c[i].out.err == nil {
				isZip = append(isZip, &c[i])
			}
		}
	}
	opened := make([]*zipArchive, len(isZip))
	errs := pool.Each(ctx, len(isZip), o.Workers, nil, func(_ struct{}, k int) error {
		z, err := o.openZip(isZip[k].Path)
		if err != nil {
			return err
		}
		z.fromDir, z.root = isZip[k].InDir(), isZip[k].Root
		opened[k] = z
		return nil
	})
	var zips []*zipArchive
	for k, z := range opened {
		switch {
		case errs != nil && errs[k] != nil:
			isZip[k].out.err = errs[k]
			if z != nil {
				z.close()
			}
		case z != nil:
			zips = append(zips, z)
		}
	}
	return zips
}

// readMembers reads the members of every archive, all archives together,
// then closes the archives.
func (o Options) readMembers(ctx context.Context, zips []*zipArchive, prog *progress) []zipMember {
	n := 0
	for _, z := range zips {
		n += len(z.files)
	}
	members := make([]zipMember, 0, n)
	for _, z := range zips {
		for _, f := range z.files {
			members = append(members, zipMember{zip: z, file: f})
		}
	}
	prog.found(len(members))
	c := &crew{}
	errs := pool.Each(ctx, len(members), o.Workers, c.newWorker, func(w *worker, i int) error {
		m := &members[i]
		if loadHook != nil {
			loadHook(m.path())
		}
		m.out = w.readMember(m.zip, m.file, o.maxMemberBytes())
		w.trim()
		prog.step()
		return nil
	})
	c.release()
	for i, err := range errs {
		if err != nil { // a panic, or cancelled before the member was read
			members[i].out = outcome{err: err}
			prog.step()
		}
	}
	for _, z := range zips {
		z.close()
	}
	return members
}

// zipTally is what the members of one archive gave.
type zipTally struct {
	advs, errs, ignored int
	first               *LoadError
}

// addMembers adds what the members of the archives gave to res: their
// advisories and errors; the members that are not advisories, counted
// once per archive as ignored; an archive named by the caller that holds
// no advisories at all, as an error.
func (res *LoadResult) addMembers(zips []*zipArchive, members []zipMember) {
	tally := make(map[*zipArchive]*zipTally, len(zips))
	for _, z := range zips {
		tally[z] = &zipTally{}
	}
	for i := range members {
		m := &members[i]
		t, oc := tally[m.zip], &m.out
		switch {
		case oc.err == nil:
			t.advs += len(oc.advs)
			if oc.extra != nil {
				t.advs += len(oc.extra.KEV) + len(oc.extra.EPSS)
			}
			res.Advisories = append(res.Advisories, oc.advs...)
			res.addExtra(oc.extra)
		case errors.Is(oc.err, ErrNotAdvisory):
			t.ignored++
			if t.first == nil {
				t.first = &LoadError{Path: m.path(), Err: oc.err}
			}
		default:
			t.errs++
			res.Errors = append(res.Errors, &LoadError{Path: m.path(), Err: oc.err})
		}
	}
	for _, z := range zips {
		t := tally[z]
		switch {
		case t.advs == 0 && t.errs == 0 && !z.fromDir:
			res.Errors = append(res.Errors, &LoadError{Path: z.path, Err: notAdvisory("zip archive holds no advisories (%d member(s) read)", len(z.files))})
		case t.ignored > 0:
			res.Ignored = append(res.Ignored, &LoadError{Path: z.path, Err: fmt.Errorf("%w: %d zip member(s) passed over, first %s", ErrNotAdvisory, t.ignored, t.first)})
		}
	}
}

// zipArchive is an open zip archive whose members are being read.
type zipArchive struct {
	path    string
	fromDir bool
	root    int32 // walk.File.Root of the archive
	// mtime is the archive's modification time (Unix nanoseconds), sum
	// its SHA-256 with Options.Digest: the members' Source takes them.
	mtime int64
	sum   *[sha256.Size]byte
	files []*zip.File // the members to read, in archive order
	f     *os.File    // nil when the archive was read into memory
	data  []byte      // the archive, when read into memory
	// budget is what is left of Options.MaxZipBytes once the members'
	// declared sizes are counted: what gzip-compressed members may
	// decompress to, all together (see worker.gunzip).
	budget   atomic.Int64
	maxBytes int64 // Options.MaxZipBytes, for messages
}

// budgetReader charges what it reads to its archive's budget, and fails
// with ErrZipLimit once the budget is spent. (Workers reading members of
// one archive at once may overshoot it by one read each.)
type budgetReader struct {
	r io.Reader
	z *zipArchive
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if b.z.budget.Add(-int64(n)) < 0 {
		return n, fmt.Errorf("%w: gzip-compressed members decompress to more than the archive's budget (%d bytes, less what the members declare)", ErrZipLimit, b.z.maxBytes)
	}
	return n, err
}

func (z *zipArchive) close() {
	if z.f != nil {
		z.f.Close()
	}
}

// openZip opens a zip archive and checks it against the limits. Small
// archives are read into memory; larger ones are read from the file.
func (o Options) openZip(path string) (*zipArchive, error) {
	f, size, err := walk.Open(path, 0)
	if err != nil {
		return nil, err
	}
	z := &zipArchive{path: path}
	if st, err := f.Stat(); err == nil {
		z.mtime = st.ModTime().UnixNano()
	}
	var ra io.ReaderAt = f
	if size <= zipInMemory {
		data := make([]byte, size)
		_, err := io.ReadFull(f, data)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("zip: %w", walk.UnwrapPath(err))
		}
		ra = bytes.NewReader(data)
		z.data = data
		if o.Digest {
			sum := sha256.Sum256(data)
			z.sum = &sum
		}
	} else {
		z.f = f
		if o.Digest {
			if z.sum, err = digestFile(f); err != nil {
				z.close()
				return nil, fmt.Errorf("zip: %w", walk.UnwrapPath(err))
			}
		}
	}
	if n, ok := zipcheck.DeclaredMembers(ra, size); ok && n > uint64(o.maxZipMembers()) {
		z.close()
		return nil, fmt.Errorf("%w: %d members, more than %d", ErrZipLimit, n, o.maxZipMembers())
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		z.close()
		return nil, fmt.Errorf("zip: %w", err)
	}
	if len(zr.File) > o.maxZipMembers() {
		z.close()
		return nil, fmt.Errorf("%w: %d members, more than %d", ErrZipLimit, len(zr.File), o.maxZipMembers())
	}
	var total, comp uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(o.maxZipBytes()) {
			z.close()
			return nil, fmt.Errorf("%w: members declare more than %d bytes uncompressed", ErrZipLimit, o.maxZipBytes())
		}
		// Each member takes its compressed bytes and a local header of
		// at least 30 bytes and its name: members that together take more
		// than the archive share bytes (overlap).
		comp += min(zf.CompressedSize64, uint64(size)+1) + 30 + uint64(len(zf.Name))
		if comp > uint64(size) {
			z.close()
			return nil, fmt.Errorf("%w: members overlap (their compressed sizes add up to more than the archive's %d bytes)", ErrZipLimit, size)
		}
		if strings.HasSuffix(zf.Name, "/") && zf.UncompressedSize64 == 0 {
			continue // a directory
		}
		z.files = append(z.files, zf)
	}
	if z.data != nil {
		if err := checkOverlap(z.files, z.data); err != nil {
			return nil, err
		}
	}
	z.budget.Store(o.maxZipBytes() - int64(total))
	z.maxBytes = o.maxZipBytes()
	return z, nil
}

// checkOverlap refuses an archive (held in memory) two of whose members
// share bytes: a central directory whose entries all point at one
// compressed member makes the archive decompress it once per entry.
// (The archives read from the file are held to the weaker rule of
// openZip, that the members' sizes add up to no more than the archive:
// the local headers would have to be read one by one. That rule bounds
// the work as well: no more than a non-overlapping archive of that size.)
func checkOverlap(files []*zip.File, archive []byte) error {
	type span struct{ start, end uint64 }
	spans := make([]span, 0, len(files))
	for _, zf := range files {
		off, err := zf.DataOffset()
		if err != nil || off < 0 || uint64(off) > uint64(len(archive)) {
			continue // read and reported as the member's error
		}
		spans = append(spans, span{uint64(off), uint64(off) + zf.CompressedSize64})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var end uint64 // the furthest end so far
	for i, sp := range spans {
		if i > 0 && (sp.start < end || sp.start == spans[i-1].start) {
			return fmt.Errorf("%w: members overlap (one starts at byte %d, inside another)", ErrZipLimit, sp.start)
		}
		end = max(end, sp.end)
	}
	return nil
}

// readMember reads one zip member. archive/zip itself fails a member that
// decompresses to more than its declared size or fails its CRC-32.
func (w *worker) readMember(z *zipArchive, zf *zip.File, limit int64) outcome {
	if !safeMemberName(zf.Name) {
		return outcome{err: ErrUnsafeName}
	}
	if zf.UncompressedSize64 > uint64(limit) {
		return outcome{err: fmt.Errorf("%w: member declares %d bytes, more than %d", ErrTooLarge, zf.UncompressedSize64, limit)}
	}
	var data []byte
	var isZip, done bool
	var err error
	if z.data != nil {
		data, done, err = w.inflate(z.data, zf)
		isZip = done && isZipMagic(data)
	}
	if !done {
		var rc io.ReadCloser
		rc, err = zf.Open()
		if err != nil {
			return outcome{err: fmt.Errorf("zip: %w", err)}
		}
		data, isZip, err = readAll(rc, limit, w.buf, true)
		rc.Close()
		w.buf = data[:0]
	}
	switch {
	case err != nil && errors.Is(err, ErrTooLarge):
		return outcome{err: err}
	case err != nil:
		return outcome{err: fmt.Errorf("zip: %w", err)}
	case isZip:
		return outcome{err: notAdvisory("a zip archive inside a zip archive is not read")}
	}
	w.zip = z
	defer func() { w.zip = nil }()
	out := w.decode(data, z.path+"!"+displayName(zf.Name), limit)
	if out.err == nil {
		summarise(&out)
	}
	return out
}

// inflate decompresses a stored or deflated member of an archive held in
// memory, with checks equivalent to archive/zip's (the size must be the
// declared one, the CRC-32 must match), but with a flate reader reused
// across members and without copying the compressed bytes: a third less
// time for osv.dev's all.zip of small records. done is false for other
// compression methods, which are left to archive/zip. The member's
// declared size has been checked against the limit.
func (w *worker) inflate(archive []byte, zf *zip.File) (data []byte, done bool, err error) {
	if zf.Method != zip.Store && zf.Method != zip.Deflate {
		return nil, false, nil
	}
	off, err := zf.DataOffset()
	if err != nil {
		return nil, true, err
	}
	if off < 0 || uint64(off) > uint64(len(archive)) || zf.CompressedSize64 > uint64(len(archive))-uint64(off) {
		return nil, true, zip.ErrFormat
	}
	comp := archive[off : uint64(off)+zf.CompressedSize64]
	size := zf.UncompressedSize64
	if zf.Method == zip.Store {
		data = comp
		if uint64(len(data)) != size {
			return nil, true, zip.ErrFormat
		}
	} else {
		w.zr.Reset(comp)
		if w.fl == nil {
			w.fl = flate.NewReader(&w.zr)
		} else if err := w.fl.(flate.Resetter).Reset(&w.zr, nil); err != nil {
			return nil, true, err
		}
		data = slices.Grow(w.buf[:0], int(size)+1)[:size+1]
		n, err := io.ReadFull(w.fl, data)
		w.buf = data[:0]
		switch {
		case err == nil:
			return nil, true, zip.ErrFormat // more than declared
		case err != io.ErrUnexpectedEOF && err != io.EOF:
			return nil, true, err
		case uint64(n) != size:
			return nil, true, io.ErrUnexpectedEOF
		}
		data = data[:n]
	}
	if zf.CRC32 != 0 && crc32.ChecksumIEEE(data) != zf.CRC32 {
		return nil, true, zip.ErrChecksum
	}
	return data, true, nil
}

// safeMemberName reports whether a zip member name is a relative path that
// stays inside the archive: not empty, not absolute (no leading slash or
// backslash, no drive letter), without ".." segments or NUL bytes.
// Backslashes count as separators, as Windows tools write them. Nothing
// is ever extracted to disk, but such names are what a zip-slip attack
// looks like, and they would be misleading in Source.
func safeMemberName(name string) bool {
	if name == "" || strings.IndexByte(name, 0) >= 0 || name[0] == '/' || name[0] == '\\' {
		return false
	}
	if len(name) >= 2 && name[1] == ':' && (name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z') {
		return false
	}
	for seg := range strings.FieldsFuncSeq(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if seg == ".." {
			return false
		}
	}
	return true
}

// displayName quotes a member name that has unprintable characters, so
// that a hostile name cannot garble a terminal.
func displayName(name string) string {
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return strconv.Quote(name)
		}
	}
	return name
}
