package sbom

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// yamlBomb is about 1 MB of gzip expanding to size bytes of SPDX YAML with
// an empty package per five bytes (issue 14, defect 7: a 1 MB gzipped SPDX
// YAML took 4 GB, eight of them 13-20 GB).
func yamlBomb(t testing.TB, size int, unit string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte("spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: bomb\npackages:"))
	if strings.HasSuffix(unit, ",") {
		zw.Write([]byte(" ["))
	} else {
		zw.Write([]byte("\n"))
	}
	chunk := []byte(strings.Repeat(unit, (1<<20)/len(unit)))
	for n := 0; n < size; n += len(chunk) {
		zw.Write(chunk)
	}
	if strings.HasSuffix(unit, ",") {
		zw.Write([]byte("{}]\n"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestYAMLBombRefused: SPDX YAML over its size cap is refused after
// reading the cap, not the whole decompressed gigabyte, and a document
// whose estimated cost exceeds the memory budget is refused before it is
// parsed; both errors name the file and the limit. On main both were
// parsed (the first taking 4 GB).
func TestYAMLBombRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  []byte
		want string
	}{
		{"big.spdx.yaml.gz", yamlBomb(t, 200<<20, "- {}\n"), "33554432 bytes"},
		{"dense.spdx.yaml.gz", yamlBomb(t, 8<<20, "{},"), "MiB of memory"},
	} {
		start := time.Now()
		_, err := Parse(bytes.NewReader(tc.doc), tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming the file and %q", tc.name, err, tc.want)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: refused after %v", tc.name, d)
		}
	}
}

// TestYAMLBombMemory: eight hostile SPDX YAML files at once, four of them
// 1 MB gzips expanding to a gigabyte and four dense documents just within
// the budget, read with eight workers: the process stays under 1.5 GiB.
func TestYAMLBombMemory(t *testing.T) {
	if raceDetector {
		t.Skip("memory is not measured under the race detector")
	}
	if boundtest.Child() {
		dir := t.TempDir()
		bomb, dense := yamlBomb(t, 1<<30-1<<20, "- {}\n"), yamlBomb(t, 1<<19, "     {},") // one chunk: 1 MiB, 131,072 packages: within the lane (estimate and components, about 290 of 384 MiB)
		for i := range 4 {
			os.WriteFile(filepath.Join(dir, "bomb"+string(rune('a'+i))+".spdx.yaml.gz"), bomb, 0o644)
			os.WriteFile(filepath.Join(dir, "dense"+string(rune('a'+i))+".spdx.yaml.gz"), dense, 0o644)
		}
		res := Options{Workers: 8}.Load(context.Background(), dir)
		if len(res.Devices) != 4 || len(res.Errors) != 4 {
			t.Fatalf("%d devices, errors %v", len(res.Devices), res.Errors)
		}
		return
	}
	if testing.Short() {
		t.Skip("eight documents, some seconds; skipped with -short")
	}
	peak := boundtest.Peak(t, "TestYAMLBombMemory")
	t.Logf("peak RSS %d MiB", peak>>20)
	if peak > 1536<<20 {
		t.Errorf("peak RSS %d MiB for eight hostile SPDX YAML files, want < 1.5 GiB", peak>>20)
	}
}
