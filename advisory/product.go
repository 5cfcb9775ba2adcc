package advisory

import "strings"

// This file holds the parts of the model that OSV does not have: products
// and their statuses (CSAF, OpenVEX, CycloneDX VEX), NVD applicability
// configurations, and the exploitation feeds (KEV, EPSS) that enrich
// advisories without being advisories themselves.

// Feed formats besides FormatOSV.
const (
	// FormatCSAF is a CSAF 2.0 document (security advisory or VEX); one
	// Advisory is made per vulnerability of the document.
	FormatCSAF = "csaf"
	// FormatNVD is an NVD CVE JSON 2.0 record (API 2.0 response or feed
	// file); one Advisory per CVE.
	FormatNVD = "nvd"
	// FormatOpenVEX is an OpenVEX document; one Advisory per statement.
	FormatOpenVEX = "openvex"
	// FormatCycloneDXVEX is a CycloneDX BOM with vulnerabilities (VEX or
	// VDR); one Advisory per vulnerability.
	FormatCycloneDXVEX = "cyclonedx-vex"
	// FormatKEV is CISA's Known Exploited Vulnerabilities catalog.
	FormatKEV = "kev"
	// FormatEPSS is a FIRST EPSS scores file.
	FormatEPSS = "epss"
)

// Product statuses, normalised over CSAF product_status lists, OpenVEX
// statuses and CycloneDX analysis states.
const (
	// ProductAffected: CSAF known_affected, first_affected,
	// last_affected; OpenVEX affected; CycloneDX exploitable.
	ProductAffected = "affected"
	// ProductNotAffected: CSAF known_not_affected; OpenVEX not_affected;
	// CycloneDX not_affected, false_positive.
	ProductNotAffected = "not_affected"
	// ProductFixed: CSAF fixed, first_fixed; OpenVEX fixed; CycloneDX
	// resolved, resolved_with_pedigree.
	ProductFixed = "fixed"
	// ProductUnderInvestigation: CSAF under_investigation; OpenVEX
	// under_investigation; CycloneDX in_triage.
	ProductUnderInvestigation = "under_investigation"
	// ProductRecommended: CSAF recommended (the version a vendor
	// recommends; not itself a statement about the vulnerability).
	ProductRecommended = "recommended"
)

// ProductStatus is what one advisory says about one product.
type ProductStatus struct {
	// Product is the product, shared by every status that names it.
	Product *Product
	// Status is one of the Product* status constants.
	Status string
	// List is the status as the source wrote it: a CSAF product_status
	// list name ("known_affected", "first_fixed", ...), an OpenVEX status,
	// a CycloneDX analysis state.
	List string
	// Justification is the VEX justification, in the source's
	// vocabulary: a CSAF flag label ("vulnerable_code_not_present"), an
	// OpenVEX justification, a CycloneDX analysis justification
	// ("code_not_reachable").
	Justification string
	// Impact is the impact statement (CSAF threat of category impact,
	// OpenVEX impact_statement, CycloneDX analysis detail).
	Impact string
	// Action is the action statement (OpenVEX action_statement,
	// CycloneDX analysis response joined with ", ").
	Action string
	// Remediations lists the remediations that name the product.
	Remediations []Remediation
}

// Product is one product an advisory speaks about: a leaf of a CSAF
// product tree with the branch path above it, a full_product_name, a
// relationship (a component inside a device), an OpenVEX product, or a
// CycloneDX bom-ref.
type Product struct {
	// ID is the product's identifier in its document: the CSAF
	// product_id, the OpenVEX @id, the CycloneDX bom-ref.
	ID string
	// Name is the full product name as written.
	Name string
	// Vendor, Family and ProductName are the names of the vendor,
	// product_family and product_name branches above the product (CSAF).
	Vendor, Family, ProductName string
	// Version is an exact version (CSAF product_version branch).
	Version string
	// VersionRange is a version range as written (CSAF
	// product_version_range branch: vers, a vls constraint, or free text
	// such as "<= L81" or "vers:all/>=V11.5.1|<V11.6.2").
	VersionRange string
	// PURLs, CPEs, ModelNumbers, SerialNumbers, SKUs and GenericURIs are
	// the product identification helpers; model and serial numbers may
	// hold "*" and "?" wildcards.
	PURLs, CPEs                       []string
	ModelNumbers, SerialNumbers, SKUs []string
	GenericURIs                       []string
	// Hashes lists file hashes as "algorithm:hex" ("sha256:ab12...").
	Hashes []string
	// Relationship is set when the product is defined by a CSAF
	// relationship: Relationship.Component inside or with
	// Relationship.Target.
	Relationship *Relationship
	// Subcomponents lists the components of the product a statement is
	// about (OpenVEX subcomponents).
	Subcomponents []*Product
	// Groups lists the CSAF product_group ids the product belongs to.
	Groups []string
}

// Relationship is a CSAF relationship: the product made of Component and
// Target.
type Relationship struct {
	// Category is the CSAF relationship category: "default_component_of",
	// "external_component_of", "installed_on", "installed_with",
	// "optional_component_of".
	Category string
	// Component is the product_reference (the part).
	Component *Product
	// Target is the relates_to_product_reference (the device or
	// platform).
	Target *Product
}

// Remediation is one CSAF remediation (or the like from another format).
type Remediation struct {
	// Category is "vendor_fix", "workaround", "mitigation",
	// "no_fix_planned", "none_available" (CSAF 2.0), or "fix_planned",
	// "optional_patch" (CSAF 2.1).
	Category string
	// Details is the remediation text.
	Details string
	// URL links to the fix or further information.
	URL string
	// Date is when the remediation was published, as written.
	Date string
}

// Threat is one CSAF threat: impact, exploit_status or target_set.
type Threat struct {
	// Category is "impact", "exploit_status" or "target_set".
	Category string
	// Details is the threat text as written.
	Details string
	// Date is the date of the threat statement, as written.
	Date string
	// ProductIDs lists the products the threat applies to (empty: all of
	// the vulnerability's products).
	ProductIDs []string
}

// Configuration is one NVD applicability configuration: its nodes joined
// by Operator (OR when empty).
type Configuration struct {
	// Operator is "AND" or "OR" ("" means OR).
	Operator string
	// Negate inverts the configuration.
	Negate bool
	// Nodes lists the configuration's nodes.
	Nodes []Node
}

// Node is one node of an NVD configuration: CPE matches joined by
// Operator.
type Node struct {
	// Operator is "AND" or "OR".
	Operator string
	// Negate inverts the node.
	Negate bool
	// Matches lists the node's CPE match criteria.
	Matches []CPEMatch
}

// CPEMatch is one NVD cpeMatch criterion.
type CPEMatch struct {
	// Vulnerable is set for the vulnerable CPE; unset for a platform
	// ("running on") CPE.
	Vulnerable bool
	// Criteria is the CPE 2.3 formatted string, possibly with ANY
	// wildcards.
	Criteria string
	// The version bounds, as written; empty when absent.
	VersionStartIncluding, VersionStartExcluding string
	VersionEndIncluding, VersionEndExcluding     string
}

// KEV is one entry of CISA's Known Exploited Vulnerabilities catalog.
type KEV struct {
	// CVE is the cveID.
	CVE string
	// VendorProject, Product and Name are as written in the catalog.
	VendorProject, Product, Name string
	// DateAdded and DueDate are dates as written ("2023-10-10").
	DateAdded, DueDate string
	// RequiredAction is the action CISA requires.
	RequiredAction string
	// Ransomware is set when knownRansomwareCampaignUse is "Known".
	Ransomware bool
	// Source is the file the entry was read from.
	Source string
	// Catalog and Released are the catalog's catalogVersion
	// ("2025.02.25") and dateReleased, as written.
	Catalog, Released string
}

// EPSS is one FIRST EPSS score.
type EPSS struct {
	// CVE is the CVE id.
	CVE string
	// Score is the probability of exploitation in the next 30 days, 0-1.
	Score float64
	// Percentile is the score's percentile among all scored CVEs, 0-1.
	Percentile float64
	// Model and Date are the model_version and score_date of the file.
	Model, Date string
	// Source is the file the score was read from.
	Source string
}

// Feed is what one document (or a whole load) held: advisories and the
// exploitation data that enriches them.
type Feed struct {
	// Advisories holds the advisories (OSV, CSAF, NVD and VEX records).
	Advisories []*Advisory
	// KEV holds Known Exploited Vulnerabilities catalog entries.
	KEV []KEV
	// EPSS holds EPSS scores.
	EPSS []EPSS
}

// HashKey returns a hash as the VEX products hold it:
// "algorithm:hex" with the algorithm in lower case without dashes or
// underscores ("SHA-256" gives "sha256") and the value in lower case.
func HashKey(algorithm, value string) string {
	return vexHashAlg(algorithm) + ":" + strings.ToLower(value)
}
