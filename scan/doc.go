// Package scan is bomrank's one door: [Run] does the whole job a hospital
// or a release pipeline asks for, from paths to a ranked result.
//
// It reads the device SBOMs and the advisory feeds (at the same time: the
// feeds are mostly waiting on the file system), indexes the feeds, reads
// the asset inventory, matches every device, gives each inventory asset
// its own copy of its SBOM's findings, and ranks the devices once. The
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
// Inputs that could not be read (an SBOM, a feed file, an inventory row, a
// device whose matching failed) do not stop the run: each is listed in the
// result, named, and [report.Scan.Err] joins them for errors.Is and
// errors.As. When no vulnerability records were loaded at all the result
// says so (NoData and a warning that every format prints): a scan that
// could not look must never read as "all clear".
//
// With Config.Ignore, the findings the hospital accepts for a while (an
// ignore file, see internal/ignore) are marked after the inventory is
// applied and before the ranking, so that they do not count; the entries
// that matched nothing are the result's StaleIgnores.
//
// Run never reads the clock: the date of the ranking is Config.AsOf.
package scan
