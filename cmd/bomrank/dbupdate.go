package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/textsafe"
	feedupdate "github.com/bomrank/bomrank/internal/update"
	"github.com/bomrank/bomrank/report"
	"github.com/spf13/cobra"
)

// offlineUsage is the help of scan's --offline: a promise, since scan
// never fetches anything.
const offlineUsage = "promise no network access (scan never fetches: feeds come from -a and the database, which 'bomrank db update' fetches)"

const dbUpdateLong = `Fetch every enabled public feed into the staging area beside the database
(PATH.feeds/: OSV all.zip per ecosystem, NVD feed files, CISA KEV, EPSS, the
CSAF providers), verify each file (CRC32C of x-goog-hash for OSV, the .meta
SHA-256 for NVD, SHA-512/256 and OpenPGP signatures for CSAF; KEV and EPSS
publish no checksum and are only parsed), then build the
database from it atomically. Unchanged files are not fetched again; an
interrupted update resumes where it stopped. A source that fails keeps its
previous files, which the new database still holds. Sources and URLs come from
the configuration file (sources:); NVD_API_KEY in the environment fetches NVD
changes from the CVE API 2.0 once the feed files are there.

Exit status: 0 every source updated (each file fetched and its checks
passed, or unchanged); 2 usage error, or no database written (locked, state
unreadable, nothing fetched, build failed: the old database is unchanged);
3 written, but a source failed or a document was refused (each named on
stderr).`

func newDBUpdateCmd(stderr io.Writer, configPath *string) *cobra.Command {
	var (
		path    string
		sources []string
		quiet   bool
	)
	cmd := &cobra.Command{
		Use:   "update [--db PATH] [--config FILE] [--source KIND]... [-q]",
		Short: "Fetch and verify the public feeds, then build the database from them",
		Long:  dbUpdateLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := updateOptions("db update", path, *configPath, sources)
			if err != nil {
				return err
			}
			return dbUpdate(cmd.Context(), stderr, o, quiet)
		},
	}
	f := cmd.Flags()
	f.StringVar(&path, "db", "", "the database file (default $BOMRANK_DB, else the configuration file's db, else bomrank/db in the user cache directory)")
	f.StringArrayVar(&sources, "source", nil, "fetch only this kind of source: "+strings.Join(feedupdate.Kinds, ", ")+" (repeatable; the others keep their previous files)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress bar and no summary on stderr (failures and refusals are still printed)")
	return cmd
}

// updateOptions reads the flags and the configuration file into the
// options of an update or a check. The CLI reads the clock and the
// environment; the library does not.
func updateOptions(cmd, path, configPath string, sources []string) (feedupdate.Options, error) {
	file, err := loadConfig(configPath)
	if err != nil {
		return feedupdate.Options{}, usageErr("%s: %v", cmd, err)
	}
	if path == "" {
		if path = defaultDBPath(file); path == "" {
			return feedupdate.Options{}, usageErr("%s: no --db given and no user cache directory", cmd)
		}
	}
	o := feedupdate.Options{DB: path, Config: file, Only: sources, Now: time.Now().UTC(), Version: moduleVersion(),
		Client: &fetch.Client{UserAgent: "bomrank/" + moduleVersion()}, NVDAPIKey: os.Getenv("NVD_API_KEY")}
	for _, s := range sources {
		if !contains(feedupdate.Kinds, s) {
			return o, usageErr("%s: --source %q: not one of %s", cmd, s, strings.Join(feedupdate.Kinds, ", "))
		}
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func dbUpdate(ctx context.Context, stderr io.Writer, o feedupdate.Options, quiet bool) error {
	var bar *fetchBar
	if !quiet && isTerminal(stderr) {
		bar = &fetchBar{w: stderr}
		o.Progress = bar.update
		o.BuildProgress = func(done, total int) { bar.update("build", "", int64(done), int64(total)) }
	}
	res, err := feedupdate.Run(ctx, o)
	if bar != nil {
		bar.finish()
	}
	if res != nil {
		printUpdate(stderr, res, quiet)
	}
	if err != nil {
		return &exitError{code: exitUsage, msg: "db update: " + err.Error() + ": the old database is unchanged"}
	}
	if !quiet {
		b := res.Build
		fmt.Fprintf(stderr, "built %s: %d records indexed (%d read), %d KEV entries, %d EPSS scores, %s, %s\n",
			textsafe.Line(o.DB), b.Meta.Records, b.Meta.Advisories, b.Meta.KEV, b.Meta.EPSS, report.SizeString(b.Size), b.Digest)
	}
	for _, e := range res.Build.Errors {
		fmt.Fprintf(stderr, "error: %s\n", textsafe.Message(e.Error()))
	}
	if res.Partial() {
		return &exitError{code: exitPartial, msg: "db update: some sources were not updated (named above); their previous data is kept"}
	}
	return nil
}

// printUpdate writes each source's outcome: failures and refusals always,
// the rest unless quiet.
func printUpdate(w io.Writer, res *feedupdate.Result, quiet bool) {
	for _, s := range res.Sources {
		switch {
		case s.Skipped:
			if !quiet {
				fmt.Fprintf(w, "%s: not asked for (--source): previous data kept\n", textsafe.Line(s.Name))
			}
		case quiet, s.Err != nil && s.Stored == 0 && s.Unchanged == 0: // the error line says it
		case s.Verification == "":
			fmt.Fprintf(w, "%s: %d fetched, %d unchanged\n", textsafe.Line(s.Name), s.Stored, s.Unchanged)
		default:
			fmt.Fprintf(w, "%s: %d fetched, %d unchanged; %s\n", textsafe.Line(s.Name), s.Stored, s.Unchanged, textsafe.Line(s.Verification))
		}
		for _, r := range s.Refused {
			fmt.Fprintf(w, "refused: %s\n", textsafe.Message(fmt.Sprintf("%s: %s (release %s): %s", s.Name, r.URL, r.Release, r.Reason)))
		}
		if s.Err != nil {
			fmt.Fprintf(w, "error: %s\n", textsafe.Message(fmt.Sprintf("%s: %v: its previous data is kept", s.Name, s.Err)))
		}
	}
}

const dbCheckLong = `Say, per source, what 'bomrank db update' would fetch, without fetching or
writing anything: only headers (conditional HEAD), OSV's ecosystems.txt, NVD's
.meta files and the CSAF providers' listings are read.

Exit status: 0 every source is current; 1 an update exists (or there is no
database yet); 2 usage error; 3 no update found, but some source could not be
checked (named on stderr).`

func newDBCheckCmd(stdout, stderr io.Writer, configPath *string) *cobra.Command {
	var (
		path    string
		sources []string
	)
	cmd := &cobra.Command{
		Use:   "check [--db PATH] [--config FILE] [--source KIND]...",
		Short: "Say what an update would fetch, without changing anything",
		Long:  dbCheckLong,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := updateOptions("db check", path, *configPath, sources)
			if err != nil {
				return err
			}
			return dbCheck(cmd.Context(), stdout, stderr, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&path, "db", "", "the database file (default $BOMRANK_DB, else the configuration file's db, else bomrank/db in the user cache directory)")
	f.StringArrayVar(&sources, "source", nil, "check only this kind of source: "+strings.Join(feedupdate.Kinds, ", ")+" (repeatable)")
	return cmd
}

func dbCheck(ctx context.Context, stdout, stderr io.Writer, o feedupdate.Options) error {
	res, err := feedupdate.Check(ctx, o)
	if err != nil {
		return &exitError{code: exitUsage, msg: "db check: " + err.Error()}
	}
	pending, failed := false, false
	for _, r := range res {
		switch {
		case r.Err != nil:
			failed = true
			fmt.Fprintf(stderr, "error: %s\n", textsafe.Message(fmt.Sprintf("%s: could not be checked: %v", r.Name, r.Err)))
		case len(r.Changes) == 0:
			fmt.Fprintf(stdout, "%s: current\n", textsafe.Line(r.Name))
		}
		if len(r.Changes) > 0 {
			pending = true
			fmt.Fprintf(stdout, "%s: %d to fetch\n", textsafe.Line(r.Name), len(r.Changes))
			for _, c := range r.Changes {
				fmt.Fprintf(stdout, "  %s\n", textsafe.Line(c))
			}
		}
	}
	if st, err := os.Stat(o.DB); err != nil || !st.Mode().IsRegular() {
		fmt.Fprintf(stdout, "no database at %s yet: run bomrank db update\n", textsafe.Line(o.DB))
		pending = true
	}
	switch {
	case pending:
		return &exitError{code: exitFail}
	case failed:
		return &exitError{code: exitPartial, msg: "db check: some sources could not be checked (named above)"}
	}
	return nil
}

// fetchBar draws the current download of `db update` (or the count of
// CSAF documents, or of feed files the build read) on one line of a
// terminal: at once for a new file, then at most every 100 ms; it clears
// the line when done.
type fetchBar struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	url   string
	drawn bool
}

func (p *fetchBar) update(source, url string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if url == p.url && now.Sub(p.last) < 100*time.Millisecond && done != total {
		return
	}
	p.last, p.url = now, url
	var what string
	switch {
	case url == "": // counted: CSAF documents, feed files read by the build
		what = bar([2]int{int(done), int(total)})
	case total > 0:
		what = fmt.Sprintf("%s %.1f/%.1f MB", hashes(done, total), float64(done)/1e6, float64(total)/1e6)
	default:
		what = fmt.Sprintf("%.1f MB", float64(done)/1e6)
	}
	name := url[strings.LastIndex(url, "/")+1:]
	fmt.Fprintf(p.w, "\r\x1b[K%s %s", textsafe.Line(strings.TrimSpace(source+" "+name)), what)
	p.drawn = true
}

// hashes renders "[#####-----]".
func hashes(done, total int64) string {
	const width = 20
	n := int(min(width, done*width/total))
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + "]"
}

func (p *fetchBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
