package match

import (
	"context"
	"testing"

	"github.com/bomrank/bomrank/sbom"
)

// scanned runs m.Scan and fails the test on an error or a failed device.
func scanned(t testing.TB, m *Matcher, ctx context.Context, devs []*sbom.Device) []*DeviceResult {
	t.Helper()
	res, failed, err := m.Scan(ctx, devs)
	if err != nil || len(failed) > 0 {
		t.Fatalf("scan: %v %v", err, failed)
	}
	return res
}
