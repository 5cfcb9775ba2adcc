package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/decodefloor"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
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
// benchmark workload (plain ASCII, one source, one vector, the SSVC
// decision), and its deviceJSON.
func benchDevice() (*match.DeviceResult, deviceJSON) {
	r := &match.DeviceResult{ID: "dev-0001.cdx.json", Device: &sbom.Device{Path: "dev-0001.cdx.json"}, Reasons: []string{"500 affected finding(s)"}, Priority: ssvc.PriorityImmediate}
	comp := &sbom.Component{Name: "lib422", Version: "0.8.5", PURL: "pkg:maven/org.example34/lib422@0.8.5", Ref: "c2"}
	for i := 0; i < 500; i++ {
		r.Findings = append(r.Findings, &match.Finding{
			ID: fmt.Sprintf("CVE-2090-%07d", i), Aliases: []string{fmt.Sprintf("SYN-%07d", i)}, Status: match.Affected,
			Component: comp, Fixed: []string{"0.9.4"},
			Severity: []advisory.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
			Summary:  "synthetic advisory 951 for org.example34:lib422",
			Sources:  []match.Source{{ID: "SYN-0000951", Format: "osv", Path: "/tmp/bench/osv/SYN-0000951.json", Match: "ecosystem package"}},
			Decision: &ssvc.Decision{Exploitation: ssvc.ExploitationNone, Exposure: ssvc.ExposureOpen, HumanImpact: ssvc.HumanVeryHigh,
				Outcome: ssvc.OutcomeImmediate, Action: ssvc.ActionPatch, Score: 0.75, Reasons: []string{"exposure open (default: no inventory)"}},
		})
	}
	return r, toDeviceJSON(r)
}

// BenchmarkDeviceJSON compares the ways of writing one device of the
// scan JSON (indented as an element of "devices"): the hand-written
// indenting encoder JSON uses, encoding/json's Marshal with the
// hand-written indenter, and encoding/json alone (MarshalIndent).
func BenchmarkDeviceJSON(b *testing.B) {
	r, dev := benchDevice()
	want, err := json.MarshalIndent(dev, devicePrefix, deviceIndent)
	if err != nil {
		b.Fatal(err)
	}
	// check compares the output with encoding/json's and reports the CPU
	// time per device beside the wall time.
	check := func(b *testing.B, got []byte, cpu0 time.Duration) {
		b.ReportMetric(float64(decodefloor.CPU()-cpu0)/float64(b.N), "cpu-ns/op")
		if !bytes.Equal(got, want) {
			b.Fatal("output differs from json.MarshalIndent")
		}
	}
	b.Run("hand-encoder", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		cpu0 := decodefloor.CPU()
		var e deviceEncoder
		var out []byte
		for b.Loop() {
			if out, err = e.appendDevice(out[:0], r); err != nil {
				b.Fatal(err)
			}
		}
		check(b, out, cpu0)
	})
	b.Run("json.Marshal+hand-indent", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		cpu0 := decodefloor.CPU()
		var out []byte
		for b.Loop() {
			compact, err := json.Marshal(toDeviceJSON(r))
			if err != nil {
				b.Fatal(err)
			}
			out = appendIndent(out[:0], compact, devicePrefix, deviceIndent)
		}
		check(b, out, cpu0)
	})
	b.Run("json.MarshalIndent", func(b *testing.B) {
		b.SetBytes(int64(len(want)))
		cpu0 := decodefloor.CPU()
		var out []byte
		for b.Loop() {
			if out, err = json.MarshalIndent(toDeviceJSON(r), devicePrefix, deviceIndent); err != nil {
				b.Fatal(err)
			}
		}
		check(b, out, cpu0)
	})
}
