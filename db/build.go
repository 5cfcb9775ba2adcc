package db

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/filelock"
	"github.com/bomrank/bomrank/internal/walk"
	"github.com/bomrank/bomrank/rank"
)

// BuildOptions says what Build reads and where it writes.
type BuildOptions struct {
	// Path is the database file to write (its directory is created if
	// needed).
	Path string
	// Feeds lists the feed files, directories and zip archives to read,
	// as scan.Config.Advisories does.
	Feeds []string
	// Version is the bomrank version recorded as the builder.
	Version string
	// Now is the build time recorded (the library never reads the
	// clock).
	Now time.Time
	// Workers bounds the parallelism of the load; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is told how the reading goes (see
	// advisory.Options.Progress).
	Progress func(done, total int)
	// Origins, when set, is recorded in Meta.Origins: where the feeds
	// were fetched from.
	Origins []Origin
}

// BuildResult describes the database Build wrote.
type BuildResult struct {
	// Meta is what the database records; Meta.Errors lists the feed
	// inputs that could not be read (the database was written without
	// them).
	Meta *Meta
	// Digest is the database's digest, Size its size in bytes.
	Digest string
	Size   int64
	// Errors are the feed inputs that could not be read, as the load
	// returned them.
	Errors []*advisory.LoadError
}

// Build reads the feeds, indexes them and writes the database to
// o.Path: first to a temporary file beside it, flushed to disk, then
// renamed over the old one, so that a scan sees the old database or the
// new one, never a half-written file, and a failure (full disk,
// unwritable directory, cancelled ctx) leaves the old one as it was. Only
// one build may write a database at a time: Build holds an exclusive
// lock on o.Path+".lock" (flock on Unix, LockFileEx on Windows; the lock
// file stays) and fails
// at once with ErrLocked when another build holds it. Feed inputs that
// cannot be read do not stop the build (they are in the result, and
// replayed by scans as a scan of the feeds reports them); a build that
// read no advisory, KEV or EPSS data at all fails with ErrNoData. Errors
// are *Error values naming the file, or ctx.Err().
func Build(ctx context.Context, o BuildOptions) (*BuildResult, error) {
	unlock, err := prepare(o.Path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	res := advisory.Options{Workers: o.Workers, Digest: true, Progress: o.Progress}.Load(ctx, o.Feeds...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return write(ctx, o, res)
}

// Write writes a database of records already read (res, as
// advisory.Load returns it; o.Feeds is only recorded), as Build writes
// one: under the lock, beside the old file and renamed. Build is Load
// then Write; Write serves data that does not come from files (a
// generated benchmark, records fetched by other means).
func Write(ctx context.Context, o BuildOptions, res *advisory.LoadResult) (*BuildResult, error) {
	unlock, err := prepare(o.Path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return write(ctx, o, res)
}

// prepare checks the target and takes the build lock.
func prepare(path string) (unlock func(), err error) {
	if err := checkTarget(path); err != nil {
		return nil, fail(path, err)
	}
	unlock, err = lock(path + ".lock")
	if err != nil {
		return nil, fail(path+".lock", err)
	}
	removeStale(path)
	return unlock, nil
}

// write indexes res and writes the database; the caller holds the lock.
func write(ctx context.Context, o BuildOptions, res *advisory.LoadResult) (*BuildResult, error) {
	if len(res.Advisories) == 0 && len(res.KEV) == 0 && len(res.EPSS) == 0 {
		err := fmt.Errorf("%w from %d path(s) (%d could not be read): the database was not written", ErrNoData, len(o.Feeds), len(res.Errors))
		return nil, fail(o.Path, err)
	}
	ix := index.New(res.Advisories)
	meta := &Meta{
		Built: o.Now, Version: o.Version, Feeds: o.Feeds, Sources: res.Sources,
		Advisories: len(res.Advisories), Records: ix.Contents().Records, KEV: len(res.KEV), EPSS: len(res.EPSS),
		Documents: rank.Documents(res.Advisories), Errors: loadErrors(res.Errors), Ignored: loadErrors(res.Ignored),
		Origins: o.Origins,
	}
	kinds, data, err := sections(meta, ix, res)
	if err != nil {
		return nil, fail(o.Path, err)
	}
	size, digest, err := writeFile(ctx, o.Path, kinds, data)
	if err != nil {
		return nil, fail(o.Path, err)
	}
	return &BuildResult{Meta: meta, Digest: digest, Size: size, Errors: res.Errors}, nil
}

// checkTarget makes the database's directory and refuses a path that is
// something other than a regular file (a directory would otherwise get a
// confusing rename error).
func checkTarget(path string) error {
	if path == "" {
		return errors.New("no path given")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return walk.UnwrapPath(err)
	}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return walk.UnwrapPath(err)
	}
	return walk.NotRegular(st.Mode())
}

// removeStale removes the temporary files of builds that died before
// renaming theirs (the caller holds the lock, so no build is writing
// one).
func removeStale(path string) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), glob(filepath.Base(path))+".*.tmp"))
	for _, p := range stale {
		os.Remove(p)
	}
}

// glob quotes the pattern characters of a file name.
func glob(name string) string {
	var b []byte
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '*', '?', '[', '\\':
			b = append(b, '\\')
		}
		b = append(b, name[i])
	}
	return string(b)
}

// sections encodes the database's sections.
func sections(meta *Meta, ix *index.Memory, res *advisory.LoadResult) ([]uint32, [][]byte, error) {
	// The forms first: compiling every entry makes garbage, which is
	// collected sooner without the index's binary form (the largest
	// section) already held.
	forms, err := encodeForms(ix)
	if err != nil {
		return nil, nil, err
	}
	m, err := json.Marshal(meta)
	if err != nil {
		return nil, nil, fmt.Errorf("encode meta: %w", err)
	}
	ixb, err := ix.AppendBinary(nil)
	if err != nil {
		return nil, nil, err
	}
	kev, err := encodeKEV(res.KEV)
	if err != nil {
		return nil, nil, fmt.Errorf("encode kev: %w", err)
	}
	epss, err := encodeEPSS(res.EPSS)
	if err != nil {
		return nil, nil, fmt.Errorf("encode epss: %w", err)
	}
	return []uint32{secMeta, secIndex, secKEV, secEPSS, secForms}, [][]byte{m, ixb, kev, epss, forms}, nil
}

// writeFile writes the database to a temporary file beside path, flushes
// it to disk, renames it over path and flushes the directory. On failure
// the temporary file is removed and path is untouched.
func writeFile(ctx context.Context, path string, kinds []uint32, data [][]byte) (size int64, digest string, err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, "", fmt.Errorf("%w: the old database is unchanged", walk.UnwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("write %s: %w: the old database is unchanged", tmp.Name(), walk.UnwrapPath(err))
		}
	}()
	h := encode(kinds, data)
	w := newChunkWriter(testWriter(tmp))
	w.Write(h)
	var pad [8]byte
	for _, d := range data {
		w.Write(d)
		w.Write(pad[:align8(len(d))-len(d)])
	}
	if err = w.Flush(); err != nil {
		return 0, "", err
	}
	if err = ctx.Err(); err != nil {
		return 0, "", err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return 0, "", err
	}
	if err = tmp.Sync(); err != nil {
		return 0, "", err
	}
	if err = tmp.Close(); err != nil {
		return 0, "", err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return 0, "", err
	}
	walk.SyncDir(dir)
	var sum [32]byte
	copy(sum[:], h[24:56])
	return int64(binaryLE64(h[16:])), digestOf(sum), nil
}

// testWriter lets a test make the disk full; the identity otherwise.
var testWriter = func(w io.Writer) io.Writer { return w }

// lock takes the build lock on path (see package filelock), ErrLocked
// when another build or import holds it.
func lock(path string) (unlock func(), err error) {
	unlock, err = filelock.TryLock(path)
	if errors.Is(err, filelock.ErrLocked) {
		return nil, ErrLocked
	}
	return unlock, err
}
