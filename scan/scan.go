package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/sbom"
)

// Config is what one scan reads and how.
type Config struct {
	// SBOMs lists device SBOM files and directories (walked
	// recursively). With an Inventory it may be empty: the inventory
	// names the SBOMs of its assets.
	SBOMs []string
	// Advisories lists feed files, directories and zip archives: OSV,
	// CSAF 2.0, NVD CVE JSON 2.0, OpenVEX, CycloneDX VEX, CISA KEV and
	// FIRST EPSS, each recognised by its content.
	Advisories []string
	// Inventory is the asset inventory CSV, or "" for none: each asset
	// becomes a device ranked with its own context.
	Inventory string
	// MDS2 lists MDS2 form files (.xlsx workbooks, .csv exports) and
	// directories of them: each form is attached to the devices whose
	// manufacturer and model it names (a form for another version with a
	// warning), unless the inventory's mds2 column names the device's
	// form. A form that cannot be read is named in the result's
	// MDS2Errors and the scan goes on without it.
	MDS2 []string
	// AsOf is the date of the ranking: end of support and KEV dates are
	// judged against it. The zero time judges nothing past its end of
	// support.
	AsOf time.Time
	// Validate checks every SBOM against its schema (warnings on the
	// devices); Strict also skips the files with warnings.
	Validate, Strict bool
	// Workers bounds the parallelism of each stage; 0 means GOMAXPROCS.
	Workers int
	// TrustVEX lists the VEX authors trusted for every device besides
	// its manufacturer and supplier (match.Matcher.TrustVEX): a
	// hospital's own VEX files. The command line's --trust-vex fills it
	// (there is no configuration file yet).
	TrustVEX []string
	// Progress, when set, is told how the reading goes.
	Progress Progress
	// DB is a compiled advisory database (package db) the caller opened,
	// and DBPath the file of one that Run opens (and leaves open: what
	// the result holds may point into it): set one of them, not both.
	// The scan then reads its index, KEV and EPSS data and provenance
	// instead of feed files, with the same result as a scan of the feeds
	// it was built from (Scan.DB names the database); Advisories given
	// as well are read on top of it (a hospital's own VEX files, a fresh
	// CSAF document) and indexed with its records.
	DB     *db.DB
	DBPath string
	// OpenedDB, when set, is called with the database of DBPath as soon
	// as Run opened it, while the SBOMs are still being read (a command
	// checks its age there, without opening it first and leaving a core
	// idle meanwhile); an error from it ends the scan, and Run returns
	// it as it is.
	OpenedDB func(*db.DB) error
	// Ignore is the ignore file (YAML, see the README: the findings the
	// hospital accepts for a while), or "" for none. Its matching
	// entries mark findings accepted (match.Finding.Ignored) unless
	// AsOf is past their until date; accepted findings count neither for
	// the ranking nor for --fail-on. Entries that match nothing are the
	// result's StaleIgnores; expired entries that still match are
	// warnings.
	Ignore string
	// Stdin, when set, is read as one more SBOM (bounded as files are),
	// named "-", before the SBOMs of SBOMs: `bomrank scan -`.
	Stdin io.Reader
	// PrefaultHeap prepares the memory the scan is expected to need,
	// before it starts, to fault in 2 MiB huge pages rather than a page
	// fault per 4 KiB page (Linux with transparent huge pages; see
	// prefaultHeap for the measurement and the sizing). A command
	// scanning once sets it; a program that scans again and again gains
	// little from it, its heap being resident already.
	PrefaultHeap bool
	// HoldGC lets the heap grow further between collections while the
	// scan reads and matches, until the collection that follows matching
	// (see holdGC for the measurement): nearly all that is allocated
	// until then is kept (the devices, the findings), so collections in
	// between would mark it for nothing. It changes the process's GC
	// setting (debug.SetGCPercent) for that time: a command scanning once
	// sets it; a program doing other work beside the scan leaves it off.
	HoldGC bool
	// MapDB opens Config.DBPath with db.OpenMapped rather than db.Open:
	// the database file is mapped, not read into memory, where a read
	// lease can guard the mapping (Linux). The mapping lasts until the
	// process exits: a command scanning once sets it (`bomrank scan`
	// does); a program that opens databases again and again leaves it
	// off.
	MapDB bool
}

// Progress receives the progress of the two readers, each with the number
// of inputs read so far and the number found so far. The two are called
// from different goroutines; calls to one of them are serialised.
type Progress struct {
	Feeds func(done, total int)
	SBOMs func(done, total int)
	// Phase, when set, is told when the reading is done and each later
	// phase starts: "matching" (n is the number of devices), then
	// "ranking" (n devices). Called from Run's goroutine.
	Phase func(name string, n int)
}

// phase tells cfg.Progress.Phase, when set.
func (p Progress) phase(name string, n int) {
	if p.Phase != nil {
		p.Phase(name, n)
	}
}

// InventoryError is an inventory that could not be read at all (missing,
// not a CSV, no asset_id column). Rows that cannot be read are not this:
// they are listed in the result.
type InventoryError struct {
	Path string
	Err  error
}

// Error implements error.
func (e *InventoryError) Error() string { return fmt.Sprintf("inventory %s: %v", e.Path, e.Err) }

// Unwrap returns Err.
func (e *InventoryError) Unwrap() error { return e.Err }

// Run reads, matches and ranks as cfg says and returns the complete
// result. It returns an error only when there is no result to give: ctx
// was cancelled (ctx.Err(), never a partial result), the inventory could
// not be read (*InventoryError), the database of Config.DBPath could not
// be opened (*db.Error), the ignore file could not be used
// (*IgnoreError), Config.OpenedDB refused it (its error), or Config.DB
// and Config.DBPath were both set.
// Everything else that could not be read is in the result (a database
// record found corrupt during the scan among the AdvisoryErrors, an MDS2
// form among the MDS2Errors).
func Run(ctx context.Context, cfg Config) (*report.Scan, error) {
	var inv *inventory.Inventory
	sbomPaths := cfg.SBOMs
	if cfg.Inventory != "" {
		var err error
		if inv, err = inventory.Load(cfg.Inventory); err != nil {
			return nil, &InventoryError{Path: cfg.Inventory, Err: err}
		}
		sbomPaths = withAssetSBOMs(cfg.SBOMs, inv)
	}
	if cfg.DB != nil && cfg.DBPath != "" {
		return nil, errors.New("scan: Config.DB and Config.DBPath are both set")
	}
	ign, err := loadIgnore(cfg.Ignore)
	if err != nil {
		return nil, err
	}
	restoreGC := holdGC(cfg.HoldGC)
	defer restoreGC()
	feeds, sres := load(ctx, cfg, sbomPaths)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if feeds.err != nil {
		return nil, feeds.err
	}
	records := feeds.ix.Contents().Records
	cfg.Progress.phase("matching", len(sres.Devices))
	m := &match.Matcher{Index: feeds.ix, Workers: cfg.Workers, TrustVEX: cfg.TrustVEX}
	results, failed, err := m.Scan(ctx, sres.Devices)
	if err != nil {
		return nil, err
	}
	if e := feeds.dbError(); e != nil {
		feeds.errors = append(feeds.errors, e)
	}
	// The index is done with: a database's decoded entries and the
	// matcher's compiled ranges (350 MB on the 600k workload) become
	// garbage before the ranking allocates its decisions.
	feeds.ix, feeds.handle = nil, nil
	// Collected now, the ranking and the report take their memory
	// rather than fresh pages (a page fault each 4 KiB, and peak memory):
	// the collection that would come during the ranking anyway comes
	// before it. `bomrank scan --db` of the 100k workload, -f json, 4
	// interleaved runs: peak 257-263 -> 228-230 MiB, CPU 2.04-2.13 s ->
	// 1.90-2.02 s.
	runtime.GC()
	restoreGC()
	exploits := rank.NewExploits(feeds.kev, feeds.epss)
	s := &report.Scan{
		Loaded:         sres.Devices,
		SBOMErrors:     sres.Errors,
		AdvisoryErrors: feeds.errors,
		MatchErrors:    failed,
		Advisories:     feeds.advisories,
		Feeds:          exploits.Feeds(),
		AsOf:           cfg.AsOf,
		Documents:      feeds.documents,
		Sources:        feeds.sources,
		DB:             feeds.db,
	}
	if inv != nil {
		results, s.InventoryErrors = assign(results, inv)
	}
	var formWarnings []string
	s.MDS2Errors, formWarnings = attachDisclosures(ctx, cfg, results, inv)
	s.Warnings = append(s.Warnings, formWarnings...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	applyIgnore(s, results, ign, cfg.AsOf)
	cfg.Progress.phase("ranking", len(results))
	ranked, failed := rank.Options{Exploits: exploits, AsOf: cfg.AsOf}.Rank(results)
	s.Results = ranked
	s.MatchErrors = append(s.MatchErrors, failed...)
	noData(s, records, len(cfg.Advisories) > 0 || feeds.db != nil)
	s.Warnings = append(s.Warnings, replacementWarnings(feeds.replaced)...)
	return s, nil
}

// withAssetSBOMs adds the SBOMs the inventory's assets run to paths, each
// once however many assets run it.
func withAssetSBOMs(paths []string, inv *inventory.Inventory) []string {
	out := append([]string(nil), paths...)
	seen := map[string]bool{}
	for _, p := range paths {
		seen[filepath.Clean(p)] = true
	}
	for _, a := range inv.Assets {
		if k := filepath.Clean(a.SBOM); !seen[k] {
			seen[k] = true
			out = append(out, a.SBOM)
		}
	}
	return out
}

// load reads the feeds (or the database) while it reads the SBOMs.
func load(ctx context.Context, cfg Config, sbomPaths []string) (*feedSide, *sbom.Result) {
	var (
		f  *feedSide
		wg sync.WaitGroup
	)
	if cfg.PrefaultHeap {
		prefaultHeap(sbomPaths, cfg.DBPath) // before the readers allocate
	}
	wg.Go(func() { f = loadFeeds(ctx, cfg) })
	// Schema checks cost more than the parse itself: they are made only
	// when asked for.
	sopts := sbom.Options{Strict: cfg.Strict, NoValidate: !cfg.Validate && !cfg.Strict, Workers: cfg.Workers, Progress: cfg.Progress.SBOMs}
	sres := sopts.Load(ctx, sbomPaths...)
	if cfg.Stdin != nil {
		readStdin(sopts, cfg.Stdin, sres)
	}
	wg.Wait()
	return f, sres
}

// assign makes one device per inventory asset; rows that could not be
// read, and assets whose SBOM was not read, are the inventory's errors.
func assign(results []*match.DeviceResult, inv *inventory.Inventory) ([]*match.DeviceResult, []report.InventoryError) {
	var errs []report.InventoryError
	for _, e := range inv.Errors {
		errs = append(errs, e)
	}
	results, missing := rank.Assign(results, inv.Assets)
	for _, a := range missing {
		errs = append(errs, &inventory.RowError{Path: inv.Path, Line: inv.Lines[a.ID], AssetID: a.ID, Err: fmt.Errorf("SBOM %s was not read", a.SBOM)})
	}
	return results, errs
}

// noData marks a result that no vulnerability record stands behind: no
// OSV, CSAF or NVD record was loaded (records, the index's count, is 0:
// no feed given, an empty folder, the SBOM folder given by mistake, only
// KEV and EPSS files). Its devices have no findings because nothing was
// looked at, not because they are clean.
func noData(s *report.Scan, records int, feedsGiven bool) {
	if records > 0 {
		return
	}
	s.NoData = true
	why := "no --advisories given"
	if feedsGiven {
		why = "the feeds given hold no OSV, CSAF or NVD record"
	}
	s.Warnings = append(s.Warnings, fmt.Sprintf("no vulnerability records were loaded (%s): the devices were not checked, and no finding means nothing was looked at, not that they are safe", why))
}
