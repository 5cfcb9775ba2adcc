package match_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// TestScanOrder: Scan returns one result per device in the order of the
// devices, unranked (package rank ranks), whatever the scheduling.
func TestScanOrder(t *testing.T) {
	osv, _ := advisory.Parse(strings.NewReader(`{"id":"GHSA-jfh8-c2jp-5v3q","modified":"2024-01-01T00:00:00Z",
	  "aliases":["CVE-2021-44228"],
	  "affected":[{"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
	    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.13.0"},{"fixed":"2.15.0"}]}]}]}`), "log4shell.json")
	var devs []*sbom.Device
	for i := range 40 {
		v := "2.14.1"
		if i%3 == 0 {
			v = "2.17.0"
		}
		d, err := sbom.Parse(strings.NewReader(fmt.Sprintf(`{"bomFormat":"CycloneDX","specVersion":"1.5",
		  "metadata":{"component":{"type":"device","name":"D%d"}},
		  "components":[{"type":"library","name":"log4j-core","version":%q,
		    "purl":"pkg:maven/org.apache.logging.log4j/log4j-core@%s"}]}`, i, v, v)), fmt.Sprintf("z%02d.json", 40-i))
		if err != nil {
			t.Fatal(err)
		}
		devs = append(devs, d)
	}
	m := &match.Matcher{Index: index.New(osv), Workers: 4}
	res, failed, err := m.Scan(context.Background(), devs)
	if err != nil || len(failed) > 0 || len(res) != len(devs) {
		t.Fatalf("%d results, %v %v", len(res), failed, err)
	}
	for i, r := range res {
		if r.Device != devs[i] || r.ID != devs[i].Path || r.Rank != 0 || r.Priority != "" || r.Context != nil {
			t.Errorf("result %d: %s rank %d priority %q, want %s unranked", i, r.ID, r.Rank, r.Priority, devs[i].Path)
		}
		if want := i%3 != 0; (r.Affected() == 1) != want {
			t.Errorf("%s: %d affected", r.ID, r.Affected())
		}
	}
}
