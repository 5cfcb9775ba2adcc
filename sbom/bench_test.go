package sbom

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/decodefloor"
)

// benchDir is the synthetic workload of shared/bench/gen.py
// (BOMRANK_BENCH, default /tmp/bench); benchmarks skip without it.
func benchDir(b *testing.B) string {
	dir := os.Getenv("BOMRANK_BENCH")
	if dir == "" {
		dir = "/tmp/bench"
	}
	if _, err := os.Stat(filepath.Join(dir, "sboms")); err != nil {
		b.Skipf("no benchmark workload at %s: run python3 ../shared/bench/gen.py %s", dir, dir)
	}
	return dir
}

// BenchmarkParseCycloneDX parses one 500-component CycloneDX SBOM of the
// benchmark workload, with and without the schema check, as generated (on
// one line) and indented (where the reader notes each line's whitespace).
func BenchmarkParseCycloneDX(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(benchDir(b), "sboms", "dev-0000.cdx.json"))
	if err != nil {
		b.Fatal(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, data, "", "  "); err != nil {
		b.Fatal(err)
	}
	for _, o := range []struct {
		name string
		data []byte
		opts Options
	}{
		{"validate", data, Options{}},
		{"no-validate", data, Options{NoValidate: true}},
		{"indented-no-validate", indented.Bytes(), Options{NoValidate: true}},
		{"streaming-no-validate", data, Options{NoValidate: true, slowCDX: true}},
		{"streaming-indented-no-validate", indented.Bytes(), Options{NoValidate: true, slowCDX: true}},
	} {
		data := o.data
		b.Run(o.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := o.opts.Parse(bytes.NewReader(data), "dev.json"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseSharedCycloneDX parses the shared real CycloneDX JSON
// SBOMs (no schema check), whose components, unlike the synthetic ones,
// carry licences, external references, hashes and properties.
func BenchmarkParseSharedCycloneDX(b *testing.B) {
	var docs [][]byte
	n := 0
	_ = filepath.WalkDir(filepath.Join(sharedRoot(b), "sboms"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			if data, err := os.ReadFile(p); err == nil {
				if f, err := detect(data); err == nil && f == CycloneDXJSON {
					docs, n = append(docs, data), n+len(data)
				}
			}
		}
		return nil
	})
	if len(docs) == 0 {
		b.Skip("no CycloneDX JSON among the shared SBOMs")
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range docs {
			if _, err := (Options{NoValidate: true}).Parse(bytes.NewReader(data), "shared.json"); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoadFleet loads the 200 SBOMs of the benchmark workload as a
// scan does (no schema check), with the fast CycloneDX reader and with the
// streaming reader alone, and reports the time as a ratio to the decode
// floor of the workload's OSV records (x-floor).
func BenchmarkLoadFleet(b *testing.B) {
	dir := benchDir(b)
	for _, o := range []struct {
		name string
		opts Options
	}{{"fast", Options{NoValidate: true}}, {"streaming", Options{NoValidate: true, slowCDX: true}}} {
		b.Run(o.name, func(b *testing.B) {
			for b.Loop() {
				res := o.opts.Load(context.Background(), filepath.Join(dir, "sboms"))
				if len(res.Devices) != 200 {
					b.Fatalf("%d devices", len(res.Devices))
				}
			}
			decodefloor.Report(b, filepath.Join(dir, "osv"))
		})
	}
}

// BenchmarkSqueeze squeezes the 500-component SBOM of the benchmark
// workload as generated and indented, forgetting the notes behind each
// read as the JSON readers do.
func BenchmarkSqueeze(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(benchDir(b), "sboms", "dev-0000.cdx.json"))
	if err != nil {
		b.Fatal(err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, data, "", "  "); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"compact", data}, {"indented", indented.Bytes()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			buf := make([]byte, 32<<10)
			for i := 0; i < b.N; i++ {
				sq := newSqueezeReader(bytes.NewReader(c.data))
				for {
					if _, err := sq.Read(buf); err != nil {
						break
					}
					sq.forget(sq.out)
				}
				sq.release()
			}
		})
	}
}

// BenchmarkLoadFleetCPU loads the 200 SBOMs of the benchmark workload
// with the fast reader as BenchmarkLoadFleet does, on one worker, and
// reports the process's CPU time a load (cpu-ms, user and system, the
// collector's included): on a shared machine, where wall time is noise,
// the figure to compare. The collector runs at GC percent 400, as the
// scan's reading does (scan.Config.HoldGC).
func BenchmarkLoadFleetCPU(b *testing.B) {
	dir := filepath.Join(benchDir(b), "sboms")
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		res := Options{NoValidate: true, Workers: 1}.Load(context.Background(), dir)
		if len(res.Devices) != 200 {
			b.Fatalf("%d devices", len(res.Devices))
		}
	}
	b.ReportMetric(float64(processCPU()-start)/1e6/float64(b.N), "cpu-ms/op")
}
