package match_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// readerOnly hides every method of an index but those of index.Reader:
// the matcher then looks entries up with Packages and PackageURL, each
// with its record, as it does for an index that is not an
// index.Candidates (the reference the candidates path is held to).
type readerOnly struct{ index.Reader }

// candidatesFixture is a set of records and a fleet that meet every case
// of osvHits: an entry found by its ecosystem package and by its purl (one
// source), an entry named by purl alone with no ecosystem (compiled for
// each component's; one with a version list), an entry whose purl names
// another package than its ecosystem name (found only by purl), a package
// found by purl alone (no entry under its ecosystem name), a range of an
// unknown type, releases of one ecosystem, explicit versions, a record
// naming no CVE (joined through an alias), a record naming two CVEs, a
// component without a version.
func candidatesFixture() ([]*advisory.Advisory, []*sbom.Device) {
	semver := func(intro, fixed string) []advisory.Range {
		return []advisory.Range{{Type: "SEMVER", Events: []advisory.Event{{Introduced: intro}, {Fixed: fixed}}}}
	}
	eco := func(intro, fixed string) []advisory.Range {
		return []advisory.Range{{Type: "ECOSYSTEM", Events: []advisory.Event{{Introduced: intro}, {Fixed: fixed}}}}
	}
	rec := func(id string, aliases []string, affs ...advisory.Affected) *advisory.Advisory {
		return &advisory.Advisory{ID: id, Aliases: aliases, Format: advisory.FormatOSV, Summary: id + " summary",
			Severity: []advisory.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
			Affected: affs}
	}
	advs := []*advisory.Advisory{
		rec("GHSA-both", []string{"CVE-2024-0001"},
			advisory.Affected{Ecosystem: "npm", Name: "left-pad", PURL: "pkg:npm/left-pad", Ranges: semver("0", "1.3.0")}),
		rec("GHSA-purl-only", []string{"CVE-2024-0002"},
			advisory.Affected{PURL: "pkg:npm/left-pad", Ranges: eco("1.0.0", "2.0.0")}),
		rec("GHSA-other-name", []string{"CVE-2024-0003"},
			advisory.Affected{Ecosystem: "npm", Name: "right-pad", PURL: "pkg:npm/left-pad", Ranges: semver("1.1.0", "1.2.5")}),
		rec("GHSA-calver", []string{"CVE-2024-0008"},
			advisory.Affected{Ecosystem: "npm", Name: "left-pad", Ranges: []advisory.Range{{Type: "CALVER", Events: []advisory.Event{{Introduced: "0"}}}}},
			advisory.Affected{PURL: "pkg:npm/left-pad", Versions: []string{"1.9.0"}}),
		rec("GHSA-purl-alone", []string{"CVE-2024-0007"},
			advisory.Affected{PURL: "pkg:npm/center-pad", Ranges: eco("0", "1.0.1")}),
		rec("GHSA-no-cve", []string{"PYSEC-2024-1"},
			advisory.Affected{Ecosystem: "PyPI", Name: "Foo_Bar", Versions: []string{"2.0", "2.1"}}),
		rec("PYSEC-2024-1", nil,
			advisory.Affected{Ecosystem: "PyPI", Name: "foo-bar", Ranges: eco("0", "3.0")}),
		rec("GO-2024-0001", []string{"CVE-2024-0004", "CVE-2024-0005"},
			advisory.Affected{Ecosystem: "Go", Name: "example.com/mod", Ranges: semver("0", "1.4.0")}),
		rec("DSA-1", []string{"CVE-2024-0006"},
			advisory.Affected{Ecosystem: "Debian:11", Name: "openssl", Ranges: eco("0", "1.1.1w-0+deb11u1")},
			advisory.Affected{Ecosystem: "Debian:12", Name: "openssl", Ranges: eco("0", "3.0.11-1~deb12u1")}),
	}
	comps := []*sbom.Component{
		{Name: "left-pad", Version: "1.2.0", PURL: "pkg:npm/left-pad@1.2.0"},
		{Name: "left-pad", Version: "1.9.0", PURL: "pkg:npm/left-pad@1.9.0"},
		{Name: "left-pad", PURL: "pkg:npm/left-pad"},
		{Name: "right-pad", Version: "1.2.0", PURL: "pkg:npm/right-pad@1.2.0"},
		{Name: "center-pad", Version: "1.0.0", PURL: "pkg:npm/center-pad@1.0.0"},
		{Name: "Foo_Bar", Version: "2.1", PURL: "pkg:pypi/foo-bar@2.1"},
		{Name: "foo-bar", Version: "2.5", PURL: "pkg:pypi/foo_bar@2.5"},
		{Name: "mod", Version: "v1.3.0", PURL: "pkg:golang/example.com/mod@v1.3.0"},
		{Name: "openssl", Version: "1.1.1n-0+deb11u4", PURL: "pkg:deb/debian/openssl@1.1.1n-0+deb11u4?distro=debian-11"},
		{Name: "openssl", Version: "3.0.9-1", PURL: "pkg:deb/debian/openssl@3.0.9-1"},
	}
	var devs []*sbom.Device
	for i := range 12 {
		d := &sbom.Device{Path: fmt.Sprintf("dev%d.cdx.json", i), Component: sbom.Component{Name: fmt.Sprintf("dev%d", i)}}
		for j, c := range comps {
			if (i+j)%3 != 0 {
				cc := *c
				d.Components = append(d.Components, &cc)
			}
		}
		devs = append(devs, d)
	}
	return advs, devs
}

// decoded returns ix written in its binary form and read back: an index
// that decodes its entries and records on demand, as a database's.
func decoded(t testing.TB, ix *index.Memory) *index.Memory {
	t.Helper()
	data, err := ix.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	dx, err := index.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return dx
}

// assertSameScan scans devs through each index and checks that every
// scan gives the findings of the first.
func assertSameScan(t *testing.T, devs []*sbom.Device, names []string, ixs ...index.Reader) {
	t.Helper()
	ctx := context.Background()
	want := scanned(&match.Matcher{Index: ixs[0], Workers: 1}, ctx, devs)
	n := 0
	for _, r := range want {
		n += len(r.Findings)
	}
	if n == 0 {
		t.Fatal("no findings: the comparison proves nothing")
	}
	for i, ix := range ixs[1:] {
		got := scanned(&match.Matcher{Index: ix, Workers: 4}, ctx, devs)
		for j := range want {
			if !reflect.DeepEqual(got[j].Findings, want[j].Findings) {
				t.Fatalf("%s: device %s: findings differ from %s:\n got %s\nwant %s", names[i+1], want[j].ID, names[0],
					describe(got[j].Findings), describe(want[j].Findings))
			}
		}
	}
}

func describe(fs []*match.Finding) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf("\n  %s %s %s %v %v %v %q", f.Component.PURL, f.ID, f.Status, f.Aliases, f.Fixed, f.Sources, f.Reason)
	}
	return s
}

// TestCandidatesSameFindings: matching through index.Candidates (the
// entries by number, each compiled once a scan from its affected package
// decoded into a scratch, in an index built by New and in one read back
// from its binary form) gives the findings of matching through Packages
// and PackageURL.
func TestCandidatesSameFindings(t *testing.T) {
	advs, devs := candidatesFixture()
	ix := index.New(advs)
	if !ix.Contents().PURLs {
		t.Fatal("the fixture has no purl entries")
	}
	assertSameScan(t, devs, []string{"Reader", "Candidates (New)", "Candidates (decoded)"},
		readerOnly{ix}, ix, decoded(t, ix))
}

// TestOSVPurlAlone: a component whose package has entries by purl only
// (none under its ecosystem name) gets their findings, whichever way the
// index is read. (The dedupe of entries found both ways wrote to a nil
// map there, and the device failed.)
func TestOSVPurlAlone(t *testing.T) {
	advs, _ := candidatesFixture()
	ix := index.New(advs)
	c := &sbom.Component{Name: "center-pad", Version: "1.0.0", PURL: "pkg:npm/center-pad@1.0.0"}
	for _, r := range []index.Reader{readerOnly{ix}, ix, decoded(t, ix)} {
		dev := &sbom.Device{Path: "d.cdx.json", Components: []*sbom.Component{c}}
		res, failed, err := (&match.Matcher{Index: r}).Scan(context.Background(), []*sbom.Device{dev})
		if err != nil || len(failed) > 0 {
			t.Fatalf("%T: %v %v", r, err, failed)
		}
		if fs := res[0].Findings; len(fs) != 1 || fs[0].ID != "CVE-2024-0007" || fs[0].Sources[0].Match != "purl" {
			t.Fatalf("%T: findings %s, want CVE-2024-0007 by purl", r, describe(fs))
		}
	}
}

// TestCandidatesSameFindingsShared is TestCandidatesSameFindings on the
// real OSV slice and software SBOMs of the shared folder.
func TestCandidatesSameFindingsShared(t *testing.T) {
	advs, devs := sharedSlice(t)
	ix := index.New(advs)
	assertSameScan(t, devs, []string{"Reader", "Candidates (New)", "Candidates (decoded)"},
		readerOnly{ix}, ix, decoded(t, ix))
}

// sharedSlice returns the advisories of the shared folder's OSV slice and
// the devices of its software SBOMs, failing t when either is empty.
func sharedSlice(t *testing.T) ([]*advisory.Advisory, []*sbom.Device) {
	t.Helper()
	shared := sharedtest.Dir(t)
	ctx := context.Background()
	ares := advisory.Load(ctx, filepath.Join(shared, "osv", "slice"))
	sres := sbom.Load(ctx, filepath.Join(shared, "sboms", "software"))
	if len(ares.Advisories) == 0 || len(sres.Devices) == 0 {
		t.Fatalf("%d advisories, %d devices", len(ares.Advisories), len(sres.Devices))
	}
	return ares.Advisories, sres.Devices
}

// TestCandidatesConcurrent: scans sharing one decoded index (each entry
// and record decoded by whichever goroutine meets it first), several at
// once and each over several workers, give the findings of one scan on
// one worker. Run under -race.
func TestCandidatesConcurrent(t *testing.T) {
	advs, devs := candidatesFixture()
	ix := index.New(advs)
	dx := decoded(t, ix)
	ctx := context.Background()
	want := scanned(&match.Matcher{Index: readerOnly{ix}, Workers: 1}, ctx, devs)
	var wg sync.WaitGroup
	results := make([][]*match.DeviceResult, 4)
	for i := range results {
		wg.Go(func() {
			results[i] = scanned(&match.Matcher{Index: dx, Workers: 4}, ctx, devs)
		})
	}
	wg.Wait()
	for i, got := range results {
		for j := range want {
			if !reflect.DeepEqual(got[j].Findings, want[j].Findings) {
				t.Fatalf("scan %d: device %s: findings differ:\n got %s\nwant %s", i, want[j].ID, describe(got[j].Findings), describe(want[j].Findings))
			}
		}
	}
}
