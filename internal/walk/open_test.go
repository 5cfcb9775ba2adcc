package walk

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// TestOpen: Open and ReadFile read regular files, within the limit, and
// refuse everything else at once, naming what it is.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "a.json")
	os.WriteFile(reg, []byte("0123456789"), 0o644)
	fifo := filepath.Join(dir, "pipe")
	if err := boundtest.Mkfifo(fifo); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.Symlink("pipe", filepath.Join(dir, "to-pipe"))
	os.Symlink("/dev/zero", filepath.Join(dir, "to-zero"))
	os.Symlink("a.json", filepath.Join(dir, "to-a"))
	os.Symlink("missing", filepath.Join(dir, "dangling"))
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)

	if b, err := ReadFile(reg, 10); err != nil || string(b) != "0123456789" {
		t.Errorf("ReadFile: %q, %v", b, err)
	}
	if b, err := ReadFile(filepath.Join(dir, "to-a"), 0); err != nil || string(b) != "0123456789" {
		t.Errorf("ReadFile through a link: %q, %v", b, err)
	}
	if _, err := ReadFile(reg, 9); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFile over the limit: %v", err)
	}
	for name, want := range map[string]string{
		"pipe": "named pipe", "to-pipe": "named pipe", "to-zero": "character device", "sub": "directory",
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(filepath.Join(dir, name), 1<<20); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want not a regular file: %s", name, err, want)
			}
			var pe *fs.PathError
			if errors.As(err, &pe) {
				t.Errorf("%s: %v is wrapped in a *fs.PathError", name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: ReadFile blocks", name)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "dangling"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dangling: %v", err)
	}
	f, size, err := Open(reg, 0)
	if err != nil || size != 10 {
		t.Fatalf("Open: %d, %v", size, err)
	}
	f.Close()
}
