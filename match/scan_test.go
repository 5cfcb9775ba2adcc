package match

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/sbom"
)

// panicky is an index whose lookups of one package panic, as a defective
// index implementation (a corrupt compiled database, say) might.
type panicky struct {
	index.Reader
	name string
}

func (p panicky) Packages(eco, name string) []index.Entry {
	if name == p.name {
		panic("corrupt entry for " + name)
	}
	return p.Reader.Packages(eco, name)
}

func scanFixture() ([]*sbom.Device, index.Reader) {
	rec := &advisory.Advisory{ID: "GHSA-1", Format: advisory.FormatOSV, Affected: []advisory.Affected{{
		Ecosystem: "npm", Name: "left-pad",
		Ranges: []advisory.Range{{Type: "SEMVER", Events: []advisory.Event{{Introduced: "0"}, {Fixed: "2.0.0"}}}},
	}}}
	dev := func(path, pkg string) *sbom.Device {
		return &sbom.Device{Path: path, Component: sbom.Component{Name: path}, Components: []*sbom.Component{
			{Name: pkg, Version: "1.0.0", PURL: "pkg:npm/" + pkg + "@1.0.0"},
		}}
	}
	devs := []*sbom.Device{dev("a.cdx.json", "left-pad"), dev("b.cdx.json", "bad-pkg"), dev("c.cdx.json", "left-pad")}
	return devs, index.New([]*advisory.Advisory{rec})
}

// A panic while matching one device names that device and leaves it out;
// the others are matched.
func TestScanDevicePanic(t *testing.T) {
	devs, ix := scanFixture()
	m := &Matcher{Index: panicky{ix, "bad-pkg"}, Workers: 2}
	res, failed, err := m.Scan(context.Background(), devs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].ID != "a.cdx.json" || res[1].ID != "c.cdx.json" {
		t.Fatalf("results %v, want a and c in input order", res)
	}
	for _, r := range res {
		if r.Affected() != 1 {
			t.Errorf("%s: %d affected, want 1", r.ID, r.Affected())
		}
	}
	if len(failed) != 1 || failed[0].Path != "b.cdx.json" {
		t.Fatalf("failed %v, want b.cdx.json", failed)
	}
	var pe *pool.PanicError
	if !errors.As(failed[0], &pe) || !strings.Contains(failed[0].Error(), `b.cdx.json: matching device "b.cdx.json" failed: internal error (panic): corrupt entry for bad-pkg`) {
		t.Errorf("error %q", failed[0])
	}
}

// A cancelled scan returns the context's error and no results.
func TestScanCancelled(t *testing.T) {
	devs, ix := scanFixture()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, failed, err := (&Matcher{Index: ix}).Scan(ctx, devs)
	if !errors.Is(err, context.Canceled) || res != nil || failed != nil {
		t.Fatalf("got %v %v %v, want only context.Canceled", res, failed, err)
	}
}
