package match_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// assertPlanSameFindings: Scan through a database works out the OSV
// verdicts of the whole fleet package by package before matching the
// devices (match/grouped.go); each device's findings must be those
// Matcher.Device gives it, which matches its components one after the
// other without the plan. The fleet is devs three times over, so that
// every package is met again in other devices (the plan's reuse of a
// package's candidates).
func assertPlanSameFindings(t *testing.T, ix index.Reader, devs []*sbom.Device) {
	t.Helper()
	var fleet []*sbom.Device
	for range 3 {
		fleet = append(fleet, devs...)
	}
	for _, workers := range []int{1, 3} {
		res, failed, err := (&match.Matcher{Index: ix, Workers: workers}).Scan(context.Background(), fleet)
		if err != nil || len(failed) > 0 || len(res) != len(fleet) {
			t.Fatalf("Scan: %v, %d failed, %d results", err, len(failed), len(res))
		}
		ref := &match.Matcher{Index: ix}
		n := 0
		for i, d := range fleet {
			want := ref.Device(d)
			n += len(want)
			if !reflect.DeepEqual(res[i].Findings, want) {
				t.Fatalf("workers %d: device %d (%s): Scan's findings differ from Device's:\n got %s\nwant %s", workers, i, d.Path,
					describe(res[i].Findings), describe(want))
			}
		}
		if n == 0 {
			t.Fatal("no findings: the comparison proves nothing")
		}
	}
}

func TestPlanSameFindings(t *testing.T) {
	advs, devs := candidatesFixture()
	assertPlanSameFindings(t, openDB(t, advs), devs)
}

func TestPlanSameFindingsShared(t *testing.T) {
	advs, devs := sharedSlice(t)
	assertPlanSameFindings(t, openDB(t, advs), devs)
}

// TestPlanVersionsOfOnePackage: many devices naming one package at
// versions on either side of its ranges' events (the plan evaluates them
// one after the other against the same candidates), and a component
// without a version.
func TestPlanVersionsOfOnePackage(t *testing.T) {
	rng := func(intro, fixed string) []advisory.Range {
		return []advisory.Range{{Type: "SEMVER", Events: []advisory.Event{{Introduced: intro}, {Fixed: fixed}}}}
	}
	var advs []*advisory.Advisory
	for i, r := range [][2]string{{"0", "1.2.0"}, {"1.1.0", "1.5.0"}, {"2.0.0", "2.0.1"}} {
		id := "GHSA-" + string(rune('a'+i))
		advs = append(advs, &advisory.Advisory{ID: id, Aliases: []string{"CVE-2024-000" + string(rune('1'+i))}, Format: advisory.FormatOSV,
			Affected: []advisory.Affected{{Ecosystem: "npm", Name: "one", Ranges: rng(r[0], r[1])}}})
	}
	var devs []*sbom.Device
	for i, v := range []string{"1.0.0", "1.1.0", "1.2.0", "", "1.4.9", "2.0.0", "2.0.1", "0.1.0", "1.1.0"} {
		p := "pkg:npm/one"
		if v != "" {
			p += "@" + v
		}
		devs = append(devs, &sbom.Device{Path: "dev" + string(rune('a'+i)), Components: []*sbom.Component{{Name: "one", Version: v, PURL: p}}})
	}
	assertPlanSameFindings(t, openDB(t, advs), devs)
}

// panickyDB is a database whose entry lookups of one package panic, as a
// defective index might.
type panickyDB struct {
	*db.DB
	name string
}

func (p panickyDB) PackageEntries(dst []int, eco, name string) []int {
	if name == p.name {
		panic("corrupt entry for " + name)
	}
	return p.DB.PackageEntries(dst, eco, name)
}

// A panic while the plan is worked out (grouped.go) names the device of
// the component and leaves that device out; the others are matched, their
// findings those of Device.
func TestPlanDevicePanic(t *testing.T) {
	advs, devs := candidatesFixture()
	bad := &sbom.Device{Path: "bad.cdx.json", Component: sbom.Component{Name: "bad"}, Components: []*sbom.Component{
		{Name: "left-pad", Version: "1.0.0", PURL: "pkg:npm/left-pad@1.0.0"},
		{Name: "bad-pkg", Version: "1.0.0", PURL: "pkg:npm/bad-pkg@1.0.0"},
	}}
	fleet := append(append([]*sbom.Device{bad}, devs...), bad)
	ix := panickyDB{openDB(t, advs), "bad-pkg"}
	res, failed, err := (&match.Matcher{Index: ix, Workers: 2}).Scan(context.Background(), fleet)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 2 || failed[0].Path != "bad.cdx.json" || failed[1].Path != "bad.cdx.json" || len(res) != len(devs) {
		t.Fatalf("failed %v, %d results: want the two bad devices failed and %d results", failed, len(res), len(devs))
	}
	var pe *pool.PanicError
	if !errors.As(failed[0], &pe) || !strings.Contains(failed[0].Error(), "internal error (panic): corrupt entry for bad-pkg") {
		t.Errorf("error %q", failed[0])
	}
	ref := &match.Matcher{Index: ix}
	for i, d := range devs {
		if want := ref.Device(d); res[i].ID != d.Path || !reflect.DeepEqual(res[i].Findings, want) {
			t.Fatalf("device %s: findings differ from Device's:\n got %s\nwant %s", d.Path, describe(res[i].Findings), describe(want))
		}
	}
}
