package advisory

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/walk"
)

// BenchmarkReadFiles compares, in one run, the two ways Load reads the
// files of a directory on Linux: readFileFast (raw openat/read, the end of
// file taken from a short read) and readFileStd (os.Open and a read to
// io.EOF, as os.ReadFile does), on the 100,000-file OSV directory of the
// synthetic benchmark. Each iteration loads the directory both ways, in
// alternating order, so that a busy machine slows both alike; the metrics
// are the median load time of each way and their ratio (os/raw, above 1
// when the raw reads are faster). readfile_linux.go keeps the figure.
// Run with -benchtime 10x or so.
func BenchmarkReadFiles(b *testing.B) {
	dir := benchDir(b, "osv")
	defer func(old bool) { rawRead = old }(rawRead)
	load := func(raw bool) time.Duration {
		rawRead = raw
		start := time.Now()
		res := Load(context.Background(), dir)
		d := time.Since(start)
		if len(res.Errors) > 0 || len(res.Advisories) != 100000 {
			b.Fatalf("%d advisories, errors %v", len(res.Advisories), res.Errors)
		}
		return d
	}
	var raw, std, ratio []float64
	i := 0
	for b.Loop() {
		var r, s time.Duration
		if i%2 == 0 {
			r, s = load(true), load(false)
		} else {
			s, r = load(false), load(true)
		}
		i++
		raw = append(raw, r.Seconds()*1000)
		std = append(std, s.Seconds()*1000)
		ratio = append(ratio, float64(s)/float64(r))
	}
	median := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
	b.ReportMetric(median(raw), "raw-ms")
	b.ReportMetric(median(std), "os-ms")
	b.ReportMetric(median(ratio), "os/raw")
}

// TestReadFileFastLinkSwapped: a file listed as regular that has become a
// symbolic link by the time it is opened (to /dev/zero here) is caught by
// O_NOFOLLOW and checked like any link: not a regular file, nothing read.
func TestReadFileFastLinkSwapped(t *testing.T) {
	dir := t.TempDir() + "/"
	if err := os.Symlink("/dev/zero", dir+"feed.json"); err != nil {
		t.Fatal(err)
	}
	w := &worker{}
	defer w.release()
	for _, link := range []bool{false, true} {
		data, _, _, err := w.readFileFast(dir, 0, "feed.json", link, 1<<20)
		if !errors.Is(err, walk.ErrNotRegular) || len(data) != 0 {
			t.Errorf("link=%v: %d bytes, %v; want not a regular file", link, len(data), err)
		}
	}
}
