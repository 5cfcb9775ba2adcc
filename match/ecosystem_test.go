package match

import (
	"testing"

	"github.com/bomrank/bomrank/purl"
	packageurl "github.com/package-url/packageurl-go"
)

func TestEcosystem(t *testing.T) {
	tests := []struct {
		purl     string
		eco      string
		name     string
		notFound bool
	}{
		// Language ecosystems.
		{purl: "pkg:npm/lodash@4.17.21", eco: "npm", name: "lodash"},
		{purl: "pkg:npm/%40babel/core@7.0.0", eco: "npm", name: "@babel/core"},
		{purl: "pkg:npm/@Angular/Core@12.0.0", eco: "npm", name: "@angular/core"},
		{purl: "pkg:pypi/Django_Rest@3.0", eco: "PyPI", name: "django-rest"},
		{purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", eco: "Maven", name: "org.apache.logging.log4j:log4j-core"},
		{purl: "pkg:maven/log4j-core@2.14.1", notFound: true}, // no group
		{purl: "pkg:golang/golang.org/x/net@v0.1.0", eco: "Go", name: "golang.org/x/net"},
		{purl: "pkg:golang/github.com/gin-gonic/gin@v1.9.1#binding", eco: "Go", name: "github.com/gin-gonic/gin"},
		{purl: "pkg:golang/stdlib@1.21.0", eco: "Go", name: "stdlib"},
		{purl: "pkg:cargo/rand@0.8.5", eco: "crates.io", name: "rand"},
		{purl: "pkg:gem/ruby-advisory-db-check@0.12.4", eco: "RubyGems", name: "ruby-advisory-db-check"},
		{purl: "pkg:nuget/Newtonsoft.Json@13.0.1", eco: "NuGet", name: "Newtonsoft.Json"},
		{purl: "pkg:composer/Laravel/Framework@8.0.0", eco: "Packagist", name: "laravel/framework"},
		{purl: "pkg:composer/framework@8.0.0", notFound: true}, // no vendor
		{purl: "pkg:pub/http@0.13.0", eco: "Pub", name: "http"},
		{purl: "pkg:hex/phoenix@1.7.0", eco: "Hex", name: "phoenix"},
		{purl: "pkg:hex/acme/foo@1.0.0", eco: "Hex", name: "foo"},
		{purl: "pkg:swift/github.com/apple/swift-nio@2.40.0", eco: "SwiftURL", name: "github.com/apple/swift-nio"},
		{purl: "pkg:cran/ggplot2@3.4.0", eco: "CRAN", name: "ggplot2"},
		{purl: "pkg:hackage/aeson@2.1.0.0", eco: "Hackage", name: "aeson"},
		{purl: "pkg:githubactions/actions/checkout@v4", eco: "GitHub Actions", name: "actions/checkout"},
		{purl: "pkg:bitnami/wordpress@6.2.0?arch=arm64&distro=debian-12", eco: "Bitnami", name: "wordpress"},

		// Debian: namespace, distro qualifier with number, point release,
		// codename; upstream (source package) name.
		{purl: "pkg:deb/debian/curl@7.74.0-1.3+deb11u7", eco: "Debian", name: "curl"},
		{purl: "pkg:deb/debian/curl@7.74.0-1.3+deb11u7?distro=debian-11", eco: "Debian:11", name: "curl"},
		{purl: "pkg:deb/debian/curl@7.88.1-10?distro=debian-12.4", eco: "Debian:12", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=bullseye", eco: "Debian:11", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=bookworm", eco: "Debian:12", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=buster", eco: "Debian:10", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=stretch", eco: "Debian:9", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=trixie", eco: "Debian:13", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=jessie", eco: "Debian:8", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=debian-bookworm", eco: "Debian:12", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=Debian-11", eco: "Debian:11", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=sarge", eco: "Debian:3.1", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=debian-3.1", eco: "Debian:3.1", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=sid", eco: "Debian", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=debian-unstable", eco: "Debian", name: "curl"},
		{purl: "pkg:deb/debian/curl?distro=ubuntu-22.04", eco: "Debian", name: "curl"}, // contradicts the namespace
		{purl: "pkg:deb/curl?distro=debian-11", eco: "Debian:11", name: "curl"},        // no namespace
		{purl: "pkg:deb/debian/libssl1.1@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11&upstream=openssl", eco: "Debian:11", name: "openssl"},
		{purl: "pkg:deb/debian/libc6@2.31-13?distro=debian-11&upstream=glibc%402.31-13", eco: "Debian:11", name: "glibc"},
		{purl: "pkg:deb/raspbian/curl?distro=debian-11", notFound: true},

		// Ubuntu: LTS releases carry ":LTS", as OSV names them.
		{purl: "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10", eco: "Ubuntu", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-22.04", eco: "Ubuntu:22.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=jammy", eco: "Ubuntu:22.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-22.04.3", eco: "Ubuntu:22.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=focal", eco: "Ubuntu:20.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-18.04", eco: "Ubuntu:18.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=noble", eco: "Ubuntu:24.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-23.10", eco: "Ubuntu:23.10", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=mantic", eco: "Ubuntu:23.10", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-21.04", eco: "Ubuntu:21.04", name: "openssl"}, // odd year: not LTS
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-jammy", eco: "Ubuntu:22.04:LTS", name: "openssl"},
		{purl: "pkg:deb/ubuntu/openssl?distro=ubuntu-devel", eco: "Ubuntu", name: "openssl"},

		// Alpine.
		{purl: "pkg:apk/alpine/busybox@1.35.0-r17", eco: "Alpine", name: "busybox"},
		{purl: "pkg:apk/alpine/busybox@1.35.0-r17?distro=alpine-3.16", eco: "Alpine:v3.16", name: "busybox"},
		{purl: "pkg:apk/alpine/busybox?distro=3.16.2", eco: "Alpine:v3.16", name: "busybox"},
		{purl: "pkg:apk/alpine/busybox?distro=alpine-3.18.4", eco: "Alpine:v3.18", name: "busybox"},
		{purl: "pkg:apk/alpine/busybox?distro=v3.9", eco: "Alpine:v3.9", name: "busybox"},
		{purl: "pkg:apk/alpine/busybox?distro=alpine-edge", eco: "Alpine", name: "busybox"},
		{purl: "pkg:apk/alpine/libcrypto3@3.1.4-r1?distro=3.18.4&upstream=openssl", eco: "Alpine:v3.18", name: "openssl"},
		{purl: "pkg:apk/wolfi/busybox", notFound: true},

		// RPM distributions.
		{purl: "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6", eco: "Red Hat", name: "openssl"},
		{purl: "pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?distro=rhel-8.6", eco: "Red Hat", name: "openssl"},
		{purl: "pkg:rpm/redhat/openssl?distro=el7", eco: "Red Hat", name: "openssl"},
		{purl: "pkg:rpm/almalinux/openssl@1:1.1.1k-9.el8_7", eco: "AlmaLinux", name: "openssl"},
		{purl: "pkg:rpm/almalinux/openssl?distro=almalinux-8.9", eco: "AlmaLinux:8", name: "openssl"},
		{purl: "pkg:rpm/almalinux/openssl?distro=el9", eco: "AlmaLinux:9", name: "openssl"},
		{purl: "pkg:rpm/rocky/openssl?distro=rocky-9.3", eco: "Rocky Linux:9", name: "openssl"},
		{purl: "pkg:rpm/rocky/openssl?distro=el8_9", eco: "Rocky Linux:8", name: "openssl"},
		{purl: "pkg:rpm/rocky/openssl", eco: "Rocky Linux", name: "openssl"},
		{purl: "pkg:rpm/rocky/openssl?distro=centos-8", eco: "Rocky Linux", name: "openssl"}, // another distribution
		{purl: "pkg:rpm/opensuse/openssl-3?distro=opensuse-leap-15.5", eco: "openSUSE:Leap 15.5", name: "openssl-3"},
		{purl: "pkg:rpm/opensuse/curl?distro=opensuse-tumbleweed", eco: "openSUSE:Tumbleweed", name: "curl"},
		{purl: "pkg:rpm/opensuse/curl?distro=opensuse-tumbleweed-20240101", eco: "openSUSE:Tumbleweed", name: "curl"},
		{purl: "pkg:rpm/opensuse/curl", eco: "openSUSE", name: "curl"},
		{purl: "pkg:rpm/suse/curl?distro=sles-15.5", eco: "SUSE", name: "curl"},
		{purl: "pkg:rpm/mariner/openssl@1.1.1k-27.cm2?distro=mariner-2.0", eco: "Azure Linux:2", name: "openssl"},
		{purl: "pkg:rpm/cbl-mariner/openssl?distro=cm2", eco: "Azure Linux:2", name: "openssl"},
		{purl: "pkg:rpm/azurelinux/openssl@3.3.2-1.azl3?distro=azurelinux-3.0", eco: "Azure Linux:3", name: "openssl"},
		{purl: "pkg:rpm/azurelinux/openssl?distro=azl3", eco: "Azure Linux:3", name: "openssl"},
		{purl: "pkg:rpm/azurelinux/openssl", eco: "Azure Linux", name: "openssl"},
		{purl: "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25", notFound: true},
		{purl: "pkg:rpm/centos/curl?distro=centos-7", notFound: true},
		{purl: "pkg:rpm/curl", notFound: true},

		// Types without an OSV ecosystem.
		{purl: "pkg:generic/openssl@1.1.1k", notFound: true},
		{purl: "pkg:github/package-url/purl-spec@244fd47e07d1004", notFound: true},
		{purl: "pkg:conan/openssl@3.0.3", notFound: true},
		{purl: "pkg:cocoapods/AFNetworking@4.0.1", notFound: true},
		{purl: "pkg:docker/library/debian@bookworm", notFound: true},
	}
	for _, tt := range tests {
		p, err := purl.Parse(tt.purl)
		if err != nil {
			t.Errorf("purl.Parse(%q): %v", tt.purl, err)
			continue
		}
		eco, name, ok := Ecosystem(p)
		if tt.notFound {
			if ok {
				t.Errorf("Ecosystem(%s) = %q, %q, true; want not ok", tt.purl, eco, name)
			}
			continue
		}
		if !ok || eco != tt.eco || name != tt.name {
			t.Errorf("Ecosystem(%s) = %q, %q, %v; want %q, %q, true", tt.purl, eco, name, ok, tt.eco, tt.name)
		}
		// Every mapped ecosystem except GitHub Actions can order versions.
		if eco != "GitHub Actions" && !HasComparator(eco) {
			t.Errorf("Ecosystem(%s) = %q, which has no comparator", tt.purl, eco)
		}
	}
}

// TestEcosystemUnnormalised checks that the type and an OS package's
// namespace are compared case-insensitively even when p does not come
// from purl.Parse, and that purls missing a part OSV needs are not mapped.
func TestEcosystemUnnormalised(t *testing.T) {
	p := packageurl.PackageURL{Type: "DEB", Namespace: "Debian", Name: "curl",
		Qualifiers: packageurl.Qualifiers{{Key: "Distro", Value: "Bullseye"}}}
	if eco, name, ok := Ecosystem(p); !ok || eco != "Debian:11" || name != "curl" {
		t.Errorf("Ecosystem(%v) = %q, %q, %v; want Debian:11, curl, true", p, eco, name, ok)
	}
	if _, _, ok := Ecosystem(packageurl.PackageURL{Type: "npm"}); ok {
		t.Error("Ecosystem of a purl without a name: ok")
	}
	// purl.Parse rejects a swift purl without a namespace; Ecosystem
	// cannot build a SwiftURL name without the repository host either.
	if _, _, ok := Ecosystem(packageurl.PackageURL{Type: "swift", Name: "swift-nio"}); ok {
		t.Error("Ecosystem of a swift purl without a namespace: ok")
	}
}

func TestBaseEcosystem(t *testing.T) {
	for eco, want := range map[string]string{
		"Debian:11":                             "Debian",
		"Debian":                                "Debian",
		"Ubuntu:22.04:LTS":                      "Ubuntu",
		"Ubuntu:Pro:18.04:LTS":                  "Ubuntu",
		"Alpine:v3.16":                          "Alpine",
		"Red Hat:enterprise_linux:8::appstream": "Red Hat",
		"Maven:https://maven.google.com":        "Maven",
		"openSUSE:Leap 15.5":                    "openSUSE",
		"":                                      "",
	} {
		if got := BaseEcosystem(eco); got != want {
			t.Errorf("BaseEcosystem(%q) = %q, want %q", eco, got, want)
		}
	}
}
