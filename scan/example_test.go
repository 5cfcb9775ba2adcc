package scan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/scan"
)

// Scan the sample fleet with its inventory against the sample feeds, and
// write the ranked result as SARIF for a code-scanning dashboard.
func ExampleRun() {
	td := filepath.Join("..", "testdata")
	asOf := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	res, err := scan.Run(context.Background(), scan.Config{
		Advisories: []string{filepath.Join(td, "feeds")},
		Inventory:  filepath.Join(td, "fleet", "assets.csv"),
		AsOf:       asOf,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var out bytes.Buffer
	if err := report.Write(&out, "sarif", res, report.Options{AsOf: asOf}); err != nil {
		fmt.Println(err)
		return
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out.Bytes(), &sarif); err != nil {
		fmt.Println(err)
		return
	}
	top := res.Results[0]
	fmt.Printf("%d devices, %d SARIF results, skipped %d\n", len(res.Results), len(sarif.Runs[0].Results), res.Skipped())
	fmt.Printf("patch first: %s (%s), priority %s\n", top.ID, top.Device.Name, top.Priority)
	// Output:
	// 9 devices, 60 SARIF results, skipped 0
	// patch first: ICU-MON-01 (CardioSense X2), priority immediate
}
