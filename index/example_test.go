package index_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
)

const goRecord = `{
  "id": "GO-2020-0001",
  "modified": "2023-01-01T00:00:00Z",
  "aliases": ["CVE-2020-36567", "GHSA-6vm3-jj99-7229"],
  "affected": [{
    "package": {"ecosystem": "Go", "name": "github.com/gin-gonic/gin"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.6.0"}]}]
  }]
}`

// The index finds a package's records by ecosystem and name (compared as
// the ecosystem compares names). Which records make one finding is the
// matcher's business (package match), per component.
func ExampleNew() {
	advs, _ := advisory.Parse(strings.NewReader(goRecord), "GO-2020-0001.json")
	ix := index.New(advs)
	for _, e := range ix.Packages("Go", "github.com/Gin-Gonic/gin") {
		fmt.Println(e.Advisory.ID, "aka", e.Advisory.Aliases, "for", e.Affected.Name)
	}
	fmt.Println(index.NormalizeName("PyPI", "Django_Rest.Framework"))
	// Output:
	// GO-2020-0001 aka [CVE-2020-36567 GHSA-6vm3-jj99-7229] for github.com/gin-gonic/gin
	// django-rest-framework
}

// A CSAF document gives one record per vulnerability; the index finds its
// product statuses by model number, by vendor and name token, by purl.
func ExampleMemory_Products() {
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
	ix := index.New(advs)
	for _, e := range ix.Products(index.Key{Kind: index.ByModel, Value: "vf-3000"}) {
		pr := e.Status.Product
		fmt.Printf("%s: %s %q %s\n", e.Advisory.ID, pr.ProductName, pr.Version+pr.VersionRange, strings.TrimSpace(e.Status.List+" "+e.Status.Justification))
	}
	// Vendors are keyed in their normalised form: "Acme Medical, Inc."
	// is "acme medical".
	fmt.Println(len(ix.Products(index.Key{Kind: index.ByName, Vendor: "acme medical", Value: "bedside"})), "Bedside Hub statuses")
	// Output:
	// ACME-2026-001/CVE-2020-14343: VitaFlow 3000 "4.2.1" known_not_affected vulnerable_code_not_in_execute_path
	// ACME-2026-001/CVE-2026-90001: VitaFlow 3000 "vers:generic/<4.3.0" known_affected
	// ACME-2026-001/CVE-2026-90001: VitaFlow 3000 "4.3.0" fixed
	// 2 Bedside Hub statuses
}
