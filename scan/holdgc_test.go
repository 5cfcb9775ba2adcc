package scan

import (
	"runtime/debug"
	"testing"
)

// gcPercent returns the GC percentage without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestHoldGC: held, the percentage is heldGCPercent until restore, which
// sets the caller's back once; not held, or with the collector off or
// already higher, nothing changes.
func TestHoldGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	restore := holdGC(true)
	if p := gcPercent(); p != heldGCPercent {
		t.Fatalf("held: GC percent %d, want %d", p, heldGCPercent)
	}
	restore()
	if p := gcPercent(); p != 100 {
		t.Fatalf("restored: GC percent %d, want 100", p)
	}
	debug.SetGCPercent(150)
	restore() // once only: the 150 set since stays
	if p := gcPercent(); p != 150 {
		t.Fatalf("second restore changed the percent to %d", p)
	}
	for _, c := range []struct {
		hold bool
		prev int
	}{{false, 100}, {true, -1}, {true, 800}} {
		debug.SetGCPercent(c.prev)
		holdGC(c.hold)()
		if p := gcPercent(); p != c.prev {
			t.Errorf("hold %v from %d: percent %d", c.hold, c.prev, p)
		}
	}
}
