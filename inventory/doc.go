// Package inventory reads a hospital's asset inventory: a CSV file that
// says, for each asset (a device or a group of identical devices), which
// SBOM it runs, where it is, how exposed it is and what its failure would
// mean for patients and the hospital. The values are the SSVC deployer
// decision points that come from the deployment (an ssvc.Context per
// Asset); package rank ranks the devices with them.
//
// The file has a header row; columns may come in any order and unknown
// columns are ignored:
//
//	asset_id        required, unique
//	sbom            required: the SBOM's path, relative to the inventory's folder
//	location        free text
//	exposure        small | controlled | open (also isolated, segmented, internet)
//	safety_impact   negligible | marginal | critical | catastrophic
//	mission_impact  degraded | crippled | mef-failure | mission-failure
//	                (also SSVC 2's mef-support-crippled for crippled)
//	units           a positive whole number
//	mds2            the device's MDS2 form (.xlsx or .csv export), relative
//	                to the inventory's folder like sbom
//	hardening_guide the manufacturer's hardening guide: a URL or a path,
//	                kept as written
//	hardening_guide_version
//	                the device software version the guide is for
//
// The mds2, hardening_guide and hardening_guide_version columns are not
// read here beyond their text: package scan reads each form once and
// attaches it (and the guide) to the asset's device; a form that cannot
// be read is an error of the scan, not of the row (the asset is ranked
// without it). A hardening_guide_version without a hardening_guide names
// no guide: the asset has none.
//
// Empty cells take defaults, each noted in ssvc.Context.Defaulted:
// exposure controlled, safety critical, mission crippled, units 1. A row
// that cannot be read is a RowError with its line number; the other rows
// are still used.
package inventory
