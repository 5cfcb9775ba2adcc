package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
)

// TestJSONEncodeError: a device whose findings cannot be encoded (a NaN
// score) makes JSON fail with an error naming that device, while the
// devices before it are being written (run with -race: the error used to
// be stored by a worker while the writer read it).
func TestJSONEncodeError(t *testing.T) {
	for _, bad := range []int{0, 7, 199} {
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
