// Package advisory reads vulnerability feeds into one model and indexes them
// for lookup.
//
// Today it reads OSV (https://ossf.github.io/osv-schema/): one record per
// JSON or YAML document, JSON arrays of records and osv.dev API responses
// ({"vulns": [...]}), gzip-compressed or not, from files, directory trees and
// zip archives such as osv.dev's per-ecosystem all.zip, and CSAF 2.0
// documents (one record per vulnerability, the product tree flattened into
// [Product] values with their [ProductStatus]; see [Index.CSAFByName] and
// the other CSAF lookups), NVD CVE JSON 2.0 (API responses and feed files,
// one record per CVE with its [Configuration] values; see [Index.ByCPE]),
// OpenVEX and CycloneDX VEX statements, the CISA KEV catalog and FIRST EPSS
// scores. As with SBOMs, the format is detected from the content, never
// from the file name.
//
// The model ([Advisory], [Affected], [Range], [Event], [Severity]) keeps what
// matching and ranking need and drops the rest (details text, credits,
// ecosystem-specific data), which is what makes reading osv.dev-sized feeds
// fast: [Load] reads 100,000 records and [NewIndex] indexes them in about a
// second on two cores.
//
// [Load] walks files, directories and zips concurrently and returns the
// advisories in a deterministic order (by ID, then source), with one
// [LoadError] per input that could not be read. Files met while walking a
// directory that are not advisories at all (a README, a checksum) are listed
// as ignored, not as errors. Zip archives are read with limits on the size
// of each member, the total size and the number of members, and members with
// unsafe names (absolute, "..") are refused.
//
// [NewIndex] builds an [Index] for lookups by ecosystem and package name
// ([Index.ByPackage], with names normalised by [NormalizeName]) or by package
// URL ([Index.ByPURL]), and groups identifiers that name the same
// vulnerability through aliases ([Index.Aliases], [Index.VulnKey]) so that
// GO-, GHSA- and CVE- identifiers of one flaw give one finding. Withdrawn
// records are kept by Load (with [Advisory.Withdrawn] set) but not indexed.
package advisory
