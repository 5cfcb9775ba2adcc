package db

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bomrank/bomrank/internal/pgp"
)

// A bundle carries a database across an air gap: a gzip-compressed tar
// archive of two members, in this order and nothing else:
//
//	manifest.json  the Manifest (JSON)
//	bomrank.db     the database file, byte for byte
//
// The manifest comes first so that a reader knows the database's size
// and SHA-256 before it reads a byte of it. Every header is fixed (mode
// 0644, owner 0, the database's build time as modification time, no user
// or group names) and gzip records no name or time, so the same database
// exported by the same bomrank gives the same bytes (and the same
// signature check). gzip, because a database compresses about 7.5 times
// (the 100k benchmark's 31 MB to 4.1 MB, December 2026) for about a
// second of compression and 0.2 s of decompression: what crosses the gap
// on removable media is small. Import also reads an uncompressed tar.
const (
	// BundleFormat is the manifest's format name.
	BundleFormat = "bomrank-db-bundle"
	// BundleVersion is the version of the bundle layout this bomrank
	// writes and reads.
	BundleVersion = 1
	// ManifestMember and DBMember are the names of the two members.
	ManifestMember = "manifest.json"
	DBMember       = "bomrank.db"
	// MaxManifestBytes caps the manifest member.
	MaxManifestBytes = 1 << 20
	// DefaultMaxBundleDB caps the database member when
	// ImportOptions.MaxSize is 0.
	DefaultMaxBundleDB = 4 << 30
)

// The reasons a bundle is refused. A *BundleError wraps one of them (or
// a database error of the staged copy: ErrCorrupt, ErrTruncated,
// ErrNotDB, a *SchemaError).
var (
	// ErrNotBundle: the file is not a bundle (neither gzip nor tar, or no
	// manifest first, or a manifest of another format or version).
	ErrNotBundle = errors.New("not a bomrank database bundle")
	// ErrBundleTruncated: the bundle ends before its end.
	ErrBundleTruncated = errors.New("truncated")
	// ErrBundleTooLarge: a member, or the bundle, is larger than allowed.
	ErrBundleTooLarge = errors.New("larger than allowed")
	// ErrBundleMember: a member other than the two expected (another
	// name, a path, a link, a directory, a member after the database),
	// or data after the archive's end.
	ErrBundleMember = errors.New("unexpected member")
	// ErrBundleDigest: a member's bytes or the database's digest do not
	// match the manifest, or the compressed stream's checksum fails.
	ErrBundleDigest = errors.New("digest mismatch")
	// ErrUnsigned: keys were given but the bundle has no signature.
	ErrUnsigned = errors.New("no signature, and trusted keys were given: a signature is required")
	// ErrSignature: the signature does not verify with the trusted keys
	// (another key, other bytes, expired or revoked key).
	ErrSignature = errors.New("signature refused")
	// ErrRollback: the bundle's database was built before the installed
	// one.
	ErrRollback = errors.New("rollback refused")
)

// BundleError is a bundle that was refused: nothing was installed.
type BundleError struct {
	// Path names the bundle (ImportOptions.Name).
	Path string
	// Err is the reason (see ErrNotBundle and the errors after it).
	Err error
}

// Error implements error.
func (e *BundleError) Error() string { return fmt.Sprintf("bundle %s: %v", e.Path, e.Err) }

// Unwrap returns Err.
func (e *BundleError) Unwrap() error { return e.Err }

// Manifest describes a bundle's database: the first member of a bundle.
type Manifest struct {
	// Format is BundleFormat, FormatVersion BundleVersion.
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	// Schema is the database's schema version, Built its build time,
	// Version the bomrank version that built it, Digest its "sha256:..."
	// digest (as `db status` prints it).
	Schema  int       `json:"schema"`
	Built   time.Time `json:"built"`
	Version string    `json:"bomrank_version"`
	Digest  string    `json:"digest"`
	// ExportedBy is the bomrank version that wrote the bundle.
	ExportedBy string `json:"exported_by"`
	// Members lists the members after the manifest with their size and
	// hex SHA-256 (today one: DBMember).
	Members []BundleMember `json:"members"`
	// Sources summarizes what the database was built from.
	Sources []BundleSource `json:"sources"`
}

// BundleMember is a member of a bundle as its manifest lists it.
type BundleMember struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BundleSource is one source of the database as the manifest lists it
// (see advisory.Source).
type BundleSource struct {
	Kind           string    `json:"kind"`
	Path           string    `json:"path"`
	Records        int       `json:"records"`
	NewestModified string    `json:"newest_modified,omitempty"`
	SHA256         string    `json:"sha256,omitempty"`
	Captured       time.Time `json:"captured,omitzero"`
}

// ExportOptions says how Export writes a bundle.
type ExportOptions struct {
	// Version is the bomrank version exporting (Manifest.ExportedBy).
	Version string
	// SignKey, when set, is an OpenPGP private key (armored or binary,
	// without passphrase): Export then writes a detached armored
	// signature over the bundle's bytes to Signature.
	SignKey   []byte
	Signature io.Writer
	// Now dates the signature (the library never reads the clock).
	Now time.Time
}

// ExportResult describes the bundle Export wrote.
type ExportResult struct {
	// Manifest is the bundle's manifest.
	Manifest *Manifest
	// Signer is the fingerprint of the key that signed, "" unsigned.
	Signer string
}

// Export writes the database at dbPath as a bundle to w, after checking
// it whole (Open, then Verify: a corrupt database is not exported). It
// reads the file as it was when opened: a build that replaces it
// meanwhile does not change what is written. With o.SignKey it also
// writes a detached signature over the bundle's bytes to o.Signature.
// Errors are *Error values naming the database, errors of w, or
// ctx.Err().
func Export(ctx context.Context, dbPath string, w io.Writer, o ExportOptions) (*ExportResult, error) {
	var keys *pgp.Keys
	if o.SignKey != nil {
		k, err := pgp.ReadKeys(o.SignKey)
		if err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		if o.Signature == nil {
			return nil, errors.New("signing key given but no writer for the signature")
		}
		keys = k
	}
	d, err := Open(dbPath)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	if err := d.Verify(); err != nil {
		return nil, err
	}
	m := d.manifest(o.Version)
	res := &ExportResult{Manifest: m}
	if keys == nil {
		return res, writeBundle(ctx, w, m, d.data)
	}
	if err := writeSigned(ctx, w, o.Signature, keys, o.Now, m, d.data); err != nil {
		return nil, err
	}
	res.Signer = keys.Fingerprints()[0]
	return res, nil
}

// manifest describes the open database.
func (d *DB) manifest(exportedBy string) *Manifest {
	m := d.meta
	out := &Manifest{
		Format: BundleFormat, FormatVersion: BundleVersion, Schema: Schema, Built: m.Built, Version: m.Version,
		Digest: d.Digest(), ExportedBy: exportedBy,
		Members: []BundleMember{{Name: DBMember, Size: int64(len(d.data)), SHA256: hexSHA256(d.data)}},
		Sources: []BundleSource{},
	}
	for _, s := range m.Sources {
		out.Sources = append(out.Sources, BundleSource{
			Kind: s.Kind, Path: s.Path, Records: s.Records, NewestModified: s.NewestModified,
			SHA256: s.SHA256, Captured: s.Captured.UTC(),
		})
	}
	return out
}

// writeSigned writes the bundle to w and, at the same time, signs its
// bytes (through a pipe: the bundle is made once and never held whole).
func writeSigned(ctx context.Context, w, sigw io.Writer, keys *pgp.Keys, now time.Time, m *Manifest, data []byte) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := keys.Sign(sigw, pr, now)
		pr.CloseWithError(errSignStopped)
		done <- err
	}()
	err := writeBundle(ctx, io.MultiWriter(w, pw), m, data)
	pw.CloseWithError(err)
	serr := <-done
	if err != nil && !errors.Is(err, errSignStopped) {
		return err // the writer's error (the signer then saw it too)
	}
	if serr != nil {
		return fmt.Errorf("signing the bundle: %w", serr)
	}
	return err
}

var errSignStopped = errors.New("signing stopped")

// tarTime is the modification time of the members: the build time when
// a tar header can hold it, else the epoch.
func tarTime(built time.Time) time.Time {
	t := built.UTC().Truncate(time.Second)
	if t.Before(time.Unix(0, 0)) || t.Year() > 2200 {
		return time.Unix(0, 0).UTC()
	}
	return t
}

// writeBundle writes the manifest and the database as a gzip-compressed
// tar archive, every header fixed.
func writeBundle(ctx context.Context, w io.Writer, m *Manifest, data []byte) error {
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	mj = append(mj, '\n')
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression) // no name, no time: the zero Header
	tw := tar.NewWriter(zw)
	mod := tarTime(m.Built)
	for _, mem := range []struct {
		name string
		data []byte
	}{{ManifestMember, mj}, {DBMember, data}} {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: mem.name, Size: int64(len(mem.data)), Mode: 0o644, ModTime: mod, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("bundle member %s: %w", mem.name, err)
		}
		if err := writeChunks(ctx, tw, mem.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// writeChunks writes data in pieces, checking ctx between them.
func writeChunks(ctx context.Context, w io.Writer, data []byte) error {
	const chunk = 4 << 20
	for len(data) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(len(data), chunk)
		if _, err := w.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}
