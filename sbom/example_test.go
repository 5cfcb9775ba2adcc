package sbom_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/sbom"
)

// Parse reads one SBOM from any reader; the format is detected from the
// content.
func ExampleParse() {
	doc := `{
	  "bomFormat": "CycloneDX", "specVersion": "1.5",
	  "metadata": {"component": {"type": "device", "name": "VitaFlow 3000", "version": "4.2.1",
	    "supplier": {"name": "Acme Medical Inc."},
	    "components": [{"type": "firmware", "name": "vf-firmware", "version": "4.2.1", "bom-ref": "fw",
	      "components": [{"type": "library", "name": "busybox", "version": "1.30.1",
	        "cpe": "cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*"}]}]}},
	  "components": [{"type": "library", "name": "calibration tables"}]
	}`
	dev, err := sbom.Parse(strings.NewReader(doc), "pump.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s by %s (%s %s)\n", dev.Name, dev.Version, dev.Manufacturer, dev.Format, dev.SpecVersion)
	for _, c := range dev.Components {
		fmt.Printf("  %s %q parent=%q cpes=%v\n", c.Name, c.Version, c.Parent, c.CPEs)
	}
	// Output:
	// VitaFlow 3000 4.2.1 by Acme Medical Inc. (cyclonedx-json 1.5)
	//   vf-firmware "4.2.1" parent="VitaFlow 3000" cpes=[]
	//   busybox "1.30.1" parent="fw" cpes=[cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*]
	//   calibration tables "" parent="" cpes=[]
}

// Load walks files and directories concurrently. Every input that cannot be
// read is reported, named, and the others are still read.
func ExampleLoad() {
	res := sbom.Load(context.Background(), "../testdata/fleet", "missing.cdx.json")
	for _, d := range res.Devices[:1] {
		fmt.Println(d.Name, d.Version, d.Manufacturer)
	}
	for _, e := range res.Errors {
		fmt.Println("error:", e)
	}
	// Output:
	// Bedside Hub 1.0.0 Acme Medical Inc.
	// error: missing.cdx.json: no such file or directory
}
