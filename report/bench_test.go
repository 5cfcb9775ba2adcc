package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/bomrank/bomrank/match"
)

// benchScan is a fleet of 200 devices with 50 findings each, built from
// the status scan's first device.
func benchScan() *Scan {
	base := statusScan()
	s := &Scan{Advisories: 1000}
	for i := range 200 {
		src := base.Results[0]
		dev := *src.Device
		r := &match.DeviceResult{Device: &dev, ID: fmt.Sprintf("asset-%04d", i), Rank: i + 1, Priority: Priorities[i%len(Priorities)], Score: float64(200 - i), Reasons: src.Reasons}
		for j := range 50 {
			f := *src.Findings[j%len(src.Findings)]
			f.ID = fmt.Sprintf("%s-%d", f.ID, j)
			r.Findings = append(r.Findings, &f)
		}
		s.Results = append(s.Results, r)
	}
	return s
}

func BenchmarkFormats(b *testing.B) {
	s := benchScan()
	for _, format := range FormatNames() {
		o := optionsFor(format)
		if format == "csaf" {
			o.Device = "asset-0000"
		}
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := Write(io.Discard, format, s, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
