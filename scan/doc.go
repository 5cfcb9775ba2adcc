// Package scan is bomrank's one door: [Run] does the whole job a hospital
// or a release pipeline asks for, from paths to a ranked result.
//
// It reads the device SBOMs and the advisory feeds (at the same time: the
// feeds are mostly waiting on the file system), indexes the feeds, reads
// the asset inventory, matches every device, gives each inventory asset
// its own copy of its SBOM's findings, attaches the manufacturers'
// disclosures (below), and ranks the devices once. The
// result is a [report.Scan], which every output format of package report
// writes; a Go tool that imports bomrank needs nothing else:
//
//	res, err := scan.Run(ctx, scan.Config{
//		SBOMs:      []string{"fleet/"},
//		Advisories: []string{"feeds/osv", "feeds/csaf"},
//		AsOf:       time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC),
//	})
//	if err != nil {
//		return err // cancelled, or the inventory could not be read
//	}
//	report.Write(os.Stdout, "sarif", res, report.Options{AsOf: res.AsOf})
//
// Inputs that could not be read (an SBOM, a feed file, an inventory row,
// an MDS2 form, a device whose matching failed) do not stop the run: each is listed in the
// result, named, and [report.Scan.Err] joins them for errors.Is and
// errors.As. When no vulnerability records were loaded at all the result
// says so (NoData and a warning that every format prints): a scan that
// could not look must never read as "all clear".
//
// MDS2 forms (Manufacturer Disclosure Statement for Medical Device
// Security, package mds2) are attached after the inventory and before the
// ranking, in each device's match.Disclosure: the inventory's mds2 column
// names an asset's form (rank.Assign copies the path and the hardening
// guide); Config.MDS2 names forms and folders of forms (walked by
// internal/walk; in a folder only .xlsx, .xlsm and .csv files, and those
// that are not MDS2 forms are passed over), each attached to every other
// device whose manufacturer and model it names (match.DeviceNamer, CSAF
// product matching's comparison). Of several forms naming a device, the
// one naming its whole name or a model number wins, then the one for its
// version, then the newest date, then the first in path order. Each file
// is read once (through internal/pool) however many devices use it, and
// devices share the *mds2.Form; each device has its own Disclosure. A form
// for another version than the SBOM's, or an inventory form naming another
// device, is attached with a line in Disclosure.Warnings; a form named in
// Config.MDS2 (not found in a folder) that names no device is a warning
// of the result. A form that
// cannot be read is in the result's MDS2Errors (an *mds2.Error naming the
// file; an inventory form that does not exist, an *inventory.RowError per
// row naming it) and its devices are ranked without a form: an asset whose
// inventory form is missing gets no --mds2 form in its place.
//
// With Config.Ignore, the findings the hospital accepts for a while (an
// ignore file, see internal/ignore) are marked after the inventory is
// applied and before the ranking, so that they do not count; the entries
// that matched nothing are the result's StaleIgnores.
//
// Run never reads the clock: the date of the ranking is Config.AsOf.
package scan
