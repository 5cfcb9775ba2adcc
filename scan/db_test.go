package scan

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/report"
)

// feedsDB matches the "db" member of the JSON's "feeds" object, the one
// part a scan through a database may add.
var feedsDB = regexp.MustCompile(`,?\s*"db": \{[^{}]*\}`)

// buildDB builds a database of paths in a temporary directory.
func buildDB(t testing.TB, paths ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "advisories.db")
	if _, err := db.Build(context.Background(), db.BuildOptions{Path: path, Feeds: paths, Version: "test", Now: asOf}); err != nil {
		t.Fatal(err)
	}
	return path
}

// scanJSON runs cfg and returns its JSON report.
func scanJSON(t testing.TB, cfg Config) ([]byte, *report.Scan) {
	t.Helper()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.Write(&b, "json", res, report.Options{AsOf: cfg.AsOf}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), res
}

// sameAnswers scans sboms from the feeds and from a database built of
// them, and wants the same JSON byte for byte but for feeds.db.
func sameAnswers(t *testing.T, sboms []string, feedPaths ...string) {
	t.Helper()
	path := buildDB(t, feedPaths...)
	want, _ := scanJSON(t, Config{SBOMs: sboms, Advisories: feedPaths, AsOf: asOf})
	// PrefaultHeap as the command sets it: it changes no answer.
	got, res := scanJSON(t, Config{SBOMs: sboms, DBPath: path, AsOf: asOf, PrefaultHeap: true})
	if res.DB == nil || res.DB.Path != path || res.DB.Schema != db.Schema || !res.DB.Built.Equal(asOf) || len(res.DB.Digest) != len("sha256:")+64 {
		t.Errorf("Scan.DB = %+v", res.DB)
	}
	if g := feedsDB.ReplaceAll(got, nil); !bytes.Equal(g, want) {
		t.Errorf("the scan through the database differs from the scan of the feeds (%d vs %d bytes)\n%s", len(g), len(want), firstDiff(g, want))
	}
}

// firstDiff shows where a and b first differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "got:  ..." + string(a[lo:min(len(a), i+200)]) + "\nwant: ..." + string(b[lo:min(len(b), i+200)])
}

// A scan through a database gives the same report as a scan of the feeds
// it was built from: the sample fleet and feeds.
func TestDBSameAnswersFleet(t *testing.T) {
	sameAnswers(t, []string{fleet}, feeds)
}

// The same on the shared real data: the OSV slice, the CISA CSAF
// advisories and the shared SBOMs.
func TestDBSameAnswersShared(t *testing.T) {
	dir := sharedtest.Dir(t)
	var paths []string
	for _, p := range []string{"osv", "csaf"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			paths = append(paths, filepath.Join(dir, p))
		}
	}
	sameAnswers(t, []string{filepath.Join(dir, "sboms"), fleet}, append(paths, feeds)...)
}

// The same on the 100k benchmark workload at $BOMRANK_BENCH (made by
// ../shared/bench/gen.py): its all.zip layout against 200 SBOMs. It takes
// about a minute on two cores, so it runs only when BOMRANK_BENCH is set.
func TestDBSameAnswersBench(t *testing.T) {
	root := os.Getenv("BOMRANK_BENCH")
	if root == "" || testing.Short() {
		t.Skip("set BOMRANK_BENCH to the benchmark workload (../shared/bench/gen.py DIR) to run")
	}
	if _, err := os.Stat(filepath.Join(root, "db")); err != nil {
		t.Skipf("benchmark workload not found at %s (python3 ../shared/bench/gen.py %s)", root, root)
	}
	sameAnswers(t, []string{filepath.Join(root, "sboms")}, filepath.Join(root, "db"))
}

// Feeds given on top of a database are read with it: a database of the
// OSV records alone plus the rest of the sample feeds gives the same
// findings as all the feeds.
func TestDBWithFeedsOnTop(t *testing.T) {
	path := buildDB(t, filepath.Join(feeds, "osv"))
	var rest []string
	for _, k := range []string{"csaf", "epss", "kev", "nvd", "vex"} {
		rest = append(rest, filepath.Join(feeds, k))
	}
	all := append([]string{filepath.Join(feeds, "osv")}, rest...)
	_, want := scanJSON(t, Config{SBOMs: []string{fleet}, Advisories: all, AsOf: asOf})
	_, got := scanJSON(t, Config{SBOMs: []string{fleet}, DBPath: path, Advisories: rest, AsOf: asOf})
	if got.Advisories != want.Advisories || got.Feeds != want.Feeds || len(got.Documents) != len(want.Documents) {
		t.Errorf("advisories %d, feeds %+v, %d documents; want %d, %+v, %d", got.Advisories, got.Feeds, len(got.Documents), want.Advisories, want.Feeds, len(want.Documents))
	}
	var gb, wb bytes.Buffer
	report.Write(&gb, "csv", got, report.Options{AsOf: asOf})
	report.Write(&wb, "csv", want, report.Options{AsOf: asOf})
	if !bytes.Equal(gb.Bytes(), wb.Bytes()) {
		t.Errorf("findings differ\n%s", firstDiff(gb.Bytes(), wb.Bytes()))
	}
}

// A database that cannot be opened is Run's error, naming the file; DB
// and DBPath together are refused.
func TestDBRunErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Run(context.Background(), Config{SBOMs: []string{fleet}, DBPath: dir, AsOf: asOf})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(dir)) {
		t.Errorf("a directory as database: %v", err)
	}
	d, err := db.Open(buildDB(t, feeds))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := Run(context.Background(), Config{SBOMs: []string{fleet}, DB: d, DBPath: "x", AsOf: time.Time{}}); err == nil {
		t.Error("DB and DBPath both set: no error")
	}
}

// Four scans at once read one database while builds replace it: every
// scan succeeds with the same bytes (each opened the old file or the new
// one, never a half-written one), and no scan waits for a lock. Two of
// them map the database, as the command does (MapDB): a rename breaks no
// lease, and the mapped file stays the old one.
func TestDBScansDuringRebuild(t *testing.T) {
	path := buildDB(t, feeds)
	want, _ := scanJSON(t, Config{SBOMs: []string{fleet}, DBPath: path, AsOf: asOf})
	want = feedsDB.ReplaceAll(want, nil)
	done := make(chan struct{})
	builds := make(chan error, 1)
	go func() {
		defer close(builds)
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := db.Build(context.Background(), db.BuildOptions{Path: path, Feeds: []string{feeds}, Now: asOf}); err != nil {
				builds <- err
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 5 {
				res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, DBPath: path, AsOf: asOf, MapDB: i%2 == 1})
				if err != nil {
					t.Error(err)
					return
				}
				var b bytes.Buffer
				report.Write(&b, "json", res, report.Options{AsOf: asOf})
				if got := feedsDB.ReplaceAll(b.Bytes(), nil); !bytes.Equal(got, want) {
					t.Errorf("a scan during a rebuild differs\n%s", firstDiff(got, want))
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	if err := <-builds; err != nil {
		t.Errorf("build: %v", err)
	}
}

// Config.OpenedDB sees the database Run opened, and its error ends the
// scan as it is.
func TestOpenedDB(t *testing.T) {
	path := buildDB(t, feeds)
	refused := errors.New("too old")
	var seen *db.DB
	_, err := Run(context.Background(), Config{SBOMs: []string{fleet}, DBPath: path, AsOf: asOf,
		OpenedDB: func(d *db.DB) error { seen = d; return refused }})
	if err != refused || seen == nil || seen.Path() != path {
		t.Fatalf("Run = %v, OpenedDB saw %v; want the hook's error", err, seen)
	}
	res, err := Run(context.Background(), Config{SBOMs: []string{fleet}, DBPath: path, AsOf: asOf,
		OpenedDB: func(*db.DB) error { return nil }})
	if err != nil || res.DB == nil || len(res.Results) == 0 {
		t.Fatalf("Run = %v, %v", res, err)
	}
}
