package sbom

import (
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// sharedRoot returns the shared real-data folder or skips the test.
func sharedRoot(t testing.TB) string { return sharedtest.Dir(t) }
