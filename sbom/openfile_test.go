package sbom

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

// TestLoadNotRegular: an SBOM directory holding a symbolic link to a named
// pipe or to /dev/zero, or a named pipe named on the command line, gives
// an error naming the file, at once, and the other SBOMs load. On main the
// pipe hung Load (and with it `scan` and `sbom`): the child timed out.
func TestLoadNotRegular(t *testing.T) {
	good, err := filepath.Glob(filepath.Join("..", "testdata", "fleet", "*.json"))
	if err != nil || len(good) == 0 {
		t.Fatalf("no fleet SBOMs: %v", err)
	}
	src, err := os.ReadFile(good[0])
	if err != nil {
		t.Fatal(err)
	}
	cases := boundtest.NotRegular("fifo", "link to fifo", "dev zero")
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			boundtest.Run(t, 20*time.Second, 512<<20, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "device.json")
				plant(t, p)
				os.WriteFile(filepath.Join(dir, "good.json"), src, 0o644)
				for _, paths := range [][]string{{dir}, {p}} {
					if name == "fifo" && paths[0] == dir {
						continue // a pipe in a directory is not listed by walk.Paths
					}
					res := Load(context.Background(), paths...)
					var found bool
					for _, e := range res.Errors {
						if e.Path == p && errors.Is(e, walk.ErrNotRegular) {
							found = true
							t.Logf("%v", e)
						}
					}
					if !found {
						t.Fatalf("Load(%v): errors %v, want %s not a regular file", paths, res.Errors, p)
					}
					if paths[0] == dir && len(res.Devices) != 1 {
						t.Errorf("Load(%v): %d devices, want the good one", paths, len(res.Devices))
					}
				}
				if _, err := ParseFile(p); !errors.Is(err, walk.ErrNotRegular) {
					t.Errorf("ParseFile: %v, want not a regular file", err)
				}
			})
		})
	}
}
