package advisory

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/pool"
)

func osvDoc(id string) string {
	return `{"id":"` + id + `","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}`
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// summary reduces a result to comparable strings.
func summary(res *LoadResult) (advs, errs, ignored []string) {
	for _, a := range res.Advisories {
		advs = append(advs, a.ID+" "+filepath.ToSlash(a.Source))
	}
	for _, e := range res.Errors {
		errs = append(errs, filepath.ToSlash(e.Path))
	}
	for _, e := range res.Ignored {
		ignored = append(ignored, filepath.ToSlash(e.Path))
	}
	return
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"README.md":          "# OSV feed\n\nid: nothing here\n",
		"SHA256SUMS":         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.json\n",
		"a.json":             osvDoc("GO-A"),
		"b.json.sha256":      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n",
		"bad.json":           osvDoc("GO-BAD")[:60],
		"cyclonedx.json":     `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}`,
		"empty.json":         "",
		"list.json":          "[" + osvDoc("GO-L1") + "," + osvDoc("GO-L2") + "]",
		"sub/x.yaml":         "id: OSV-Y\nmodified: '2024-01-01'\naffected:\n- package: {name: p, ecosystem: OSS-Fuzz}\n",
		"sub/dup.json":       osvDoc("GO-A"),
		".git/hidden.json":   osvDoc("GO-HIDDEN"),
		"zz.json.gz":         string(gz(t, osvDoc("GO-GZ"))),
		"wrongtype.osv.json": `{"id":"GO-W","modified":"x","aliases":"CVE-1"}`,
	})
	other := t.TempDir()
	writeFiles(t, other, map[string]string{"README.md": "# not an advisory\n"})
	named := filepath.Join(other, "README.md")
	missing := filepath.Join(dir, "missing.json")
	res := Load(context.Background(), dir, named, missing, filepath.Join(dir, "a.json"))
	advs, errs, ignored := summary(res)
	d := filepath.ToSlash(dir)
	wantAdvs := []string{
		"GO-A " + d + "/a.json", "GO-A " + d + "/sub/dup.json", "GO-GZ " + d + "/zz.json.gz",
		"GO-L1 " + d + "/list.json", "GO-L2 " + d + "/list.json", "OSV-Y " + d + "/sub/x.yaml",
	}
	wantErrs := []string{d + "/bad.json", d + "/missing.json", d + "/wrongtype.osv.json", filepath.ToSlash(named)}
	wantIgnored := []string{d + "/README.md", d + "/SHA256SUMS", d + "/b.json.sha256", d + "/cyclonedx.json", d + "/empty.json"}
	if !reflect.DeepEqual(advs, wantAdvs) {
		t.Errorf("advisories\n got %q\nwant %q", advs, wantAdvs)
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors\n got %q\nwant %q", errs, wantErrs)
	}
	if !reflect.DeepEqual(ignored, wantIgnored) {
		t.Errorf("ignored\n got %q\nwant %q", ignored, wantIgnored)
	}
	for _, e := range res.Errors {
		msg := e.Error()
		switch filepath.Base(e.Path) {
		case "README.md":
			if !errors.Is(e, ErrNotAdvisory) {
				t.Errorf("named README: %v", e)
			}
		case "bad.json":
			if !strings.Contains(msg, "JSON ends early (truncated?) near byte 60") {
				t.Errorf("bad.json: %v", e)
			}
		case "missing.json":
			if !errors.Is(e, os.ErrNotExist) {
				t.Errorf("missing.json: %v", e)
			}
		case "wrongtype.osv.json":
			if !strings.Contains(msg, `"aliases" is not an array`) {
				t.Errorf("wrongtype: %v", e)
			}
		}
		if !strings.HasPrefix(msg, e.Path+": ") {
			t.Errorf("error %q does not start with its path", msg)
		}
	}

	// The same result whatever the number of workers.
	for _, workers := range []int{1, 3, 16} {
		res2 := Options{Workers: workers}.Load(context.Background(), dir, named, missing, filepath.Join(dir, "a.json"))
		a2, e2, i2 := summary(res2)
		if !reflect.DeepEqual(a2, advs) || !reflect.DeepEqual(e2, errs) || !reflect.DeepEqual(i2, ignored) {
			t.Errorf("workers=%d: a different result", workers)
		}
	}
}

func TestLoadLimits(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"big.json": osvDoc("GO-BIG") + strings.Repeat(" ", 1000)})
	writeFiles(t, dir, map[string]string{"big.json.gz": string(gz(t, osvDoc("GO-BIGGZ")+strings.Repeat(" ", 100000)))})
	res := Options{MaxBytes: 1000}.Load(context.Background(), dir)
	if len(res.Advisories) != 0 || len(res.Errors) != 2 {
		t.Fatalf("advisories %d, errors %v", len(res.Advisories), res.Errors)
	}
	for _, e := range res.Errors {
		if !errors.Is(e, ErrTooLarge) {
			t.Errorf("%v is not ErrTooLarge", e)
		}
	}
}

func TestLoadCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.json": osvDoc("GO-A"), "b.json": osvDoc("GO-B")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Load(ctx, dir)
	if len(res.Advisories) != 0 || len(res.Errors) != 2 {
		t.Fatalf("advisories %d, errors %v", len(res.Advisories), res.Errors)
	}
	for _, e := range res.Errors {
		if !errors.Is(e, context.Canceled) {
			t.Errorf("%v", e)
		}
	}
}

type zipEntry struct {
	name string
	body string
	// lie, if set, is the uncompressed size written in the headers
	// instead of the real one.
	lie uint64
	// badCRC writes a wrong CRC-32.
	badCRC bool
	// store stores the member uncompressed.
	store bool
}

func makeZip(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		if e.badCRC {
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: e.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(e.body)) + 1,
				CompressedSize64: uint64(len(e.body)), UncompressedSize64: uint64(len(e.body)),
			})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(e.body))
			continue
		}
		if e.lie != 0 {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write([]byte(e.body))
			fw.Close()
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(e.body)),
				CompressedSize64: uint64(c.Len()), UncompressedSize64: e.lie,
			})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(c.Bytes())
			continue
		}
		method := zip.Deflate
		if e.store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLoadZip(t *testing.T) {
	// Archives are read from memory up to zipInMemory bytes and from the
	// file above: both ways must give the same.
	for _, inMemory := range []int64{zipInMemory, 0} {
		old := zipInMemory
		zipInMemory = inMemory
		t.Run(fmt.Sprintf("zipInMemory=%d", inMemory), testLoadZip)
		zipInMemory = old
	}
}

func testLoadZip(t *testing.T) {
	dir := t.TempDir()
	inner := makeZip(t, []zipEntry{{name: "x.json", body: osvDoc("GO-INNER")}})
	archive := makeZip(t, []zipEntry{
		{name: "a/GO-1.json", body: osvDoc("GO-1")},
		{name: "a/"},
		{name: "README", body: "not an advisory"},
		{name: "../../evil.json", body: osvDoc("GO-EVIL")},
		{name: "/abs.json", body: osvDoc("GO-ABS")},
		{name: `C:\x.json`, body: osvDoc("GO-DRIVE")},
		{name: `a\..\..\y.json`, body: osvDoc("GO-BACKSLASH")},
		{name: "bomb.json", body: osvDoc("GO-BOMB") + strings.Repeat(" ", 2<<20)},
		{name: "liar.json", body: osvDoc("GO-LIAR") + strings.Repeat(" ", 4096), lie: 100},
		{name: "bad.json", body: osvDoc("GO-BAD")[:50]},
		{name: "b/GO-2.json.gz", body: string(gz(t, osvDoc("GO-2")))},
		{name: "nested.zip", body: string(inner)},
		{name: "ctl\x1b[2J.json", body: osvDoc("GO-CTL")},
		{name: "c/GO-3.json", body: osvDoc("GO-3"), store: true},
		{name: "crc.json", body: osvDoc("GO-CRC"), badCRC: true},
	})
	// Found by content: the layout osv-scanner uses, under a name that
	// is not .zip.
	writeFiles(t, dir, map[string]string{"db/osv-scalibr/Go/feed.bin": string(archive), "db/README.md": "# offline databases\n"})

	res := Options{MaxMemberBytes: 1 << 20}.Load(context.Background(), filepath.Join(dir, "db"))
	advs, errs, ignored := summary(res)
	z := filepath.ToSlash(dir) + "/db/osv-scalibr/Go/feed.bin"
	wantAdvs := []string{"GO-1 " + z + "!a/GO-1.json", "GO-2 " + z + "!b/GO-2.json.gz", "GO-3 " + z + "!c/GO-3.json", "GO-CTL " + z + `!"ctl\x1b[2J.json"`}
	wantErrs := []string{z + "!../../evil.json", z + "!/abs.json", z + `!C:\x.json`, z + `!a\..\..\y.json`, z + "!bad.json", z + "!bomb.json", z + "!crc.json", z + "!liar.json"}
	wantIgnored := []string{filepath.ToSlash(dir) + "/db/README.md", z}
	if !reflect.DeepEqual(advs, wantAdvs) {
		t.Errorf("advisories\n got %q\nwant %q", advs, wantAdvs)
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors\n got %q\nwant %q", errs, wantErrs)
	}
	if !reflect.DeepEqual(ignored, wantIgnored) {
		t.Errorf("ignored\n got %q\nwant %q", ignored, wantIgnored)
	}
	for _, e := range res.Errors {
		name := e.Path[strings.LastIndexByte(e.Path, '!')+1:]
		var want error
		switch name {
		case "bomb.json":
			want = ErrTooLarge
		case "liar.json":
			want = zip.ErrFormat
		case "crc.json":
			want = zip.ErrChecksum
		case "bad.json":
			if !strings.Contains(e.Error(), "JSON ends early") {
				t.Errorf("%v", e)
			}
			continue
		default:
			want = ErrUnsafeName
		}
		if !errors.Is(e, want) {
			t.Errorf("%v is not %v", e, want)
		}
	}
	if len(res.Ignored) == 2 && !strings.Contains(res.Ignored[1].Error(), "2 zip member(s) passed over") {
		t.Errorf("zip ignored entry: %v", res.Ignored[1])
	}

	// Limits on the whole archive.
	zipPath := filepath.Join(dir, "db", "osv-scalibr", "Go", "feed.bin")
	for _, o := range []Options{{MaxZipMembers: 5}, {MaxZipBytes: 1000}} {
		res := o.Load(context.Background(), zipPath)
		if len(res.Advisories) != 0 || len(res.Errors) != 1 || !errors.Is(res.Errors[0], ErrZipLimit) {
			t.Errorf("%+v: advisories %d, errors %v", o, len(res.Advisories), res.Errors)
		}
	}

	// A named zip without advisories is an error; a corrupt one too.
	writeFiles(t, dir, map[string]string{
		"none.zip":    string(makeZip(t, []zipEntry{{name: "README", body: "x"}})),
		"corrupt.zip": "PK\x03\x04 this is not really a zip",
	})
	res = Load(context.Background(), filepath.Join(dir, "none.zip"), filepath.Join(dir, "corrupt.zip"))
	if len(res.Errors) != 2 || !errors.Is(res.Errors[1], ErrNotAdvisory) || !strings.Contains(res.Errors[0].Error(), "zip: ") {
		t.Errorf("errors %v", res.Errors)
	}
}

// TestLoadBenchZipLayout reads the per-ecosystem all.zip layout when the
// benchmark workload is present, and checks that the zips and the
// directory hold the same records.
func TestLoadBenchZipLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(dir, "db")); err != nil {
		t.Skip("benchmark workload not found")
	}
	zres := Load(context.Background(), filepath.Join(dir, "db"))
	dres := Load(context.Background(), filepath.Join(dir, "osv"))
	if len(zres.Errors) > 0 || len(dres.Errors) > 0 {
		t.Fatalf("errors: %v %v", zres.Errors, dres.Errors)
	}
	if len(zres.Advisories) != len(dres.Advisories) {
		t.Fatalf("%d records in the zips, %d in the directory", len(zres.Advisories), len(dres.Advisories))
	}
	for i, za := range zres.Advisories {
		da := dres.Advisories[i]
		zs, ds := za.Source, da.Source
		za.Source, da.Source = "", ""
		if !reflect.DeepEqual(za, da) {
			t.Fatalf("%s differs between %s and %s", za.ID, zs, ds)
		}
		za.Source, da.Source = zs, ds
	}
}

// TestLoadPanic: a panic while one file or zip member is read becomes a
// LoadError naming it (wrapping a *pool.PanicError); the other files and
// members still load, and progress still reaches the total.
func TestLoadPanic(t *testing.T) {
	dir := t.TempDir()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, id := range []string{"GO-Z1", "GO-Z2", "GO-Z3"} {
		f, _ := zw.Create(id + ".json")
		f.Write([]byte(osvDoc(id)))
	}
	zw.Close()
	files := map[string]string{"all.zip": zb.String()}
	for i := range 600 { // more than one batch of the walk
		files[fmt.Sprintf("f/GO-%04d.json", i)] = osvDoc(fmt.Sprintf("GO-%04d", i))
	}
	writeFiles(t, dir, files)
	badFile := filepath.Join(dir, "f", "GO-0300.json")
	badMember := filepath.Join(dir, "all.zip") + "!GO-Z2.json"
	loadHook = func(path string) {
		if path == badFile || path == badMember {
			panic("reader bug")
		}
	}
	defer func() { loadHook = nil }()
	var done, total int
	res := Options{Workers: 2, Progress: func(d, n int) { done, total = d, n }}.Load(context.Background(), dir)
	if len(res.Advisories) != 599+2 || len(res.Errors) != 2 {
		t.Fatalf("%d advisories, errors %v", len(res.Advisories), res.Errors)
	}
	for i, want := range []string{badMember, badFile} {
		var pe *pool.PanicError
		if err := res.Errors[i]; err.Path != want || !errors.As(err, &pe) || !strings.Contains(err.Error(), "reader bug") {
			t.Errorf("error %d: %v, want a panic in %s", i, err, want)
		}
	}
	if done != 604 || total != 604 {
		t.Errorf("progress %d/%d, want 604/604", done, total)
	}
}
