// Package match joins the components of device SBOMs with advisories into
// findings and ranks the devices for patching.
//
// This documentation grows with the package. So far it provides the two
// building blocks of matching against OSV advisories:
//
//   - Ecosystem maps a component's package URL to the OSV ecosystem (with
//     the distribution release when the purl's distro qualifier names one,
//     as in "Debian:11" or "Alpine:v3.16") and to the package name that OSV
//     records use in that ecosystem, such as "@scope/name" for npm or
//     "group:artifact" for Maven.
//   - ParseVersion and Version.Compare order versions the way the
//     ecosystem does, using the comparators of
//     github.com/google/osv-scalibr/semantic, which osv-scanner uses too;
//     SemVer selects the ordering of OSV ranges of type SEMVER.
package match
