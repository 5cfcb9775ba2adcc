// Package advisory reads vulnerability feeds, in every format bomrank
// knows, into one model.
//
// The formats, each detected from the content, never from the file name:
//
//   - OSV (https://ossf.github.io/osv-schema/): one record per JSON or YAML
//     document, JSON arrays of records and osv.dev API responses
//     ({"vulns": [...]});
//   - CSAF 2.0: one record per vulnerability, the product tree flattened
//     into [Product] values with their [ProductStatus];
//   - NVD CVE JSON 2.0, API responses and feed files: one record per CVE
//     with its [Configuration] values (CPE match criteria);
//   - OpenVEX and CycloneDX VEX: statements on products;
//   - the CISA KEV catalog ([KEV]) and FIRST EPSS scores ([EPSS]), which
//     hold no advisories but rank them.
//
// The model ([Advisory], [Affected], [Range], [Event], [Severity], and the
// product statuses of CSAF and VEX) keeps what matching and ranking need
// and drops the rest (details text, credits, ecosystem-specific data),
// which is what makes reading osv.dev-sized feeds fast: [Load] reads the
// 100,000 records of the synthetic benchmark in about a second on two
// cores.
//
// [Parse] and [ParseFeed] read one document from a reader, gzip-compressed
// or not. [Load] reads files, directory trees and zip archives such as
// osv.dev's per-ecosystem all.zip, concurrently, and returns the advisories
// in a deterministic order (by ID, then source), the KEV and EPSS data, and
// one [LoadError] per input that could not be read. Files met while
// walking a directory that are not advisories at all (a README, a
// checksum) are listed as ignored, not as errors. Zip archives are read
// with limits on the size of each member, the total size and the number of
// members, and members with unsafe names (absolute, "..") are refused. A
// CSAF document with a .sha256 or .sha512 file beside it is checked
// against it. Withdrawn records are kept (with [Advisory.Withdrawn] set).
//
// Looking records up is not done here: package index builds the lookup
// index over them.
package advisory
