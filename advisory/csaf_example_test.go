package advisory_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bomrank/bomrank/advisory"
)

// A CSAF document gives one record per vulnerability; the index finds its
// product statuses by model number, by vendor and name token, by purl.
func ExampleIndex_CSAFByModel() {
	p := filepath.Join("..", "testdata", "feeds", "csaf", "acme-2026-001.json")
	f, err := os.Open(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	advs, err := advisory.Parse(f, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := advisory.NewIndex(advs)
	for _, e := range ix.CSAFByModel("vf-3000") {
		pr := e.Status.Product
		fmt.Printf("%s: %s %q %s\n", e.Advisory.ID, pr.ProductName, pr.Version+pr.VersionRange, strings.TrimSpace(e.Status.List+" "+e.Status.Justification))
	}
	fmt.Println(len(ix.CSAFByName(advisory.NormalizeVendor("Acme Medical, Inc."), "bedside")), "Bedside Hub statuses")
	// Output:
	// ACME-2026-001/CVE-2020-14343: VitaFlow 3000 "4.2.1" known_not_affected vulnerable_code_not_in_execute_path
	// ACME-2026-001/CVE-2026-90001: VitaFlow 3000 "vers:generic/<4.3.0" known_affected
	// ACME-2026-001/CVE-2026-90001: VitaFlow 3000 "4.3.0" fixed
	// 2 Bedside Hub statuses
}
