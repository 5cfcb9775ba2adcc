package scan_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/scan"
)

// Attach the manufacturers' MDS2 forms: the inventory's mds2 column names
// most assets' forms; the GlucoMet G7's comes from the --mds2 folder, by
// its manufacturer and model. The RadiView's hardening guide is for
// another version: the ranking says to review it.
func ExampleRun_mds2() {
	td := filepath.Join("..", "testdata")
	res, err := scan.Run(context.Background(), scan.Config{
		Inventory: filepath.Join(td, "fleet", "assets.csv"),
		MDS2:      []string{filepath.Join(td, "mds2")},
		AsOf:      time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	devs := slices.SortedFunc(slices.Values(res.Results), func(a, b *match.DeviceResult) int { return strings.Compare(a.ID, b.ID) })
	for _, r := range devs {
		d := r.Disclosure
		guide := "no guide"
		if d.Guide != nil {
			guide = "guide for " + d.Guide.Version
			if d.Guide.Review != "" {
				guide += " (to review: the device runs " + r.Device.Version + ")"
			}
		}
		fmt.Printf("%-12s %-29s %-9s %s\n", r.ID, filepath.Base(d.MDS2.Path), d.MDS2Via, guide)
	}
	fmt.Println("forms that could not be read:", len(res.MDS2Errors))
	// Output:
	// CARD-MON-02  nordlicht-cardiosense-x2.xlsx inventory guide for 2.0.3
	// ICU-MON-01   nordlicht-cardiosense-x2.xlsx inventory guide for 2.0.3
	// ICU-PUMP-01  acme-vitaflow-3000.xlsx       inventory guide for 4.2.1
	// ICU-VENT-01  brightwater-aerocare-v5.csv   inventory no guide
	// LAB-GLU-01   meridian-glucomet-g7.xlsx     match     guide for 3.3.0
	// ONC-PUMP-03  acme-vitaflow-3000.xlsx       inventory guide for 4.2.1
	// RAD-WS-01    helix-radiview.xlsx           inventory guide for 11.4.0 (to review: the device runs 11.5.2)
	// WARD-HUB-01  acme-bedside-hub.xlsx         inventory no guide
	// WARD-PUMP-02 acme-vitaflow-3000.xlsx       inventory guide for 4.2.1
	// forms that could not be read: 0
}
