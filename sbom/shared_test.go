package sbom

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedRoot returns the shared real-data folder (BOMRANK_SHARED, default
// ../shared from the project root) or skips the test when it is absent.
func sharedRoot(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("BOMRANK_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Skipf("shared test data not found at %s (set BOMRANK_SHARED): %v", dir, err)
	}
	return dir
}
