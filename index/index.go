package index

import (
	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/cpe"
)

// Reader is what the matcher reads advisories through: every lookup a
// scan makes, each a direct access by a key taken from a component or a
// device. [Memory] implements it over advisories read into memory; a
// compiled database implements it over a file.
//
// Returned slices are shared with the index (a scan makes hundreds of
// thousands of lookups): callers must not modify them. Every method is
// safe for concurrent use.
type Reader interface {
	// Contents says what the index holds, so that a matcher can skip
	// whole kinds of lookup (and the keys they need) when it holds none.
	Contents() Contents
	// Packages returns the affected entries of the package name in
	// ecosystem, sorted by advisory ID and then by position in the
	// record. The name is compared in its NormalizeName form; ecosystem
	// may carry a release ("Debian:11") or not, and either way the
	// entries of every release of the ecosystem are returned: the caller
	// compares Entry.Affected.Ecosystem to filter releases.
	Packages(ecosystem, name string) []Entry
	// PackageURL returns the affected entries whose package URL
	// (affected[].package.purl in OSV) reduces to key with
	// purl.PackageKey, sorted by advisory ID.
	PackageURL(key string) []Entry
	// Configurations returns the NVD configurations that have a
	// vulnerable criterion with the given vendor and product, both in CPE
	// WFN form (lower case, punctuation other than "_" quoted with a
	// backslash, as cpe.Name holds them), sorted by advisory ID.
	Configurations(vendor, product string) []CPEEntry
	// Criterion returns the parsed form of a criterion of an indexed NVD
	// configuration (advisory.CPEMatch.Criteria), and false if it did not
	// parse or the index does not hold it.
	Criterion(criteria string) (cpe.Name, bool)
	// Products returns the CSAF product statuses whose product has the
	// key (see Key for the kinds).
	Products(k Key) []CSAFEntry
	// Statements returns the OpenVEX and CycloneDX VEX product statuses
	// whose product, subcomponent or device has the key, in source order.
	Statements(k Key) []VEXEntry
}

// Contents says what an index holds.
type Contents struct {
	// Records is the number of advisory records indexed (vulnerability
	// records: OSV, CSAF, NVD; VEX statements are not counted).
	Records int
	// Entries is the number of affected entries; every Entry.Seq is
	// below it.
	Entries int
	// PURLs is set when some entry names its package by purl, CPE when
	// the index holds NVD configurations, CSAF when it holds CSAF product
	// statuses, VEX when it holds OpenVEX or CycloneDX VEX statements.
	PURLs, CPE, CSAF, VEX bool
}

// KeyKind says which identifier a Key holds.
type KeyKind uint8

// The kinds of key of Products and Statements lookups.
const (
	// ByName: Vendor is a vendor in names.Vendor form and Value one token
	// of the product's name (CSAF products only).
	ByName KeyKind = iota + 1
	// ByModel: a model number, serial number or SKU, compared in upper
	// case; CSAF products whose numbers hold "*" or "?" wildcards that
	// match it are found too (CSAF products only).
	ByModel
	// ByPURL: for Products, a package key (purl.PackageKey); for
	// Statements, a package URL (any version: the caller compares
	// versions).
	ByPURL
	// ByCPE: a CPE; Products compares its vendor and product, Statements
	// the whole CPE without regard to case.
	ByCPE
	// ByHash: a file hash "algorithm:hex" (advisory.HashKey form).
	ByHash
	// ByBOMSerial: a CycloneDX BOM serial number ("urn:uuid:..." or the
	// bare UUID) that a BOM-Link points into (Statements only).
	ByBOMSerial
	// ByURI: an IRI, exactly: an SPDX element IRI, a product @id
	// (Statements only).
	ByURI
)

// Key is one lookup key of Products and Statements.
type Key struct {
	Kind KeyKind
	// Vendor is set for ByName keys only.
	Vendor string
	Value  string
}

// Entry is one affected package of one advisory, as Packages and
// PackageURL return it.
type Entry struct {
	// Advisory is the record.
	Advisory *advisory.Advisory
	// Affected points into Advisory.Affected.
	Affected *advisory.Affected
	// Seq numbers the entry densely within its index, 0 to
	// Contents().Entries-1, so that a matcher can keep per-entry state in
	// a slice rather than a map.
	Seq int
}

// CPEEntry is one NVD applicability configuration of one record, as
// Configurations returns it.
type CPEEntry struct {
	// Advisory is the record.
	Advisory *advisory.Advisory
	// Config points into Advisory.Configurations.
	Config *advisory.Configuration
	// Platform is set when whether the configuration is met can depend on
	// CPEs other than the one looked up: it has non-vulnerable ("running
	// on") criteria, an AND of nodes or of criteria, or a negation. An
	// entry without it is met or not by one CPE alone (an OR of
	// vulnerable criteria), so a matcher may remember its verdict per
	// CPE.
	Platform bool
}

// CSAFEntry is one product status of one CSAF record, as Products returns
// it.
type CSAFEntry struct {
	// Advisory is the record.
	Advisory *advisory.Advisory
	// Status points into Advisory.Products.
	Status *advisory.ProductStatus
}

// VEXEntry is one product status of an OpenVEX or CycloneDX VEX record,
// as Statements returns it. The lookups find candidates by one
// identifier; the caller decides, from the whole product, whether and how
// the statement applies.
type VEXEntry struct {
	// Advisory is the record (one OpenVEX statement, one CycloneDX
	// vulnerability).
	Advisory *advisory.Advisory
	// Status is the record's status for the product found.
	Status *advisory.ProductStatus
	// Seq numbers the entries of the index from 0 in source order (file,
	// then position in the file); it orders entries deterministically.
	Seq int
}
