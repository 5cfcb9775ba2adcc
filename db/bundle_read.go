package db

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// bundleLimits bounds what reading a bundle may take.
type bundleLimits struct {
	manifest int64 // the manifest member
	db       int64 // the database member
	tail     int64 // bytes after the tar archive's end (zeros)
}

// raw is the most a bundle of these limits may take before
// decompression: the members, incompressible data's gzip overhead,
// headers and the tail.
func (l bundleLimits) raw() int64 { return l.content() + l.content()/64 + 64<<10 }

// content is the most the tar archive may take: the members, their
// headers and padding (a few blocks, PAX records included), the tail.
func (l bundleLimits) content() int64 { return l.manifest + l.db + l.tail + 2<<20 }

// capReader reads at most max bytes from r; reading more is
// ErrBundleTooLarge (never a silent end of file).
type capReader struct {
	r   io.Reader
	max int64
	n   int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n >= c.max {
		var one [1]byte
		if n, err := io.ReadFull(c.r, one[:]); n == 0 {
			if errors.Is(err, io.EOF) {
				return 0, io.EOF
			}
			return 0, err
		}
		return 0, fmt.Errorf("%w: more than %d bytes", ErrBundleTooLarge, c.max)
	}
	if int64(len(p)) > c.max-c.n {
		p = p[:c.max-c.n]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ctxReader stops reading when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readBundle reads a bundle from r, bounded by lim: the manifest first,
// then the database member, copied to dst, then nothing but the
// archive's end. It returns the manifest and the hex SHA-256 of the
// bytes copied. It reads r to its end (so that a signature check fed
// from r sees every byte). Errors wrap ErrNotBundle, ErrBundleTruncated,
// ErrBundleTooLarge, ErrBundleMember, ErrBundleDigest, an error of dst,
// or ctx.Err().
func readBundle(ctx context.Context, r io.Reader, lim bundleLimits, dst io.Writer) (*Manifest, string, error) {
	raw := bufio.NewReader(&capReader{r: ctxReader{ctx, r}, max: lim.raw()})
	magic, err := raw.Peek(2)
	if errors.Is(err, io.EOF) {
		return nil, "", fmt.Errorf("%w: %d bytes", ErrNotBundle, len(magic))
	}
	if err != nil {
		return nil, "", readErr(err, "bundle's start")
	}
	var content io.Reader = raw
	var zr *gzip.Reader
	if magic[0] == 0x1f && magic[1] == 0x8b {
		if zr, err = gzip.NewReader(raw); err != nil {
			return nil, "", readErr(err, "gzip header")
		}
		zr.Multistream(false)
		content = zr
	}
	content = &capReader{r: content, max: lim.content()}
	tr := tar.NewReader(content)
	m, err := readManifest(tr, lim)
	if err != nil {
		return nil, "", err
	}
	sum, err := readDBMember(tr, m.Members[0], dst)
	if err != nil {
		return nil, "", err
	}
	if err := readEnd(tr, content, raw, zr != nil, lim.tail); err != nil {
		return nil, "", err
	}
	return m, sum, nil
}

// readErr names a read failure: a cut stream is truncation, a bad
// header is not a bundle, a checksum is a digest mismatch; other errors
// (too large, ctx, the signature pipe) pass through.
func readErr(err error, what string) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: in the %s", ErrBundleTruncated, what)
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, tar.ErrHeader):
		return fmt.Errorf("%w: %s: %v", ErrNotBundle, what, err)
	case errors.Is(err, tar.ErrInsecurePath): // with GODEBUG=tarinsecurepath=0
		return fmt.Errorf("%w: %s: %v", ErrBundleMember, what, err)
	case errors.Is(err, gzip.ErrChecksum):
		return fmt.Errorf("%w: %s: %v", ErrBundleDigest, what, err)
	case errors.Is(err, ErrBundleTooLarge), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w: %s: compressed data corrupt: %v", ErrBundleDigest, what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// member checks that hdr is a regular file named name, of at most max
// bytes.
func member(hdr *tar.Header, name string, max int64) error {
	if hdr.Name != name {
		return fmt.Errorf("%w: %q where %s was expected", ErrBundleMember, hdr.Name, name)
	}
	if hdr.Typeflag != tar.TypeReg {
		return fmt.Errorf("%w: %s is not a regular file (type %q)", ErrBundleMember, name, hdr.Typeflag)
	}
	if hdr.Size < 0 || hdr.Size > max {
		return fmt.Errorf("%w: %s has %d bytes, at most %d allowed", ErrBundleTooLarge, name, hdr.Size, max)
	}
	return nil
}

// readManifest reads and checks the first member.
func readManifest(tr *tar.Reader, lim bundleLimits) (*Manifest, error) {
	hdr, err := tr.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: an empty archive", ErrNotBundle)
		}
		if err = readErr(err, "first tar header"); errors.Is(err, ErrBundleTruncated) {
			err = fmt.Errorf("%w: no tar header", ErrNotBundle)
		}
		return nil, err
	}
	if hdr.Name != ManifestMember {
		return nil, fmt.Errorf("%w: the first member is %q, not %s", ErrNotBundle, hdr.Name, ManifestMember)
	}
	if err := member(hdr, ManifestMember, lim.manifest); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(tr)
	if err != nil {
		return nil, readErr(err, ManifestMember)
	}
	m := &Manifest{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotBundle, ManifestMember, err)
	}
	return m, checkManifest(m, lim)
}

// checkManifest checks the manifest's format and its member list.
func checkManifest(m *Manifest, lim bundleLimits) error {
	if m.Format != BundleFormat || m.FormatVersion != BundleVersion {
		return fmt.Errorf("%w: %s says format %q version %d, this bomrank reads %q version %d",
			ErrNotBundle, ManifestMember, m.Format, m.FormatVersion, BundleFormat, BundleVersion)
	}
	if len(m.Members) != 1 || m.Members[0].Name != DBMember {
		return fmt.Errorf("%w: %s lists %d members, not just %s", ErrBundleMember, ManifestMember, len(m.Members), DBMember)
	}
	mem := m.Members[0]
	if mem.Size <= 0 || mem.Size > lim.db {
		return fmt.Errorf("%w: %s has %d bytes, at most %d allowed", ErrBundleTooLarge, DBMember, mem.Size, lim.db)
	}
	if !isHexSHA256(mem.SHA256) || !strings.HasPrefix(m.Digest, "sha256:") || !isHexSHA256(m.Digest[7:]) {
		return fmt.Errorf("%w: %s: malformed sha256 or digest", ErrNotBundle, ManifestMember)
	}
	return nil
}

// readDBMember copies the database member to dst and returns its hex
// SHA-256, after checking it against the manifest.
func readDBMember(tr *tar.Reader, want BundleMember, dst io.Writer) (string, error) {
	hdr, err := tr.Next()
	if errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%w: no %s member", ErrBundleTruncated, DBMember)
	}
	if err != nil {
		return "", readErr(err, "tar header of "+DBMember)
	}
	if err := member(hdr, DBMember, want.Size); err != nil {
		return "", err
	}
	if hdr.Size != want.Size {
		return "", fmt.Errorf("%w: %s has %d bytes, the manifest says %d", ErrBundleDigest, DBMember, hdr.Size, want.Size)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(dst, h), tr)
	if err != nil {
		var we *writeError
		if errors.As(err, &we) {
			return "", we
		}
		return "", readErr(err, DBMember)
	}
	if n != want.Size {
		return "", fmt.Errorf("%w: %s has %d bytes of %d", ErrBundleTruncated, DBMember, n, want.Size)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if sum != want.SHA256 {
		return "", fmt.Errorf("%w: %s hashes to sha256 %s, the manifest says %s", ErrBundleDigest, DBMember, sum, want.SHA256)
	}
	return sum, nil
}

// writeError marks an error of the destination (the disk), so that it
// is not taken for a fault of the bundle.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

func (e *writeError) Unwrap() error { return e.err }

// destination wraps the staging file's writes.
type destination struct{ w io.Writer }

func (d destination) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	if err != nil {
		return n, &writeError{err}
	}
	return n, nil
}

// readEnd checks that nothing follows the database member: no other
// member, only zeros after the archive's end, the gzip trailer's
// checksum, and no data after the gzip stream.
func readEnd(tr *tar.Reader, content io.Reader, raw *bufio.Reader, gzipped bool, tail int64) error {
	hdr, err := tr.Next()
	if err == nil {
		return fmt.Errorf("%w: %q after %s", ErrBundleMember, hdr.Name, DBMember)
	}
	if !errors.Is(err, io.EOF) {
		return readErr(err, "archive's end")
	}
	rest, err := io.ReadAll(io.LimitReader(content, tail+1))
	if err != nil {
		return readErr(err, "archive's end")
	}
	if int64(len(rest)) > tail || len(bytes.Trim(rest, "\x00")) > 0 {
		return fmt.Errorf("%w: data after the archive's end", ErrBundleMember)
	}
	if !gzipped {
		return nil
	}
	if _, err := raw.Peek(1); err == nil {
		return fmt.Errorf("%w: data after the compressed archive", ErrBundleMember)
	} else if !errors.Is(err, io.EOF) {
		return readErr(err, "end of the compressed archive")
	}
	return nil
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
