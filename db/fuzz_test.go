package db

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen: whatever the bytes of the file, Open (and Verify, when it
// opens) returns a database or an error, never a panic.
func FuzzOpen(f *testing.F) {
	good, err := os.ReadFile(sample(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:200])
	f.Add([]byte("bomrank\x1a"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "db")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Skip(err)
		}
		d, err := Open(p)
		if err != nil {
			return
		}
		d.Verify()
		d.Close()
	})
}
