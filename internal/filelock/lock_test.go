package filelock

import (
	"errors"
	"path/filepath"
	"testing"
)

// A second holder is refused at once while the first holds the lock,
// and gets it once the first lets go.
func TestTryLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLock: %v, want ErrLocked", err)
	}
	unlock()
	again, err := TryLock(path)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
	if _, err := TryLock(filepath.Join(t.TempDir(), "missing", "x.lock")); err == nil {
		t.Error("a lock in a missing directory was taken")
	}
}
