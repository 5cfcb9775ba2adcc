package advisory_test

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/advisory"
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

func ExampleParse() {
	advs, err := advisory.Parse(strings.NewReader(goRecord), "GO-2020-0001.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range advs {
		for _, af := range a.Affected {
			fmt.Println(a.ID, af.Ecosystem, af.Name)
			for _, r := range af.Ranges {
				for _, e := range r.Events {
					switch {
					case e.Introduced != "":
						fmt.Println(" ", r.Type, "introduced", e.Introduced)
					case e.Fixed != "":
						fmt.Println(" ", r.Type, "fixed", e.Fixed)
					}
				}
			}
		}
	}
	// Output:
	// GO-2020-0001 Go github.com/gin-gonic/gin
	//   SEMVER introduced 0
	//   SEMVER fixed 1.6.0
}
