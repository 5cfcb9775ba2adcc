package sbom

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const miniCDX = `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"VitaFlow 3000","version":"4.2.1","manufacturer":{"name":"Acme Medical Inc."}}},"components":[{"type":"library","name":"zlib","version":"1.2.11","cpe":"cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*"},{"type":"library","name":"openssl","version":"1.1.1k","purl":"pkg:generic/openssl@1.1.1k"}]}`

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseGzip(t *testing.T) {
	d, err := Parse(bytes.NewReader(gz(t, []byte(miniCDX))), "pump.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Compressed || d.Name != "VitaFlow 3000" || d.Manufacturer != "Acme Medical Inc." || len(d.Components) != 2 {
		t.Errorf("got %+v", d)
	}
}

// TestBadInput feeds hostile and broken documents: each must give an error
// that names the file and says what is wrong, and never panic.
func TestBadInput(t *testing.T) {
	deepJSON := `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[` + strings.Repeat(`{"type":"library","name":"x","components":[`, 20000) + strings.Repeat(`]}`, 20000) + `]}`
	deepSkip := `{"bomFormat":"CycloneDX","specVersion":"1.5","annotations":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`
	deepXML := `<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>` + strings.Repeat(`<component type="library"><name>x</name><components>`, 20000) + strings.Repeat(`</components></component>`, 20000) + `</components></bom>`
	tests := []struct {
		name, doc, want string
		is              error
	}{
		{"truncated.json", miniCDX[:len(miniCDX)/2], "truncated", nil},
		{"truncated.xml", `<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components><component type="library"><name>zlib</na`, "truncated", nil},
		{"array.json", `[{"bomFormat":"CycloneDX"}]`, "JSON array", ErrNotSBOM},
		{"empty.json", "", "empty", ErrNotSBOM},
		{"other.json", `{"name":"not an sbom"}`, "neither", ErrNotSBOM},
		{"binary.bin", "\x7fELF\x00\x00\x01", "binary", ErrNotSBOM},
		{"future.json", `{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}`, "9.9", ErrUnsupportedVersion},
		{"future.xml", `<bom xmlns="http://cyclonedx.org/schema/bom/2.0"/>`, "2.0", ErrUnsupportedVersion},
		{"noversion.json", `{"bomFormat":"CycloneDX","components":[]}`, "specVersion", ErrUnsupportedVersion},
		{"garbage-after.json", miniCDX + `{"x":1}`, "after the end", nil},
		{"wrongtype.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","components":{"name":"x"}}`, "components", nil},
		{"deep.json", deepJSON, "depth", nil},
		{"deep-skip.json", deepSkip, "levels deep", nil},
		{"deep.xml", deepXML, "", nil},
		{"badgzip.gz", "\x1f\x8b\x08\x00garbage", "gzip", nil},
		{"spdx-truncated.spdx.json", `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","packages":[{"name":"a"`, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.doc), tt.name)
			if err == nil {
				t.Fatal("no error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != tt.name || !strings.HasPrefix(err.Error(), tt.name+": ") {
				t.Errorf("error %q does not name the file", err)
			}
			if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}
}

// bombReader yields a CycloneDX header and then n bytes of spaces: valid
// JSON whitespace that compresses a thousandfold.
func gzipBomb(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	io.WriteString(zw, `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[`)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < n>>20; i++ {
		zw.Write(chunk)
	}
	io.WriteString(zw, `]}`)
	zw.Close()
	return buf.Bytes()
}

func TestGzipBomb(t *testing.T) {
	bomb := gzipBomb(t, 32<<20)
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes compressed", len(bomb))
	}
	_, err := Options{MaxBytes: 8 << 20}.Parse(bytes.NewReader(bomb), "bomb.json.gz")
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "bomb.json.gz") {
		t.Fatalf("got %v, want ErrTooLarge naming the file", err)
	}
	// The same document under the limit is read.
	if _, err := (Options{MaxBytes: 64 << 20, NoValidate: true}).Parse(bytes.NewReader(bomb), "bomb.json.gz"); err != nil {
		t.Fatalf("under the limit: %v", err)
	}
}

// bigSBOM streams a CycloneDX document of about size bytes: n components,
// each padded with a description, as real SBOMs are padded with licence
// texts and properties.
type bigSBOM struct {
	n, i int
	pad  string
	buf  bytes.Buffer
	done bool
}

func (b *bigSBOM) Read(p []byte) (int, error) {
	for b.buf.Len() < len(p) && !b.done {
		switch {
		case b.i == 0:
			b.buf.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"big"}},"components":[`)
		case b.i > b.n:
			b.buf.WriteString(`]}`)
			b.done = true
			continue
		}
		if b.i > 0 {
			if b.i > 1 {
				b.buf.WriteByte(',')
			}
			fmt.Fprintf(&b.buf, `{"type":"library","name":"lib%d","version":"1.0.%d","purl":"pkg:npm/lib%d@1.0.%d","description":"%s"}`, b.i, b.i, b.i, b.i, b.pad)
		}
		b.i++
	}
	if b.buf.Len() == 0 {
		return 0, io.EOF
	}
	return b.buf.Read(p)
}

// TestLargeSBOMBoundedMemory reads a 200 MB SBOM as a stream and checks the
// heap never holds the document: it stays well under its size.
func TestLargeSBOMBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("200 MB document; skipped with -short")
	}
	const n = 50000
	r := &bigSBOM{n: n, pad: strings.Repeat("x", 4000)} // ~4.1 KB a component: ~205 MB
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
			}
		}
	}()
	start := time.Now()
	// Validation is on: the document is over the validation limit, so it
	// must be streamed all the same.
	d, err := Parse(r, "big.json")
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Components) != n {
		t.Fatalf("%d components, want %d", len(d.Components), n)
	}
	t.Logf("~205 MB SBOM: %d components in %v, peak heap %d MiB", n, time.Since(start), peak.Load()>>20)
	if peak.Load() > 2*uint64(DefaultMaxValidateBytes)+32<<20 {
		t.Errorf("peak heap %d MiB: the document is being held in memory", peak.Load()>>20)
	}
}

// TestLoadDirectory walks a directory with good, bad and unrelated files:
// the good ones are read, each bad one is a named error, unrelated files are
// ignored, and the order is deterministic.
func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b/pump.json", []byte(miniCDX))
	write("a/pump.json.gz", gz(t, []byte(miniCDX)))
	write("c/device.bin", []byte(miniCDX)) // name says nothing; content does
	write("README.md", []byte("# fleet\n"))
	write("broken.json", []byte(miniCDX[:40]))
	write(".git/config", []byte(miniCDX))
	write("unreadable.json", []byte(miniCDX))
	if err := os.Chmod(filepath.Join(dir, "unreadable.json"), 0); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "unreadable.json"))
	if err == nil {
		f.Close() // running as root: permissions are not enforced
	}
	res := Load(context.Background(), dir, filepath.Join(dir, "missing.json"))
	var got []string
	for _, d := range res.Devices {
		got = append(got, strings.TrimPrefix(d.Path, dir))
	}
	want := []string{"/a/pump.json.gz", "/b/pump.json", "/c/device.bin"}
	if err == nil {
		want = append(want, "/unreadable.json")
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("devices %v, want %v", got, want)
	}
	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, strings.TrimPrefix(e.Path, dir))
	}
	wantErrs := []string{"/broken.json"}
	if err != nil {
		wantErrs = append(wantErrs, "/unreadable.json")
	}
	wantErrs = append(wantErrs, "/missing.json")
	if strings.Join(errs, " ") != strings.Join(wantErrs, " ") {
		t.Errorf("errors %v, want %v", errs, wantErrs)
	}
	if len(res.Ignored) != 1 || !strings.HasSuffix(res.Ignored[0].Path, "README.md") {
		t.Errorf("ignored %v", res.Ignored)
	}
	// Same input, same output, whatever the scheduling.
	for i := 0; i < 5; i++ {
		again := Options{Workers: i + 1}.Load(context.Background(), dir, filepath.Join(dir, "missing.json"))
		if len(again.Devices) != len(res.Devices) {
			t.Fatal("device count changed between runs")
		}
		for j := range again.Devices {
			if again.Devices[j].Path != res.Devices[j].Path {
				t.Fatalf("order changed: %s vs %s", again.Devices[j].Path, res.Devices[j].Path)
			}
		}
	}
}

func TestLoadCancelled(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(miniCDX), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Load(ctx, dir)
	if len(res.Devices) != 0 || len(res.Errors) != 1 || !errors.Is(res.Errors[0], context.Canceled) {
		t.Errorf("got %d devices, errors %v", len(res.Devices), res.Errors)
	}
}

// TestLoadSymlinkedDirectory: a directory given through a symbolic link is
// walked like the directory itself.
func TestLoadSymlinkedDirectory(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	os.MkdirAll(real, 0o755)
	os.WriteFile(filepath.Join(real, "pump.json"), []byte(miniCDX), 0o644)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	res := Load(context.Background(), link)
	if len(res.Devices) != 1 || len(res.Errors) != 0 || res.Devices[0].Path != filepath.Join(link, "pump.json") {
		t.Errorf("devices %d errors %v", len(res.Devices), res.Errors)
		for _, d := range res.Devices {
			t.Log(d.Path)
		}
	}
}
