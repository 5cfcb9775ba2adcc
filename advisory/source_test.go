package advisory

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copyFeeds copies testdata/feeds (README.md included: not a feed) to a
// new directory, and sets the modification time of each directory to
// base plus its index in walk order in hours (the files' times are later
// still, and do not count). It returns the directory, the time of each
// file's directory and the files in walk order (relative,
// slash-separated).
func copyFeeds(t *testing.T, base time.Time) (string, map[string]time.Time, []string) {
	t.Helper()
	src := filepath.Join("..", "testdata", "feeds")
	dst := t.TempDir()
	dirTimes := map[string]time.Time{}
	times := map[string]time.Time{}
	var order []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			dirTimes[out] = base.Add(time.Duration(len(dirTimes)) * time.Hour)
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return err
		}
		times[filepath.ToSlash(rel)] = dirTimes[filepath.Dir(out)]
		order = append(order, filepath.ToSlash(rel))
		late := base.Add(1000 * time.Hour)
		return os.Chtimes(out, late, late)
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, mt := range dirTimes {
		if err := os.Chtimes(dir, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	return dst, times, order
}

// TestLoadSources loads a copy of testdata/feeds with known modification
// times and checks each Source against what the files hold: one per kind,
// the records counted, the newest modification date, the newest time of
// the directories holding that kind, and (with Digest) the manifest
// digest computed here independently.
func TestLoadSources(t *testing.T) {
	base := time.Date(2025, 11, 1, 8, 0, 0, 0, time.UTC)
	dir, times, order := copyFeeds(t, base)
	// A file that is no feed, and one that is broken: neither is a
	// source.
	for _, name := range []string{"notes.txt", "osv/broken.json"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(`{"id": 1`), 0o644); err != nil {
			t.Fatal(err)
		}
		mt := times["osv/GO-2023-2102.json"]
		if err := os.Chtimes(filepath.Dir(p), mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	res := Options{Digest: true}.Load(context.Background(), dir)
	if n := len(res.Errors) + len(res.Ignored); n != 3 { // README.md too
		t.Fatalf("errors %v, ignored %v: want notes.txt, osv/broken.json and README.md", res.Errors, res.Ignored)
	}
	want := map[string]struct {
		records int
		newest  string
		dir     string // the files of the kind, by directory (+ suffix)
	}{
		KindOSV:  {28, "2024-09-10T15:52:39Z", "osv/"},
		KindNVD:  {14, "2025-10-22T01:15:58Z", "nvd/"},
		KindCSAF: {8, "2026-03-02T09:00:00Z", "csaf/"},
		KindVEX:  {9, "2026-03-02T09:00:00Z", ""},
		KindKEV:  {3, "2025-02-25T20:33:53Z", "kev/"},
		KindEPSS: {24, "2025-03-17T12:55:00Z", "epss/"},
	}
	if len(res.Sources) != len(want) {
		t.Fatalf("%d sources, want %d: %+v", len(res.Sources), len(want), res.Sources)
	}
	// Which kind each file holds, from the records themselves.
	kindOf := map[string]string{"csaf/meridian-vex-2026-01.json": KindVEX}
	for i, s := range res.Sources {
		if i > 0 && res.Sources[i-1].Kind >= s.Kind {
			t.Errorf("sources not in kind order: %s then %s", res.Sources[i-1].Kind, s.Kind)
		}
		w, ok := want[s.Kind]
		if !ok || s.Path != dir || s.Records != w.records || s.NewestModified != w.newest {
			t.Errorf("source %+v, want %s %d records, newest %s", s, dir, w.records, w.newest)
			continue
		}
		var manifest strings.Builder
		var newest time.Time
		for _, rel := range order {
			k := kindOf[rel]
			if k == "" && w.dir != "" && strings.HasPrefix(rel, w.dir) {
				k = s.Kind
			}
			if k == "" && s.Kind == KindVEX && strings.HasPrefix(rel, "vex/") {
				k = KindVEX
			}
			if k != s.Kind {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&manifest, "%x  %s\n", sha256.Sum256(data), rel)
			if times[rel].After(newest) {
				newest = times[rel]
			}
		}
		if !s.Captured.Equal(newest) || s.Captured.Location() != time.UTC {
			t.Errorf("%s: captured %v, want %v (UTC)", s.Kind, s.Captured, newest)
		}
		if sum := sha256.Sum256([]byte(manifest.String())); s.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: sha256 %s, want that of the manifest\n%s", s.Kind, s.SHA256, manifest.String())
		}
	}

	// The digest follows the content and names, not where the directory
	// is; without Digest there is none.
	again := Options{Digest: true}.Load(context.Background(), dir+string(filepath.Separator)+".")
	for i := range again.Sources {
		if again.Sources[i].SHA256 != res.Sources[i].SHA256 {
			t.Errorf("%s: digest differs when the directory is named differently", res.Sources[i].Kind)
		}
	}
	// A file rewritten in place leaves the capture time (the data reads
	// as older than it is); one renamed into place, as fetching tools
	// write them, moves it on.
	kev := filepath.Join(dir, "kev", "known_exploited_vulnerabilities.json")
	if err := os.WriteFile(kev, mustReadFile(t, kev, " "), 0o644); err != nil {
		t.Fatal(err)
	}
	inPlace := Load(context.Background(), dir)
	if err := os.WriteFile(kev+".tmp", mustReadFile(t, kev, " "), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(kev+".tmp", kev); err != nil {
		t.Fatal(err)
	}
	renamed := Load(context.Background(), dir)
	for i, s := range inPlace.Sources {
		if s.SHA256 != "" {
			t.Errorf("%s: sha256 %q without Options.Digest", s.Kind, s.SHA256)
		}
		if !s.Captured.Equal(res.Sources[i].Captured) {
			t.Errorf("%s: captured %v after a rewrite in place, was %v", s.Kind, s.Captured, res.Sources[i].Captured)
		}
		if r := renamed.Sources[i]; (r.Kind == KindKEV) != r.Captured.After(res.Sources[i].Captured) {
			t.Errorf("%s: captured %v after a file was renamed into kev/, was %v", r.Kind, r.Captured, res.Sources[i].Captured)
		}
	}
}

// mustReadFile reads a file and appends extra to its bytes.
func mustReadFile(t *testing.T, path, extra string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return append(data, extra...)
}

// TestLoadSourcesNamedFiles: a path that is a file (gzip-compressed or
// not) or a zip archive has its own digest (what sha256sum prints, of the
// bytes as stored) and its own Source; several paths give one Source each,
// in path order.
func TestLoadSourcesNamedFiles(t *testing.T) {
	feeds := filepath.Join("..", "testdata", "feeds")
	gz := filepath.Join(feeds, "nvd", "nvdcve-2.0-vxworks.json.gz")
	osv := filepath.Join(feeds, "osv", "GO-2023-2102.json")
	dir := t.TempDir()
	zpath := filepath.Join(dir, "all.zip")
	zf, err := os.Create(zpath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for _, name := range []string{"GHSA-27h2-hvpr-p74q.json", "GO-2021-0052.json", "RUSTSEC-2023-0001.json"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(mustReadFile(t, filepath.Join(feeds, "osv", name), ""))
	}
	w, _ := zw.Create("README.md")
	w.Write([]byte("not a feed"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	mt := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(zpath, mt, mt); err != nil {
		t.Fatal(err)
	}

	res := Options{Digest: true}.Load(context.Background(), zpath, osv, gz)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	want := []struct {
		path, kind string
		records    int
	}{{gz, KindNVD, 1}, {osv, KindOSV, 1}, {zpath, KindOSV, 3}} // in path order ("../" first)
	if len(res.Sources) != len(want) {
		t.Fatalf("sources %+v", res.Sources)
	}
	for i, w := range want {
		s := res.Sources[i]
		sum := sha256.Sum256(mustReadFile(t, w.path, ""))
		if s.Path != w.path || s.Kind != w.kind || s.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("source %d: %+v, want %s %s with the file's own digest", i, s, w.path, w.kind)
		}
		if s.Records != w.records {
			t.Errorf("%s: %d records, want %d", w.path, s.Records, w.records)
		}
	}
	if !res.Sources[2].Captured.Equal(mt) {
		t.Errorf("zip captured %v, want the archive's time %v", res.Sources[2].Captured, mt)
	}
	// A path given twice is read once: one source.
	twice := Load(context.Background(), osv, osv)
	if len(twice.Sources) != 1 || twice.Sources[0].Records != 1 {
		t.Errorf("a path given twice: %+v", twice.Sources)
	}
	// The zip read from the file rather than from memory gives the same.
	defer func(v int64) { zipInMemory = v }(zipInMemory)
	zipInMemory = 0
	big := Options{Digest: true}.Load(context.Background(), zpath)
	if len(big.Sources) != 1 || big.Sources[0] != res.Sources[2] {
		t.Errorf("zip read from the file: %+v, want %+v", big.Sources, res.Sources[2])
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-09-10T15:52:39Z":             "2024-09-10T15:52:39Z",
		"2024-09-10T15:52:39.123456Z":      "2024-09-10T15:52:39Z",
		"2024-09-10T17:52:39+02:00":        "2024-09-10T15:52:39Z",
		"2025-10-22T01:15:58.033":          "2025-10-22T01:15:58Z", // NVD, no zone
		"2025-03-17T12:55:00+0000":         "2025-03-17T12:55:00Z",
		"2025-03-17T14:55:00.000000+0200":  "2025-03-17T12:55:00Z",
		"2025-02-25":                       "2025-02-25T00:00:00Z",
		"yesterday":                        "",
		"":                                 "",
		"2025-13-45T00:00:00Z":             "",
		"2025-02-25T20:33:53.1234567890Zx": "",
	} {
		got := ""
		if tm, ok := parseDate(in); ok {
			got = tm.UTC().Format(time.RFC3339)
		}
		if got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkSourcesOverhead measures what Sources adds to a Load of the
// 100,000-file benchmark without Digest: summarising each file's records
// (in the workers) and adding the summaries up (once, at the end). Both
// are reported per load, to compare with the Load itself
// (BenchmarkLoadOSVDir): about 1.8 s of CPU on the 2-core machine.
func BenchmarkSourcesOverhead(b *testing.B) {
	dir := benchDir(b, "osv")
	data, err := os.ReadFile(filepath.Join(dir, "SYN-0000001.json"))
	if err != nil {
		b.Fatal(err)
	}
	const files = 100_000
	w := &worker{}
	one := w.decode(data, "SYN-0000001.json", 1<<20)
	if one.err != nil {
		b.Fatal(one.err)
	}
	chunk := make([]loadedFile, files)
	for i := range chunk {
		chunk[i].Path, chunk[i].DirLen, chunk[i].Dir = dir+"/x.json", int32(len(dir)+1), 0
	}
	b.Run("summarise", func(b *testing.B) {
		for b.Loop() {
			for i := range chunk {
				out := one
				summarise(&out)
				chunk[i].out = out
			}
		}
	})
	b.Run("add-up", func(b *testing.B) {
		for b.Loop() {
			res := &LoadResult{}
			res.sources([]string{dir}, [][]loadedFile{chunk}, nil)
			if len(res.Sources) != 1 || res.Sources[0].Records != files {
				b.Fatalf("%+v", res.Sources)
			}
		}
	})
}
