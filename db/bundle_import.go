package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/bomrank/bomrank/internal/pgp"
	"github.com/bomrank/bomrank/internal/walk"
)

// ImportOptions says how Import checks a bundle.
type ImportOptions struct {
	// Name names the bundle in errors (its file name).
	Name string
	// Trust lists OpenPGP public keys (each the content of a key file,
	// armored or binary). When any is given the bundle must carry a
	// Signature made by one of them (ErrUnsigned, ErrSignature); with
	// none the signature is not checked.
	Trust     [][]byte
	Signature []byte
	// AllowOlder installs a bundle whose database was built before the
	// installed one (otherwise ErrRollback).
	AllowOlder bool
	// Now is the time at which keys must be valid (the library never
	// reads the clock).
	Now time.Time
	// MaxSize caps the database member; 0 means DefaultMaxBundleDB.
	MaxSize int64
}

// ImportResult describes an installed bundle.
type ImportResult struct {
	// Manifest is the bundle's manifest.
	Manifest *Manifest
	// Signer is the fingerprint of the trusted key that signed the
	// bundle, "" when no key was given.
	Signer string
	// Previous is the digest of the database replaced, "" when there
	// was none or it could not be opened (PreviousErr says why);
	// PreviousBuilt its build time.
	Previous      string
	PreviousBuilt time.Time
	PreviousErr   error
	// Unchanged is true when the installed database was already the
	// bundle's (the same digest): nothing was written.
	Unchanged bool
}

// Import reads a bundle (see Export) from r and installs its database
// at dbPath, as Build writes one: under the same lock (ErrLocked when a
// build or another import holds it), to a temporary file beside dbPath,
// flushed to disk and renamed into place. Before the rename it checks,
// in this order: the bundle's layout and bounds (two members, nothing
// else, within o.MaxSize); the signature over the bundle's bytes when
// o.Trust is given; each member's size and SHA-256 against the manifest;
// the staged database with Open and Verify (header, schema, checksums,
// digest, every record), and that its digest and build time are the
// manifest's; and that it was not built before the installed database
// unless o.AllowOlder. A refused bundle is a *BundleError and the
// installed database is untouched; other errors are *Error values (the
// lock, the disk) or ctx.Err(). r is read once, to its end.
func Import(ctx context.Context, dbPath string, r io.Reader, o ImportOptions) (*ImportResult, error) {
	keys, err := trustedKeys(o.Trust)
	if err != nil {
		return nil, err
	}
	if keys != nil && len(o.Signature) == 0 {
		return nil, &BundleError{Path: o.Name, Err: ErrUnsigned}
	}
	unlock, err := prepare(dbPath)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tmp, err := os.CreateTemp(filepath.Dir(dbPath), filepath.Base(dbPath)+".*.tmp")
	if err != nil {
		return nil, fail(dbPath, fmt.Errorf("%w: the installed database is unchanged", walk.UnwrapPath(err)))
	}
	installed := false
	defer func() {
		if !installed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	res, err := stage(ctx, r, tmp, keys, o)
	if err != nil {
		return nil, err
	}
	if err := checkInstalled(dbPath, res, o); err != nil || res.Unchanged {
		return res, err
	}
	if err := os.Rename(tmp.Name(), dbPath); err != nil {
		return nil, fail(dbPath, fmt.Errorf("%w: the installed database is unchanged", walk.UnwrapPath(err)))
	}
	installed = true
	walk.SyncDir(filepath.Dir(dbPath))
	return res, nil
}

// trustedKeys reads each trusted key and joins them in one set; nil
// when none is given.
func trustedKeys(trust [][]byte) (*pgp.Keys, error) {
	var keys *pgp.Keys
	for i, k := range trust {
		ks, err := pgp.ReadKeys(k)
		if err != nil {
			return nil, fmt.Errorf("trusted key %d: %w", i+1, err)
		}
		keys = keys.Join(ks)
	}
	return keys, nil
}

// stage reads the bundle into tmp (checking the signature over the same
// bytes as they pass), flushes it and checks the staged database.
func stage(ctx context.Context, r io.Reader, tmp *os.File, keys *pgp.Keys, o ImportOptions) (*ImportResult, error) {
	lim := bundleLimits{manifest: MaxManifestBytes, db: o.MaxSize, tail: 64 << 10}
	if lim.db <= 0 {
		lim.db = DefaultMaxBundleDB
	}
	w := newChunkWriter(tmp)
	m, signer, err := receive(ctx, r, w, keys, o, lim)
	if err == nil {
		if ferr := w.Flush(); ferr != nil {
			err = &writeError{ferr}
		}
	}
	if err != nil {
		if isCtx(err) {
			return nil, err
		}
		var we *writeError
		if errors.As(err, &we) {
			return nil, fail(tmp.Name(), fmt.Errorf("%w: the installed database is unchanged", walk.UnwrapPath(we.err)))
		}
		return nil, &BundleError{Path: o.Name, Err: err}
	}
	if err := flush(tmp); err != nil {
		return nil, fail(tmp.Name(), fmt.Errorf("%w: the installed database is unchanged", walk.UnwrapPath(err)))
	}
	if err := checkStaged(tmp.Name(), m); err != nil {
		return nil, &BundleError{Path: o.Name, Err: err}
	}
	return &ImportResult{Manifest: m, Signer: signer}, nil
}

// flush sets the staged file's mode, flushes it to disk and closes it.
func flush(f *os.File) error {
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// receive reads the bundle into dst; with keys it feeds the same bytes,
// as they are read, to the signature check, and returns the signer.
func receive(ctx context.Context, r io.Reader, dst io.Writer, keys *pgp.Keys, o ImportOptions, lim bundleLimits) (*Manifest, string, error) {
	if keys == nil {
		m, _, err := readBundle(ctx, r, lim, destination{testWriter(dst)})
		return m, "", err
	}
	pr, pw := io.Pipe()
	type verdict struct {
		fp  string
		err error
	}
	done := make(chan verdict, 1)
	go func() {
		fp, err := keys.Verify(pr, o.Signature, o.Now)
		pr.CloseWithError(errSignStopped) // a check that stopped early stops the reading too
		done <- verdict{fp, err}
	}()
	tee := &stopWriter{w: pw}
	m, _, err := readBundle(ctx, io.TeeReader(r, tee), lim, destination{testWriter(dst)})
	closeErr := err
	if err != nil && !tee.stopped && !isCtx(err) && !errors.Is(err, ErrBundleTooLarge) {
		// The signature is over the whole file: let it see the rest, so
		// that a refused bundle is also said to be badly signed if it is
		// (and a well signed one is not).
		_, closeErr = io.Copy(tee, &capReader{r: ctxReader{ctx, r}, max: lim.raw()})
	}
	pw.CloseWithError(closeErr)
	v := <-done
	switch {
	case v.err != nil && err != nil && !isCtx(err) && !tee.stopped:
		return nil, "", fmt.Errorf("%w: %v; and %w", ErrSignature, v.err, err)
	case v.err != nil && (err == nil || tee.stopped):
		return nil, "", fmt.Errorf("%w: %v", ErrSignature, v.err)
	case err != nil:
		return nil, "", err
	}
	return m, v.fp, nil
}

// checkStaged opens and verifies the staged database and checks it
// against the manifest. Errors name the member, not the temporary file.
func checkStaged(path string, m *Manifest) error {
	if m.Schema != Schema {
		return fmt.Errorf("%s: %w", ManifestMember, &SchemaError{Have: uint32(m.Schema), Want: Schema})
	}
	d, err := Open(path)
	if err == nil {
		err = d.Verify()
		defer d.Close()
	}
	var e *Error
	if errors.As(err, &e) {
		return fmt.Errorf("%s: %w", DBMember, e.Err)
	}
	if err != nil {
		return err
	}
	if d.Digest() != m.Digest {
		return fmt.Errorf("%w: %s has digest %s, the manifest says %s", ErrBundleDigest, DBMember, d.Digest(), m.Digest)
	}
	if !d.Built().Equal(m.Built) {
		return fmt.Errorf("%w: %s was built %s, the manifest says %s", ErrBundleDigest, DBMember,
			d.Built().UTC().Format(time.RFC3339), m.Built.UTC().Format(time.RFC3339))
	}
	return nil
}

// checkInstalled compares the bundle with the installed database: the
// same digest is nothing to do; an older build is a rollback, refused
// unless o.AllowOlder. An installed file that cannot be opened is
// replaced (PreviousErr says why).
func checkInstalled(dbPath string, res *ImportResult, o ImportOptions) error {
	d, err := Open(dbPath)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			res.PreviousErr = err
		}
		return nil
	}
	defer d.Close()
	res.Previous, res.PreviousBuilt = d.Digest(), d.Built()
	m := res.Manifest
	if d.Digest() == m.Digest {
		res.Unchanged = true
		return nil
	}
	if m.Built.Before(d.Built()) && !o.AllowOlder {
		return &BundleError{Path: o.Name, Err: fmt.Errorf("%w: its database was built %s, before the installed one (%s, built %s); --allow-older installs it",
			ErrRollback, m.Built.UTC().Format(time.RFC3339), d.Digest(), d.Built().UTC().Format(time.RFC3339))}
	}
	return nil
}

// stopWriter records that its writer failed: the signature check
// stopped reading before the bundle's end.
type stopWriter struct {
	w       io.Writer
	stopped bool
}

func (s *stopWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil {
		s.stopped = true
	}
	return n, err
}

func isCtx(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
