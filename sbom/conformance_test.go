package sbom

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestSPDXExamplesConformance parses every SPDX 2.2, 2.3 and 3.0 example
// of the specification and of spdx-examples: each parses, with no warning.
// The one exception is a known defect of the upstream file, asserted as
// such so that the list stays honest.
func TestSPDXExamplesConformance(t *testing.T) {
	root := filepath.Join(sharedRoot(t), "conformance", "spdx")
	// SPDXYAMLExample-2.2.spdx.yaml is not valid YAML (a mis-indented key
	// at line 323, fixed upstream in the 2.3 example).
	knownBad := map[string]string{"spec-examples-2.2/SPDXYAMLExample-2.2.spdx.yaml": "line 323"}
	n := 0
	for _, dir := range []string{"spec-examples-2.2", "spec-examples-2.3", "spec-examples-3.0", "spdx-examples"} {
		res := Load(context.Background(), filepath.Join(root, dir))
		for _, e := range res.Errors {
			rel, _ := filepath.Rel(root, e.Path)
			if want, ok := knownBad[rel]; ok && strings.Contains(e.Error(), want) {
				delete(knownBad, rel)
				continue
			}
			t.Errorf("%v", e)
		}
		for _, d := range res.Devices {
			n++
			if !d.Format.IsSPDX() {
				t.Errorf("%s: read as %s", d.Path, d.Format)
			}
			for _, w := range d.Warnings {
				t.Errorf("%s: unexpected warning: %s", d.Path, w)
			}
			if d.Name == "" || d.DeviceSource == "" {
				t.Errorf("%s: no device identity (%q from %q)", d.Path, d.Name, d.DeviceSource)
			}
		}
	}
	for f := range knownBad {
		t.Errorf("%s: expected to fail (upstream defect) but did not", f)
	}
	if n < 50 {
		t.Errorf("only %d SPDX examples read", n)
	}
	t.Logf("%d SPDX examples parsed with no warning", n)
}

// TestRealDeviceSBOMs reads every real device, firmware and vendor SBOM in
// shared: each parses (but the one malformed on purpose) with its device
// identity found, and every component has a name.
func TestRealDeviceSBOMs(t *testing.T) {
	shared := sharedRoot(t)
	res := Load(context.Background(), filepath.Join(shared, "sboms", "device"), filepath.Join(shared, "sboms", "vendor"))
	if len(res.Errors) != 1 || !strings.HasSuffix(res.Errors[0].Path, "TwinklyMaha-0.6.0.cdx.xml") || !strings.Contains(res.Errors[0].Error(), "column") {
		t.Errorf("errors %v: want only TwinklyMaha's malformed XML, with its position", res.Errors)
	}
	var notSBOM []string
	for _, e := range res.Ignored {
		if !errors.Is(e, ErrNotSBOM) {
			t.Errorf("ignored for another reason: %v", e)
		}
		notSBOM = append(notSBOM, filepath.Base(e.Path))
	}
	if !strings.Contains(strings.Join(notSBOM, " "), "LibreSolar-v21.0-Source.scancodeio.json") {
		t.Errorf("ScanCode's JSON not recognised as a non-SBOM: %v", notSBOM)
	}
	var files int
	filepath.WalkDir(filepath.Join(shared, "sboms", "device"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if got := len(res.Devices) + len(res.Errors) + len(res.Ignored); got != files+1 {
		t.Errorf("%d inputs accounted for, %d files", got, files+1)
	}
	for _, d := range res.Devices {
		if d.Name == "" || d.DeviceSource == "" {
			t.Errorf("%s: device %q found by %q", d.Path, d.Name, d.DeviceSource)
		}
		for i, c := range d.Components {
			if c.Name == "" {
				t.Errorf("%s: component %d has no name", d.Path, i)
			}
		}
	}
	// Spot checks of identity, by the rule each SBOM exercises.
	want := map[string]string{
		"iot-device.cyclonedx.json":        "iot-device|top-level component",
		"iot-device.spdx.json":             "VLVXC60-32.8.017|document name",
		"sbom_cdx.json":                    "", // four ST files; checked in TestCycloneDXDevice
		"zephyr_hello_world.sbom.spdx":     "hello_world|described package",
		"sbom.spdx":                        "", // FreeRTOS: only package
		"keyclock_sbom.spdx.json":          "test_project|described package",
		"blinky.env.hex.bom.xml":           "blinky.env.hex.bom|file name",
		"libre-solar-bin-orig.spdx":        "libre-solar-charge-controller-firmware-built|described package",
		"runtime-python3-pyyaml.spdx.json": "runtime-python3-pyyaml|document name",
	}
	for _, d := range res.Devices {
		w, ok := want[filepath.Base(d.Path)]
		if !ok || w == "" {
			continue
		}
		if got := d.Name + "|" + d.DeviceSource; got != w {
			t.Errorf("%s: %s, want %s", d.Path, got, w)
		}
	}
}
