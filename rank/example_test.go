package rank_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// The ranking reads KEV and EPSS (rank.NewExploits over what
// advisory.Load or ParseFeed returned) and each asset's context;
// rank.Assign gives every asset its SBOM's findings.
func ExampleOptions_Rank() {
	dev, _ := sbom.Parse(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.5",
	  "metadata":{"component":{"type":"device","name":"CardioSense X2","version":"2.0.3"}},
	  "components":[{"type":"library","name":"log4j-core","version":"2.14.1",
	    "purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]}`), "monitor.cdx.json")
	osv, _ := advisory.Parse(strings.NewReader(`{"id":"GHSA-jfh8-c2jp-5v3q","modified":"2024-01-01T00:00:00Z",
	  "aliases":["CVE-2021-44228"],
	  "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
	  "affected":[{"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
	    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.13.0"},{"fixed":"2.15.0"}]}]}]}`), "log4shell.json")
	kev, _ := advisory.ParseFeed(strings.NewReader(`{"catalogVersion":"2025.02.25","vulnerabilities":[
	  {"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","knownRansomwareCampaignUse":"Known"}]}`), "kev.json")
	epss, _ := advisory.ParseFeed(strings.NewReader("#model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99957\n"), "epss.csv")

	m := &match.Matcher{Index: index.New(osv)}
	results, _, err := m.Scan(context.Background(), []*sbom.Device{dev})
	if err != nil {
		panic(err)
	}
	assets := []inventory.Asset{
		{ID: "ICU-MON-01", SBOM: "monitor.cdx.json", Context: ssvc.Context{Exposure: "open", Safety: "critical", Mission: "mission-failure", Units: 12}},
		{ID: "LAB-MON-07", SBOM: "monitor.cdx.json", Context: ssvc.Context{Exposure: "small", Safety: "marginal", Mission: "degraded", Units: 1}},
	}
	results, _ = rank.Assign(results, assets)
	opts := rank.Options{Exploits: rank.NewExploits(kev.KEV, epss.EPSS), AsOf: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	opts.Rank(results)
	for _, r := range results {
		d := r.Findings[0].Decision
		fmt.Println(r.Rank, r.ID, r.Priority, r.Score, d.Exploitation, d.Exposure, d.HumanImpact, d.Action)
		fmt.Println("  ", r.Reasons[0])
	}
	fmt.Println(opts.Exploits.Feeds().KEVCatalog, opts.Exploits.Feeds().EPSSDate)
	// Output:
	// 1 ICU-MON-01 immediate 97 active open very high ask-manufacturer
	//    actively exploited (CISA KEV since 2021-12-10, used by ransomware)
	// 2 LAB-MON-07 scheduled 35 active small low ask-manufacturer
	//    actively exploited (CISA KEV since 2021-12-10, used by ransomware)
	// 2025.02.25 2025-03-17T12:55:00Z
}
