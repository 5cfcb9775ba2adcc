package scan

import (
	"os"

	"github.com/bomrank/bomrank/internal/prefault"
	"github.com/bomrank/bomrank/internal/walk"
)

// heapPerInputByte is how many bytes of memory the scan is taken to need
// for each byte of its SBOM files and database. `bomrank scan --db -f
// json` peaks at 140 MiB for 49 MB of SBOMs and database on the 100k
// workload (2.9 bytes a byte) and at 1.22 GiB for 330 MB on the 600k one
// (4.0). The memory is only advised, not touched (prefault.Heap): sizing
// it past the need costs address space, not memory.
const heapPerInputByte = 4

// maxPrefault bounds the memory prepared whatever the inputs, and
// maxCountedFile what one file counts for: a directory of SBOMs may hold
// other files (firmware images, archives) that the scan passes over.
const maxPrefault, maxCountedFile = 1 << 30, 64 << 20

// prefaultHeap prepares the memory the scan will need to fault in huge
// pages (prefault.Heap), sized by prefaultSize. It takes a few
// milliseconds and is made before the readers start, so that their
// allocations land in it. History, `bomrank scan --db -f json`: making
// the memory resident first (MADV_POPULATE_WRITE, beside the readers)
// took the 100k scan's page faults from 53-54k to 26-35k and its system
// time from 0.55-0.60 s to 0.36-0.43 s, the 600k scan's from 9.4 to 3.4
// s (21.4 to 15.1 s wall); huge pages, then advice alone, took the 100k
// scan from 0.24x to 0.17x the decode floor (see prefault.Heap).
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
