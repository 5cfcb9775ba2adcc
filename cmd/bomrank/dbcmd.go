package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/config"
	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/report"
	"github.com/spf13/cobra"
)

// staleAfter is the age of the advisory data past which a scan from a
// database warns (never refuses, unless --max-db-age says so: an
// air-gapped hospital must still be able to rank with old data).
const staleAfter = 7 * 24 * time.Hour

// defaultDBPath is $BOMRANK_DB, else the configuration file's db, else
// bomrank/db under the user's cache directory ("" when there is none).
func defaultDBPath(file *config.Config) string {
	if p := os.Getenv("BOMRANK_DB"); p != "" {
		return p
	}
	if file != nil && file.DB != "" {
		return file.DB
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "bomrank", "db")
}

const dbLong = `Build and inspect bomrank's compiled advisory database: every feed read,
indexed and parsed once, then scanned in a blink with 'bomrank scan --db'.

The default database is $BOMRANK_DB, else the configuration file's db, else
bomrank/db under the user cache directory; 'bomrank scan' with neither -a nor --db uses it when it exists.`

func newDBCmd(stdout, stderr io.Writer) *cobra.Command {
	var configPath string
	cmd := &cobra.Command{Use: "db", Short: "Build and inspect the compiled advisory database", Long: dbLong}
	cmd.PersistentFlags().StringVar(&configPath, "config", "", "the configuration file: its db path and, for update and check, its sources (default $BOMRANK_CONFIG, else bomrank/config.yaml in the user configuration directory)")
	cmd.AddCommand(newDBBuildCmd(stderr, &configPath), newDBStatusCmd(stdout, &configPath), newDBUpdateCmd(stderr, &configPath), newDBCheckCmd(stdout, stderr, &configPath))
	cmd.AddCommand(newDBExportCmd(stderr, &configPath), newDBImportCmd(stderr, &configPath))
	return cmd
}

// dbPathOf is --db, else the default database (see defaultDBPath).
func dbPathOf(cmd, flag, configPath string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	file, err := loadConfig(configPath)
	if err != nil {
		return "", usageErr("%s: %v", cmd, err)
	}
	if p := defaultDBPath(file); p != "" {
		return p, nil
	}
	return "", usageErr("%s: no --db given and no user cache directory", cmd)
}

const dbBuildLong = `Read the advisory feeds (everything 'scan -a' reads: OSV, CSAF, NVD, VEX,
KEV, EPSS) and write the database: to a new file beside the old one, renamed
into place when complete, so that scans running meanwhile finish on the old
one. A second build at once fails at once, saying another build holds the lock.

Exit status: 0 written; 2 usage error or not written (locked, unwritable, no
data read; the old database is unchanged); 3 written, but some feed inputs
could not be read (each named on stderr).`

func newDBBuildCmd(stderr io.Writer, configPath *string) *cobra.Command {
	var (
		path  string
		feeds []string
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "build [--db PATH] -a FEED...",
		Short: "Build the advisory database from feed files",
		Long:  dbBuildLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := dbPathOf("db build", path, *configPath)
			if err != nil {
				return err
			}
			return dbBuild(cmd.Context(), stderr, path, feeds, quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&path, "db", "", "the database file (default $BOMRANK_DB, else bomrank/db in the user cache directory)")
	f.StringArrayVarP(&feeds, "advisories", "a", nil, "advisory feed: file, directory or zip (repeatable)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress bar and no summary on stderr (errors are still printed)")
	return cmd
}

func dbBuild(ctx context.Context, stderr io.Writer, path string, feeds []string, quiet bool) error {
	if len(feeds) == 0 {
		return usageErr("db build: no feed given (-a FEED)")
	}
	opts := db.BuildOptions{Path: path, Feeds: feeds, Version: moduleVersion(), Now: time.Now().UTC()}
	var bar *progressBar
	if !quiet && isTerminal(stderr) {
		bar = &progressBar{w: stderr}
		opts.Progress = bar.feed
	}
	res, err := db.Build(ctx, opts)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return &exitError{code: exitUsage, msg: "db build: " + err.Error()}
	}
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "error: %s\n", textsafe.Message(e.Error()))
	}
	if !quiet {
		m := res.Meta
		fmt.Fprintf(stderr, "built %s: %d records indexed (%d read), %d KEV entries, %d EPSS scores, %s, %s\n",
			textsafe.Line(path), m.Records, m.Advisories, m.KEV, m.EPSS, report.SizeString(res.Size), res.Digest)
	}
	if len(res.Errors) > 0 {
		return &exitError{code: exitPartial}
	}
	return nil
}

const dbStatusLong = `Print what the database was built from: schema, build time, bomrank version,
digest and, per source, its kind, path, records, newest modified date, SHA-256
and capture time with its age. --verify also re-reads every record and checks
the database's digest.

Exit status: 0 readable (and verified, with --verify); 1 --verify found it
corrupt (what is wrong is named); 2 usage error, or the database cannot be
opened (missing, not a database, another schema, truncated, corrupt).`

func newDBStatusCmd(stdout io.Writer, configPath *string) *cobra.Command {
	var (
		path, format string
		verify       bool
	)
	cmd := &cobra.Command{
		Use:   "status [--db PATH] [--format table|json] [--verify]",
		Short: "Print the database's provenance and age; --verify checks every record",
		Long:  dbStatusLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := dbPathOf("db status", path, *configPath)
			if err != nil {
				return err
			}
			return dbStatus(stdout, path, format, verify)
		},
	}
	f := cmd.Flags()
	f.StringVar(&path, "db", "", "the database file (default $BOMRANK_DB, else bomrank/db in the user cache directory)")
	f.StringVarP(&format, "format", "f", "table", "output format: table, json")
	f.BoolVar(&verify, "verify", false, "re-read every record and check the database's digest; exit 1 when it is corrupt")
	return cmd
}

func dbStatus(stdout io.Writer, path, format string, verify bool) error {
	if format != "table" && format != "json" {
		return usageErr("db status: --format: %q is not table or json", format)
	}
	d, err := db.Open(path)
	if err != nil {
		return &exitError{code: exitUsage, msg: "db status: " + err.Error()}
	}
	defer d.Close()
	var verr error
	if verify {
		verr = d.Verify()
	}
	st := d.Status()
	if err := report.WriteDBStatus(stdout, format, &st, time.Now().UTC(), verify, verr); err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	if verr != nil {
		return &exitError{code: exitFail, msg: "db status --verify: " + verr.Error()}
	}
	return nil
}

// ageString is a duration in whole days ("1 day", "8 days").
func ageString(d time.Duration) string { return report.DaysString(d) }

// parseAge reads --max-db-age: a Go duration ("36h") or a number of days
// or weeks ("7d", "2w").
func parseAge(s string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if n := len(s); n > 1 && unit[s[n-1]] != 0 {
		v, err := strconv.ParseFloat(s[:n-1], 64)
		if err == nil && v >= 0 {
			return time.Duration(v * float64(unit[s[n-1]])), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (36h, 7d, 2w)", s)
	}
	return d, nil
}

// dataAge is how old a database's data is: since its oldest source was
// captured (report.OldestSource, as the reports say it), else since it
// was built. The CLI reads the clock; the library never does.
func dataAge(d *db.DB, now time.Time) (time.Duration, string) {
	st := d.Status()
	if src, date, ok := report.OldestSource(st.Sources); ok {
		return now.Sub(date), fmt.Sprintf("oldest source: %s %s, captured %s", src.Kind, src.Path, date.Format(time.DateOnly))
	}
	return now.Sub(st.Built), "built " + st.Built.UTC().Format(time.DateOnly)
}

// scanDBPath is the database a scan reads: --db, else the default one
// when neither -a nor --db is given and it exists (said on stderr, not
// with -q); "" when the scan reads feed files only.
//
// The scan opens it (scan.Config.DBPath) while it reads the SBOMs, and
// checks its age then (checkScanDB): opening the 100k benchmark's
// database before the scan, as the command did first, kept both cores
// waiting on one for 0.16 s of a 1.0 s scan.
func (sf *scanFlags) scanDBPath(file *config.Config) (string, error) {
	path := sf.dbPath
	if path == "" {
		if len(sf.feeds) == 0 {
			path = defaultDBPath(file)
		}
		if st, err := os.Stat(path); path == "" || err != nil || !st.Mode().IsRegular() {
			if sf.maxAgeFlag != "" {
				return "", usageErr("scan: --max-db-age: the scan reads no database (give --db, or build the default one with bomrank db build)")
			}
			return "", nil
		}
		if !sf.quiet {
			fmt.Fprintf(sf.stderr, "note: no -a or --db given: scanning with the advisory database %s\n", textsafe.Line(path))
		}
	}
	return path, nil
}

// checkScanDB is the scan's check of the database at path once opened
// (scan.Config.OpenedDB): data older than --max-db-age is an error (exit
// 2), older than staleAfter a warning, kept in sf.dbWarning for run to
// print once the scan is done (the check runs while the SBOMs are read,
// beside the progress bar).
func (sf *scanFlags) checkScanDB(path string) func(*db.DB) error {
	return func(d *db.DB) error {
		age, from := dataAge(d, time.Now().UTC())
		if sf.maxAge > 0 && age > sf.maxAge {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("scan: the advisory data of %s is %s old (%s), more than --max-db-age %s: rebuild it with `bomrank db build`", path, ageString(age), from, sf.maxAgeFlag)}
		}
		if age > staleAfter {
			sf.dbWarning = fmt.Sprintf("the advisory data of %s is %s old (%s): rebuild it with `bomrank db build`", path, ageString(age), from)
		}
		return nil
	}
}
