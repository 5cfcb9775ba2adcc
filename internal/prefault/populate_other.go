//go:build !linux

package prefault

// populate does nothing where MADV_POPULATE_WRITE does not exist.
func populate([]byte) bool { return false }

// advise does nothing where MADV_HUGEPAGE does not exist.
func advise([]byte) bool { return false }
