package advisory

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzNVD feeds arbitrary bytes to the NVD reader: it must never panic,
// and what it returns must be well formed.
func FuzzNVD(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "feeds", "nvd", "*.json"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"format":"NVD_CVE","vulnerabilities":[{"cve":{"id":"CVE-1","configurations":[{"nodes":[{"cpeMatch":[{"criteria":"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*","vulnerable":true}]}]}]}}]}`))
	f.Add([]byte(`{"format":"NVD_CVE","vulnerabilities":{"cve":1}}`))
	f.Add([]byte(`{"CVE_data_type":"CVE","CVE_Items":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !looksLikeNVD(data) {
			return
		}
		feed, err := decodeNVD(data, "fuzz.json")
		if err != nil {
			if feed != nil {
				t.Fatal("feed and error")
			}
			return
		}
		for _, a := range feed.Advisories {
			if a.ID == "" || a.Format != FormatNVD || a.Source != "fuzz.json" {
				t.Fatalf("bad record %+v", a)
			}
		}
	})
}
