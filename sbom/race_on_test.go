//go:build race

package sbom

const raceDetector = true
