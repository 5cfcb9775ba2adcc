package scan

import (
	"runtime/debug"
	"sync"
)

// heldGCPercent is the GC percentage while the collector is held
// (Config.HoldGC).
const heldGCPercent = 400

// holdGC, when hold is set, raises the GC percentage to heldGCPercent and
// returns the function that sets it back (once, however often it is
// called). A percentage already higher, or the collector turned off
// (GOGC=off), is left as it is.
//
// Why: `bomrank scan --db` of the 100k workload collects twice while it
// matches and finds 9 MB of garbage in 139 MB (GODEBUG=gctrace=1): the
// heap is the devices and the findings, kept until the report. Run with
// GOGC=off in the environment (the collections Run makes itself still
// made), 5 interleaved runs each, the machine shared: CPU 1.02-1.67 s ->
// 0.89-1.31 s, peak 175-181 -> 179-182 MiB.
func holdGC(hold bool) (restore func()) {
	if !hold {
		return func() {}
	}
	prev := debug.SetGCPercent(heldGCPercent)
	if prev < 0 || prev >= heldGCPercent {
		debug.SetGCPercent(prev)
		return func() {}
	}
	return sync.OnceFunc(func() { debug.SetGCPercent(prev) })
}
