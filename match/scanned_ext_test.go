package match_test

import (
	"context"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// scanned runs m.Scan; it panics on an error (the examples have no
// *testing.T).
func scanned(m *match.Matcher, ctx context.Context, devs []*sbom.Device) []*match.DeviceResult {
	res, failed, err := m.Scan(ctx, devs)
	if err != nil || len(failed) > 0 {
		panic(err)
	}
	return res
}
