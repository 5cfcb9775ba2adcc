package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/match"
)

// TestJSONEncodeError: a device whose findings cannot be encoded (a NaN
// score) makes JSON fail with an error naming that device, while the
// devices before it are being written (run with -race: the error used to
// be stored by a worker while the writer read it).
func TestJSONEncodeError(t *testing.T) {
	for _, bad := range []int{0, 7, 20, 199} {
		s := benchScan()
		r := s.Results[bad]
		f := *r.Findings[0]
		f.EPSS = &advisory.EPSS{Score: math.NaN()}
		r.Findings = append([]*match.Finding{&f}, r.Findings[1:]...)
		var out bytes.Buffer
		err := JSON(&out, s)
		if err == nil {
			t.Fatalf("device %d: a NaN score encoded without an error", bad)
		}
		if !strings.Contains(err.Error(), r.ID) {
			t.Errorf("device %d: error %q does not name the device %s", bad, err, r.ID)
		}
	}
}

// TestScanJSONIsTheContract: scanJSON is the shape JSON writes. Every JSON
// golden file decodes into it with no unknown field, and encodes back
// from it to the same bytes, so a field written by JSON but missing from
// scanJSON (or declared there but not written, or in another order)
// fails here.
func TestScanJSONIsTheContract(t *testing.T) {
	for _, name := range []string{"testdata/statuses.json.golden", "testdata/disclosed.json.golden", "../cmd/bomrank/testdata/scan-fleet.golden.json",
		"../cmd/bomrank/testdata/scan-mds2.json.golden"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var v scanJSON
		if err := dec.Decode(&v); err != nil {
			t.Errorf("%s does not decode into scanJSON: %v", name, err)
			continue
		}
		if len(v.Devices) == 0 || len(v.Devices[0].Findings) == 0 {
			t.Errorf("%s: no device with findings", name)
		}
		got, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if got = append(got, '\n'); !bytes.Equal(got, data) {
			t.Errorf("%s: scanJSON encodes to other bytes than JSON wrote:\n%s", name, got)
		}
	}
}

// TestJSONDevicePanic: a panic while encoding one device (here a result
// without its device) is an error naming that device, not a crash.
func TestJSONDevicePanic(t *testing.T) {
	s := benchScan()
	s.Results[3].Device = nil
	err := JSON(io.Discard, s)
	var pe *pool.PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), s.Results[3].ID) {
		t.Fatalf("error %v, want a *pool.PanicError naming %s", err, s.Results[3].ID)
	}
}
