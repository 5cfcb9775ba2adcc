// Package match joins the components of device SBOMs with advisories into
// findings.
//
// A [Matcher] holds an [index.Reader]. [Matcher.Scan] matches every
// component of every device and returns one [DeviceResult] per device, in
// the order of the devices; each [Finding] is one vulnerability in one component, with the
// advisories that matched that component and describe it under different
// ids (GO-, GHSA-, CVE-, ...) merged through their aliases. Two different
// CVEs are never one finding: a record naming several CVEs is a source of
// each one's finding (see [Finding]).
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
// CSAF advisories are matched at two levels: device level, a product
// naming the device itself by model or serial number, purl, CPE or hash
// helper (confidence high) or by vendor and product name (medium), the
// device version lying in the product's version or range; and component
// level, by helper, by vendor and name, or through a relationship naming
// the component inside the device. CSAF version ranges (vers, vls and the
// free text of real advisories) are read by a parser of this package;
// one that cannot be read gives [Unknown] with the raw text.
//
// NVD records are matched by CPE: a component's CPEs (or, for a component
// with none, CPEs derived from its name at confidence low) against the
// record's applicability configurations, vendor and product required (with
// a small table of aliases NVD itself uses), the other attributes compared
// as NIST IR 7696 does, versions in the criterion's range by the generic
// comparator of CSAF ranges, AND/OR/negate evaluated three-valued, and
// non-vulnerable ("running on") criteria met only by the device's other
// CPEs, never alone. Each finding's Source states the criterion and range
// that matched and the confidence.
//
// Matching does not rank: package rank decides each affected finding with
// the SSVC deployer tree and orders the devices (DeviceResult.Rank,
// Priority, Score, Reasons and each Finding's KEV, EPSS and Decision are
// set there).
package match
