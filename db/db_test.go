package db

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
)

var (
	feeds = filepath.Join("..", "testdata", "feeds")
	built = time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
)

// crcOf is the CRC-32C the format uses.
func crcOf(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

func build(t testing.TB, path string, feedPaths ...string) *BuildResult {
	t.Helper()
	res, err := Build(context.Background(), BuildOptions{Path: path, Feeds: feedPaths, Version: "v0.test", Now: built})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sample builds the sample feeds' database once per test.
func sample(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "db")
	build(t, path, feeds)
	return path
}

// A database holds what the load read: the index answers as one built
// from the feeds, KEV, EPSS, documents and counts are kept, and the
// database verifies.
func TestBuildOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "db")
	res := build(t, path, feeds)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	load := advisory.Options{Digest: true}.Load(context.Background(), feeds)
	m := d.Meta()
	if m.Advisories != len(load.Advisories) || len(d.KEV()) != len(load.KEV) || len(d.EPSS()) != len(load.EPSS) || len(load.KEV) == 0 || len(load.EPSS) == 0 {
		t.Errorf("advisories %d, KEV %d, EPSS %d; the load read %d, %d, %d", m.Advisories, len(d.KEV()), len(d.EPSS()), len(load.Advisories), len(load.KEV), len(load.EPSS))
	}
	if !reflect.DeepEqual(d.KEV(), load.KEV) || !reflect.DeepEqual(d.EPSS(), load.EPSS) {
		t.Error("KEV or EPSS differ from the load's")
	}
	if !m.Built.Equal(built) || m.Version != "v0.test" || len(m.Documents) == 0 {
		t.Errorf("meta %+v", m)
	}
	// The provenance is the load's (with SHA-256), as stored.
	if len(m.Sources) != len(load.Sources) {
		t.Errorf("%d sources, the load has %d", len(m.Sources), len(load.Sources))
	}
	for i := range min(len(m.Sources), len(load.Sources)) {
		g, w := m.Sources[i], load.Sources[i]
		if !g.Captured.Equal(w.Captured) {
			t.Errorf("source %d captured %v, want %v", i, g.Captured, w.Captured)
		}
		g.Captured, w.Captured = time.Time{}, time.Time{}
		if g != w {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
	if d.Digest() != res.Digest || !strings.HasPrefix(d.Digest(), "sha256:") {
		t.Errorf("digest %s, the build said %s", d.Digest(), res.Digest)
	}
	st, _ := os.Stat(path)
	if st.Size() != res.Size || st.Mode().Perm() != 0o644 {
		t.Errorf("size %d mode %v, the build said %d", st.Size(), st.Mode(), res.Size)
	}
	if c := d.Contents(); c.Records == 0 || !c.CPE || !c.CSAF || !c.VEX || c.Records != m.Records {
		t.Errorf("contents %+v, meta records %d", c, m.Records)
	}
	if got := d.Packages("Maven", "org.apache.logging.log4j:log4j-core"); len(got) == 0 {
		t.Error("log4j-core not found")
	}
	if err := d.Verify(); err != nil {
		t.Error(err)
	}
	if s := d.Status(); s.Schema != Schema || s.Size != res.Size || s.Digest != res.Digest || s.Records != m.Records {
		t.Errorf("status %+v", s)
	}
}

// Every way a file can be wrong is an *Error naming the file, with the
// reason, and never a panic.
func TestOpenBadFiles(t *testing.T) {
	good, err := os.ReadFile(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	newer := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(newer[8:], Schema+1)
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-100] ^= 0x40
	header := append([]byte(nil), good...)
	header[20] ^= 1
	cases := []struct {
		name string
		data []byte // nil: a directory
		want error
		msg  string
	}{
		{"directory", nil, nil, "not a regular file: a directory"},
		{"empty", []byte{}, ErrNotDB, "not a bomrank database"},
		{"json", []byte(`{"schema_version":"1.6.0","id":"GHSA-x"}`), ErrNotDB, "not a bomrank database"},
		{"magic only", good[:10], ErrTruncated, "truncated"},
		{"truncated", good[:len(good)-1000], ErrTruncated, "truncated"},
		{"grown", append(append([]byte(nil), good...), 0), ErrCorrupt, "the header says"},
		{"newer schema", newer, nil, fmt.Sprintf("built by schema %d, this bomrank reads %d: rebuild it with `bomrank db build`", Schema+1, Schema)},
		{"flipped bit", flipped, ErrCorrupt, "checksum mismatch"},
		{"header", header, ErrCorrupt, "header checksum mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			if c.data == nil {
				os.Mkdir(p, 0o755)
			} else {
				os.WriteFile(p, c.data, 0o644)
			}
			d, err := Open(p)
			var e *Error
			if err == nil || !errors.As(err, &e) || e.Path != p || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Open = %v, %v; want an *Error naming %s with %q", d, err, p, c.msg)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("%v is not %v", err, c.want)
			}
		})
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// No truncation and no flipped byte anywhere makes Open panic or
// succeed silently: every one is an error (the header's checks, or a
// section's CRC-32C).
func TestOpenEveryDamage(t *testing.T) {
	good, err := os.ReadFile(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bad")
	step := max(1, len(good)/500)
	for i := 0; i < len(good); i += step {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x01
		os.WriteFile(p, bad, 0o644)
		if d, err := Open(p); err == nil {
			// Only the padding between sections is outside every check
			// but the digest.
			if d.Verify() == nil {
				t.Errorf("byte %d flipped: Open and Verify both succeed", i)
			}
			d.Close()
		}
		os.WriteFile(p, good[:i], 0o644)
		if _, err := Open(p); err == nil {
			t.Errorf("truncated to %d bytes: Open succeeds", i)
		}
	}
}

// A change the per-section checksums cannot see (a section rewritten with
// a matching CRC-32C) is found by Verify's digest.
func TestVerifyDigest(t *testing.T) {
	path := sample(t)
	data, _ := os.ReadFile(path)
	h, err := parseHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	var meta section
	for _, s := range h.sections {
		if s.kind == secMeta {
			meta = s
		}
	}
	sec := data[meta.off : meta.off+meta.len]
	i := strings.Index(string(sec), "v0.test")
	sec[i+1] = '9' // "v9.test"
	entry := data[fixedHeader:]
	for k := range h.sections {
		if h.sections[k].kind == secMeta {
			binary.LittleEndian.PutUint32(entry[sectionEntry*k+4:], crcOf(sec))
		}
	}
	end := fixedHeader + sectionEntry*len(h.sections)
	binary.LittleEndian.PutUint32(data[end:], crcOf(data[:end]))
	os.WriteFile(path, data, 0o644)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Meta().Version != "v9.test" {
		t.Fatalf("version %q", d.Meta().Version)
	}
	if err := d.Verify(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "digest mismatch") || !strings.Contains(err.Error(), path) {
		t.Errorf("Verify = %v", err)
	}
}

// Two builds at once: one holds the lock, the other fails at once saying
// so, and the database is whole.
func TestBuildLocked(t *testing.T) {
	path := sample(t)
	unlock, err := lock(path + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), BuildOptions{Path: path, Feeds: []string{feeds}, Now: built})
	unlock()
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path+".lock: another build holds the lock") {
		t.Errorf("Build while locked = %v", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = Build(context.Background(), BuildOptions{Path: path, Feeds: []string{feeds}, Now: built})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrLocked):
			t.Errorf("concurrent build: %v", err)
		}
	}
	if ok == 0 {
		t.Error("no concurrent build succeeded")
	}
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Verify(); err != nil {
		t.Error(err)
	}
	if left, _ := filepath.Glob(path + ".*.tmp"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// fullDisk fails every write after n bytes with ENOSPC.
type fullDisk struct {
	w io.Writer
	n int
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// A full disk, an unwritable target, a target that is a directory and a
// build that reads nothing each fail naming the file, and leave the old
// database as it was, with no temporary file behind.
func TestBuildFailures(t *testing.T) {
	path := sample(t)
	old, _ := os.ReadFile(path)
	testWriter = func(w io.Writer) io.Writer { return &fullDisk{w: w, n: 4096} }
	_, err := Build(context.Background(), BuildOptions{Path: path, Feeds: []string{feeds}, Now: built.Add(time.Hour)})
	testWriter = func(w io.Writer) io.Writer { return w }
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "the old database is unchanged") || !strings.Contains(err.Error(), path) {
		t.Errorf("full disk: %v", err)
	}
	if now, _ := os.ReadFile(path); string(now) != string(old) {
		t.Error("full disk: the old database changed")
	}
	if left, _ := filepath.Glob(path + ".*.tmp"); len(left) > 0 {
		t.Errorf("full disk: temporary files left: %v", left)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	for name, p := range map[string]string{
		"parent is a file":       filepath.Join(dir, "file", "db"),
		"target is a directory":  dir,
		"no path":                "",
		"nothing read (no data)": filepath.Join(dir, "empty.db"),
	} {
		feed := feeds
		if name == "nothing read (no data)" {
			feed = filepath.Join(dir, "file")
		}
		_, err := Build(context.Background(), BuildOptions{Path: p, Feeds: []string{feed}, Now: built})
		var e *Error
		if !errors.As(err, &e) || (p != "" && !strings.Contains(err.Error(), p)) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "empty.db")); err == nil {
		t.Error("a build that read nothing wrote a database")
	}
}
