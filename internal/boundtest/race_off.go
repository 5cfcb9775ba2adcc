//go:build !race

package boundtest

// Race is true when the race detector is on: it allocates more, and
// bounds on allocation allow for it.
const Race = false
