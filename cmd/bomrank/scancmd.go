package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/sbom"
	"github.com/spf13/cobra"
)

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		feeds    []string
		format   string
		output   string
		details  bool
		strict   bool
		validate bool
		failOn   string
		quiet    bool
		asOf     string
		device   string
		pubName  string
		pubNS    string
		invPath  string
	)
	cmd := &cobra.Command{
		Use:   "scan [flags] [SBOM_PATH...]",
		Short: "Match device SBOMs against advisory feeds and rank the devices for patching",
		Long: `Match the components of device SBOMs against advisories and rank the devices.

SBOM_PATH and --advisories take files, directories (walked recursively) and, for
advisories, zip archives such as osv.dev's per-ecosystem all.zip. Every kind is
detected from the content. Feeds read so far: OSV (JSON, YAML, zip), CISA KEV
catalog (JSON), FIRST EPSS scores (CSV, gzip).

With --inventory FILE each asset of the hospital inventory is a device (id =
asset_id) ranked with its exposure, safety and mission impact (SSVC deployer
tree); SBOM_PATH may then be omitted.

Formats: table (default), json, csv, sarif, markdown, html, cyclonedx (1.6
VDR/VEX), openvex, csaf (a CSAF 2.0 VEX document for one device: --device).

Exit status: 0 all inputs read (and no device reaches --fail-on); 1 a device
reaches --fail-on; 2 usage error or no SBOM readable; 3 some inputs skipped
(each named on stderr and in "errors"). When several apply, the first of
2, 1, 3 wins.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && invPath == "" {
				return usageErr("scan: no SBOM_PATH (or --inventory) given")
			}
			var inv *inventory.Inventory
			sbomPaths := args
			if invPath != "" {
				var err error
				if inv, err = inventory.Load(invPath); err != nil {
					return usageErr("scan: --inventory: %v", err)
				}
				// Each SBOM is read once, however many assets run it.
				seen := map[string]bool{}
				for _, p := range args {
					seen[filepath.Clean(p)] = true
				}
				for _, a := range inv.Assets {
					if k := filepath.Clean(a.SBOM); !seen[k] {
						seen[k] = true
						sbomPaths = append(sbomPaths, a.SBOM)
					}
				}
			}
			if _, err := report.Lookup(format); err != nil {
				return usageErr("scan: --format: %v", err)
			}
			var threshold *report.Threshold
			if failOn != "" {
				t, err := report.ParseThreshold(failOn)
				if err != nil {
					return usageErr("scan: --fail-on: %v", err)
				}
				threshold = &t
			}
			date, err := parseAsOf(asOf)
			if err != nil {
				return usageErr("scan: --as-of: %v", err)
			}
			ctx := cmd.Context()
			var bar *progressBar
			if !quiet && isTerminal(stderr) {
				bar = &progressBar{w: stderr}
			}
			// Feeds and SBOMs are read at the same time: reading the
			// feed is mostly waiting on the file system.
			var ares *advisory.LoadResult
			var ix *advisory.Index
			feedsDone := make(chan struct{})
			go func() {
				defer close(feedsDone)
				aopts := advisory.Options{}
				if bar != nil {
					aopts.Progress = bar.feed
				}
				ares = aopts.Load(ctx, feeds...)
				ix = advisory.NewIndex(ares.Advisories)
			}()
			// Schema checks cost more than the parse itself; a scan
			// skips them unless asked (bomrank sbom always checks).
			sopts := sbom.Options{Strict: strict, NoValidate: !validate && !strict}
			if bar != nil {
				sopts.Progress = bar.sbom
			}
			sres := sopts.Load(ctx, sbomPaths...)
			<-feedsDone
			if bar != nil {
				bar.finish()
			}
			reportLoad(stderr, sres)
			for _, e := range ares.Errors {
				fmt.Fprintf(stderr, "error: %s\n", e)
			}
			if len(feeds) == 0 && !quiet {
				fmt.Fprintln(stderr, "bomrank: no --advisories given: devices are listed without findings")
			}
			exploits := rank.NewExploits(ares.KEV, ares.EPSS)
			m := &match.Matcher{Index: ix}
			results := m.Scan(ctx, sres.Devices)
			var invErrs []report.InventoryError
			if inv != nil {
				for _, e := range inv.Errors {
					invErrs = append(invErrs, e)
				}
				var missing []inventory.Asset
				results, missing = rank.Assign(results, inv.Assets)
				for _, a := range missing {
					invErrs = append(invErrs, &inventory.RowError{Path: inv.Path, Line: inv.Lines[a.ID], AssetID: a.ID, Err: fmt.Errorf("SBOM %s was not read", a.SBOM)})
				}
				for _, e := range invErrs {
					fmt.Fprintf(stderr, "error: %s\n", e)
				}
			}
			rank.Options{Exploits: exploits, AsOf: date}.Rank(results)
			scan := &report.Scan{
				Results:         results,
				SBOMErrors:      sres.Errors,
				AdvisoryErrors:  ares.Errors,
				Advisories:      len(ares.Advisories),
				InventoryErrors: invErrs,
				Feeds:           exploits.Feeds(),
				AsOf:            date,
				Documents:       rank.Documents(ares.Advisories),
			}
			opts := report.Options{
				Details: details, AsOf: date, Device: device,
				Color:     output == "" && useColor(stdout),
				Tool:      report.Tool{Name: "bomrank", Version: moduleVersion()},
				Publisher: report.Publisher{Name: pubName, Namespace: pubNS},
			}
			if pubName != "" {
				opts.Publisher.Category = "vendor"
			}
			if format == "csaf" {
				if _, err := report.SelectDevice(scan, device); err != nil {
					return usageErr("scan: --format csaf: %v (--device)", err)
				}
			}
			if err := writeOutput(output, stdout, func(w io.Writer) error {
				return report.Write(w, format, scan, opts)
			}); err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			// Precedence: 2 (nothing read) over 1 (--fail-on) over 3
			// (some inputs skipped).
			lerr := loadExit(sres)
			if (len(ares.Errors) > 0 || len(invErrs) > 0) && len(sres.Devices) > 0 {
				lerr = &exitError{code: exitPartial}
			}
			if ee, ok := lerr.(*exitError); ok && ee.code == exitUsage {
				return lerr
			}
			if threshold != nil {
				if hit := threshold.Reaching(scan); len(hit) > 0 {
					return &exitError{code: exitFail, msg: failMessage(*threshold, hit)}
				}
			}
			return lerr
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&feeds, "advisories", "a", nil, "advisory feed: file, directory or zip (repeatable)")
	f.StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(report.FormatNames(), ", "))
	f.StringVarP(&output, "output", "o", "", "write the report to FILE instead of standard output")
	f.BoolVar(&details, "details", false, "table: list the findings under each device")
	f.BoolVar(&validate, "validate", false, "check SBOMs against their schemas and print the warnings (bomrank sbom always does)")
	f.BoolVar(&strict, "strict", false, "check SBOM schemas and skip files with warnings (exit 3); implies --validate")
	f.StringVar(&failOn, "fail-on", "", "exit 1 when a device reaches PRIORITY (immediate, out-of-cycle, scheduled, defer) or SEVERITY (critical, high, medium, low: CVSS base score of an affected finding)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress bar and no notes on stderr (errors and warnings are still printed)")
	f.StringVar(&asOf, "as-of", "", "date of the ranking (end of support) and of the VEX documents (cyclonedx, openvex, csaf), YYYY-MM-DD or RFC 3339 (default: today, UTC)")
	f.StringVar(&invPath, "inventory", "", "asset inventory CSV (asset_id,sbom,location,exposure,safety_impact,mission_impact,units): each asset is a device, ranked with its context; SBOM paths are relative to the file's folder")
	f.StringVar(&device, "device", "", "csaf: the device to describe, by id, SBOM path or name (needed when the scan has several)")
	f.StringVar(&pubName, "publisher", "", "csaf, openvex: the publishing organisation (default bomrank; setting it makes the CSAF publisher category vendor)")
	f.StringVar(&pubNS, "publisher-namespace", "", "csaf: the publisher's namespace URL")
	return cmd
}

// parseAsOf reads --as-of; empty means today (UTC midnight, so a day's
// runs give the same bytes). The command reads the clock, the library
// never does.
func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		y, m, d := time.Now().UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}

// failMessage names the devices that reach the --fail-on threshold.
func failMessage(t report.Threshold, hit []*match.DeviceResult) string {
	names := make([]string, 0, min(len(hit), 5))
	for i, r := range hit {
		if i == 5 {
			names = append(names, fmt.Sprintf("and %d more", len(hit)-5))
			break
		}
		names = append(names, fmt.Sprintf("%s (%s)", r.Device.Name, r.ID))
	}
	return fmt.Sprintf("%d device(s) reach --fail-on %s: %s", len(hit), t, strings.Join(names, ", "))
}

// writeOutput writes through fn to the named file, or to stdout when name
// is empty.
func writeOutput(name string, stdout io.Writer, fn func(io.Writer) error) error {
	if name == "" {
		bw := bufio.NewWriter(stdout)
		if err := fn(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := fn(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
