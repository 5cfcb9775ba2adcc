package scan

import (
	"os"

	"github.com/bomrank/bomrank/internal/prefault"
	"github.com/bomrank/bomrank/internal/walk"
)

// heapPerInputByte is how many bytes of memory the scan is taken to need
// for each byte of its SBOM files and database: well below what it uses,
// so that prefaulting does not raise its peak. `bomrank scan --db -f json`
// peaks at 167-175 MiB for 45 MB of SBOMs and database on the 100k
// workload (3.9 bytes a byte) and at 1.22 GiB for 330 MB on the 600k one
// (4.0); 3 or 3.5 bytes a byte raised the 100k peak (to 190-217 MiB) for
// no clear gain.
const heapPerInputByte = 2.5

// maxPrefault bounds the memory prefaulted whatever the inputs, and
// maxCountedFile what one file counts for: a directory of SBOMs may hold
// other files (firmware images, archives) that the scan passes over, and
// prefaulting for them would only raise its peak.
const maxPrefault, maxCountedFile = 1 << 30, 64 << 20

// prefaultHeap makes the memory the scan will need resident at once
// (package prefault), sized by prefaultSize. Measured with
// `bomrank scan --db -f json`, the machine shared: on the 100k workload
// (112 MB prefaulted) the page faults went from 53-54k to 26-35k and the
// system time from 0.55-0.60 s to 0.36-0.43 s, peak unchanged (227-230
// MiB); on the 600k workload (825 MB) from 395k to 205k faults, 9.4 to
// 3.4 s of system time, 21.4 to 15.1 s, peak 1.56 to 1.60-1.63 GB.
func prefaultHeap(sbomPaths []string, dbPath string) {
	prefault.Heap(prefaultSize(sbomPaths, dbPath))
}

// prefaultSize is heapPerInputByte times the bytes of the files under
// sbomPaths (each counted for maxCountedFile at most) and of the database
// at dbPath, at most maxPrefault. Feed files given with -a are not
// counted: taking their sizes would be a stat of each of them.
func prefaultSize(sbomPaths []string, dbPath string) int64 {
	var in int64
	walk.Paths(sbomPaths, func(f walk.File) {
		if fi, err := os.Stat(f.Path); f.Err == nil && err == nil && fi.Mode().IsRegular() {
			in += min(fi.Size(), maxCountedFile)
		}
	})
	if fi, err := os.Stat(dbPath); dbPath != "" && err == nil && fi.Mode().IsRegular() {
		in += fi.Size()
	}
	return min(int64(float64(in)*heapPerInputByte), maxPrefault)
}
