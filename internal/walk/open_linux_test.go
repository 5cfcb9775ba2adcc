package walk

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCheckFD: the raw-system-call rule is Open's.
func TestCheckFD(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "a")
	os.WriteFile(reg, []byte("abc"), 0o644)
	for _, c := range []struct {
		path  string
		limit int64
		want  error
	}{{reg, 0, nil}, {reg, 3, nil}, {reg, 2, ErrTooLarge}, {"/dev/null", 0, ErrNotRegular}, {dir, 0, ErrNotRegular}} {
		fd, err := syscall.Open(c.path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckFD(fd, c.limit)
		syscall.Close(fd)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("CheckFD(%s, %d): %v, want %v", c.path, c.limit, err, c.want)
		}
	}
}
