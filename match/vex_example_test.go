package match_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// A VEX document in the index settles the findings of the device it names:
// here an OpenVEX statement by the manufacturer (its author is the
// SBOM's manufacturer: only the manufacturer, the supplier or an author
// the user trusts may change a finding) says the device is not affected
// by Log4Shell. The finding stays, with its new status and the
// statement's justification, and no longer counts as affected.
func ExampleMatcher_vex() {
	dev, _ := sbom.Parse(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.5",
	  "metadata":{"component":{"type":"device","name":"CardioSense X2","version":"2.0.3"},
	    "manufacture":{"name":"Example Medical GmbH"}},
	  "components":[{"type":"library","name":"log4j-core","version":"2.14.1",
	    "purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}`), "monitor.cdx.json")
	osv, _ := advisory.Parse(strings.NewReader(`{"id":"GHSA-jfh8-c2jp-5v3q","modified":"2024-01-01T00:00:00Z",
	  "aliases":["CVE-2021-44228"],
	  "affected":[{"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
	    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.13.0"},{"fixed":"2.15.0"}]}]}]}`), "log4shell.json")
	vex, err := advisory.Parse(strings.NewReader(`{"@context":"https://openvex.dev/ns/v0.2.0",
	  "@id":"https://example.com/vex/1","author":"Example Medical","timestamp":"2024-01-05T00:00:00Z","version":1,
	  "statements":[{"vulnerability":{"name":"CVE-2021-44228"},
	    "products":[{"@id":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
	    "status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]}`), "monitor.openvex.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := &match.Matcher{Index: index.New(append(osv, vex...))}
	for _, r := range scanned(m, context.Background(), []*sbom.Device{dev}) {
		for _, f := range r.Findings {
			fmt.Println(f.ID, f.Status, f.Justification)
			for _, s := range f.Sources {
				fmt.Println(" ", s.Format, s.Match)
			}
		}
	}
	// Output:
	// CVE-2021-44228 not_affected vulnerable_code_not_in_execute_path
	//   openvex openvex product purl (not_affected)
	//   osv ecosystem package
}
