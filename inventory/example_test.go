package inventory_test

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/inventory"
)

func ExampleRead() {
	csv := "asset_id,sbom,exposure,safety_impact,mission_impact,units\n" +
		"ICU-PUMP-01,pumps/vitaflow.cdx.json,segmented,catastrophic,mission-failure,12\n" +
		"LAB-01,lab.spdx.json,,,,\n" +
		"BAD-01,x.json,dmz,,,\n"
	inv, err := inventory.Read(strings.NewReader(csv), "assets.csv", "/fleet")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range inv.Assets {
		c := a.Context
		fmt.Println(a.ID, a.SBOM, c.Exposure, c.Safety, c.Mission, c.Units, len(c.Defaulted), "defaulted")
	}
	for _, e := range inv.Errors {
		fmt.Println(e)
	}
	// Output:
	// ICU-PUMP-01 /fleet/pumps/vitaflow.cdx.json controlled catastrophic mission-failure 12 0 defaulted
	// LAB-01 /fleet/lab.spdx.json controlled critical crippled 1 4 defaulted
	// assets.csv:4: asset BAD-01: exposure "dmz": want small, controlled, open (or isolated, segmented, internet)
}
