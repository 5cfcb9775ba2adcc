// Package match joins the components of device SBOMs with advisories into
// findings and ranks the devices for patching.
//
// A [Matcher] holds an [advisory.Index]. [Matcher.Scan] matches every
// component of every device and returns one [DeviceResult] per device in
// rank order; each [Finding] is one vulnerability in one component, with the
// advisories that describe it under different ids (GO-, GHSA-, CVE-, ...)
// merged through their aliases.
//
// Matching against OSV follows the schema's evaluation rules exactly:
// [Ecosystem] maps a component's package URL to the OSV ecosystem (with the
// distribution release from the purl's distro qualifier, as in "Debian:11")
// and package name; [ParseVersion] orders versions the way the ecosystem does
// with the comparators of github.com/google/osv-scalibr/semantic (which
// osv-scanner uses too), and [SemVer] selects the ordering of SEMVER ranges.
// Events are sorted and applied as introduced, fixed, last_affected and
// limit; GIT ranges are passed over without hiding the others. What cannot
// be decided is reported with status [Unknown] and a reason, never as safe.
//
// Ranking is provisional until the SSVC deployer model lands: devices are
// ordered by their number of affected findings (see [Rank]).
package match
