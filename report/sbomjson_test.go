package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/bomrank/bomrank/sbom"
)

// sbomJSONWhole is how SBOMJSON wrote the listing before it streamed
// it: the reference for its bytes.
func sbomJSONWhole(w io.Writer, res *sbom.Result) error {
	out := sbomListJSON{Devices: []sbomDeviceJSON{}, Errors: errorsJSON(res.Errors), Ignored: errorsJSON(res.Ignored)}
	for _, d := range res.Devices {
		dj := toSBOMDeviceJSON(d)
		for _, c := range d.Components {
			dj.Components = append(dj.Components, toSBOMComponentJSON(c))
		}
		out.Devices = append(out.Devices, dj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// TestSBOMJSONStream: the listing written a component at a time is
// byte for byte the listing encoded whole, for the sample fleet, the
// shared SBOMs (when present), no devices, and a device without
// components whose text holds the key the writer looks for.
func TestSBOMJSONStream(t *testing.T) {
	fleet := sbom.Load(context.Background(), "../testdata/fleet")
	odd := &sbom.Device{Path: "odd.json", Format: sbom.CycloneDXJSON}
	odd.Name = "\n      \"components\": []"
	odd.Warnings = []sbom.Warning{{Rule: "r", Message: "m"}}
	withErr := &sbom.Result{Devices: []*sbom.Device{odd}, Errors: []*sbom.ParseError{{Path: "bad.json", Err: errors.New("broken")}}}
	cases := map[string]*sbom.Result{"fleet": fleet, "empty": {}, "odd": withErr}
	if _, err := os.Stat("../../shared/sboms"); err == nil {
		cases["shared"] = sbom.Load(context.Background(), "../../shared/sboms")
	}
	for name, res := range cases {
		var got, want bytes.Buffer
		if err := SBOMJSON(&got, res); err != nil {
			t.Fatal(err)
		}
		sbomJSONWhole(&want, res)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: streamed listing differs from the whole one\ngot  %.400s\nwant %.400s", name, got.Bytes(), want.Bytes())
		}
		if name == "fleet" && len(fleet.Devices) < 5 {
			t.Errorf("fleet: %d devices", len(fleet.Devices))
		}
	}
}

// TestSBOMJSONMemory (issue 14): the listing of 250,000 components in
// each of four devices (what sbom.Load keeps of SBOMs near its
// MaxKeptBytes cap) costs little beyond the devices: written whole, the
// JSON values and the encoder's buffer took about 1 GB, 300 MB more than now
// (measured: 946 MiB peak before, 511-533 MiB now).
func TestSBOMJSONMemory(t *testing.T) {
	if boundtest.Child() {
		res := &sbom.Result{}
		for d := range 4 {
			dev := &sbom.Device{Path: fmt.Sprintf("d%d.cdx.json", d), Format: sbom.CycloneDXJSON}
			for i := range 250_000 {
				n := strconv.Itoa(i)
				dev.Components = append(dev.Components, &sbom.Component{Name: "c" + n, Version: "1.0", PURL: "pkg:npm/c" + n + "@1.0"})
			}
			res.Devices = append(res.Devices, dev)
		}
		if err := SBOMJSON(io.Discard, res); err != nil {
			t.Fatal(err)
		}
		return
	}
	if testing.Short() || boundtest.Race {
		t.Skip("1.2 million components; skipped with -short and under the race detector")
	}
	peak, over := boundtest.PeakOf(t, 3<<30)
	t.Logf("peak RSS %d MiB", peak>>20)
	if over || peak > 680<<20 {
		t.Errorf("peak RSS %d MiB writing the listing of a million components, want < 680 MiB", peak>>20)
	}
}
