package advisory

import "strings"

// Format names the feed format an advisory was read from.
const (
	// FormatOSV is an OSV record, read from JSON or YAML.
	FormatOSV = "osv"
)

// Range types used in OSV affected ranges.
const (
	// RangeSemVer orders versions by Semantic Versioning 2.0.
	RangeSemVer = "SEMVER"
	// RangeEcosystem orders versions by the ecosystem's own rules.
	RangeEcosystem = "ECOSYSTEM"
	// RangeGit orders commits by the history of Range.Repo; such ranges
	// cannot be compared with version strings without the repository.
	RangeGit = "GIT"
)

// Advisory is one vulnerability record, whatever feed it came from. Fields
// a feed does not have are left empty. The model keeps what matching and
// ranking need: the long description, credits and ecosystem-specific data
// are not read.
type Advisory struct {
	// ID is the record's identifier as written: "GO-2020-0001",
	// "GHSA-6vm3-jj99-7229", "CVE-2020-36567", "RUSTSEC-2023-0001".
	ID string
	// Aliases lists other identifiers of the same vulnerability (OSV
	// "aliases"). The index (package index) joins them across records.
	Aliases []string
	// Related lists identifiers of related but different vulnerabilities.
	Related []string
	// Summary is the one-line summary.
	Summary string
	// Published, Modified and Withdrawn are the record's timestamps as
	// written (RFC 3339 in OSV). Withdrawn is empty unless the record has
	// been withdrawn; the index leaves withdrawn records out.
	Published, Modified, Withdrawn string
	// SchemaVersion is the OSV schema version the record declares, if any.
	SchemaVersion string
	// Source is where the record was read: the file path as given or as
	// found in a directory, or "archive.zip!member" for a zip member.
	Source string
	// Format is the feed format: FormatOSV, FormatCSAF, FormatNVD,
	// FormatOpenVEX or FormatCycloneDXVEX.
	Format string
	// Severity lists the record's severity scores (CVSS vectors are kept
	// as the strings written).
	Severity []Severity
	// Affected lists the affected packages with their version ranges.
	Affected []Affected
	// References lists links to advisories, fixes and reports.
	References []Reference
	// Informational is set for records that are not vulnerabilities in
	// the usual sense: the RustSec database_specific "informational"
	// value ("unsound", "unmaintained", "notice"), from the top-level
	// database_specific or else from the first affected package that has
	// one. A matcher may apply a policy to such records.
	Informational string

	// CWEs lists the weaknesses ("CWE-787") the record names (CSAF cwe,
	// NVD weaknesses).
	CWEs []string
	// Products lists what a CSAF, OpenVEX or CycloneDX VEX record says
	// about each product it names. Empty for OSV and NVD.
	Products []ProductStatus
	// Configurations lists the NVD applicability configurations.
	Configurations []Configuration
	// Threats lists the CSAF threats (impact, exploit_status).
	Threats []Threat
	// Document describes the document the record came from, for formats
	// whose documents hold several records (CSAF, OpenVEX, CycloneDX).
	Document *Document
}

// Document describes a CSAF, OpenVEX or CycloneDX document.
type Document struct {
	// ID is the document's identifier: CSAF tracking id, OpenVEX @id,
	// CycloneDX serialNumber.
	ID string
	// Title is the document title (CSAF).
	Title string
	// Category is the CSAF document category ("csaf_security_advisory",
	// "csaf_vex", ...).
	Category string
	// Publisher is the publisher's (or author's) name.
	Publisher string
	// Namespace is the publisher's namespace URL (CSAF
	// document.publisher.namespace). CSAF tracking ids are unique only
	// within one publisher: the index keys CSAF records on Scope.
	Namespace string
	// Version is the document's version as written.
	Version string
	// Released and Updated are the initial and current release dates as
	// written.
	Released, Updated string
}

// Scope returns what makes d's ID unique: for CSAF the publisher's
// namespace (or, without one, its name), as tracking ids are unique only
// per publisher. Empty for a nil Document.
func (d *Document) Scope() string {
	if d == nil {
		return ""
	}
	if d.Namespace != "" {
		return d.Namespace
	}
	return d.Publisher
}

// Severity is one severity score of an advisory or affected package.
type Severity struct {
	// Type is the scoring system: "CVSS_V2", "CVSS_V3", "CVSS_V4",
	// "Ubuntu", ... An OSV record's database_specific "severity" (the
	// GitHub advisory database's own rating, "MODERATE") is kept as a
	// Severity of the type DatabaseSeverityType gives ("GHSA").
	Type string
	// Score is the score as written, for CVSS a vector string such as
	// "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", for a rating the
	// word ("MODERATE", "high").
	Score string
}

// DatabaseSeverityType is the Severity type under which an OSV record's
// database_specific "severity" is kept: the database prefix of the
// record's id ("GHSA" for "GHSA-jfh8-c2jp-5v3q", "PYSEC" for
// "PYSEC-2021-1"), or "DATABASE_SPECIFIC" for an id without one.
func DatabaseSeverityType(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return strings.ToUpper(id[:i])
	}
	return "DATABASE_SPECIFIC"
}

// Reference is one link of an advisory.
type Reference struct {
	// Type is the kind of link: "ADVISORY", "FIX", "WEB", "REPORT", ...
	Type string
	// URL is the link.
	URL string
}

// Affected is one affected package and the versions of it that are
// affected.
type Affected struct {
	// Ecosystem is the package's ecosystem as written, including any
	// release suffix: "Go", "PyPI", "crates.io", "Debian:11",
	// "Alpine:v3.16".
	Ecosystem string
	// Name is the package name as written in the ecosystem.
	Name string
	// PURL is the package URL the record gives for the package, if any.
	PURL string
	// Ranges lists the affected version ranges.
	Ranges []Range
	// Versions lists affected versions explicitly.
	Versions []string
	// Severity lists severity scores that apply to this package only
	// (OSV affected[].severity).
	Severity []Severity
}

// Range is one affected range: the events, in order, that introduce and end
// vulnerability along one ordering of versions.
type Range struct {
	// Type is RangeSemVer, RangeEcosystem or RangeGit.
	Type string
	// Repo is the repository URL of a RangeGit range.
	Repo string
	// Events lists the range's events in the order written.
	Events []Event
}

// Event is one event of a range. Exactly one field is set. (An OSV event
// object written with several keys becomes several events, in the order
// introduced, fixed, last_affected, limit; one with none, or with empty
// values only, is dropped.)
type Event struct {
	// Introduced is the version (or commit) from which the package is
	// affected; "0" means from the beginning.
	Introduced string
	// Fixed is the first version (or commit) that is no longer affected.
	Fixed string
	// LastAffected is the last version that is affected.
	LastAffected string
	// Limit bounds the search for affected commits of a RangeGit range.
	Limit string
}
