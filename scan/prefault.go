package scan

import (
	"os"

	"github.com/bomrank/bomrank/internal/prefault"
	"github.com/bomrank/bomrank/internal/walk"
)

// heapPerInputByte is how many bytes of memory the scan is taken to need
// for each byte of its SBOM files and database: well below what it uses,
// so that prefaulting does not raise its peak. `bomrank scan --db -f json`
// peaked at 230 MiB for 45 MB of SBOMs and database on the 100k workload
// (5.1 bytes a byte) and at 1.56 GB for 330 MB on the 600k one (4.7).
const heapPerInputByte = 2.5

// maxPrefault bounds the memory prefaulted whatever the inputs.
const maxPrefault = 2 << 30

// prefaultHeap makes the memory the scan will need resident at once
// (package prefault), sized from the SBOM files under sbomPaths and the
// database at dbPath (feed files given with -a are not counted: taking
// their sizes would be a stat of each of them). Measured with
// `bomrank scan --db -f json`, the machine shared: on the 100k workload
// (112 MB prefaulted) the page faults went from 53-54k to 26-35k and the
// system time from 0.55-0.60 s to 0.36-0.43 s, peak unchanged (227-230
// MiB); on the 600k workload (825 MB) from 395k to 205k faults, 9.4 to
// 3.4 s of system time, 21.4 to 15.1 s, peak 1.56 to 1.60-1.63 GB.
func prefaultHeap(sbomPaths []string, dbPath string) {
	var in int64
	walk.Paths(sbomPaths, func(f walk.File) {
		if fi, err := os.Stat(f.Path); f.Err == nil && err == nil && fi.Mode().IsRegular() {
			in += fi.Size()
		}
	})
	if fi, err := os.Stat(dbPath); dbPath != "" && err == nil && fi.Mode().IsRegular() {
		in += fi.Size()
	}
	prefault.Heap(min(int64(float64(in)*heapPerInputByte), maxPrefault))
}
