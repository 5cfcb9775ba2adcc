package db

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/pgp"
)

// exportBytes exports the database at path and returns the bundle.
func exportBytes(t testing.TB, path string, o ExportOptions) ([]byte, *ExportResult) {
	t.Helper()
	var buf bytes.Buffer
	res, err := Export(context.Background(), path, &buf, o)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), res
}

func importBytes(path string, bundle []byte, o ImportOptions) (*ImportResult, error) {
	if o.Name == "" {
		o.Name = "test.bundle"
	}
	return Import(context.Background(), path, bytes.NewReader(bundle), o)
}

// digestAt opens the database at path and returns its digest.
func digestAt(t testing.TB, path string) string {
	t.Helper()
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Verify(); err != nil {
		t.Fatal(err)
	}
	return d.Digest()
}

// Export on one side, Import on the other: the same file, the same
// digest; the same database exports to the same bytes; importing it
// again changes nothing.
func TestBundleRoundTrip(t *testing.T) {
	src := sample(t)
	bundle, res := exportBytes(t, src, ExportOptions{Version: "v0.export"})
	again, _ := exportBytes(t, src, ExportOptions{Version: "v0.export"})
	if !bytes.Equal(bundle, again) {
		t.Error("two exports of one database differ")
	}
	m := res.Manifest
	if m.Format != BundleFormat || m.Schema != Schema || !m.Built.Equal(built) || m.Version != "v0.test" || m.ExportedBy != "v0.export" || len(m.Sources) == 0 {
		t.Errorf("manifest: %+v", m)
	}
	dst := filepath.Join(t.TempDir(), "side-b", "db")
	got, err := importBytes(dst, bundle, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Manifest.Digest != digestAt(t, src) || digestAt(t, dst) != digestAt(t, src) || got.Previous != "" || got.Unchanged {
		t.Errorf("import: %+v", got)
	}
	a, _ := os.ReadFile(src)
	b, _ := os.ReadFile(dst)
	if !bytes.Equal(a, b) {
		t.Error("the installed file differs from the exported one")
	}
	if st, _ := os.Stat(dst); st.Mode().Perm() != 0o644 {
		t.Errorf("installed mode %v", st.Mode())
	}
	got, err = importBytes(dst, bundle, ImportOptions{})
	if err != nil || !got.Unchanged || got.Previous != m.Digest {
		t.Errorf("second import: %+v, %v", got, err)
	}
	if left, _ := filepath.Glob(dst + ".*.tmp"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// An uncompressed tar of the same members is read too.
func TestBundlePlainTar(t *testing.T) {
	bundle, _ := exportBytes(t, sample(t), ExportOptions{})
	zr, err := gzip.NewReader(bytes.NewReader(bundle))
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	if _, err := plain.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	if _, err := importBytes(filepath.Join(t.TempDir(), "db"), plain.Bytes(), ImportOptions{}); err != nil {
		t.Error(err)
	}
}

// keyPair makes a signing key and its public part.
func keyPair(t testing.TB, name string) (private, public []byte) {
	t.Helper()
	k, err := pgp.Generate(name, name+"@example.org", built.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	private, err = k.Private()
	if err != nil {
		t.Fatal(err)
	}
	public, err = k.Public()
	if err != nil {
		t.Fatal(err)
	}
	return private, public
}

// A signed bundle imports with its key among the trusted ones, and is
// refused (the installed database untouched) when unsigned, signed by
// another key, or changed after signing.
func TestBundleSigned(t *testing.T) {
	priv, pub := keyPair(t, "hospital")
	_, otherPub := keyPair(t, "other")
	var sig bytes.Buffer
	bundle, res := exportBytes(t, sample(t), ExportOptions{SignKey: priv, Signature: &sig, Now: built})
	if res.Signer == "" || !strings.Contains(sig.String(), "BEGIN PGP SIGNATURE") {
		t.Fatalf("export: signer %q, signature %q", res.Signer, sig.String())
	}
	now := built.Add(time.Hour)
	dst := filepath.Join(t.TempDir(), "db")
	got, err := importBytes(dst, bundle, ImportOptions{Trust: [][]byte{otherPub, pub}, Signature: sig.Bytes(), Now: now})
	if err != nil || got.Signer != res.Signer {
		t.Fatalf("signed import: %+v, %v", got, err)
	}
	installed, _ := os.ReadFile(dst)
	tampered := bytes.Clone(bundle)
	tampered[len(tampered)/2] ^= 1
	other := filepath.Join(t.TempDir(), "db")
	build(t, other, filepath.Join(feeds, "kev"))
	otherBundle, _ := exportBytes(t, other, ExportOptions{})
	for _, c := range []struct {
		name   string
		bundle []byte
		o      ImportOptions
		want   error
	}{
		{"unsigned", bundle, ImportOptions{Trust: [][]byte{pub}}, ErrUnsigned},
		{"another key", bundle, ImportOptions{Trust: [][]byte{otherPub}, Signature: sig.Bytes()}, ErrSignature},
		{"tampered", tampered, ImportOptions{Trust: [][]byte{pub}, Signature: sig.Bytes()}, ErrSignature},
		{"another bundle", otherBundle, ImportOptions{Trust: [][]byte{pub}, Signature: sig.Bytes()}, ErrSignature},
		{"garbage signature", bundle, ImportOptions{Trust: [][]byte{pub}, Signature: []byte("-----BEGIN PGP SIGNATURE-----\nxx\n")}, ErrSignature},
	} {
		c.o.Now = now
		_, err := importBytes(dst, c.bundle, c.o)
		var be *BundleError
		if !errors.Is(err, c.want) || !errors.As(err, &be) || !strings.Contains(err.Error(), "bundle test.bundle") {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if now, _ := os.ReadFile(dst); !bytes.Equal(now, installed) {
			t.Errorf("%s: the installed database changed", c.name)
		}
	}
	// A well signed bad bundle is refused for what is wrong with it, not
	// for its signature; a cut one for both.
	keys, _ := pgp.ReadKeys(priv)
	dbData, _ := os.ReadFile(dst)
	extra := craft(t, true, reg(ManifestMember, manifestFor(t, dbData, nil)), reg(DBMember, dbData), reg("x", []byte("x")))
	var xsig bytes.Buffer
	if err := keys.Sign(&xsig, bytes.NewReader(extra), built); err != nil {
		t.Fatal(err)
	}
	if _, err := importBytes(dst, extra, ImportOptions{Trust: [][]byte{pub}, Signature: xsig.Bytes(), Now: now}); !errors.Is(err, ErrBundleMember) || errors.Is(err, ErrSignature) {
		t.Errorf("signed bundle with an extra member: %v", err)
	}
	_, err = importBytes(dst, bundle[:len(bundle)/2], ImportOptions{Trust: [][]byte{pub}, Signature: sig.Bytes(), Now: now})
	if !errors.Is(err, ErrBundleTruncated) || !errors.Is(err, ErrSignature) {
		t.Errorf("signed bundle cut short: %v", err)
	}
	// A signature dated after the importing machine's clock is refused,
	// and the message points at the clock.
	if _, err := importBytes(dst, bundle, ImportOptions{Trust: [][]byte{pub}, Signature: sig.Bytes(), Now: built.Add(-time.Hour)}); !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "clock") {
		t.Errorf("signature from the future: %v", err)
	}
	if _, err := importBytes(dst, bundle, ImportOptions{Trust: [][]byte{[]byte("not a key")}, Signature: sig.Bytes()}); err == nil || !strings.Contains(err.Error(), "trusted key 1") {
		t.Errorf("bad trusted key: %v", err)
	}
}

// A bundle built before the installed database is refused unless
// AllowOlder.
func TestBundleRollback(t *testing.T) {
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	if _, err := Build(context.Background(), BuildOptions{Path: oldPath, Feeds: []string{feeds}, Now: built.Add(-48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	build(t, newPath, feeds)
	oldBundle, _ := exportBytes(t, oldPath, ExportOptions{})
	want := digestAt(t, newPath)
	_, err := importBytes(newPath, oldBundle, ImportOptions{})
	if !errors.Is(err, ErrRollback) || !strings.Contains(err.Error(), "--allow-older") {
		t.Errorf("rollback: %v", err)
	}
	if digestAt(t, newPath) != want {
		t.Error("rollback: the installed database changed")
	}
	// A scan that opened the installed database finishes on it while an
	// import replaces it.
	scan, err := Open(newPath)
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Close()
	res, err := importBytes(newPath, oldBundle, ImportOptions{AllowOlder: true})
	if err != nil || res.Previous != want || digestAt(t, newPath) != digestAt(t, oldPath) {
		t.Errorf("--allow-older: %+v, %v", res, err)
	}
	if err := scan.Verify(); err != nil || scan.Digest() != want {
		t.Errorf("the database open before the import: %v", err)
	}
}

// tarMember is a member of a crafted bundle.
type tarMember struct {
	hdr  tar.Header
	data []byte
}

func reg(name string, data []byte) tarMember {
	return tarMember{tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(data)), Mode: 0o644}, data}
}

// craft writes members as a tar archive, gzip-compressed with gz.
func craft(t testing.TB, gz bool, members ...tarMember) []byte {
	t.Helper()
	var buf bytes.Buffer
	var zw *gzip.Writer
	w := &buf
	tw := tar.NewWriter(w)
	if gz {
		zw = gzip.NewWriter(w)
		tw = tar.NewWriter(zw)
	}
	for _, m := range members {
		if err := tw.WriteHeader(&m.hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(m.data)
	}
	tw.Close()
	if zw != nil {
		zw.Close()
	}
	return buf.Bytes()
}

// manifestFor is the manifest of a database file's bytes, changed by
// edit.
func manifestFor(t testing.TB, data []byte, edit func(*Manifest)) []byte {
	t.Helper()
	m := &Manifest{Format: BundleFormat, FormatVersion: BundleVersion, Schema: Schema, Built: built,
		Members: []BundleMember{{Name: DBMember, Size: int64(len(data)), SHA256: hexSHA256(data)}}}
	if h, err := parseHeader(data); err == nil {
		m.Digest = digestOf(h.digest)
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostileBundles lists bad bundles and the error each must be refused
// with; dbData is a good database file's bytes, good its bundle.
func hostileBundles(t testing.TB, dbData, good []byte) map[string]struct {
	bundle []byte
	want   error
} {
	man := manifestFor(t, dbData, nil)
	corruptDB := bytes.Clone(dbData)
	corruptDB[len(corruptDB)-3] ^= 0x40
	symlink := tarMember{tar.Header{Typeflag: tar.TypeSymlink, Name: DBMember, Linkname: "/etc/passwd"}, nil}
	huge := reg(DBMember, nil)
	huge.hdr.Size = 1 << 40
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-6] ^= 1
	zeros := gzipOf(t, append(craft(t, false, reg(ManifestMember, man), reg(DBMember, dbData)), make([]byte, 64<<20)...))
	// A gibibyte of zeros as the database, in gzip members after the
	// first (the reader reads one gzip stream: the rest never expands).
	head := craft(t, false, reg(ManifestMember, man), reg(DBMember, dbData))
	bomb := boundtest.GzipBomb(string(head[:512+(len(man)+511)/512*512+512]), "\x00", "", 1<<30)
	type c = struct {
		bundle []byte
		want   error
	}
	return map[string]c{
		"empty":                  {nil, ErrNotBundle},
		"text file":              {[]byte("hello, this is not a bundle at all\n"), ErrNotBundle},
		"a database, not bundle": {dbData, ErrNotBundle},
		"truncated gzip":         {good[:len(good)/2], ErrBundleTruncated},
		"truncated gzip trailer": {good[:len(good)-4], ErrBundleTruncated},
		"truncated tar":          {craft(t, false, reg(ManifestMember, man), reg(DBMember, dbData))[:4096], ErrBundleTruncated},
		"no database member":     {craft(t, true, reg(ManifestMember, man)), ErrBundleTruncated},
		"empty archive":          {craft(t, true), ErrNotBundle},
		"database first":         {craft(t, true, reg(DBMember, dbData), reg(ManifestMember, man)), ErrNotBundle},
		"path traversal":         {craft(t, true, reg(ManifestMember, man), reg("../../etc/"+DBMember, dbData)), ErrBundleMember},
		"absolute path":          {craft(t, true, reg(ManifestMember, man), reg("/tmp/"+DBMember, dbData)), ErrBundleMember},
		"symlink":                {craft(t, true, reg(ManifestMember, man), symlink), ErrBundleMember},
		"hard link":              {craft(t, true, reg(ManifestMember, man), tarMember{tar.Header{Typeflag: tar.TypeLink, Name: DBMember, Linkname: ManifestMember}, nil}), ErrBundleMember},
		"directory":              {craft(t, true, reg(ManifestMember, man), tarMember{tar.Header{Typeflag: tar.TypeDir, Name: DBMember, Mode: 0o755}, nil}), ErrBundleMember},
		"manifest symlink":       {craft(t, true, tarMember{tar.Header{Typeflag: tar.TypeSymlink, Name: ManifestMember, Linkname: "/etc/passwd"}, nil}), ErrBundleMember},
		"extra member":           {craft(t, true, reg(ManifestMember, man), reg(DBMember, dbData), reg("evil.sh", []byte("rm -rf /"))), ErrBundleMember},
		"huge member":            {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.Members[0].Size = 1 << 40 }))), ErrBundleTooLarge},
		"huge header":            {craft(t, true, reg(ManifestMember, man), huge), ErrBundleTooLarge},
		"huge manifest":          {craft(t, true, reg(ManifestMember, make([]byte, MaxManifestBytes+1))), ErrBundleTooLarge},
		"zeros after the end":    {zeros, ErrBundleMember},
		"data after gzip":        {append(bytes.Clone(good), "trailing"...), ErrBundleMember},
		"gzip bomb":              {bomb, ErrBundleTruncated},
		"gzip checksum":          {badCRC, ErrBundleDigest},
		"wrong member sha256":    {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.Members[0].SHA256 = strings.Repeat("0", 64) })), reg(DBMember, dbData)), ErrBundleDigest},
		"wrong digest":           {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.Digest = "sha256:" + strings.Repeat("1", 64) })), reg(DBMember, dbData)), ErrBundleDigest},
		"wrong built":            {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.Built = built.Add(time.Hour) })), reg(DBMember, dbData)), ErrBundleDigest},
		"corrupt database":       {craft(t, true, reg(ManifestMember, manifestFor(t, corruptDB, nil)), reg(DBMember, corruptDB)), ErrCorrupt},
		"other schema":           {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.Schema = 99 })), reg(DBMember, dbData)), &SchemaError{}},
		"other format version":   {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.FormatVersion = 2 })), reg(DBMember, dbData)), ErrNotBundle},
		"manifest not JSON":      {craft(t, true, reg(ManifestMember, []byte("{")), reg(DBMember, dbData)), ErrNotBundle},
		"two members listed":     {craft(t, true, reg(ManifestMember, manifestFor(t, dbData, func(m *Manifest) { m.Members = append(m.Members, m.Members[0]) })), reg(DBMember, dbData)), ErrBundleMember},
	}
}

func gzipOf(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// Every hostile bundle is a named *BundleError; the installed database
// is untouched and no temporary file is left.
func TestBundleHostile(t *testing.T) {
	src := sample(t)
	dbData, _ := os.ReadFile(src)
	good, _ := exportBytes(t, src, ExportOptions{})
	dst := filepath.Join(t.TempDir(), "db")
	if _, err := Build(context.Background(), BuildOptions{Path: dst, Feeds: []string{filepath.Join(feeds, "kev")}, Now: built.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	installed, _ := os.ReadFile(dst)
	for name, c := range hostileBundles(t, dbData, good) {
		_, err := importBytes(dst, c.bundle, ImportOptions{MaxSize: 1 << 30})
		var be *BundleError
		var se *SchemaError
		ok := errors.As(err, &be)
		if _, schema := c.want.(*SchemaError); schema {
			ok = ok && errors.As(err, &se) && se.Have == 99
		} else {
			ok = ok && errors.Is(err, c.want)
		}
		if !ok {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
		if now, _ := os.ReadFile(dst); !bytes.Equal(now, installed) {
			t.Errorf("%s: the installed database changed", name)
		}
	}
	if left, _ := filepath.Glob(dst + ".*.tmp"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, err := importBytes(dst, good, ImportOptions{MaxSize: 1000}); !errors.Is(err, ErrBundleTooLarge) {
		t.Errorf("MaxSize: %v", err)
	}
}

// Only one import or build writes a database at a time: the others fail
// at once with ErrLocked, and the database ends whole.
func TestBundleLocked(t *testing.T) {
	bundle, _ := exportBytes(t, sample(t), ExportOptions{})
	dst := filepath.Join(t.TempDir(), "db")
	unlock, err := lock(dst + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	_, err = importBytes(dst, bundle, ImportOptions{})
	unlock()
	if !errors.Is(err, ErrLocked) {
		t.Errorf("import while locked: %v", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { _, errs[i] = importBytes(dst, bundle, ImportOptions{}) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, ErrLocked) {
			t.Errorf("concurrent import: %v", err)
		}
	}
	digestAt(t, dst)
}

// A full disk during an import is the disk's error, not the bundle's,
// and leaves the installed database and no temporary file.
func TestBundleFullDisk(t *testing.T) {
	good, _ := exportBytes(t, sample(t), ExportOptions{})
	dst := filepath.Join(t.TempDir(), "db")
	if _, err := Build(context.Background(), BuildOptions{Path: dst, Feeds: []string{filepath.Join(feeds, "kev")}, Now: built.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	installed, _ := os.ReadFile(dst)
	testWriter = func(w io.Writer) io.Writer { return &fullDisk{w: w, n: 4096} }
	_, err := importBytes(dst, good, ImportOptions{})
	testWriter = func(w io.Writer) io.Writer { return w }
	var be *BundleError
	if !errors.Is(err, syscall.ENOSPC) || errors.As(err, &be) || !strings.Contains(err.Error(), "the installed database is unchanged") {
		t.Errorf("full disk: %v", err)
	}
	if now, _ := os.ReadFile(dst); !bytes.Equal(now, installed) {
		t.Error("full disk: the installed database changed")
	}
	if left, _ := filepath.Glob(dst + ".*.tmp"); len(left) > 0 {
		t.Errorf("full disk: temporary files left: %v", left)
	}
}

// A corrupt database is not exported; a cancelled import installs
// nothing.
func TestBundleExportFailures(t *testing.T) {
	src := sample(t)
	data, _ := os.ReadFile(src)
	data[len(data)-3] ^= 0x40
	bad := filepath.Join(t.TempDir(), "db")
	os.WriteFile(bad, data, 0o644)
	var buf bytes.Buffer
	if _, err := Export(context.Background(), bad, &buf, ExportOptions{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("export of a corrupt database: %v", err)
	}
	if _, err := Export(context.Background(), src, &buf, ExportOptions{SignKey: []byte("nope"), Signature: &buf}); err == nil {
		t.Error("export with a bad key: no error")
	}
	good, _ := exportBytes(t, src, ExportOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := filepath.Join(t.TempDir(), "db")
	if _, err := Import(ctx, dst, bytes.NewReader(good), ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled import: %v", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Error("a cancelled import installed a database")
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("device full") }

// Export reports the writer's error, or the signer's: a public key only
// cannot sign.
func TestBundleExportSignErrors(t *testing.T) {
	src := sample(t)
	priv, pub := keyPair(t, "hospital")
	var sig bytes.Buffer
	if _, err := Export(context.Background(), src, failWriter{}, ExportOptions{SignKey: priv, Signature: &sig, Now: built}); err == nil || !strings.Contains(err.Error(), "device full") {
		t.Errorf("failing writer: %v", err)
	}
	var out bytes.Buffer
	if _, err := Export(context.Background(), src, &out, ExportOptions{SignKey: pub, Signature: &sig, Now: built}); err == nil || !strings.Contains(err.Error(), "signing the bundle: no private key") {
		t.Errorf("public key as signing key: %v", err)
	}
}
