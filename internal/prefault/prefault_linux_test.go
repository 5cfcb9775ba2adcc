package prefault

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// minorFaults returns the process's minor page faults so far.
func minorFaults(t *testing.T) int64 {
	if raceEnabled {
		t.Skip("under the race detector each page written faults in its shadow memory too")
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Minflt
}

// touch allocates mib MiB in 1 MiB blocks and writes one byte a page.
func touch(mib int) [][]byte {
	out := make([][]byte, mib)
	for i := range out {
		out[i] = make([]byte, 1<<20)
		for j := 0; j < len(out[i]); j += 4096 {
			out[i][j] = 1
		}
	}
	return out
}

// TestHeapSavesFaults: after Heap(64 MiB), writing 48 MiB of new
// allocations faults in few pages (huge ones); writing 48 MiB of memory
// mapped fresh from the kernel (the control: the Go heap may hold pages
// made resident by an earlier run of the test, -count=2) faults in one a
// page.
func TestHeapSavesFaults(t *testing.T) {
	if mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || bytes.Contains(mode, []byte("[never]")) {
		t.Skip("no transparent huge pages here")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection between the steps
	runtime.GC()
	if !Heap(64 << 20) {
		t.Skip("the kernel did not take MADV_HUGEPAGE")
	}
	f0 := minorFaults(t)
	held := touch(48)
	f1 := minorFaults(t)
	fresh := freshFaults(t, 48<<20)
	runtime.KeepAlive(held)
	prefaulted := f1 - f0
	t.Logf("48 MiB written: %d faults after Heap, %d in fresh memory", prefaulted, fresh)
	if fresh < 48<<20/4096/2 {
		t.Fatalf("control: only %d faults for 48 MiB of fresh memory; the count does not see faults", fresh)
	}
	if prefaulted*8 > fresh {
		t.Fatalf("%d faults after Heap against %d in fresh memory: Heap did not make the pages resident", prefaulted, fresh)
	}
}

// freshFaults maps n bytes of anonymous memory, writes a byte a page and
// returns the page faults that took.
func freshFaults(t *testing.T, n int) int64 {
	m, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	f0 := minorFaults(t)
	for j := 0; j < len(m); j += 4096 {
		m[j] = 1
	}
	return minorFaults(t) - f0
}

// TestHeapSmall: under 4 MiB (or a negative size) Heap does nothing.
func TestHeapSmall(t *testing.T) {
	for _, n := range []int64{-1, 0, 1 << 20, minBytes - 1} {
		if Heap(n) {
			t.Errorf("Heap(%d) = true, want false", n)
		}
	}
}

// TestResident: a fresh 32 MiB buffer made Resident is written with few
// faults and keeps what it held; the control is TestHeapSavesFaults's.
func TestResident(t *testing.T) {
	b := make([]byte, 32<<20)
	b[0], b[len(b)-1] = 7, 9
	if !Resident(b) {
		t.Skip("MADV_POPULATE_WRITE not available on this kernel")
	}
	f0 := minorFaults(t)
	for j := 0; j < len(b); j += 4096 {
		b[j]++
	}
	if f := minorFaults(t) - f0; f > 32<<20/4096/8 {
		t.Errorf("%d faults writing 32 MiB made resident", f)
	}
	if b[0] != 8 || b[len(b)-1] != 9 {
		t.Errorf("contents changed: %d %d", b[0], b[len(b)-1])
	}
	if Resident(nil) || Resident(make([]byte, 100)) {
		t.Error("Resident of less than a page reported true")
	}
}
