package walk

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// WriteFile replaces a file whole or not at all, and leaves no temporary
// file either way.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "state.json")
	put := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := WriteFile(path, put("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom })
	if err != boom {
		t.Errorf("write's error: %v, want it as returned", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("a failed write changed the file: %q", b)
	}
	if err := WriteFile(path, put("new")); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new" || st.Mode().Perm() != 0o644 {
		t.Errorf("got %q, mode %v", b, st.Mode())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "sub", "*.part")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := WriteFile(filepath.Join(path, "x"), put("x")); err == nil {
		t.Error("wrote under a regular file")
	}
}
