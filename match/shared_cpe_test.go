package match_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// TestSharedCPEDevices scans the 30 real device and firmware SBOMs of
// shared (317 component CPEs, CPE 2.2 URIs among them) against the NVD
// records of testdata/feeds/nvd. The only findings are the three zlib CVEs
// on each of the IoT device's five libz 1.2.8 components (gnu:zlib, the
// newer two through the zlib:zlib alias); its OpenSSL 1.0.1t libraries
// (cpe:/a:openssl:openssl:1.0.1t) sit exactly on CVE-2016-2107's fix and
// outside the other OpenSSL ranges, and nothing else may match.
func TestSharedCPEDevices(t *testing.T) {
	shared := sharedtest.Dir(t)
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join("..", "testdata", "feeds", "nvd"))
	if len(ares.Errors) > 0 {
		t.Fatal(ares.Errors)
	}
	sres := sbom.Load(ctx, filepath.Join(shared, "sboms", "device"))
	if len(sres.Devices) < 25 {
		t.Fatalf("%d device SBOMs read (errors %v)", len(sres.Devices), sres.Errors)
	}
	m := &match.Matcher{Index: index.New(ares.Advisories)}
	var got []string
	conf := map[string]string{}
	n := 0 // components with CVE-2022-37434
	for _, r := range scanned(m, ctx, sres.Devices) {
		for _, f := range r.Findings {
			if f.ID == "CVE-2022-37434" {
				n++
			}
			k := filepath.Base(r.Device.Path) + "|" + f.Component.Name + "|" + f.ID + "|" + string(f.Status)
			got = append(got, k)
			conf[f.ID] = f.Sources[0].Confidence
		}
	}
	slices.Sort(got)
	got = slices.Compact(got)
	want := []string{
		"iot-device.cyclonedx.json|libz.so.1.2.8|CVE-2016-9841|affected",
		"iot-device.cyclonedx.json|libz.so.1.2.8|CVE-2018-25032|affected",
		"iot-device.cyclonedx.json|libz.so.1.2.8|CVE-2022-37434|affected",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if conf["CVE-2016-9841"] != "high" || conf["CVE-2018-25032"] != "medium" {
		t.Errorf("confidence %v: want high for gnu:zlib as written, medium through the alias", conf)
	}
	if n != 5 {
		t.Errorf("CVE-2022-37434 on %d components, want the 5 libz copies", n)
	}
}
