package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared folder: $BOMRANK_SHARED if set, else "shared"
// beside the module root (found by walking up from the working directory
// to go.mod). It skips t, or fails it under BOMRANK_REQUIRE_SHARED, when
// the folder is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := find()
	if err != nil {
		if os.Getenv("BOMRANK_REQUIRE_SHARED") != "" {
			t.Fatalf("shared test data required (BOMRANK_REQUIRE_SHARED) but not found: %v", err)
		}
		t.Skipf("shared test data not found (set BOMRANK_SHARED): %v", err)
	}
	return dir
}

// Path joins elem to the shared folder; see Dir.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}

func find() (string, error) {
	dir := os.Getenv("BOMRANK_SHARED")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				root = wd
				break
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		return "", err
	}
	// Tests walk the folder with filepath.WalkDir, which does not follow
	// a symlinked root.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return dir, nil
}
