package advisory

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCSAF feeds arbitrary bytes to the CSAF reader: it must never panic,
// and what it returns must be well formed.
func FuzzCSAF(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "feeds", "csaf", "*.json"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"document":{"csaf_version":"2.0","tracking":{"id":"X"}},"vulnerabilities":[{"cve":"CVE-1","product_status":{"known_affected":["P"]}}]}`))
	f.Add([]byte(`{"document":{"csaf_version":"2.0"},"product_tree":{"relationships":[{"product_reference":"A","relates_to_product_reference":"A","full_product_name":{"product_id":"A"}}]},"vulnerabilities":[{}]}`))
	f.Add([]byte(`{"document":{"csaf_version":2},"product_tree":{"branches":{"x":1}},"vulnerabilities":{"a":1}}`))
	f.Add([]byte(`{"csaf_version":"2.0","document":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !looksLikeCSAF(data) {
			return
		}
		feed, err := decodeCSAF(data, "fuzz-input-without-checksum.json")
		if err != nil {
			if feed != nil {
				t.Fatal("feed and error")
			}
			return
		}
		for _, a := range feed.Advisories {
			if a.ID == "" || a.Format != FormatCSAF || a.Document == nil {
				t.Fatalf("bad record %+v", a)
			}
			for _, ps := range a.Products {
				if ps.Product == nil || ps.Product.ID == "" || CSAFStatus(ps.List) != ps.Status {
					t.Fatalf("bad status %+v", ps)
				}
			}
		}
	})
}
