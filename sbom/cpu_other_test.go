//go:build !unix

package sbom

// processCPU is 0 where getrusage is not at hand: BenchmarkLoadFleetCPU
// then reports no CPU time.
func processCPU() int64 { return 0 }
