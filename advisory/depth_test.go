package advisory

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/memtest"
	"github.com/bomrank/bomrank/internal/xmlguard"
)

// deepVEX is a gzipped CycloneDX VEX whose vulnerability holds n nested
// unknown elements: a few kilobytes on disk.
func deepVEX(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(`<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><vulnerabilities><vulnerability><id>CVE-2021-44228</id>`))
	for _, tag := range []string{"<x>", "</x>"} {
		chunk := bytes.Repeat([]byte(tag), 4096)
		for i := 0; i < n; i += 4096 {
			zw.Write(chunk[:len(tag)*min(4096, n-i)])
		}
	}
	zw.Write([]byte(`</vulnerability></vulnerabilities></bom>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDeepCycloneDXVEXRefused: a CycloneDX VEX nested a million levels
// deep (issue 14, defect 6: 20 million levels took 3.5 GB, 60 million a
// fatal out-of-memory) is refused quickly, naming the file and the limit.
// On main it was read, taking about 30 s.
func TestDeepCycloneDXVEXRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "deep.cdx-vex.xml.gz")
	if err := os.WriteFile(path, deepVEX(t, 1_000_000), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := Options{}.Load(context.Background(), path)
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0], xmlguard.ErrTooDeep) ||
		!strings.Contains(res.Errors[0].Error(), "deep.cdx-vex.xml.gz") || !strings.Contains(res.Errors[0].Error(), "10000") {
		t.Fatalf("errors %v, want one depth error naming the file and the limit", res.Errors)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refused after %v", d)
	}
	// Within the limit it is read.
	if _, err := decodeCycloneDXVEX(gunzip(t, deepVEX(t, 5000)), "ok"); err != nil {
		t.Errorf("5,000 levels: %v", err)
	}
}

// TestDeepCycloneDXVEXMemory measures the peak memory of refusing 20
// million levels in a child process.
func TestDeepCycloneDXVEXMemory(t *testing.T) {
	if memtest.Child() {
		dir := t.TempDir()
		path := filepath.Join(dir, "deep.cdx-vex.xml.gz")
		if err := os.WriteFile(path, deepVEX(t, 20_000_000), 0o644); err != nil {
			t.Fatal(err)
		}
		res := Options{}.Load(context.Background(), path)
		if len(res.Errors) != 1 || !errors.Is(res.Errors[0], xmlguard.ErrTooDeep) {
			t.Fatalf("errors %v", res.Errors)
		}
		return
	}
	if testing.Short() {
		t.Skip("20 million levels; skipped with -short")
	}
	peak := memtest.Peak(t, "TestDeepCycloneDXVEXMemory")
	t.Logf("peak RSS %d MiB", peak>>20)
	// The decompressed document (140 MB) is held as feeds are; the
	// decoder adds nothing that grows with depth.
	if peak > 512<<20 {
		t.Errorf("peak RSS %d MiB refusing deep XML, want < 512 MiB", peak>>20)
	}
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
