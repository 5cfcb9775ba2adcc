package advisory

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/internal/membudget"
)

// TestLargeRealDocumentReadBombRefused: with the lane's maximum made
// small, a large real-shaped NVD file, plain or gzipped as NVD serves it,
// is still read (it may use 128 times its stored size), while a gzip bomb
// of about its compressed size is refused. Before, every document was held
// to the lane's maximum, and a 425 MB NVD year file could not be read.
func TestLargeRealDocumentReadBombRefused(t *testing.T) {
	small, maxBytes := membudget.DefaultLane.Small, membudget.DefaultLane.Max
	membudget.DefaultLane.Small, membudget.DefaultLane.Max = 64<<10, 1<<20
	t.Cleanup(func() { membudget.DefaultLane.Small, membudget.DefaultLane.Max = small, maxBytes })

	doc := bigNVD(t, 1500) // about 3 MB, a counted need well over 1 MiB
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(doc)
	zw.Close()
	dir := t.TempDir()
	plain, zipped, bomb := filepath.Join(dir, "nvd.json"), filepath.Join(dir, "nvd.json.gz"), filepath.Join(dir, "bomb.json.gz")
	unit := `{"cve":{"id":"CVE-2099-0001","descriptions":[],"references":[]}},`
	for p, data := range map[string][]byte{plain: doc, zipped: gz.Bytes(),
		bomb: boundtest.GzipBomb(`{"format":"NVD_CVE","version":"2.0","vulnerabilities":[`, unit, `{}]}`, 256<<20)} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{plain, zipped} {
		res := Load(context.Background(), p)
		if len(res.Errors) > 0 || len(res.Advisories) != 1500 {
			t.Errorf("%s: %d advisories, errors %v", filepath.Base(p), len(res.Advisories), res.Errors)
		}
	}
	res := Load(context.Background(), bomb)
	if len(res.Errors) != 1 || !errors.Is(res.Errors[0], membudget.ErrOver) {
		t.Errorf("bomb: errors %v, want one over the memory limit", res.Errors)
	}
}

// bigNVD returns an NVD CVE JSON 2.0 feed of n records made from the
// shapes of testdata's real NVD file, each with its own id and text (text
// that compresses as real descriptions do, about 10 times for the whole).
func bigNVD(t *testing.T, n int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString(`{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE","version":"2.0","timestamp":"2025-01-01T00:00:00.000","vulnerabilities":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		id := fmt.Sprintf("CVE-2099-%06d", i)
		b.WriteString(`{"cve":{"id":"` + id + `","sourceIdentifier":"cve@mitre.org","published":"2024-01-01T00:00:00.000","lastModified":"2024-02-01T00:00:00.000","vulnStatus":"Analyzed",` +
			`"descriptions":[{"lang":"en","value":"A buffer overflow ` + id + ` in the example firmware allows remote attackers to execute code: ` + hex.EncodeToString(noise(rng, 120)) + `"}],` +
			`"metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseScore":9.8,"baseSeverity":"CRITICAL"}}]},` +
			`"weaknesses":[{"source":"nvd@nist.gov","type":"Primary","description":[{"lang":"en","value":"CWE-787"}]}],` +
			`"configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:o:example:firmware` + strconv.Itoa(i%97) + `:*:*:*:*:*:*:*:*","versionEndExcluding":"2.` + strconv.Itoa(i%13) + `","matchCriteriaId":"00000000-0000-0000-0000-000000000000"}]}]}],` +
			`"references":[{"url":"https://example.com/advisories/` + id + `","source":"cve@mitre.org"}]}}`)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func noise(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}
