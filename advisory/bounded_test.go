package advisory

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// gzipRepeat returns head, then unit n times, then tail, gzip-compressed,
// and the uncompressed size.
func gzipRepeat(t *testing.T, head, unit, tail string, n int) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(head))
	chunk := []byte(strings.Repeat(unit, max(1, (64<<10)/len(unit))))
	per := len(chunk) / len(unit)
	for i := 0; i < n; i += per {
		k := min(per, n-i)
		zw.Write(chunk[:k*len(unit)])
	}
	zw.Write([]byte(tail))
	zw.Close()
	return buf.Bytes(), len(head) + n*len(unit) + len(tail)
}

// TestEPSSKEVMemoryBounded: a small gzip that expands to a large EPSS
// file or KEV catalog costs memory in proportion to what is kept, not
// to what the file claims: the readers grow as they parse and stop at
// the first repeated or malformed entry. Allocation is measured (the
// process's cumulative heap allocation, an upper bound on the peak)
// around ParseFeed: at most 4 times the decompressed size (the
// decompression buffer grows by doubling: about twice; 6 times under the
// race detector). On main the EPSS
// reader pre-allocated len(data)/32 entries and held every repeated
// line (about 11 times the decompressed size here), read a single huge
// line through encoding/csv's copies, and the KEV reader decoded the
// whole list before checking an entry (a list of 16 million empty
// entries went over the child's heap limit).
func TestEPSSKEVMemoryBounded(t *testing.T) {
	const size = 32 << 20
	cases := []struct {
		name, head, unit, tail, err string
	}{
		{"epss repeated line", "#model_version:v1,score_date:d\ncve,epss,percentile\n", "CVE-2021-44228,0.97,0.99\n", "", "listed again"},
		{"epss one long line", "cve,epss,percentile\nCVE-", "A", "\n", "longer than"},
		{"epss header only", "cve,epss,", "x", "\n", "longer than"},
		{"kev empty entries", `{"catalogVersion":"1","vulnerabilities":[{}`, `,{}`, `]}`, "of memory to read"}, // refused before decoding: 11 million objects
		{"kev repeated entry", `{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-2021-44228"}`, `,{"cveID":"CVE-2021-44228"}`, `]}`, "listed again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			boundtest.Run(t, 60*time.Second, 1<<30, func(t *testing.T) {
				gz, n := gzipRepeat(t, c.head, c.unit, c.tail, (size-len(c.head))/len(c.unit))
				before := boundtest.Allocated()
				_, err := ParseFeed(bytes.NewReader(gz), "feed.gz")
				used := boundtest.Allocated() - before
				t.Logf("%d bytes of gzip, %d decompressed: %d bytes allocated, %v", len(gz), n, used, err)
				bound := uint64(4)
				if boundtest.Race {
					bound = 6 // the race detector allocates more
				}
				if used > bound*uint64(n) {
					t.Errorf("%d bytes allocated for %d bytes decompressed, want at most %d times", used, n, bound)
				}
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "feed.gz") {
					t.Errorf("err = %v, want %q naming the file", err, c.err)
				}
			})
		})
	}
}

// TestDecodeEPSSDuplicateAndQuotes: a CVE listed twice is an error
// naming both lines; quoted fields are read as CSV; blank lines and CRLF
// line ends are accepted.
func TestDecodeEPSSDuplicateAndQuotes(t *testing.T) {
	_, err := decodeEPSS([]byte("cve,epss\nCVE-2000-1,0.1\n\ncve-2000-1,0.2\n"), "e.csv")
	if err == nil || !strings.Contains(err.Error(), "line 4: CVE-2000-1 listed again (first on line 2)") {
		t.Errorf("duplicate: %v", err)
	}
	f, err := decodeEPSS([]byte("\"cve\",\"epss\"\r\n\"CVE-2000-1\",\"0.5\"\r\n\r\nCVE-2000-2,0.25\r\n"), "e.csv")
	if err != nil || len(f.EPSS) != 2 || f.EPSS[0].CVE != "CVE-2000-1" || f.EPSS[0].Score != 0.5 || f.EPSS[1].Score != 0.25 {
		t.Errorf("quoted: %+v, %v", f, err)
	}
	if _, err := decodeEPSS([]byte("cve,epss\n\"CVE-2000-1,0.5\n"), "e.csv"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("unterminated quote: %v", err)
	}
}
