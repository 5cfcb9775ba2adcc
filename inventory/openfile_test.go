package inventory

import (
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/walk"
)

// TestLoadNotRegular: an inventory that is a named pipe (or a link to
// one) or a device is an error at once; a missing one is still
// fs.ErrNotExist. On main the pipe hung Load (the child timed out) and
// /dev/zero was an error only after 64 MiB.
func TestLoadNotRegular(t *testing.T) {
	cases := boundtest.NotRegular("fifo", "link to fifo", "dev zero", "directory")
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			boundtest.Run(t, 20*time.Second, 512<<20, func(t *testing.T) {
				p := filepath.Join(t.TempDir(), "assets.csv")
				plant(t, p)
				_, err := Load(p)
				if !errors.Is(err, walk.ErrNotRegular) {
					t.Fatalf("Load: %v, want not a regular file", err)
				}
				t.Log(err)
			})
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
}
