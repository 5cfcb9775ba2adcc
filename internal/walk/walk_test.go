package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func list(paths ...string) []File {
	var out []File
	Paths(paths, func(f File) { out = append(out, f) })
	return out
}

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.json", "a-c.json", "a/x.json", "a/.hidden/h.json", ".git/config", ".dotfile", "z/y/w.json")
	if err := os.Symlink(filepath.Join(dir, "b.json"), filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "a"), filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	// The directory, a file in it again (listed once), a missing path.
	got := list(dir+"/", filepath.Join(dir, "b.json"), missing)
	var lines []string
	for _, f := range got {
		rel := strings.TrimPrefix(f.Path, dir)
		s := fmt.Sprintf("%s root=%d dir=%d", rel, f.Root, f.Dir)
		if f.InDir() && f.Path[:f.DirLen] != filepath.Dir(f.Path)+string(filepath.Separator) {
			t.Errorf("%s: DirLen %d", f.Path, f.DirLen)
		}
		if f.Err != nil {
			s += " err=" + f.Err.Error()
		}
		lines = append(lines, s)
	}
	want := []string{
		"/.dotfile root=0 dir=0", // hidden files are listed, hidden directories not entered
		"/a/x.json root=0 dir=1",
		"/a-c.json root=0 dir=0", // name order, not path order
		"/b.json root=0 dir=0",
		"/link.json root=0 dir=0",
		"/linkdir root=0 dir=0", // a link to a directory is not followed
		"/z/y/w.json root=0 dir=3",
		"/missing.json root=2 dir=-1 err=no such file or directory",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if !errors.Is(got[len(got)-1].Err, fs.ErrNotExist) {
		t.Errorf("missing: %v", got[len(got)-1].Err)
	}
}

// TestPathsLikeWalkDir: the files of a directory are those filepath.WalkDir
// finds, written the same way, whatever the spelling of the root.
func TestPathsLikeWalkDir(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a/b/c.json", "a/d.json", "e.json", "f/.g/h.json")
	t.Chdir(dir)
	for _, root := range []string{".", "./", "a", "a/", "./a/../a", dir, dir + "/a//"} {
		var want []string
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			if !d.IsDir() {
				want = append(want, path)
			}
			return nil
		})
		var got []string
		for _, f := range list(root) {
			if f.Err != nil {
				t.Fatalf("%s: %v", root, f.Err)
			}
			got = append(got, f.Path)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("root %q: got %v, want %v", root, got, want)
		}
	}
}

func TestPathsNamedFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.json")
	p := filepath.Join(dir, ".", "a.json")
	got := list(p, filepath.Join(dir, "a.json"))
	if len(got) != 1 || got[0].Path != p || got[0].InDir() || got[0].Err != nil {
		t.Errorf("got %+v", got)
	}
}

func TestUnwrapPathAndTooLarge(t *testing.T) {
	_, err := os.Open("/nonexistent/x")
	if got := UnwrapPath(err); got != fs.ErrNotExist && !errors.Is(got, fs.ErrNotExist) || strings.Contains(got.Error(), "/nonexistent") {
		t.Errorf("UnwrapPath: %v", got)
	}
	plain := errors.New("plain")
	if UnwrapPath(plain) != plain {
		t.Error("UnwrapPath changed a plain error")
	}
	if err := TooLarge(10); !errors.Is(err, ErrTooLarge) || err.Error() != "document too large: more than 10 bytes after decompression" {
		t.Errorf("TooLarge: %v", err)
	}
}
