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

// A Matcher joins devices with an advisory index into findings, one per
// (component, vulnerability); package rank ranks the devices.
func ExampleMatcher() {
	dev, _ := sbom.Parse(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.5",
	  "metadata":{"component":{"type":"device","name":"CardioSense X2","version":"2.0.3"}},
	  "components":[{"type":"library","name":"log4j-core","version":"2.14.1",
	    "purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}`), "monitor.cdx.json")
	osv, _ := advisory.Parse(strings.NewReader(`{"id":"GHSA-jfh8-c2jp-5v3q","modified":"2024-01-01T00:00:00Z",
	  "aliases":["CVE-2021-44228"],
	  "affected":[{"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
	    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.13.0"},{"fixed":"2.15.0"}]}]}]}`), "log4shell.json")
	m := &match.Matcher{Index: index.New(osv)}
	for _, r := range scanned(m, context.Background(), []*sbom.Device{dev}) {
		fmt.Println(r.Device.Name)
		for _, f := range r.Findings {
			fmt.Println(" ", f.ID, f.Aliases, f.Status, f.Component.Name, f.Component.Version, "fixed in", f.Fixed)
		}
	}
	// Output:
	// CardioSense X2
	//   CVE-2021-44228 [GHSA-jfh8-c2jp-5v3q] affected log4j-core 2.14.1 fixed in [2.15.0]
}

// ParseVersion orders versions the way the ecosystem does.
func ExampleParseVersion() {
	v, _ := match.ParseVersion("Debian:11", "1.1.1n-0+deb11u3")
	c, _ := v.Compare("1.1.1n-0+deb11u4")
	fmt.Println(c)
	// Output: -1
}
