package advisory

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkNVDDecode reads the 12-CVE sample API response.
func BenchmarkNVDDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(nvdDir, "nvdcve-2.0-embedded.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := decodeNVD(data, "x.json"); err != nil {
			b.Fatal(err)
		}
	}
}
