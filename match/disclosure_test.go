package match

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bomrank/bomrank/sbom"
)

// DeviceNamer compares an MDS2 form's manufacturer and model with the
// fleet's devices as CSAF products are compared: legal suffixes, case and
// punctuation folded, the model a run of the name's words (exact only for
// the whole name or a model number), never by model alone.
func TestDeviceNamer(t *testing.T) {
	sr := sbom.Load(context.Background(), filepath.Join("..", "testdata", "fleet"))
	devs := map[string]*sbom.Device{}
	for _, d := range sr.Devices {
		devs[d.Name] = d
	}
	for _, c := range []struct {
		device, manufacturer, model string
		ok, exact                   bool
	}{
		{"VitaFlow 3000", "Acme Medical Inc.", "VitaFlow 3000", true, true},
		{"VitaFlow 3000", "ACME MEDICAL", "vitaflow-3000", true, true},
		{"VitaFlow 3000", "Acme Medical Inc.", "VF-3000", true, true}, // the model number
		{"VitaFlow 3000", "Acme Medical Inc.", "VitaFlow", true, false},
		{"VitaFlow 3000", "Acme Medical Inc.", "VitaFlow 3000 Plus", true, false}, // the device's name, of two words, within the form's
		{"VitaFlow 3000", "Acme Medical Inc.", "VitaFlow 4000", false, false},
		{"VitaFlow 3000", "Acme Medical Inc.", "", false, false},
		{"VitaFlow 3000", "Nordlicht Medizintechnik GmbH", "VitaFlow 3000", false, false},
		{"VitaFlow 3000", "", "VitaFlow 3000", false, false},
		{"CardioSense X2", "Nordlicht Medizintechnik", "CardioSense X2", true, true},
		{"RadiView Workstation", "Helix Imaging Oy", "RadiView Workstation", true, true},
		{"RadiView Workstation", "Helix Imaging", "RadiView", true, false},
		{"AeroCare V5", "Brightwater Respiratory Ltd", "AeroCare V5", true, true},
		{"GlucoMet G7", "Meridian Diagnostics Inc.", "GlucoMet G7", true, true},
		{"Bedside Hub", "Acme Medical Inc.", "Bedside Hub", true, true},
		{"Bedside Hub", "Acme Medical Inc.", "VitaFlow 3000", false, false},
	} {
		d := devs[c.device]
		if d == nil {
			t.Fatalf("no device %q in the fleet", c.device)
		}
		ok, exact := DeviceNamer(d)(c.manufacturer, c.model)
		if ok != c.ok || exact != c.exact {
			t.Errorf("%s: %q %q: %v %v, want %v %v", c.device, c.manufacturer, c.model, ok, exact, c.ok, c.exact)
		}
	}
}
