package purl

import (
	"reflect"
	"strings"
	"testing"
)

// siblingSeeds are purls of many types and shapes: qualifiers, scoped npm
// names, types with a version rule, and ones Sibling must refuse.
var siblingSeeds = []string{
	"pkg:pypi/Django@1.11.1",
	"pkg:pypi/django@1.11.1?repository_url=https://pypi.example",
	"pkg:npm/%40angular/core@12.0.0",
	"pkg:npm/@angular/core@12.0.0",
	"pkg:npm/lodash@4.17.21",
	"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
	"pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11",
	"pkg:golang/github.com/gorilla/mux@v1.8.0",
	"pkg:oci/Debian@SHA256:ABCD?repository_url=docker.io/library/debian",
	"pkg:huggingface/distilbert-base-uncased@043235D6088ECD3DD5FB5CA3592B6913FD516027",
	"pkg:vscode-extension/Ms-Python/Python@2021.1.0",
	"pkg:git/codeberg.org/forgejo/forgejo@v1.2.3",
	"pkg:cran/A3@1.0.0",
	"pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25",
	"pkg:gem/ruby-advisory-db-check@0.12.4",
	"pkg:nuget/EnterpriseLibrary.Common@6.0.1304",
	"pkg:pypi/requests@2.0%2B1",
	"pkg:pypi/requests@2.0#sub/path",
	" pkg:pypi/requests@2.0",
	"pkg:pypi/requests",
	"pkg:pypi/requests@",
	"pkg:npm/@scope/name",
}

// siblingVersions are versions to put in place of a seed's.
var siblingVersions = []string{"1.0", "2.0.0-RC1", "v1.8.1", "1.0.0+build.5", "2:1.1.1n-0+deb11u4", "ABC", "1.0/x", "1%2F0", "1 0", "", "1@2"}

// withVersion is s with its version (after the last '@' before any '?')
// replaced by v; ok is false when s has no '@' there.
func withVersion(s, v string) (string, bool) {
	end := len(s)
	if i := strings.IndexByte(s, '?'); i >= 0 {
		end = i
	}
	i := strings.LastIndexByte(s[:end], '@')
	if i < 0 {
		return "", false
	}
	return s[:i+1] + v + s[end:], true
}

// checkSibling fails t when Sibling takes s as prev's sibling and gives
// other than Parse(s).
func checkSibling(t *testing.T, prev, s string) bool {
	t.Helper()
	p, err := Parse(prev)
	if err != nil {
		return false
	}
	got, ok := Sibling(p, prev, s)
	if !ok {
		return false
	}
	want, err := Parse(s)
	if err != nil {
		t.Fatalf("Sibling(%q, %q) = %+v, but Parse fails: %v", prev, s, got, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Sibling(%q, %q) = %+v\nParse = %+v", prev, s, got, want)
	}
	return true
}

// Sibling gives what Parse gives for every seed with every version put
// in, and takes the common shapes (it is not a path never taken).
func TestSiblingIsParse(t *testing.T) {
	taken := 0
	for _, prev := range siblingSeeds {
		for _, v := range siblingVersions {
			if s, ok := withVersion(prev, v); ok && checkSibling(t, prev, s) {
				taken++
			}
		}
	}
	if taken < 60 {
		t.Errorf("Sibling took %d of the pairs: the fast path is hardly used", taken)
	}
	p, _ := Parse("pkg:pypi/django@1.0")
	for _, s := range []string{"pkg:pypi/flask@1.0", "pkg:pypi/django@1.0?x=y", "pkg:npm/django@1.0", "pkg:pypi/django@1%2E0"} {
		if _, ok := Sibling(p, "pkg:pypi/django@1.0", s); ok {
			t.Errorf("%q taken as a sibling of pkg:pypi/django@1.0", s)
		}
	}
}

func FuzzSibling(f *testing.F) {
	for _, s := range siblingSeeds {
		for _, v := range siblingVersions {
			f.Add(s, v)
		}
	}
	f.Fuzz(func(t *testing.T, prev, v string) {
		if s, ok := withVersion(prev, v); ok {
			checkSibling(t, prev, s)
		}
		checkSibling(t, prev, v) // any string at all
	})
}
