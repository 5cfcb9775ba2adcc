package advcodec

import (
	"bytes"
	"context"
	"encoding/gob"
	"os"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/decodefloor"
)

// Measured 2026-12-07 on the 2-core machine (shared with five other
// jobs, so times are high and noisy), the 1,575 records of testdata/feeds
// and ../shared (OSV, CSAF, NVD, VEX), go test -bench 'Codec$|Gob':
//
//	BenchmarkCodec  30 ms/op  2,139,840 bytes   7.8 MB/op   18,878 allocs/op
//	BenchmarkGob    54 ms/op  7,422,411 bytes  23.5 MB/op  218,179 allocs/op

func benchRecords(b *testing.B) []byte {
	res := loadAll(b, true)
	return AppendAdvisories(nil, res.Advisories)
}

// BenchmarkCodec decodes every record of the data (one block); it reports
// the encoded size.
func BenchmarkCodec(b *testing.B) {
	data := benchRecords(b)
	for b.Loop() {
		if _, err := DecodeAdvisories(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data)), "bytes")
}

// BenchmarkGob is BenchmarkCodec with encoding/gob, for comparison.
func BenchmarkGob(b *testing.B) {
	res := loadAll(b, true)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(res.Advisories); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for b.Loop() {
		var advs []*advisory.Advisory
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&advs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data)), "bytes")
}

// BenchmarkCodecEncode encodes every record of the data.
func BenchmarkCodecEncode(b *testing.B) {
	res := loadAll(b, true)
	for b.Loop() {
		AppendAdvisories(nil, res.Advisories)
	}
}

// BenchmarkDecodeBench decodes each record of the 100k workload
// ($BOMRANK_BENCH, default /tmp/bench) on its own, as a database lookup
// does; it reports the time per record.
func BenchmarkDecodeBench(b *testing.B) {
	root := os.Getenv("BOMRANK_BENCH")
	if root == "" {
		root = "/tmp/bench"
	}
	dir := filepath.Join(root, "osv")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("benchmark workload not found at %s", dir)
	}
	res := advisory.Load(context.Background(), dir)
	e := NewEncoder()
	var recs [][]byte
	for _, a := range res.Advisories {
		recs = append(recs, e.AppendAdvisory(nil, a))
	}
	docs, err := DecodeDocuments(e.AppendDocuments(nil))
	if err != nil {
		b.Fatal(err)
	}
	cpu0 := decodefloor.CPU()
	for b.Loop() {
		for _, r := range recs {
			if _, err := DecodeAdvisory(r, docs); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
	b.ReportMetric(float64(decodefloor.CPU()-cpu0)/float64(b.N*len(recs)), "cpu-ns/record")
}
