//go:build race

package prefault

// raceEnabled: under the race detector every page written also faults in
// its shadow memory, which no madvise of the heap covers.
const raceEnabled = true
