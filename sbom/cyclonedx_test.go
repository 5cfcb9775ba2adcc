package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countCDXJSON counts the components of a CycloneDX JSON document at every
// nesting depth (bom.components, component.components and
// metadata.component.components; not pedigree), independently of the parser
// under test.
func countCDXJSON(t *testing.T, data []byte) int {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("reference decode: %v", err)
	}
	var walk func(list any) int
	walk = func(list any) int {
		arr, _ := list.([]any)
		n := 0
		for _, el := range arr {
			n++
			if m, ok := el.(map[string]any); ok {
				n += walk(m["components"])
			}
		}
		return n
	}
	n := walk(doc["components"])
	if md, ok := doc["metadata"].(map[string]any); ok {
		if c, ok := md["component"].(map[string]any); ok {
			n += walk(c["components"])
		}
	}
	return n
}

// countCDXXML counts <component> elements whose parent is <components>
// under <bom> or a <component>, outside pedigree.
func countCDXXML(t *testing.T, data []byte) int {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("reference decode: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "component" && len(stack) >= 2 && stack[len(stack)-1] == "components" {
				gp := stack[len(stack)-2]
				inPedigree := false
				for _, s := range stack {
					if s == "pedigree" {
						inPedigree = true
					}
				}
				if (gp == "bom" || gp == "component") && !inPedigree {
					n++
				}
			}
			stack = append(stack, el.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func cdxExamples(t *testing.T, prefix string) []string {
	root := filepath.Join(sharedRoot(t), "conformance", "cyclonedx")
	var files []string
	for _, v := range []string{"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"} {
		for _, ext := range []string{"json", "xml"} {
			m, _ := filepath.Glob(filepath.Join(root, v, prefix+"*."+ext))
			files = append(files, m...)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no %s* examples under %s", prefix, root)
	}
	return files
}

// TestCycloneDXValidExamples parses every valid example of the CycloneDX
// specification 1.2-1.7: no error, no warning, and every component at every
// depth present exactly once.
func TestCycloneDXValidExamples(t *testing.T) {
	files := cdxExamples(t, "valid-")
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := ParseFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, w := range d.Warnings {
			t.Errorf("%s: unexpected warning: %s", f, w)
		}
		want := 0
		if strings.HasSuffix(f, ".json") {
			want = countCDXJSON(t, data)
		} else {
			want = countCDXXML(t, data)
		}
		if len(d.Components) != want {
			t.Errorf("%s: %d components, the file has %d", f, len(d.Components), want)
		}
		total++
	}
	t.Logf("%d valid CycloneDX examples parsed", total)
}

// TestCycloneDXInvalidExamples checks that every invalid example of the
// specification 1.2-1.6 is flagged: an error, or at least one warning (and
// then an ErrStrict error under Strict). Never a panic.
func TestCycloneDXInvalidExamples(t *testing.T) {
	for _, f := range cdxExamples(t, "invalid-") {
		if strings.Contains(f, "/1.7/") {
			continue // 1.7 is read leniently; its invalid set is not a target
		}
		d, err := ParseFile(f)
		if err == nil && len(d.Warnings) == 0 {
			t.Errorf("%s: parsed with no warning", f)
			continue
		}
		_, serr := Options{Strict: true}.ParseFile(f)
		if serr == nil {
			t.Errorf("%s: no error under Strict", f)
		}
		var pe *ParseError
		if !errors.As(serr, &pe) || pe.Path != f {
			t.Errorf("%s: strict error %v does not name the file", f, serr)
		}
	}
}

// TestCycloneDXDevice checks device identity and component fields on real
// device SBOMs.
func TestCycloneDXDevice(t *testing.T) {
	dev := filepath.Join(sharedRoot(t), "sboms", "device")
	tests := []struct {
		file, name, version, manufacturer, source string
		components                                int
		check                                     func(t *testing.T, d *Device)
	}{
		{
			file: "st-stm32cube-h7/sbom_cdx.json", name: "STM32CubeH7", version: "1.12.1",
			manufacturer: "ST Microelectronics", source: "metadata.component", components: 116,
			check: func(t *testing.T, d *Device) {
				c := findComponent(d, "mbed TLS")
				if c == nil || c.Version == "" || len(c.CPEs) == 0 {
					t.Errorf("mbed TLS with version and CPE not found: %+v", c)
				}
			},
		},
		{
			// No metadata.component: the single top-level device
			// component stands for the device and stays a component.
			file: "cybeats-iot-device/iot-device.cyclonedx.json", name: "iot-device", version: "1",
			source: "top-level component", components: 318,
			check: func(t *testing.T, d *Device) {
				k := findComponent(d, "kernel")
				if k == nil || k.Version != "4.9.35-v7+" || k.Type != "operating-system" || k.Parent != "iot-device" {
					t.Errorf("kernel: %+v", k)
				}
				g := findComponent(d, "libc-2.19.so")
				if g == nil || len(g.CPEs) != 1 || g.CPEs[0] != "cpe:/a:gnu:glibc:2.19" {
					t.Errorf("glibc: %+v", g)
				}
			},
		},
		{
			file: "hbom-pcie-sata-adapter/bom.json", name: "pcie-sata-adaptor-board", version: "rev-1",
			source: "metadata.component", components: 6,
			check: func(t *testing.T, d *Device) {
				c := findComponent(d, "PCIE-098-02-F-D-EMS2")
				if c == nil || c.Supplier != "Samtec" || c.Type != "device" {
					t.Errorf("connector: %+v", c)
				}
			},
		},
		{
			file: "nerves-firmware-sfractal/blinky.env.hex.bom.xml", components: 38, name: "blinky.env.hex.bom", source: "file name",
			check: func(t *testing.T, d *Device) {
				if d.SpecVersion != "1.1" || d.Format != CycloneDXXML {
					t.Errorf("format %s %s", d.Format, d.SpecVersion)
				}
				n := 0
				for _, c := range d.Components {
					if strings.HasPrefix(c.PURL, "pkg:hex/") && len(c.Hashes) > 0 && c.Hashes[0].Algorithm == "SHA-256" {
						n++
					}
				}
				if n != 38 {
					t.Errorf("%d hex components with SHA-256, want 38", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := ParseFile(filepath.Join(dev, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if d.Name != tt.name || d.Version != tt.version || d.Manufacturer != tt.manufacturer || d.DeviceSource != tt.source {
				t.Errorf("device %q %q by %q from %q; want %q %q by %q from %q", d.Name, d.Version, d.Manufacturer, d.DeviceSource, tt.name, tt.version, tt.manufacturer, tt.source)
			}
			if len(d.Components) != tt.components {
				t.Errorf("%d components, want %d", len(d.Components), tt.components)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func findComponent(d *Device, name string) *Component {
	for _, c := range d.Components {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestCycloneDXSerialisationsAgree reads the same product from CycloneDX
// JSON and XML and expects the same components.
func TestCycloneDXSerialisationsAgree(t *testing.T) {
	sw := filepath.Join(sharedRoot(t), "sboms", "software")
	for _, pair := range [][2]string{
		{"proton-bridge-v1.6.3/bom.json", "proton-bridge-v1.6.3/bom.xml"},
		{"gin-plugfest2024-syft/cyclonedx-json.json", "gin-plugfest2024-syft/cyclonedx-xml.xml"},
	} {
		a, err := ParseFile(filepath.Join(sw, pair[0]))
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseFile(filepath.Join(sw, pair[1]))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Components) != len(b.Components) || len(a.Components) == 0 {
			t.Fatalf("%s: %d vs %d components", pair[0], len(a.Components), len(b.Components))
		}
		for i := range a.Components {
			ca, cb := a.Components[i], b.Components[i]
			if ca.Name != cb.Name || ca.Version != cb.Version || ca.PURL != cb.PURL || strings.Join(ca.CPEs, " ") != strings.Join(cb.CPEs, " ") {
				t.Errorf("%s component %d: %+v vs %+v", pair[0], i, ca, cb)
			}
		}
		if a.Name != b.Name || a.Version != b.Version || len(a.Dependencies) != len(b.Dependencies) {
			t.Errorf("%s: device %q %q deps %d vs %q %q deps %d", pair[0], a.Name, a.Version, len(a.Dependencies), b.Name, b.Version, len(b.Dependencies))
		}
	}
}

// propNameSlow is propName as it was written first: the rule itself.
func propNameSlow(n string) string {
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(n))
}

// TestPropName holds propName, which lower-cases ASCII in place, to the
// rule (lower case, then "-", "_" and " " removed), non-ASCII names
// included (the Kelvin sign lower-cases to an ASCII k).
func TestPropName(t *testing.T) {
	for _, n := range []string{"", "cdx:lifecycle:milestone:endOfSupport", "End-Of_Life", " EOL ", "model", "Part Number",
		"\u212aelvin", "ÉNDOFSUPPORT", "a-b_c d\te", strings.Repeat("Model-", 30), "\xff-X"} {
		if got, want := string(propName(n, nil)), propNameSlow(n); got != want {
			t.Errorf("propName(%q) = %q, want %q", n, got, want)
		}
	}
}

// FuzzPropName holds propName to the rule on any name.
func FuzzPropName(f *testing.F) {
	f.Add("cdx:lifecycle:milestone:endOfSupport")
	f.Add("\u212a-É_x")
	f.Fuzz(func(t *testing.T, n string) {
		var buf [8]byte
		if got, want := string(propName(n, buf[:0])), propNameSlow(n); got != want {
			t.Fatalf("propName(%q) = %q, want %q", n, got, want)
		}
	})
}
