package index

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/purl"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ eco, name, want string }{
		{"PyPI", "Django_Rest.Framework", "django-rest-framework"},
		{"pypi", "  zope.interface ", "zope-interface"},
		{"PyPI", "a--_.b", "a-b"},
		{"PyPI", "requests", "requests"},
		{"npm", "JSONStream", "jsonstream"},
		{"npm", "@Angular/Core", "@angular/core"},
		{"Go", "github.com/Sirupsen/logrus", "github.com/sirupsen/logrus"},
		{"crates.io", "Serde_JSON", "serde-json"},
		{"Packagist", "Symfony/HTTP-Kernel", "symfony/http-kernel"},
		{"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
		{"GitHub Actions", "Actions/Checkout", "actions/checkout"},
		{"Maven", "org.Apache.Logging:Log4j-Core", "org.Apache.Logging:Log4j-Core"},
		{"RubyGems", "Rack", "Rack"},
		{"Debian:11", "NetworkManager", "NetworkManager"},
		{"Red Hat:enterprise_linux:8", "NetworkManager", "NetworkManager"},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.eco, tt.name); got != tt.want {
			t.Errorf("NormalizeName(%q, %q) = %q, want %q", tt.eco, tt.name, got, tt.want)
		}
	}
}

func entryIDs(es []Entry) []string {
	var ids []string
	for _, e := range es {
		ids = append(ids, e.Advisory.ID+"/"+e.Affected.Ecosystem)
	}
	return ids
}

func TestIndex(t *testing.T) {
	aff := func(eco, name, purl string) advisory.Affected {
		return advisory.Affected{Ecosystem: eco, Name: name, PURL: purl}
	}
	advs := []*advisory.Advisory{
		{ID: "PYSEC-2", Modified: "2024-01-01T00:00:00Z", Aliases: []string{"CVE-2024-2"}, Affected: []advisory.Affected{aff("PyPI", "Django_Rest", "pkg:pypi/django-rest")}},
		{ID: "GHSA-aaaa", Aliases: []string{"CVE-2024-2", "CVE-2024-1"}, Affected: []advisory.Affected{aff("PyPI", "django.rest", "")}},
		{ID: "DSA-1", Affected: []advisory.Affected{aff("Debian:11", "openssl", "pkg:deb/debian/openssl?arch=source"), aff("Debian:12", "openssl", "pkg:deb/debian/openssl?arch=source")}},
		{ID: "DEBIAN-CVE-2", Affected: []advisory.Affected{aff("Debian", "openssl", "")}},
		{ID: "UBUNTU-1", Affected: []advisory.Affected{aff("Ubuntu:22.04:LTS", "openssl", "")}},
		{ID: "GO-2026-4923", Withdrawn: "2026-04-08T13:33:56Z", Aliases: []string{"CVE-2026-33817"}, Affected: []advisory.Affected{aff("Go", "go.etcd.io/bbolt", "")}},
		{ID: "GO-1", Aliases: []string{"GHSA-bbbb"}, Affected: []advisory.Affected{aff("Go", "github.com/Gin-Gonic/gin", "")}},
		{ID: "GHSA-bbbb", Affected: []advisory.Affected{aff("Go", "github.com/gin-gonic/gin", "pkg:golang/github.com/gin-gonic/gin")}},
		// An older copy of PYSEC-2, from another source: the newer one wins.
		{ID: "PYSEC-2", Modified: "2023-01-01T00:00:00Z", Source: "old", Affected: []advisory.Affected{aff("PyPI", "other", "")}},
		// A newer, withdrawn copy of GO-9 hides the older one.
		{ID: "GO-9", Modified: "2024-01-01T00:00:00Z", Affected: []advisory.Affected{aff("Go", "m", "")}},
		{ID: "GO-9", Modified: "2025-01-01T00:00:00Z", Withdrawn: "2025-01-01T00:00:00Z", Affected: []advisory.Affected{aff("Go", "m", "")}},
	}
	ix := New(advs)
	if ix.Len() != 7 {
		t.Errorf("Len %d, want 7", ix.Len())
	}
	check := func(what string, got []Entry, want ...string) {
		t.Helper()
		if g := entryIDs(got); !reflect.DeepEqual(g, want) && !(len(g) == 0 && len(want) == 0) {
			t.Errorf("%s = %q, want %q", what, g, want)
		}
	}
	check("PyPI Django-REST", ix.Packages("PyPI", "Django-REST"), "GHSA-aaaa/PyPI", "PYSEC-2/PyPI")
	check("pypi django_rest", ix.Packages("pypi", "django_rest"), "GHSA-aaaa/PyPI", "PYSEC-2/PyPI")
	check("PyPI other (older copy dropped)", ix.Packages("PyPI", "other"))
	check("Debian:11 openssl", ix.Packages("Debian:11", "openssl"), "DEBIAN-CVE-2/Debian", "DSA-1/Debian:11", "DSA-1/Debian:12")
	check("Debian openssl", ix.Packages("Debian", "openssl"), "DEBIAN-CVE-2/Debian", "DSA-1/Debian:11", "DSA-1/Debian:12")
	check("debian openssl", ix.Packages("debian", "openssl"), "DEBIAN-CVE-2/Debian", "DSA-1/Debian:11", "DSA-1/Debian:12")
	check("Ubuntu openssl", ix.Packages("Ubuntu", "openssl"), "UBUNTU-1/Ubuntu:22.04:LTS")
	check("Alpine openssl", ix.Packages("Alpine:v3.18", "openssl"))
	check("withdrawn", ix.Packages("Go", "go.etcd.io/bbolt"))
	check("withdrawn newer copy", ix.Packages("Go", "m"))
	check("Go case", ix.Packages("Go", "github.com/gin-gonic/GIN"), "GHSA-bbbb/Go", "GO-1/Go")

	check("purl pypi", byPURL(ix, "pkg:pypi/Django_Rest@1.0"), "PYSEC-2/PyPI")
	check("purl deb", byPURL(ix, "pkg:deb/debian/openssl@1.1.1n-0+deb11u5?distro=debian-11"), "DSA-1/Debian:11", "DSA-1/Debian:12")
	check("purl golang", byPURL(ix, "pkg:golang/github.com/Gin-Gonic/gin@v1.5.0"), "GHSA-bbbb/Go")
	check("purl invalid", byPURL(ix, "not a purl"))

	// The returned slices are shared but clipped: appending to one does
	// not write into the index.
	es := ix.Packages("Debian", "openssl")
	_ = append(es, Entry{})
	check("after modifying a result", ix.Packages("Debian", "openssl"), "DEBIAN-CVE-2/Debian", "DSA-1/Debian:11", "DSA-1/Debian:12")
	if e := ix.Packages("Debian", "openssl")[1]; e.Affected != &e.Advisory.Affected[0] {
		t.Error("Entry.Affected does not point into the advisory")
	}

	if ix.ByID("GO-2026-4923") != nil || ix.ByID("PYSEC-2").Modified != "2024-01-01T00:00:00Z" {
		t.Error("ByID")
	}
}

// TestIndexSlice indexes the real slice: the withdrawn bbolt record is
// skipped. (Records are joined into findings per component by package
// match, not here.)
func TestIndexSlice(t *testing.T) {
	res := advisory.Load(context.Background(), sharedOSV(t, "slice"))
	ix := New(res.Advisories)
	if ix.Len() != 301 {
		t.Errorf("Len %d, want 301 (303 less 2 withdrawn)", ix.Len())
	}
	for _, e := range ix.Packages("Go", "go.etcd.io/bbolt") {
		if e.Advisory.ID == "GO-2026-4923" {
			t.Error("withdrawn GO-2026-4923 indexed")
		}
	}
	gin := ix.Packages("Go", "github.com/gin-gonic/gin")
	if len(gin) == 0 || gin[0].Advisory.ID != "GO-2020-0001" {
		t.Fatalf("gin entries %q", entryIDs(gin))
	}
	for i := 1; i < len(gin); i++ {
		if gin[i-1].Advisory.ID > gin[i].Advisory.ID {
			t.Errorf("entries not sorted: %q", entryIDs(gin))
		}
	}
	check := entryIDs(byPURL(ix, "pkg:cargo/tokio@1.20.0"))
	found := false
	for _, id := range check {
		found = found || id == "RUSTSEC-2023-0001/crates.io"
	}
	if !found {
		t.Errorf("ByPURL(pkg:cargo/tokio) = %q", check)
	}
	if got := entryIDs(ix.Packages("crates.io", "Tokio")); !reflect.DeepEqual(got, check) {
		t.Errorf("ByPackage(crates.io, Tokio) = %q, ByPURL %q", got, check)
	}
}

// byPURL looks up the entries of a package URL as a matcher does: reduced
// to its package key first.
func byPURL(ix Reader, p string) []Entry {
	pu, err := purl.Parse(p)
	if err != nil {
		return nil
	}
	return ix.PackageURL(purl.PackageKey(pu))
}

// sharedOSV returns a folder of ../shared/osv, skipping the test when the
// shared data is absent.
func sharedOSV(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{sharedtest.Dir(t), "osv"}, elem...)...)
}

// TestBaseEcosystemKnown holds baseEcosystem's names without a copy to
// the general case, and checks that they are not copied.
func TestBaseEcosystemKnown(t *testing.T) {
	for _, eco := range []string{"npm", "crates.io", "PyPI", "Maven", "Go", "RubyGems", "NuGet", "Packagist", "Pub",
		"Hex", "CRAN", "Hackage", "GitHub Actions", "SwiftURL", "Bitnami", "Debian", "Ubuntu", "Alpine",
		"Debian:11", "Alpine:v3.18", " PyPI ", "MAVEN", "Rocky Linux:9", ""} {
		if got, want := baseEcosystem(eco), baseEcosystemOf(eco); got != want {
			t.Errorf("baseEcosystem(%q) = %q, want %q", eco, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = baseEcosystem("Maven") }); n != 0 {
		t.Errorf("baseEcosystem(%q): %v allocations, want none", "Maven", n)
	}
}
