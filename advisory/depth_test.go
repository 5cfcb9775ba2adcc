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

	"github.com/bomrank/bomrank/internal/boundtest"
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

// TestDeepCycloneDXVEXRefused: a CycloneDX VEX nested 300,000 levels
// deep (within the memory budget, so that the depth is what refuses it) (issue 14, defect 6: 20 million levels took 3.5 GB, 60 million a
// fatal out-of-memory) is refused quickly, naming the file and the limit.
// On main it was read, taking about 30 s.
func TestDeepCycloneDXVEXRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "deep.cdx-vex.xml.gz")
	if err := os.WriteFile(path, deepVEX(t, 300_000), 0o644); err != nil {
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
	if boundtest.Child() {
		dir := t.TempDir()
		path := filepath.Join(dir, "deep.cdx-vex.xml.gz")
		if err := os.WriteFile(path, deepVEX(t, 20_000_000), 0o644); err != nil {
			t.Fatal(err)
		}
		res := Options{}.Load(context.Background(), path)
		// Refused by the memory budget (before the depth is counted)
		// or the depth limit, either way without decoding.
		if len(res.Errors) != 1 || !errors.Is(res.Errors[0], xmlguard.ErrTooDeep) && !strings.Contains(res.Errors[0].Error(), "MiB of memory") {
			t.Fatalf("errors %v", res.Errors)
		}
		return
	}
	if testing.Short() {
		t.Skip("20 million levels; skipped with -short")
	}
	peak := boundtest.Peak(t, "TestDeepCycloneDXVEXMemory")
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

// wideVEX is a gzipped CycloneDX VEX with n vulnerabilities that hold
// nothing but an id: a few kilobytes on disk.
func wideVEX(t testing.TB, n int, xmlForm bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	head, unit, tail := `<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><vulnerabilities>`, `<vulnerability><id>X</id></vulnerability>`, `</vulnerabilities></bom>`
	if !xmlForm {
		head, unit, tail = `{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[`, `{"id":"X"},`, `{"id":"X"}]}`
	}
	zw.Write([]byte(head))
	chunk := bytes.Repeat([]byte(unit), 4096)
	for i := 0; i < n; i += 4096 {
		zw.Write(chunk[:len(unit)*min(4096, n-i)])
	}
	zw.Write([]byte(tail))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWideCycloneDXVEXRefused: a CycloneDX VEX of a million empty
// vulnerabilities (on main read, taking 1.4 GB in XML) is refused
// before it is decoded, naming the file and the memory limit.
func TestWideCycloneDXVEXRefused(t *testing.T) {
	dir := t.TempDir()
	for _, xmlForm := range []bool{true, false} {
		name := "wide.cdx-vex.json.gz"
		if xmlForm {
			name = "wide.cdx-vex.xml.gz"
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, wideVEX(t, 1_000_000, xmlForm), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res := Options{}.Load(context.Background(), path)
		if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), name) || !strings.Contains(res.Errors[0].Error(), "MiB of memory") {
			t.Fatalf("%s: errors %v, want one memory-limit error naming the file", name, res.Errors)
		}
		// 5 s is about 10x the refusal's time alone; the race detector
		// slows the parse about 4x, and CI runs it beside other packages.
		limit := 5 * time.Second
		if boundtest.Race {
			limit = 20 * time.Second
		}
		if d := time.Since(start); d > limit {
			t.Errorf("%s: refused after %v", name, d)
		}
	}
}
