package report_test

import (
	"fmt"
	"os"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/sbom"
)

func exampleScan() *report.Scan {
	c := &sbom.Component{Name: "log4j-core", Version: "2.14.1", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}
	d := &sbom.Device{Component: sbom.Component{Name: "VitaFlow 3000", Version: "4.2.1"}, Path: "pump.cdx.json", Components: []*sbom.Component{c}}
	r := &match.DeviceResult{Device: d, ID: "pump.cdx.json", Rank: 1, Priority: "unassessed", Score: 1,
		Reasons: []string{"1 affected finding(s)"},
		Findings: []*match.Finding{{ID: "CVE-2021-44228", Status: match.Affected, Component: c, Fixed: []string{"2.15.0"},
			Severity: []advisory.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}}}}}
	return &report.Scan{Results: []*match.DeviceResult{r}}
}

// Write picks a format by name; every format is also a function of its
// own (report.CSV, report.SARIF, report.CSAF, ...).
func ExampleWrite() {
	s := exampleScan()
	opts := report.Options{Details: true, AsOf: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	if err := report.Write(os.Stdout, "table", s, opts); err != nil {
		fmt.Println(err)
	}
	// Output:
	// RANK  PRIORITY    SCORE  DEVICE         VERSION  MANUFACTURER  AFFECTED  UNKNOWN  TOP REASONS
	// 1     unassessed  1      VitaFlow 3000  4.2.1    -             1         0        1 affected finding(s)
	//       VitaFlow 3000 4.2.1
	//       SBOM pump.cdx.json
	//       next step: no fix: ask the manufacturer (fixed upstream in log4j-core 2.15.0)
	//       reasons:
	//         - 1 affected finding(s)
	//       CVE-2021-44228  affected  critical 10.0  -  log4j-core 2.14.1  no fix: ask the manufacturer (fixed upstream in log4j-core 2.15.0)
}

// A CI gate: fail when a device has an affected finding rated high or
// worse.
func ExampleThreshold() {
	t, err := report.ParseThreshold("high")
	if err != nil {
		panic(err)
	}
	for _, r := range t.Reaching(exampleScan()) {
		fmt.Println(r.Device.Name, "reaches", t)
	}
	// Output:
	// VitaFlow 3000 reaches high
}

func ExampleParseScore() {
	s, _ := report.ParseScore(advisory.Severity{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"})
	fmt.Println(s.Version, s.Base, s.Rating)
	// Output:
	// 3.1 9.8 critical
}

// DataAge says how old the advisory data of a scan is: its oldest source
// and that source's age at the scan's date, which a caller may warn about
// (bomrank never refuses old data). OldestSource gives the date, for an
// age at another time.
func ExampleDataAge() {
	s := exampleScan()
	s.AsOf = time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	s.Sources = []advisory.Source{
		{Kind: "osv", Path: "feeds/osv", Records: 28, Captured: time.Date(2026, 1, 11, 22, 0, 0, 0, time.UTC)},
		{Kind: "epss", Path: "feeds/epss.csv.gz", Records: 24, Captured: time.Date(2026, 1, 2, 6, 0, 0, 0, time.UTC)},
	}
	oldest, days, ok := report.DataAge(s)
	if ok && days > 7 {
		fmt.Printf("warning: %s data from %s is %d days old\n", oldest.Kind, oldest.Path, days)
	}
	_, date, _ := report.OldestSource(s.Sources)
	fmt.Println("oldest captured", date.Format(time.DateOnly))
	// Output:
	// warning: epss data from feeds/epss.csv.gz is 9 days old
	// oldest captured 2026-01-02
}
