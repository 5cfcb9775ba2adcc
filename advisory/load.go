package advisory

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bomrank/bomrank/internal/membudget"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/internal/walk"
)

// Default limits. A real feed is read whole; a decompression bomb or a
// runaway file is stopped early.
const (
	// DefaultMaxBytes caps one file, after gzip decompression.
	DefaultMaxBytes int64 = 1 << 30
	// DefaultMaxMemberBytes caps one zip member, after decompression. The
	// largest osv.dev records are a few megabytes.
	DefaultMaxMemberBytes int64 = 64 << 20
	// DefaultMaxZipBytes caps the total uncompressed size a zip archive
	// declares (osv.dev's all.zip of every ecosystem is a few GB).
	DefaultMaxZipBytes int64 = 32 << 30
	// DefaultMaxZipMembers caps the number of members of a zip archive.
	DefaultMaxZipMembers = 4 << 20
)

// Options controls loading. The zero value is ready to use.
type Options struct {
	// Workers bounds how many files or zip members are read at once; 0
	// means GOMAXPROCS.
	Workers int
	// MaxBytes caps the size of one file after gzip decompression; 0
	// means DefaultMaxBytes.
	MaxBytes int64
	// MaxMemberBytes caps the uncompressed size of one zip member; 0
	// means DefaultMaxMemberBytes.
	MaxMemberBytes int64
	// MaxZipBytes caps the total uncompressed size a zip archive
	// declares; 0 means DefaultMaxZipBytes.
	MaxZipBytes int64
	// MaxZipMembers caps the number of members of a zip archive; 0 means
	// DefaultMaxZipMembers.
	MaxZipMembers int
	// Digest, when set, makes Load compute each source's SHA256 (see
	// Source): the database build asks for it, a scan does not.
	Digest bool
	// Progress, when set, is called by Load after each file or zip member
	// is read, with the number read so far and the number found so far
	// (total grows while directories are walked and zip archives
	// opened). Calls are serialised (never concurrent).
	Progress func(done, total int)
}

// progress serialises the calls of Options.Progress; its methods do
// nothing when there is no callback.
type progress struct {
	fn          func(done, total int)
	mu          sync.Mutex
	done, total int
}

func (p *progress) found(n int) {
	if p.fn != nil {
		p.mu.Lock()
		p.total += n
		p.mu.Unlock()
	}
}

func (p *progress) step() {
	if p.fn != nil {
		p.mu.Lock()
		p.done++
		p.fn(p.done, p.total)
		p.mu.Unlock()
	}
}

func (o Options) maxBytes() int64 { return orDefault(o.MaxBytes, DefaultMaxBytes) }

func (o Options) maxMemberBytes() int64 { return orDefault(o.MaxMemberBytes, DefaultMaxMemberBytes) }

func (o Options) maxZipBytes() int64 { return orDefault(o.MaxZipBytes, DefaultMaxZipBytes) }

func (o Options) maxZipMembers() int {
	return int(orDefault(int64(o.MaxZipMembers), DefaultMaxZipMembers))
}

func orDefault(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

// LoadError is an input that could not be read, or was passed over.
type LoadError struct {
	// Path is the file, or "archive.zip!member".
	Path string
	// Err is the reason; errors.Is finds ErrNotAdvisory, ErrTooLarge,
	// ErrUnsafeName, ErrZipLimit, fs.ErrNotExist and the like in it.
	Err error
}

// Error implements error.
func (e *LoadError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// LoadResult is what Load found.
type LoadResult struct {
	// Advisories holds every record read, withdrawn ones included, sorted
	// by ID and then Source (records with the same ID and source, from
	// one JSON array, keep their order).
	Advisories []*Advisory
	// KEV holds the entries of every KEV catalog read, and EPSS the
	// scores of every EPSS file, each in the order read (files in path
	// order).
	KEV  []KEV
	EPSS []EPSS
	// Errors holds one error per input that could not be read: a named
	// file that is missing, unreadable or not an advisory; a malformed
	// advisory anywhere; a zip archive over the limits; a zip member that
	// is too large, corrupt or has an unsafe name. Sorted by Path.
	Errors []*LoadError
	// Sources describes what each path given to Load held, one Source
	// per path and kind of data found under it, sorted by Path then
	// Kind.
	Sources []Source
	// Ignored lists what was passed over without being an error: files
	// met while walking a directory that are not advisories at all (a
	// README, a checksum), and, once per archive, the members of a zip
	// that are not advisories. Sorted by Path.
	Ignored []*LoadError
}

// Source is the provenance of one kind of data read from one path given
// to Load: what a report says about how old its data is, and what a
// database records of what it was built from.
type Source struct {
	// Kind is "osv", "nvd", "csaf", "vex" (OpenVEX, CycloneDX VEX and
	// CSAF VEX documents), "kev" or "epss".
	Kind string
	// Path is the path as given to Load.
	Path string
	// Records counts the records (advisories, KEV entries, EPSS scores)
	// of this kind read under Path.
	Records int
	// NewestModified is the newest modification date the records carry
	// (OSV modified, CSAF current_release_date, NVD lastModified, KEV
	// dateReleased, EPSS score_date), RFC 3339, "" when none does.
	NewestModified string
	// Captured is when the data was written (fetched), in UTC: the
	// newest modification time of the files of this kind when Path is a
	// file, of the directories holding them when Path is a directory,
	// of the zip archive holding them for zip members; zero when
	// unknown. A directory's time changes when a file is created,
	// renamed or removed in it, which is what fetching tools do (git,
	// rsync, unzip, a download to a temporary file renamed into place);
	// a tool that rewrites files in place leaves it, and the data then
	// reads as older than it is, never as newer. Each file's own time
	// would cost an fstat per file: 3 to 7 µs each on the 2-core
	// benchmark machine, 0.3 to 0.7 s of CPU for the 100,000 files of
	// the benchmark, against 1.8 s for the whole Load (December 2026).
	Captured time.Time
	// SHA256 is the hex SHA-256 of those files as stored (before
	// decompression); set only with Options.Digest. For a Path that is a
	// file (or a zip archive) it is the file's own digest, what sha256sum
	// prints. For a directory it is the SHA-256 of a manifest of the
	// files, one line each in walk order (by name within each
	// directory), written as sha256sum writes them: the file's hex
	// digest, two spaces, its path relative to Path with forward
	// slashes, a newline; a zip archive under the directory is one line,
	// after the files (archives in walk order).
	// The digest of the same files is the same wherever the directory
	// lies, and changes when any file, or a name, does.
	SHA256 string
}

// Load reads every advisory named by paths with default options. See
// Options.Load.
func Load(ctx context.Context, paths ...string) *LoadResult {
	return Options{}.Load(ctx, paths...)
}

// Parse reads the advisories of one document with default options. See
// Options.Parse.
func Parse(r io.Reader, name string) ([]*Advisory, error) {
	return Options{}.Parse(r, name)
}

// Parse reads the advisories of one document from r: an OSV record in JSON
// or YAML, a JSON array of OSV records or an osv.dev API response, a CSAF
// document, an NVD response or feed file, an OpenVEX document or a
// CycloneDX BOM with vulnerabilities, possibly gzip-compressed. The name is
// used in errors and as Advisory.Source; nothing but r is read (a CSAF
// document's .sha256 or .sha512 file is checked by Load, which reads the
// document itself). Zip archives are read by Load, not Parse. KEV catalogs
// and EPSS files hold no advisories: read them with ParseFeed.
func (o Options) Parse(r io.Reader, name string) ([]*Advisory, error) {
	f, err := o.ParseFeed(r, name)
	if err != nil {
		return nil, err
	}
	return f.Advisories, nil
}

// ParseFeed reads one document from r as Parse does, and also KEV catalogs
// and EPSS score files.
func ParseFeed(r io.Reader, name string) (*Feed, error) {
	return Options{}.ParseFeed(r, name)
}

// ParseFeed reads one document from r as Parse does, and also KEV catalogs
// and EPSS score files.
func (o Options) ParseFeed(r io.Reader, name string) (*Feed, error) {
	w := &worker{}
	data, isZip, err := readAll(r, o.maxBytes(), nil, true)
	if err == nil && isZip {
		err = errors.New("a zip archive: read it with Load")
	}
	if err != nil {
		return nil, &LoadError{Path: name, Err: err}
	}
	out := w.decode(data, name, o.maxBytes())
	if out.err != nil {
		return nil, &LoadError{Path: name, Err: out.err}
	}
	f := &Feed{Advisories: out.advs}
	if out.extra != nil {
		f.KEV, f.EPSS = out.extra.KEV, out.extra.EPSS
	}
	return f, nil
}

// loadedFile is one file found by the walk, and what reading it gave.
type loadedFile struct {
	walk.File
	out outcome
}

// chunkSize is the number of files the walk hands to the readers at once.
const chunkSize = 256

// outcome is what reading one file or zip member gave.
type outcome struct {
	advs  []*Advisory
	extra *Feed // KEV and EPSS data, for the few documents that hold some
	err   error
	isZip bool
	csaf  bool // the document is CSAF (read or not): its checksum files are checked
	src   fileSource
}

// loadHook, when set (by tests), is called before each file or zip member
// is read: a panic there stands for a panic anywhere in reading one.
var loadHook func(path string)

// Load reads every advisory named by paths: files, directories walked
// recursively (hidden directories such as .git are not entered) and zip
// archives, recognised by content. Files and zip members are read
// concurrently by Options.Workers workers, the files while the
// directories are still being listed; the result is in a deterministic
// order whatever the scheduling. One bad input never stops the others: it
// becomes an entry in LoadResult.Errors (a reader that panics, too: the
// LoadError wraps a *pool.PanicError). A CSAF document with a .sha256 or
// .sha512 file beside it is checked against it, on the bytes read. If ctx
// is cancelled, what is not yet read is reported as errors carrying
// ctx.Err().
func (o Options) Load(ctx context.Context, paths ...string) *LoadResult {
	prog := &progress{fn: o.Progress}
	files := o.readFiles(ctx, paths, prog)
	zips := o.openZips(ctx, files)
	members := o.readMembers(ctx, zips, prog)
	res := &LoadResult{}
	res.addFiles(files)
	res.addMembers(zips, members)
	res.sort()
	res.sources(paths, files, members)
	return res
}

// readFiles walks paths and reads the files the walk finds, while it goes
// on: listing the 100,000-file directory of the benchmark takes 80 to 180
// ms, a tenth of reading the files, and walking it first and reading after
// made Load slower (3.41 s against 3.32 s, medians of 10 alternating loads
// each way on the busy 2-core machine). Zip archives are only recognised
// here.
// The files are returned in walk order, in chunks.
func (o Options) readFiles(ctx context.Context, paths []string, prog *progress) [][]loadedFile {
	batches := make(chan []*loadedFile, 16)
	var all [][]loadedFile // complete once batches is closed
	go func() {
		defer close(batches)
		var cur []loadedFile
		flush := func() {
			if len(cur) == 0 {
				return
			}
			batch := make([]*loadedFile, len(cur))
			for i := range cur {
				batch[i] = &cur[i]
			}
			prog.found(len(batch))
			all = append(all, cur)
			batches <- batch
			cur = nil
		}
		walk.Paths(paths, func(f walk.File) {
			if cur == nil {
				cur = make([]loadedFile, 0, chunkSize)
			}
			cur = append(cur, loadedFile{File: f})
			if len(cur) == chunkSize {
				flush()
			}
		})
		flush()
	}()
	c := &crew{digest: o.Digest}
	pool.Stream(ctx, o.Workers, c.newWorker, batches, func(w *worker, f *loadedFile) error {
		if loadHook != nil {
			loadHook(f.Path)
		}
		if f.Err != nil {
			f.out.err = f.Err
		} else {
			f.out = w.readFile(&f.File, o.maxBytes())
		}
		w.trim()
		prog.step()
		return nil
	}, func(f *loadedFile, err error) { // a panic, or cancelled
		f.out = outcome{err: err}
		prog.step()
	})
	c.release()
	return all
}

// addFiles adds what the files gave to res, in walk order: their
// advisories, KEV and EPSS data and errors; a file found in a directory
// that is not an advisory at all is ignored rather than an error. Zip
// archives are added with their members.
func (res *LoadResult) addFiles(chunks [][]loadedFile) {
	n := 0
	for _, c := range chunks {
		for i := range c {
			n += len(c[i].out.advs)
		}
	}
	res.Advisories = slices.Grow(res.Advisories, n)
	for _, c := range chunks {
		for i := range c {
			res.addFile(&c[i])
		}
	}
}

// addFile adds what one file gave to res.
func (res *LoadResult) addFile(f *loadedFile) {
	switch oc := &f.out; {
	case oc.err == nil && oc.isZip:
		// Reported with its members.
	case oc.err == nil:
		res.Advisories = append(res.Advisories, oc.advs...)
		res.addExtra(oc.extra)
	case f.InDir() && errors.Is(oc.err, ErrNotAdvisory):
		res.Ignored = append(res.Ignored, &LoadError{Path: f.Path, Err: oc.err})
	default:
		res.Errors = append(res.Errors, &LoadError{Path: f.Path, Err: oc.err})
	}
}

func (res *LoadResult) addExtra(f *Feed) {
	if f != nil {
		res.KEV = append(res.KEV, f.KEV...)
		res.EPSS = append(res.EPSS, f.EPSS...)
	}
}

// sort puts the advisories in ID and Source order (stable: records of one
// JSON array keep their order) and the errors and ignored files in path
// order.
func (res *LoadResult) sort() {
	byIDSource := func(a, b *Advisory) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Source, b.Source))
	}
	if !slices.IsSortedFunc(res.Advisories, byIDSource) {
		slices.SortStableFunc(res.Advisories, byIDSource)
	}
	byPath := func(a, b *LoadError) int { return strings.Compare(a.Path, b.Path) }
	slices.SortStableFunc(res.Errors, byPath)
	slices.SortStableFunc(res.Ignored, byPath)
}

// crew makes the scratch state of a pool's workers and releases it once
// the pool is done (a worker may hold a directory open, see
// readFileFast).
type crew struct {
	mu      sync.Mutex
	workers []*worker
	digest  bool // Options.Digest
}

func (c *crew) newWorker() *worker {
	w := &worker{digest: c.digest}
	c.mu.Lock()
	c.workers = append(c.workers, w)
	c.mu.Unlock()
	return w
}

func (c *crew) release() {
	for _, w := range c.workers {
		w.release()
	}
}

// worker is the scratch state of one load worker.
type worker struct {
	r    jsonReader
	in   interner
	buf  []byte // raw file or member bytes
	zbuf []byte // gzip-decompressed bytes
	gz   *gzip.Reader
	fl   io.ReadCloser // flate reader for zip members, reused
	zr   bytes.Reader  // the compressed bytes fl reads
	dir  dirHandle     // the directory of the last file read, see readFileFast
	zip  *zipArchive   // the archive of the member being read, if any
	// mtime is the modification time of the file last read by
	// readFileStd (Unix nanoseconds), digest Options.Digest.
	mtime  int64
	digest bool
	// meter counts what the document being decoded holds (budget.go).
	meter *membudget.Meter
}

// maxKeptBuffer is the largest scratch buffer a worker keeps between
// files.
const maxKeptBuffer = 8 << 20

func (w *worker) trim() {
	if cap(w.buf) > maxKeptBuffer {
		w.buf = nil
	}
	if cap(w.zbuf) > maxKeptBuffer {
		w.zbuf = nil
	}
}

// decode decompresses data if it is gzip and reads its advisories. It
// does not write to data.
func (w *worker) decode(data []byte, source string, limit int64) (out outcome) {
	defer func() {
		// The readers are written not to panic; this is the last line of
		// defence so that one hostile file never takes down a load of
		// thousands, and the worker's scratch state is reset.
		if p := recover(); p != nil {
			out = outcome{err: fmt.Errorf("internal error while reading: %v", p)}
			w.r.sc = scratch{}
		}
	}()
	defer w.beginDocument()()
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		var err error
		if data, err = w.gunzip(data, limit); err != nil {
			return outcome{err: err}
		}
	}
	if err := w.useDecode(data); err != nil {
		return outcome{err: err}
	}
	w.r.in = &w.in
	advs, err := decodeDoc(data, source, &w.r)
	if err != nil && errors.Is(err, ErrNotAdvisory) {
		return decodeOther(data, source, err)
	}
	return outcome{advs: advs, err: err}
}

// gunzip decompresses data into w.zbuf. For a member of a zip archive
// (w.zip set), what it decompresses to counts against the archive's
// budget (see zipArchive.budget): a zip of gzip files is held to the
// zip's limit, not only to MaxMemberBytes each.
func (w *worker) gunzip(data []byte, limit int64) ([]byte, error) {
	var err error
	if w.gz == nil {
		w.gz, err = gzip.NewReader(bytes.NewReader(data))
	} else {
		err = w.gz.Reset(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	var isZip bool
	r := w.metered(w.gz)
	if w.zip != nil {
		r = &budgetReader{r: r, z: w.zip}
	}
	w.zbuf, isZip, err = readAll(r, limit, w.zbuf, true)
	switch {
	case err != nil && (errors.Is(err, ErrTooLarge) || errors.Is(err, ErrZipLimit) || errors.Is(err, membudget.ErrOver)):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("gzip: %w", err)
	case isZip:
		return nil, notAdvisory("a zip archive inside gzip is not read")
	}
	return w.zbuf, nil
}

// readFile reads one file. A zip archive is only recognised (isZip), to be
// read member by member later. A CSAF document is checked against the
// checksum files beside it, on the bytes read.
func (w *worker) readFile(f *walk.File, limit int64) outcome {
	path := f.Path
	var data []byte
	var isZip, shortcut bool
	var err error
	if f.InDir() && rawRead {
		data, isZip, shortcut, err = w.readFileFast(path[:f.DirLen], f.Dir, path[f.DirLen:], f.Link, limit)
	} else {
		data, isZip, w.mtime, err = readFileStd(path, limit, w.buf)
	}
	w.buf = data[:0]
	if err != nil {
		return outcome{err: err}
	}
	if isZip {
		return outcome{isZip: true}
	}
	out := w.decode(data, path, limit)
	if out.err != nil && shortcut {
		// The short read may not have been the end of the file after
		// all (see readFileFast): read it again, to the end.
		data, _, w.mtime, err = readFileStd(path, limit, w.buf)
		w.buf = data[:0]
		if err != nil {
			return outcome{err: err}
		}
		out = w.decode(data, path, limit)
	}
	if out.csaf {
		if err := verifyChecksum(data, path); err != nil {
			return outcome{err: err, csaf: true}
		}
	}
	if out.err == nil {
		summarise(&out)
		if !f.InDir() {
			out.src.mtime = w.mtime // a file in a directory takes the directory's, see LoadResult.sources
		}
		if w.digest {
			sum := sha256.Sum256(data)
			out.src.sum = &sum
		}
	}
	return out
}

// readFileStd reads a file with the os package, opened by walk.Open:
// regular files only (a named pipe or device is an error, at once), at
// most limit bytes. It also returns the file's modification time (Unix
// nanoseconds).
func readFileStd(path string, limit int64, buf []byte) ([]byte, bool, int64, error) {
	f, _, err := walk.Open(path, limit)
	if err != nil {
		return buf[:0], false, 0, err
	}
	defer f.Close()
	var mtime int64
	if st, err := f.Stat(); err == nil {
		mtime = st.ModTime().UnixNano()
	}
	data, isZip, err := readAll(f, limit, buf, true)
	return data, isZip, mtime, walk.UnwrapPath(err)
}

// isZipMagic reports whether b starts like a zip archive: a local file
// header, or the end of central directory record of an empty archive.
func isZipMagic(b []byte) bool {
	return len(b) >= 4 && (string(b[:4]) == "PK\x03\x04" || string(b[:4]) == "PK\x05\x06")
}

// readAll reads r to the end into buf (reusing its storage), failing with
// ErrTooLarge beyond limit bytes. With stopAtZip it stops as soon as the
// content is seen to be a zip archive.
func readAll(r io.Reader, limit int64, buf []byte, stopAtZip bool) ([]byte, bool, error) {
	data := buf[:0]
	if cap(data) == 0 {
		data = make([]byte, 0, 64<<10)
	}
	checked := !stopAtZip
	for {
		if len(data) == cap(data) {
			data = slices.Grow(data, int(min(int64(cap(data)), limit+1-int64(len(data)))))
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+max(n, 0)]
		if int64(len(data)) > limit {
			return data, false, walk.TooLarge(limit)
		}
		if !checked && len(data) >= 4 {
			checked = true
			if isZipMagic(data) {
				return data, true, nil
			}
		}
		if err == io.EOF {
			return data, false, nil
		}
		if err != nil {
			return data, false, err
		}
	}
}
