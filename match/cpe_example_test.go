package match_test

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// An NVD record meets a firmware component that has only a CPE. Each
// finding says which criterion and range matched, and how sure the match
// is; a component without a CPE gets a derived one at low confidence.
func ExampleMatcher_cpe() {
	dev, _ := sbom.Parse(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.5",
	  "metadata":{"component":{"type":"device","name":"VitaFlow 3000","version":"4.2.1"}},
	  "components":[
	    {"type":"firmware","name":"busybox","version":"1.30.1","cpe":"cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*"},
	    {"type":"library","name":"busybox-static","version":"1.36.1","cpe":"cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*"},
	    {"type":"library","name":"BusyBox","version":"1.33.2"}]}`), "pump.cdx.json")
	nvd, err := advisory.Parse(strings.NewReader(`{"format":"NVD_CVE","version":"2.0","vulnerabilities":[{"cve":{
	  "id":"CVE-2021-42386","published":"2021-11-15T21:15:07.860","lastModified":"2023-11-07T03:39:10.303",
	  "descriptions":[{"lang":"en","value":"A use-after-free in Busybox's awk applet leads to denial of service and possibly code execution."}],
	  "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,
	    "criteria":"cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*","versionEndExcluding":"1.34.0"}]}]}]}}]}`), "nvd.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := &match.Matcher{Index: index.New(nvd)}
	for _, f := range m.Device(dev) {
		s := f.Sources[0]
		fmt.Println(f.Component.Name, f.Component.Version, f.ID, f.Status, "fixed", f.Fixed)
		fmt.Println(" ", s.Confidence+":", s.Match)
		fmt.Println("  criterion:", s.Product)
	}
	// Output:
	// busybox 1.30.1 CVE-2021-42386 affected fixed [1.34.0]
	//   high: cpe cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*
	//   criterion: cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* versions < 1.34.0
	// BusyBox 1.33.2 CVE-2021-42386 affected fixed [1.34.0]
	//   low: derived cpe cpe:2.3:*:busybox:busybox:1.33.2:*:*:*:*:*:*:* (from the component's name and version; it has no CPE)
	//   criterion: cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* versions < 1.34.0
}
