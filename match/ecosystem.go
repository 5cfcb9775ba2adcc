package match

import (
	"strconv"
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// Ecosystem maps the package URL p to the OSV ecosystem of its package and
// the name OSV records give that package, for example
//
//	pkg:npm/%40babel/core@7.0.0              -> "npm", "@babel/core"
//	pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1
//	                                         -> "Maven", "org.apache.logging.log4j:log4j-core"
//	pkg:golang/golang.org/x/net@v0.1.0       -> "Go", "golang.org/x/net"
//	pkg:deb/debian/curl@7.74.0-1.3?distro=debian-11
//	                                         -> "Debian:11", "curl"
//
// p should come from purl.Parse, so that names are already normalised the
// way purl normalises them (PEP 503 for PyPI, lower case for npm, Go, ...);
// Ecosystem copies the name and namespace as given and only compares the
// type, the namespace of OS packages and the qualifiers case-insensitively.
//
// ok is false when the purl type has no OSV ecosystem (generic, github,
// conan, cocoapods, ...), when an OS package's namespace names a
// distribution that OSV does not cover (pkg:deb/raspbian/..., pkg:rpm/fedora/...,
// pkg:rpm/centos/...), or when a part OSV needs is missing (a Maven purl
// without a group, a Composer purl without a vendor).
//
// Types and ecosystems: npm -> npm ("@scope/name"), pypi -> PyPI, maven ->
// Maven ("group:artifact"), golang -> Go (the module path
// "namespace/name"), cargo -> crates.io, gem -> RubyGems, nuget -> NuGet,
// composer -> Packagist ("vendor/name"), pub -> Pub, hex -> Hex, swift ->
// SwiftURL (the repository URL without scheme, "github.com/apple/swift-nio"),
// cran -> CRAN, hackage -> Hackage, githubactions -> GitHub Actions
// ("owner/repo"), bitnami -> Bitnami; deb/debian -> Debian, deb/ubuntu ->
// Ubuntu, apk/alpine -> Alpine; rpm/redhat -> Red Hat, rpm/almalinux ->
// AlmaLinux, rpm/rocky -> Rocky Linux, rpm/opensuse -> openSUSE, rpm/suse
// -> SUSE, and rpm/mariner, rpm/cbl-mariner and rpm/azurelinux -> Azure
// Linux (OSV has no "Mariner" ecosystem: CBL-Mariner was renamed Azure
// Linux, and OSV files Mariner 1.0 and 2.0 advisories under "Azure
// Linux:1" and "Azure Linux:2").
//
// The distro qualifier of an OS package picks the release, the way
// osv-scalibr and OSV name them; without one, or when it cannot be read,
// the base ecosystem is returned:
//
//   - Debian: distro=debian-11, debian-12.4, bullseye or debian-bullseye
//     give "Debian:11", "Debian:12", "Debian:11" (all codenames from buzz
//     to duke are known; sid and testing give "Debian").
//   - Ubuntu: distro=ubuntu-22.04, 22.04.3 or jammy give "Ubuntu:22.04:LTS";
//     non-LTS releases have no suffix ("Ubuntu:23.10"). Ubuntu Pro (ESM)
//     streams ("Ubuntu:Pro:22.04:LTS") cannot be told from a purl.
//   - Alpine: distro=alpine-3.16, 3.16.2 or v3.16 give "Alpine:v3.16"; edge
//     gives "Alpine" (OSV publishes Alpine by release branch).
//   - AlmaLinux, Rocky Linux: the major release, from almalinux-8.9, 8.9 or
//     el8: "AlmaLinux:8".
//   - Azure Linux: the major release, from mariner-2.0, azurelinux-3.0, cm2
//     or azl3: "Azure Linux:2".
//   - openSUSE: opensuse-leap-15.5 gives "openSUSE:Leap 15.5" and
//     opensuse-tumbleweed gives "openSUSE:Tumbleweed".
//   - Red Hat and SUSE stay "Red Hat" and "SUSE": their OSV suffixes name a
//     product stream (a CPE such as "Red Hat:enterprise_linux:8::appstream",
//     or "SUSE:Linux Enterprise Module for Basesystem 15 SP5") which a
//     distro qualifier such as rhel-8 or el8 does not determine; compare
//     such advisories by BaseEcosystem.
//
// A distro qualifier that names another distribution than the namespace
// (pkg:deb/debian/x?distro=ubuntu-22.04) is ignored. For deb and apk
// packages the OSV name is the source package: when the purl has an
// upstream qualifier (as syft writes, "upstream=openssl" or
// "upstream=openssl@1.1.1n-0+deb11u3") its name is returned instead of the
// binary package name.
func Ecosystem(p packageurl.PackageURL) (eco string, name string, ok bool) {
	if p.Name == "" {
		return "", "", false
	}
	ns := p.Namespace
	switch strings.ToLower(p.Type) {
	case "npm":
		if ns == "" {
			return "npm", p.Name, true
		}
		if !strings.HasPrefix(ns, "@") {
			ns = "@" + ns
		}
		return "npm", ns + "/" + p.Name, true
	case "pypi":
		return "PyPI", p.Name, true
	case "maven":
		if ns == "" {
			return "", "", false
		}
		return "Maven", ns + ":" + p.Name, true
	case "golang":
		return "Go", joinPath(ns, p.Name), true
	case "cargo":
		return "crates.io", p.Name, true
	case "gem":
		return "RubyGems", p.Name, true
	case "nuget":
		return "NuGet", p.Name, true
	case "composer":
		if ns == "" {
			return "", "", false
		}
		return "Packagist", ns + "/" + p.Name, true
	case "pub":
		return "Pub", p.Name, true
	case "hex":
		// The namespace of a hex purl is a private organisation; OSV
		// names Hex packages by package name alone.
		return "Hex", p.Name, true
	case "swift":
		if ns == "" {
			return "", "", false
		}
		return "SwiftURL", ns + "/" + p.Name, true
	case "cran":
		return "CRAN", p.Name, true
	case "hackage":
		return "Hackage", p.Name, true
	case "githubactions":
		if ns == "" {
			return "", "", false
		}
		return "GitHub Actions", ns + "/" + p.Name, true
	case "bitnami":
		return "Bitnami", p.Name, true
	case "deb":
		return debEcosystem(p)
	case "apk":
		return apkEcosystem(p)
	case "rpm":
		return rpmEcosystem(p)
	}
	return "", "", false
}

// BaseEcosystem returns the OSV ecosystem eco without its suffix: the part
// before the first colon, so "Debian:11" gives "Debian", "Ubuntu:Pro:18.04:LTS"
// gives "Ubuntu" and "Red Hat:enterprise_linux:8::appstream" gives "Red Hat".
func BaseEcosystem(eco string) string {
	base, _, _ := strings.Cut(eco, ":")
	return base
}

func joinPath(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

// qualifier returns the value of the qualifier key (compared
// case-insensitively) of p, or "".
func qualifier(p packageurl.PackageURL, key string) string {
	for _, q := range p.Qualifiers {
		if strings.EqualFold(q.Key, key) {
			return q.Value
		}
	}
	return ""
}

// withRelease appends the release to base when there is one.
func withRelease(base, release string) string {
	if release == "" {
		return base
	}
	return base + ":" + release
}

// sourceName returns the name of the source package of a deb or apk purl:
// the name in its upstream qualifier ("name" or "name@version"), else the
// purl's name.
func sourceName(p packageurl.PackageURL) string {
	up := strings.TrimSpace(qualifier(p, "upstream"))
	if i := strings.IndexAny(up, "@ "); i >= 0 {
		up = up[:i]
	}
	if up == "" {
		return p.Name
	}
	return up
}

// splitDistro splits a distro qualifier into the distribution it names (if
// any) and its release: "debian-11" gives ("debian", "11"), "bullseye"
// gives ("", "bullseye"), "opensuse-leap-15.5" gives ("opensuse-leap",
// "15.5"). Both are lower case.
func splitDistro(distro string) (id, release string) {
	distro = strings.ToLower(strings.TrimSpace(distro))
	if i := strings.LastIndexByte(distro, '-'); i >= 0 {
		return distro[:i], distro[i+1:]
	}
	return "", distro
}

// digits reports whether s is a non-empty run of ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func debEcosystem(p packageurl.PackageURL) (string, string, bool) {
	distro := qualifier(p, "distro")
	id, rel := splitDistro(distro)
	ns := strings.ToLower(p.Namespace)
	if ns == "" {
		// No namespace: trust a distro qualifier that names the
		// distribution, as osv-scalibr does.
		switch {
		case strings.HasPrefix(id, "debian"):
			ns = "debian"
		case strings.HasPrefix(id, "ubuntu"):
			ns = "ubuntu"
		}
	}
	if id != "" && id != ns {
		rel = "" // the qualifier names another distribution
	}
	switch ns {
	case "debian":
		return withRelease("Debian", debianRelease(rel)), sourceName(p), true
	case "ubuntu":
		return withRelease("Ubuntu", ubuntuRelease(rel)), sourceName(p), true
	}
	return "", "", false
}

// debianCodenames maps Debian codenames to release numbers as OSV writes
// them (Debian distro-info-data).
var debianCodenames = map[string]string{
	"buzz": "1.1", "rex": "1.2", "bo": "1.3", "hamm": "2", "slink": "2.1",
	"potato": "2.2", "woody": "3", "sarge": "3.1", "etch": "4", "lenny": "5",
	"squeeze": "6", "wheezy": "7", "jessie": "8", "stretch": "9",
	"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13",
	"forky": "14", "duke": "15",
}

// debianRelease returns the OSV release of a Debian distro release:
// a codename, or a version of which the major number is kept ("12.4" is a
// point release of Debian 12). Releases before Debian 4 were numbered
// major.minor ("3.1" is sarge), so their minor number is kept.
func debianRelease(rel string) string {
	if r, ok := debianCodenames[rel]; ok {
		return r
	}
	major, minor, _ := strings.Cut(rel, ".")
	minor, _, _ = strings.Cut(minor, ".")
	if !digits(major) {
		return ""
	}
	n, err := strconv.Atoi(major)
	if err != nil || n == 0 {
		return ""
	}
	if n < 4 && digits(minor) && strings.Trim(minor, "0") != "" {
		return major + "." + minor
	}
	return strconv.Itoa(n)
}

// ubuntuCodenames maps Ubuntu codenames to YY.MM release numbers.
var ubuntuCodenames = map[string]string{
	"warty": "4.10", "hoary": "5.04", "breezy": "5.10", "dapper": "6.06",
	"edgy": "6.10", "feisty": "7.04", "gutsy": "7.10", "hardy": "8.04",
	"intrepid": "8.10", "jaunty": "9.04", "karmic": "9.10", "lucid": "10.04",
	"maverick": "10.10", "natty": "11.04", "oneiric": "11.10",
	"precise": "12.04", "quantal": "12.10", "raring": "13.04",
	"saucy": "13.10", "trusty": "14.04", "utopic": "14.10", "vivid": "15.04",
	"wily": "15.10", "xenial": "16.04", "yakkety": "16.10", "zesty": "17.04",
	"artful": "17.10", "bionic": "18.04", "cosmic": "18.10", "disco": "19.04",
	"eoan": "19.10", "focal": "20.04", "groovy": "20.10", "hirsute": "21.04",
	"impish": "21.10", "jammy": "22.04", "kinetic": "22.10", "lunar": "23.04",
	"mantic": "23.10", "noble": "24.04", "oracular": "24.10",
	"plucky": "25.04", "questing": "25.10", "resolute": "26.04",
}

// ubuntuRelease returns the OSV release of an Ubuntu distro release: "YY.MM"
// with the mandatory ":LTS" suffix for long-term support releases (every
// April release of an even year since 8.04, and 6.06), from a codename or
// a version ("22.04.3" is a point release of 22.04).
func ubuntuRelease(rel string) string {
	if r, ok := ubuntuCodenames[rel]; ok {
		rel = r
	}
	parts := strings.Split(rel, ".")
	if len(parts) < 2 || !digits(parts[0]) || len(parts[1]) != 2 || !digits(parts[1]) {
		return ""
	}
	yy, err := strconv.Atoi(parts[0])
	if err != nil || yy == 0 {
		return ""
	}
	mm := parts[1]
	r := strconv.Itoa(yy) + "." + mm
	if (mm == "04" && yy%2 == 0 && yy >= 8) || (yy == 6 && mm == "06") {
		r += ":LTS"
	}
	return r
}

func apkEcosystem(p packageurl.PackageURL) (string, string, bool) {
	id, rel := splitDistro(qualifier(p, "distro"))
	ns := strings.ToLower(p.Namespace)
	if ns == "" && strings.HasPrefix(id, "alpine") {
		ns = "alpine"
	}
	if ns != "alpine" {
		return "", "", false
	}
	if id != "" && id != "alpine" {
		rel = ""
	}
	return withRelease("Alpine", alpineRelease(rel)), sourceName(p), true
}

// alpineRelease returns the OSV release branch "vMAJOR.MINOR" of an Alpine
// release ("3.16", "3.16.2", "v3.16"), or "" (for edge, too).
func alpineRelease(rel string) string {
	rel = strings.TrimPrefix(rel, "v")
	parts := strings.Split(rel, ".")
	if len(parts) < 2 || !digits(parts[0]) || !digits(parts[1]) {
		return ""
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	return "v" + strconv.Itoa(major) + "." + strconv.Itoa(minor)
}

func rpmEcosystem(p packageurl.PackageURL) (string, string, bool) {
	distro := strings.ToLower(strings.TrimSpace(qualifier(p, "distro")))
	id, rel := splitDistro(distro)
	switch strings.ToLower(p.Namespace) {
	case "redhat":
		return "Red Hat", p.Name, true
	case "almalinux":
		return withRelease("AlmaLinux", majorRelease(id, rel, "almalinux", "alma")), p.Name, true
	case "rocky", "rockylinux":
		return withRelease("Rocky Linux", majorRelease(id, rel, "rocky", "rockylinux")), p.Name, true
	case "mariner", "cbl-mariner", "azurelinux":
		return withRelease("Azure Linux", majorRelease(id, rel, "mariner", "cbl-mariner", "azurelinux")), p.Name, true
	case "opensuse":
		return withRelease("openSUSE", openSUSERelease(distro)), p.Name, true
	case "suse":
		return "SUSE", p.Name, true
	}
	return "", "", false
}

// majorRelease returns the major release number of an RPM distribution's
// distro qualifier, split by splitDistro, when its id is one of ids (or
// absent): "8.9" and "8" give "8", and so do the dist tags "el8", "el8_9",
// "cm2" (CBL-Mariner 2) and "azl3" (Azure Linux 3).
func majorRelease(id, rel string, ids ...string) string {
	if id != "" {
		known := false
		for _, k := range ids {
			known = known || id == k
		}
		if !known {
			return ""
		}
	}
	for _, tag := range []string{"el", "cm", "azl"} {
		if t, ok := strings.CutPrefix(rel, tag); ok && t != "" && t[0] >= '0' && t[0] <= '9' {
			rel = t
			break
		}
	}
	major := rel
	if i := strings.IndexAny(rel, "._"); i >= 0 {
		major = rel[:i]
	}
	n, err := strconv.Atoi(major)
	if !digits(major) || err != nil || n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// openSUSERelease returns the OSV release of an openSUSE distro qualifier:
// "Leap X.Y" for opensuse-leap-X.Y and "Tumbleweed" for
// opensuse-tumbleweed (with or without a snapshot suffix); anything else
// gives "".
func openSUSERelease(distro string) string {
	if rest, ok := strings.CutPrefix(distro, "opensuse-leap-"); ok {
		parts := strings.Split(rest, ".")
		if len(parts) == 2 && digits(parts[0]) && digits(parts[1]) {
			return "Leap " + rest
		}
		return ""
	}
	if distro == "opensuse-tumbleweed" || strings.HasPrefix(distro, "opensuse-tumbleweed-") {
		return "Tumbleweed"
	}
	return ""
}
