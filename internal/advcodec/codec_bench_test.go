package advcodec

import (
	"bytes"
	"encoding/gob"
	"testing"

	"github.com/bomrank/bomrank/advisory"
)

// Measured 2026-12-07 on the 2-core machine (shared with other jobs),
// the 1,575 records of testdata/feeds and ../shared (OSV, CSAF, NVD,
// VEX), go test -bench 'Codec|Gob' -count 3:
//
//	codec: see BenchmarkCodec's reported bytes and ns/op
//	gob:   see BenchmarkGob's
//
// (figures quoted in the package's report and in EXPLAIN below.)

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
