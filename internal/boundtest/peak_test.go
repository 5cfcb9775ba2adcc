package boundtest

import (
	"runtime"
	"testing"
)

// touched returns n bytes, every page written, so that they are resident.
func touched(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	return b
}

// TestPeakNotTheParents: a child that does nothing reports its own small
// peak, not the 256 MiB its parent holds (rusage alone reports the
// parent's on Linux: see hwm.go).
func TestPeakNotTheParents(t *testing.T) {
	if Child() {
		return
	}
	if testing.Short() {
		t.Skip("holds 256 MiB")
	}
	held := touched(256 << 20)
	peak := Peak(t, "TestPeakNotTheParents")
	runtime.KeepAlive(held)
	if peak > 128<<20 {
		t.Errorf("an idle child's peak: %d MiB (the parent's 256 MiB counted)", peak>>20)
	}
}

// TestPeakCountsTheChilds: a child that holds 96 MiB reports at least
// that.
func TestPeakCountsTheChilds(t *testing.T) {
	if Child() {
		runtime.KeepAlive(touched(96 << 20))
		return
	}
	if peak := Peak(t, "TestPeakCountsTheChilds"); peak < 96<<20 {
		t.Errorf("a child holding 96 MiB: peak %d MiB", peak>>20)
	}
}

// TestReadHWM: the VmHWM line of a status file, and nothing from a
// missing one.
func TestReadHWM(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("no /proc")
	}
	if v := readHWM("/proc/self/status"); v < 1<<20 {
		t.Errorf("own VmHWM: %d bytes", v)
	}
	if v := readHWM("/proc/0/status"); v != 0 {
		t.Errorf("a missing process: %d", v)
	}
}
