package advisory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/walk"
)

// The limits of the tests that run in a child process (boundtest.Run): a
// hang fails by the timeout, unbounded reading by the heap limit.
const (
	childTimeout = 20 * time.Second
	childHeap    = 512 << 20
)

func testCSAF(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "csaf", "acme-2026-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestChecksumFileNotRegular: whatever stands in place of a CSAF
// document's .sha256 (or .sha512) but is not a regular file makes that
// document an error, without blocking and without reading without end,
// and the other documents load. On main a named pipe hung the load (the
// child timed out), a link to /dev/zero grew the heap without bound (the
// child went over its heap limit), and a directory or a dangling link
// counted as "no checksum": the altered document was accepted.
func TestChecksumFileNotRegular(t *testing.T) {
	cases := boundtest.NotRegular("fifo", "link to fifo", "dev zero", "directory", "dangling link")
	for name, plant := range cases {
		for _, ext := range []string{".sha256", ".sha512"} {
			t.Run(name+ext, func(t *testing.T) {
				boundtest.Run(t, childTimeout, childHeap, func(t *testing.T) {
					src := testCSAF(t)
					dir := t.TempDir()
					doc := filepath.Join(dir, "altered.json")
					os.WriteFile(doc, src, 0o644)
					plant(t, doc+ext)
					os.WriteFile(filepath.Join(dir, "other.json"), src, 0o644) // loads
					for _, paths := range [][]string{{dir}, {doc}} {
						res := Load(context.Background(), paths...)
						var found bool
						for _, e := range res.Errors {
							// (A dangling link found in a directory is an
							// error of its own too.)
							if e.Path == doc && errors.Is(e, ErrChecksum) {
								found = true
								t.Logf("%v", e)
							}
						}
						if !found {
							t.Fatalf("Load(%v): errors %v, want a checksum error for %s", paths, res.Errors, doc)
						}
						if len(paths) == 1 && paths[0] == dir && len(res.Advisories) == 0 {
							t.Errorf("the other document was not loaded")
						}
					}
				})
			})
		}
	}
}

// TestChecksumFileBOM: a checksum file written by an editor that puts a
// UTF-8 byte order mark first is read (on main the document was refused:
// the digest compared was "\ufeff" followed by the hex digits).
func TestChecksumFileBOM(t *testing.T) {
	src := testCSAF(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.json":        string(src),
		"a.json.sha256": "\xef\xbb\xbf" + sha256hex(src) + "  a.json\r\n",
	})
	res := Load(context.Background(), dir)
	if len(res.Errors) != 0 || len(res.Advisories) == 0 {
		t.Fatalf("%d advisories, errors %v", len(res.Advisories), res.Errors)
	}
	// A BOM does not hide a wrong digest.
	os.WriteFile(filepath.Join(dir, "a.json.sha256"), []byte("\xef\xbb\xbf"+sha256hex(src[1:])+"\n"), 0o644)
	res = Load(context.Background(), dir)
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0], ErrChecksum) {
		t.Fatalf("errors %v, want a checksum mismatch", res.Errors)
	}
}

// TestChecksumFileTooLarge: a checksum file is a digest and a name; a
// larger one is refused before it is read.
func TestChecksumFileTooLarge(t *testing.T) {
	src := testCSAF(t)
	dir := t.TempDir()
	big := make([]byte, 64<<10)
	for i := range big {
		big[i] = ' '
	}
	writeFiles(t, dir, map[string]string{
		"a.json":        string(src),
		"a.json.sha256": sha256hex(src) + string(big),
	})
	res := Load(context.Background(), dir)
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0], ErrChecksum) || !errors.Is(res.Errors[0], ErrTooLarge) {
		t.Fatalf("errors %v, want a checksum file too large", res.Errors)
	}
}

// TestLoadNotRegular: a feed that is a named pipe or a device, named or
// found in a directory, directly or through a symbolic link, is an error
// naming the file, returned without blocking or reading. On main a named
// pipe named on the command line hung the load (the child timed out),
// and /dev/zero through a link in a feed directory was read up to the 1
// GiB limit (the child went over its heap limit).
func TestLoadNotRegular(t *testing.T) {
	cases := boundtest.NotRegular("fifo", "link to fifo", "dev zero")
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			boundtest.Run(t, childTimeout, childHeap, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "feed.json")
				plant(t, p)
				os.WriteFile(filepath.Join(dir, "good.json"), testCSAF(t), 0o644)
				for _, paths := range [][]string{{dir}, {p}} {
					if name == "fifo" && paths[0] == dir {
						continue // a pipe in a directory is not listed by walk.Paths
					}
					res := Load(context.Background(), paths...)
					var found bool
					for _, e := range res.Errors {
						if e.Path == p && errors.Is(e, walk.ErrNotRegular) {
							found = true
						}
					}
					if !found {
						t.Fatalf("Load(%v): errors %v, want %s not a regular file", paths, res.Errors, p)
					}
				}
			})
		})
	}
}
