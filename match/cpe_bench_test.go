package match

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/decodefloor"
	"github.com/bomrank/bomrank/sbom"
)

// nvdWorkload builds a synthetic NVD of the size that matters for
// firmware: nCVE records over 40 embedded products, a quarter of them for
// the Linux kernel (as in NVD, where linux_kernel has the most CVEs), each
// with one to three version ranges, and one in twenty an AND
// configuration with a hardware platform; and a fleet of nDev devices of
// 20 CPE components each, 8 builds of each product across the fleet
// (so 320 distinct component CPEs), some of them in ranges.
func nvdWorkload(nCVE, nDev int) (*index.Memory, []*sbom.Device) {
	r := rand.New(rand.NewPCG(1, 2))
	products := make([]string, 40)
	for i := range products {
		products[i] = fmt.Sprintf("vendor%d:product%d", i, i)
	}
	products[0] = "linux:linux_kernel"
	advs := make([]*advisory.Advisory, nCVE)
	for i := range advs {
		p := products[r.IntN(len(products))]
		if i%4 == 0 {
			p = products[0]
		}
		var n advisory.Node
		n.Operator = "OR"
		// Ranges as NVD writes them: per release line, from its first
		// version to the fix.
		for k := 0; k <= r.IntN(3); k++ {
			line := fmt.Sprintf("%d.%d", r.IntN(6), r.IntN(20))
			n.Matches = append(n.Matches, advisory.CPEMatch{Vulnerable: true,
				Criteria:              "cpe:2.3:a:" + p + ":*:*:*:*:*:*:*:*",
				VersionStartIncluding: line + ".0", VersionEndExcluding: fmt.Sprintf("%s.%d", line, 1+r.IntN(30))})
		}
		conf := advisory.Configuration{Nodes: []advisory.Node{n}}
		if i%20 == 0 {
			conf.Operator = "AND"
			conf.Nodes = append(conf.Nodes, advisory.Node{Operator: "OR", Matches: []advisory.CPEMatch{
				{Criteria: fmt.Sprintf("cpe:2.3:h:acme:board%d:-:*:*:*:*:*:*:*", r.IntN(10))}}})
		}
		advs[i] = &advisory.Advisory{ID: fmt.Sprintf("CVE-2099-%06d", i), Format: advisory.FormatNVD,
			Configurations: []advisory.Configuration{conf}}
	}
	devs := make([]*sbom.Device, nDev)
	for i := range devs {
		d := &sbom.Device{Path: fmt.Sprintf("dev%d", i)}
		d.Name = d.Path
		d.CPEs = []string{fmt.Sprintf("cpe:2.3:h:acme:board%d:-:*:*:*:*:*:*:*", i%10)}
		for k := 0; k < 20; k++ {
			pi := (i + k) % len(products)
			p := products[pi]
			// A fleet repeats versions: 8 builds of each product.
			b := (i / len(products)) % 8
			v := fmt.Sprintf("%d.%d.%d", (b+pi)%6, (b*7+pi)%20, b*3)
			d.Components = append(d.Components, &sbom.Component{Name: p, Version: v,
				CPEs: []string{"cpe:2.3:a:" + p + ":" + v + ":*:*:*:*:*:*:*"}})
		}
		devs[i] = d
	}
	return index.New(advs), devs
}

// BenchmarkCPEFleet matches 1,000 devices x 20 CPE components against a
// synthetic NVD of 50,000 records ($BOMRANK_CPE_RECORDS to change it, as
// BenchmarkNVDDatabase's $BOMRANK_NVD_RECORDS does for the database), with
// a fresh matcher each time (its per-CPE cache starts empty), as one
// `bomrank scan` does.
func BenchmarkCPEFleet(b *testing.B) {
	n := 50000
	if s := os.Getenv("BOMRANK_CPE_RECORDS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	ix, devs := nvdWorkload(n, 1000)
	b.ResetTimer()
	findings := 0
	cpu := decodefloor.CPU()
	for b.Loop() {
		m := &Matcher{Index: ix}
		findings = 0
		for _, r := range scanned(b, m, context.Background(), devs) {
			findings += len(r.Findings)
		}
	}
	b.ReportMetric((decodefloor.CPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(devs)), "ns/device")
}

// ProcessCPU lets the benchmark of a compiled database
// (nvd_db_bench_test.go) report CPU time as BenchmarkCPEFleet does.
var ProcessCPU = decodefloor.CPU

// BenchmarkCPEIndex indexes the 50,000 synthetic NVD records.
func BenchmarkCPEIndex(b *testing.B) {
	ix, _ := nvdWorkload(50000, 0)
	advs := ix.Advisories()
	b.ResetTimer()
	for b.Loop() {
		index.New(advs)
	}
}
