package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/config"
	"github.com/bomrank/bomrank/internal/ignore"
	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/scan"
	"github.com/bomrank/bomrank/ssvc"
	"github.com/spf13/cobra"
)

// scanFlags are the flags of bomrank scan.
type scanFlags struct {
	feeds, args, trustVEX, formats   []string
	mds2                             []string // --mds2
	output, failOn, asOf, ignorePath string
	device, pubName, pubNS, invPath  string
	dbPath, maxAgeFlag, configPath   string
	maxAge                           time.Duration
	details, strict, validate, quiet bool
	failOnUnknown                    bool
	wide                             bool   // --wide: the table is not fitted to a width
	top                              int    // --top N
	minPriority                      string // --min-priority P
	stdout, stderr                   io.Writer
	threshold                        *report.Threshold
	date                             time.Time
	outputs                          []output // from formats and output
	formatSet, ignoreSet             bool     // -f, --ignore were given
	stdin                            bool     // "-" among args: read stdin
	dbWarning                        string   // the database's age, printed after the scan (checkScanDB)
}

const scanLong = `Match the components of device SBOMs against advisories and rank the devices.

SBOM_PATH and --advisories take files, directories (walked recursively) and, for
advisories, zip archives such as osv.dev's per-ecosystem all.zip. Every kind is
detected from the content. Feeds: OSV (JSON, YAML, zip), CSAF 2.0 advisories
and VEX, NVD CVE JSON 2.0, OpenVEX, CycloneDX VEX, CISA KEV catalog (JSON),
FIRST EPSS scores (CSV, gzip).

With --inventory FILE each asset of the hospital inventory is a device (id =
asset_id) ranked with its exposure, safety and mission impact (SSVC deployer
tree); SBOM_PATH may then be omitted. Its mds2 column attaches each asset's
MDS2 form (Manufacturer Disclosure Statement for Medical Device Security,
.xlsx or CSV export) and hardening_guide, hardening_guide_version its
manufacturer's hardening guide. --mds2 PATH (a form or a directory of
forms, repeatable) attaches a form to every other device whose manufacturer
and model it names, a form for another version with a warning. A form that
cannot be read is an error (exit 3) and the devices are ranked without it.

Formats: table (default), json, csv, sarif, markdown, html, cyclonedx (1.6
VDR/VEX), openvex, csaf (a CSAF 2.0 VEX document for one device: --device).
Several reports from one scan: -f json=out.json -f sarif=out.sarif -f table.
SBOM_PATH - reads one SBOM from standard input.

Findings the hospital accepts for a while are listed in an ignore file
(.bomrank.yaml in the working directory, or --ignore FILE): they stay in every
report, muted, and count neither for the ranking nor for --fail-on until the
--as-of date is past their "until"; entries matching nothing are listed as
stale.

With --db PATH the scan reads a database built by 'bomrank db build' instead of
the feed files (same report, feeds.db names it); -a feeds given as well are read
on top. Without -a and --db, the default database ($BOMRANK_DB, else the
configuration file's db, else bomrank/db in the user cache directory) is used when it exists, and stderr says so. Data
older than 7 days is a warning; --max-db-age DURATION makes it an error.

When no vulnerability record (OSV, CSAF, NVD) was loaded, the scan says so on
stderr and in every format, and with --fail-on it exits 2: a gate that could
not look must not pass.

Exit status: 0 all inputs read (and no device reaches --fail-on); 1 a device
reaches --fail-on; 2 usage error (an unusable ignore file too), no SBOM readable, --fail-on without any
vulnerability data, a database that cannot be opened or is older than
--max-db-age; 3 some inputs skipped (each named on stderr and in
"errors"). When several apply, the first of 2, 1, 3 wins.`

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	sf := &scanFlags{stdout: stdout, stderr: stderr}
	cmd := &cobra.Command{
		Use:   "scan [flags] [SBOM_PATH...]",
		Short: "Match device SBOMs against advisory feeds and rank the devices for patching",
		Long:  scanLong,
		RunE: func(cmd *cobra.Command, args []string) error {
			sf.args, sf.formatSet, sf.ignoreSet = args, cmd.Flags().Changed("format"), cmd.Flags().Changed("ignore")
			return sf.run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&sf.feeds, "advisories", "a", nil, "advisory feed: file, directory or zip (repeatable); with --db, read on top of the database")
	f.StringVar(&sf.dbPath, "db", "", "scan from the advisory database at PATH (bomrank db build); without -a and --db, the default database ($BOMRANK_DB, else the configuration file's db, else bomrank/db in the user cache directory) is used when it exists")
	f.StringVar(&sf.maxAgeFlag, "max-db-age", "", "exit 2 when the database's advisory data is older than DURATION (36h, 7d, 2w); without it, data older than 7 days is only a warning; a scan without a database refuses it")
	f.StringArrayVarP(&sf.formats, "format", "f", []string{"table"}, "output format: "+strings.Join(report.FormatNames(), ", ")+"; FORMAT=FILE writes that format to FILE (repeatable, as grype's -o json=out.json: one run, several reports; - is standard output)")
	f.StringVarP(&sf.output, "output", "o", "", "write the report of the plain -f FORMAT to FILE instead of standard output (not a format: -o json is refused, use -f json)")
	f.BoolVar(&sf.details, "details", false, "table: list under each device its inventory context, next step, all its reasons and its findings (action, KEV, EPSS)")
	f.BoolVar(&sf.wide, "wide", false, "table: print every column whole (by default the table fits the terminal's width, or $COLUMNS, or 100 columns)")
	f.IntVar(&sf.top, "top", 0, "list only the N most urgent devices in every format but csaf (the summaries still count all; --fail-on still looks at all)")
	f.StringVar(&sf.minPriority, "min-priority", "", "list only the devices at PRIORITY (immediate, out-of-cycle, scheduled, defer, none) or a more urgent one, in every format but csaf (the summaries still count all)")
	f.BoolVar(&sf.validate, "validate", false, "check SBOMs against their schemas and print the warnings (bomrank sbom always does)")
	f.BoolVar(&sf.strict, "strict", false, "check SBOM schemas and skip files with warnings (exit 3); implies --validate")
	f.StringVar(&sf.failOn, "fail-on", "", "exit 1 when a device reaches PRIORITY (immediate, out-of-cycle, scheduled, defer) or SEVERITY (critical, high, medium, low: an affected finding's CVSS base score, else its source's own rating such as GHSA's; a finding in CISA KEV counts as at least high; see --fail-on-unknown)")
	f.BoolVar(&sf.failOnUnknown, "fail-on-unknown", true, "--fail-on SEVERITY: count an affected finding of unknown severity (no CVSS vector, no rating from its source) as critical; --fail-on-unknown=false leaves such findings out")
	f.BoolVarP(&sf.quiet, "quiet", "q", false, "no progress bar and no notes on stderr (errors and warnings are still printed)")
	f.StringVar(&sf.asOf, "as-of", "", "date of the ranking (end of support) and of the VEX documents (cyclonedx, openvex, csaf), YYYY-MM-DD or RFC 3339 (default: today, UTC)")
	f.StringVar(&sf.invPath, "inventory", "", "asset inventory CSV (asset_id,sbom,location,exposure,safety_impact,mission_impact,units,mds2,hardening_guide,hardening_guide_version): each asset is a device, ranked with its context; SBOM and MDS2 form paths are relative to the file's folder")
	f.StringArrayVar(&sf.mds2, "mds2", nil, "MDS2 form (.xlsx workbook or CSV export) or directory of forms (repeatable; added to the config file's mds2 list): each form is attached to the devices whose manufacturer and model it names, unless the inventory's mds2 column names the device's form")
	f.StringVar(&sf.device, "device", "", "csaf: the device to describe, by id, SBOM path or name (needed when the scan has several)")
	f.StringVar(&sf.pubName, "publisher", "", "csaf, openvex: the publishing organisation (default bomrank; setting it makes the CSAF publisher category vendor)")
	f.StringVar(&sf.pubNS, "publisher-namespace", "", "csaf: the publisher's namespace URL")
	f.StringArrayVar(&sf.trustVEX, "trust-vex", nil, "trust the VEX statements (OpenVEX, CycloneDX VEX, CSAF) of AUTHOR for every device, e.g. the hospital's own, when they name the device or component exactly; by default only a device's manufacturer or supplier may change its findings (repeatable; added to the config file's trust_vex)")
	f.Bool("offline", false, offlineUsage)
	f.StringVar(&sf.configPath, "config", "", "configuration file (YAML; default $"+config.EnvVar+", else bomrank/config.yaml under the user config directory)")
	f.StringVar(&sf.ignorePath, "ignore", "", "ignore file: YAML list of the findings accepted for a while (id, device, component, reason, until, by); default "+ignore.DefaultName+" in the working directory when it exists (--ignore '' reads none). Accepted findings stay in every report, muted, and count neither for the ranking nor for --fail-on")
	return cmd
}

// check validates the flags that need no input read.
func (sf *scanFlags) check() error {
	if len(sf.args) == 0 && sf.invPath == "" {
		return usageErr("scan: no SBOM_PATH (or --inventory) given")
	}
	if err := sf.checkArgs(); err != nil {
		return err
	}
	outs, err := parseOutputs(sf.formats, sf.output, sf.formatSet)
	if err != nil {
		return usageErr("scan: %v", err)
	}
	sf.outputs = outs
	if err := sf.checkLimit(); err != nil {
		return err
	}
	if sf.failOn != "" {
		t, err := report.ParseThreshold(sf.failOn)
		if err != nil {
			return usageErr("scan: --fail-on: %v", err)
		}
		t.SkipUnknown = !sf.failOnUnknown
		sf.threshold = &t
	}
	date, err := parseAsOf(sf.asOf)
	if err != nil {
		return usageErr("scan: --as-of: %v", err)
	}
	sf.date = date
	if sf.maxAgeFlag != "" {
		if sf.maxAge, err = parseAge(sf.maxAgeFlag); err != nil {
			return usageErr("scan: --max-db-age: %v", err)
		}
	}
	return nil
}

// run is the whole command: flags -> config -> scan.Run -> report ->
// exit status.
func (sf *scanFlags) run(ctx context.Context) error {
	if err := sf.check(); err != nil {
		return err
	}
	file, err := loadConfig(sf.configPath)
	if err != nil {
		return usageErr("scan: %v", err)
	}
	dbPath, err := sf.scanDBPath(file)
	if err != nil {
		return err
	}
	trust := append(slices.Clone(file.TrustVEX), sf.trustVEX...)
	cfg := scan.Config{SBOMs: sf.args, Advisories: sf.feeds, DBPath: dbPath, Inventory: sf.invPath, AsOf: sf.date, Validate: sf.validate, Strict: sf.strict, TrustVEX: trust, PrefaultHeap: true, HoldGC: true, MapDB: true}
	cfg.MDS2 = append(configuredPaths(file.Path, file.MDS2), sf.mds2...)
	if dbPath != "" {
		cfg.OpenedDB = sf.checkScanDB(dbPath)
	}
	cfg.Ignore = sf.locateIgnore()
	if sf.stdin {
		cfg.Stdin = stdin
	}
	var bar *progressBar
	if !sf.quiet && isTerminal(sf.stderr) {
		bar = newProgressBar(sf.stderr, sf.feeds)
		cfg.Progress = scan.Progress{Feeds: bar.feed, SBOMs: bar.sbom, Phase: bar.phase}
	}
	res, err := scan.Run(ctx, cfg)
	bar.finish()
	if sf.dbWarning != "" {
		fmt.Fprintf(sf.stderr, "warning: %s\n", textsafe.Message(sf.dbWarning))
	}
	var ie *scan.InventoryError
	var ige *scan.IgnoreError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee // the database's age (checkScanDB)
	case errors.As(err, &ie):
		return usageErr("scan: --inventory: %v", ie.Err)
	case errors.As(err, &ige):
		return usageErr("scan: --ignore: %v", ige)
	case err != nil:
		return &exitError{code: exitUsage, msg: "scan: " + err.Error()}
	}
	sf.notes(res)
	if err := sf.write(res, bar); err != nil {
		return err
	}
	return sf.exit(res)
}

// notes prints what was skipped, the SBOM warnings and the scan's
// warnings on stderr (also under --quiet: they are not notes).
func (sf *scanFlags) notes(res *report.Scan) {
	reportLoad(sf.stderr, &sbom.Result{Devices: res.Loaded, Errors: res.SBOMErrors})
	for _, e := range res.AdvisoryErrors {
		fmt.Fprintf(sf.stderr, "error: %s\n", textsafe.Message(e.Error()))
	}
	for _, e := range res.MatchErrors {
		fmt.Fprintf(sf.stderr, "error: %s\n", textsafe.Message(e.Error()))
	}
	for _, e := range res.InventoryErrors {
		fmt.Fprintf(sf.stderr, "error: %s\n", textsafe.Message(e.Error()))
	}
	for _, e := range res.MDS2Errors {
		fmt.Fprintf(sf.stderr, "error: %s\n", textsafe.Message(e.Error()))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(sf.stderr, "warning: %s\n", textsafe.Message(w))
	}
	disclosureNotes(sf.stderr, res.Results)
	staleNotes(sf.stderr, res.StaleIgnores)
}

// disclosureNotes prints the warnings of each device's disclosure (a
// form for another version, a form contradicting the inventory's
// exposure), each line once per device, after the device's id.
func disclosureNotes(w io.Writer, results []*match.DeviceResult) {
	for _, r := range results {
		if r.Disclosure == nil {
			continue
		}
		seen := map[string]bool{}
		for _, l := range r.Disclosure.Warnings {
			if !seen[l] {
				seen[l] = true
				fmt.Fprintf(w, "warning: %s: %s\n", textsafe.Message(r.ID), textsafe.Message(l))
			}
		}
	}
}

// configuredPaths is a list of paths of the configuration file, relative
// ones made relative to the file's directory.
func configuredPaths(configPath string, paths []string) []string {
	var out []string
	for _, p := range paths {
		if !filepath.IsAbs(p) && configPath != "" {
			p = filepath.Join(filepath.Dir(configPath), p)
		}
		out = append(out, p)
	}
	return out
}

// write writes the reports of the chosen formats, each to its file or
// to standard output; the progress bar, when there is one, says which
// it writes.
func (sf *scanFlags) write(res *report.Scan, bar *progressBar) error {
	opts := report.Options{
		Details: sf.details, AsOf: sf.date, Device: sf.device,
		Tool:      report.Tool{Name: "bomrank", Version: moduleVersion()},
		Publisher: report.Publisher{Name: sf.pubName, Namespace: sf.pubNS},
	}
	if sf.pubName != "" {
		opts.Publisher.Category = "vendor"
	}
	for _, o := range sf.outputs {
		if o.format != "csaf" {
			continue
		}
		if _, err := report.SelectDevice(res, sf.device); err != nil {
			return usageErr("scan: --format csaf: %v (--device)", err)
		}
	}
	limited := res.Limit(sf.top, ssvc.Priority(sf.minPriority))
	for _, o := range sf.outputs {
		opts.Color = o.path == "" && useColor(sf.stdout)
		opts.Width = sf.tableWidth(o.path)
		out := limited
		if o.format == "csaf" {
			out = res // one device, chosen with --device
		}
		if o.path == "" && isTerminal(sf.stdout) {
			bar.finish() // the report goes to the bar's terminal
		} else {
			bar.writing(o.format, o.path)
		}
		err := writeOutput(o.path, sf.stdout, func(w io.Writer) error {
			return report.Write(w, o.format, out, opts)
		})
		if err != nil {
			bar.finish()
			return &exitError{code: exitUsage, msg: err.Error()}
		}
	}
	bar.finish()
	return nil
}

// exit decides the exit status. Precedence: 2 (nothing read, or a gate
// without data) over 1 (--fail-on) over 3 (some inputs skipped).
func (sf *scanFlags) exit(res *report.Scan) error {
	switch {
	case len(res.Loaded) == 0 && len(res.SBOMErrors) == 0:
		return &exitError{code: exitUsage, msg: "no SBOM found in the given paths"}
	case len(res.Loaded) == 0:
		return &exitError{code: exitUsage, msg: "no input could be read"}
	case sf.threshold != nil && res.NoData:
		return &exitError{code: exitUsage, msg: fmt.Sprintf("--fail-on %s: no vulnerability records were loaded, so no device could be checked", sf.threshold)}
	}
	if sf.threshold != nil {
		if hit := sf.threshold.Reaching(res); len(hit) > 0 {
			names := make([]string, len(hit))
			for i, r := range hit {
				names[i] = textsafe.Line(fmt.Sprintf("%s (%s)", r.Device.Name, r.ID))
			}
			return &exitError{code: exitFail, msg: failMessage(*sf.threshold, names)}
		}
	}
	if res.Skipped() > 0 {
		return &exitError{code: exitPartial}
	}
	return nil
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

// failMessage names the devices that reach the --fail-on threshold, the
// first five of them.
func failMessage(t report.Threshold, devices []string) string {
	names := devices
	if len(devices) > 5 {
		names = append(devices[:5:5], fmt.Sprintf("and %d more", len(devices)-5))
	}
	return fmt.Sprintf("%d device(s) reach --fail-on %s: %s", len(devices), t, strings.Join(names, ", "))
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
