package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

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

// benchDevice is a device of 500 findings like those of the 200-SBOM
// benchmark workload (plain ASCII, one source, one vector).
func benchDevice() deviceJSON {
	dev := deviceJSON{ID: "dev-0001.cdx.json", Reasons: []string{"500 affected finding(s)"}, Findings: []findingJSON{}}
	for i := 0; i < 500; i++ {
		dev.Findings = append(dev.Findings, findingJSON{
			ID: fmt.Sprintf("CVE-2090-%07d", i), Aliases: []string{fmt.Sprintf("SYN-%07d", i)}, Status: "affected",
			Component:    componentJSON{Name: "lib422", Version: "0.8.5", PURL: "pkg:maven/org.example34/lib422@0.8.5", CPEs: []string{}, Ref: "c2"},
			Fixed:        []string{"0.9.4"},
			Severity:     severityJSON{Vectors: []vectorJSON{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}},
			Summary:      "synthetic advisory 951 for org.example34:lib422",
			Sources:      []sourceJSON{{ID: "SYN-0000951", Format: "osv", Path: "/tmp/bench/osv/SYN-0000951.json", Match: "ecosystem package", Confidence: "high"}},
			Remediations: []remediationJSON{},
		})
	}
	return dev
}

// BenchmarkDeviceJSON compares the ways of writing one device of the
// scan JSON (indented as an element of "devices"): the hand-written
// encoder and indenter JSON uses, encoding/json's Marshal with the
// hand-written indenter, and encoding/json alone (MarshalIndent).
func BenchmarkDeviceJSON(b *testing.B) {
	dev := benchDevice()
	want, err := json.MarshalIndent(dev, "    ", "  ")
	if err != nil {
		b.Fatal(err)
	}
	// check compares the output with encoding/json's and reports the CPU
	// time per device beside the wall time.
	check := func(b *testing.B, got []byte, cpu0 time.Duration) {
		b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		if !bytes.Equal(got, want) {
			b.Fatal("output differs from json.MarshalIndent")
		}
	}
	b.Run("hand-encoder+hand-indent", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		cpu0 := processCPU()
		var compact, out []byte
		for b.Loop() {
			compact, err = marshalDevice(compact[:0], dev)
			if err != nil {
				b.Fatal(err)
			}
			out = appendIndent(out[:0], compact, "    ", "  ")
		}
		check(b, out, cpu0)
	})
	b.Run("json.Marshal+hand-indent", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		cpu0 := processCPU()
		var out []byte
		for b.Loop() {
			compact, err := json.Marshal(dev)
			if err != nil {
				b.Fatal(err)
			}
			out = appendIndent(out[:0], compact, "    ", "  ")
		}
		check(b, out, cpu0)
	})
	b.Run("json.MarshalIndent", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		cpu0 := processCPU()
		var out []byte
		for b.Loop() {
			if out, err = json.MarshalIndent(dev, "    ", "  "); err != nil {
				b.Fatal(err)
			}
		}
		check(b, out, cpu0)
	})
}
