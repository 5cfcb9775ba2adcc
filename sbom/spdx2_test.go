package sbom

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSPDX2Explore(t *testing.T) {
	root := filepath.Join("..", "..", "shared")
	for _, dir := range []string{"conformance/spdx/spec-examples-2.2", "conformance/spdx/spec-examples-2.3", "conformance/spdx/spdx-examples", "sboms"} {
		filepath.Walk(filepath.Join(root, dir), func(path string, info os.FileInfo, err error) error {
			if info.IsDir() {
				return nil
			}
			d, err := ParseFile(path)
			if err != nil {
				if strings.Contains(err.Error(), "SPDX") || strings.Contains(err.Error(), "spdx") {
					fmt.Println("ERR", err)
				}
				return nil
			}
			if d.Format.Family() != "SPDX" || d.Format == SPDX3JSONLD {
				return nil
			}
			fmt.Printf("%s %s %s dev=%q ref=%s v=%q mfr=%q comps=%d deps=%d warns=%v\n", path, d.Format, d.SpecVersion, d.Name, d.Ref, d.Version, d.Manufacturer, len(d.Components), len(d.Dependencies), d.Warnings)
			return nil
		})
	}
}

func TestSPDX2ProbeRDF(t *testing.T) {
	d, err := ParseFile("testdata/spdx2-infusion-pump-2.3.spdx.rdf")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", d.Component)
	for _, c := range d.Components {
		fmt.Printf("  %+v\n", *c)
	}
	fmt.Printf("%+v %v %q\n", d.Dependencies, d.Warnings, d.Manufacturer)
}
