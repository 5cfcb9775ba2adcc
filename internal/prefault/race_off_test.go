//go:build !race

package prefault

// raceEnabled: see race_on_test.go.
const raceEnabled = false
