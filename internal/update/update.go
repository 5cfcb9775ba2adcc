package update

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/config"
	"github.com/bomrank/bomrank/internal/csafsync"
	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/filelock"
)

// Default source URLs (the configuration file may name mirrors).
const (
	DefaultOSV       = "https://osv-vulnerabilities.storage.googleapis.com"
	DefaultNVD       = "https://nvd.nist.gov/feeds/json/cve/2.0"
	DefaultNVDAPI    = "https://services.nvd.nist.gov/rest/json/cves/2.0"
	DefaultKEV       = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
	DefaultEPSS      = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
	DefaultCSAF      = "https://www.cisa.gov/sites/default/files/csaf/provider-metadata.json"
	DefaultFirstYear = 2002
)

// Kinds lists the source kinds, in the order they are updated.
var Kinds = []string{"osv", "nvd", "kev", "epss", "csaf"}

// ErrLocked is returned when another update holds the staging area.
var ErrLocked = errors.New("another update holds the lock")

// Options says what to update and where.
type Options struct {
	// DB is the database file; the staging area is DB+".feeds".
	DB string
	// Config holds the sources (nil: every default).
	Config *config.Config
	// Only lists the kinds to fetch (empty: all enabled). The others keep
	// their previous files, which the build still uses.
	Only []string
	// Client fetches; nil means a zero fetch.Client.
	Client *fetch.Client
	// Now is the time recorded (the library never reads the clock); NVD
	// feed years run from first_year to Now's year.
	Now time.Time
	// Version is the bomrank version recorded in the database.
	Version string
	// NVDAPIKey, when set, fetches NVD changes since the last full
	// fetch from the CVE API 2.0 at NVDAPIURL (default DefaultNVDAPI).
	NVDAPIKey, NVDAPIURL string
	// Progress, when set, is told how each download goes.
	Progress func(source, url string, done, total int64)
	// BuildProgress, when set, is told how the build reads the feeds.
	BuildProgress func(done, total int)
}

// Result is what an update did.
type Result struct {
	// Sources holds each source's outcome, in update order.
	Sources []SourceResult
	// Feeds lists the staging folders the database was built from.
	Feeds []string
	// Build is the database written (nil when none was).
	Build *db.BuildResult
}

// SourceResult is one source's outcome.
type SourceResult struct {
	// Name is "osv", "nvd", "kev", "epss" or "csaf/<host>"; Kind the
	// kind; URL where it is fetched from.
	Name, Kind, URL string
	// Skipped is true when the source was not asked for (Options.Only):
	// its previous files are used.
	Skipped bool
	// Stored counts files downloaded, verified and stored; Unchanged
	// those the server or the .meta said had not changed.
	Stored, Unchanged int
	// Refused lists documents that failed a check and were not stored.
	Refused []Refusal
	// Err is why the source (or some of its files) could not be updated;
	// its previous files are kept and used.
	Err error
	// Verification says in words what was checked.
	Verification string
}

// Partial reports whether something was not updated: a source failed,
// a document was refused, or a feed file could not be read by the build.
func (r *Result) Partial() bool {
	for _, s := range r.Sources {
		if s.Err != nil || len(s.Refused) > 0 {
			return true
		}
	}
	return r.Build != nil && len(r.Build.Errors) > 0
}

// source is one planned source.
type source struct {
	kind, name, url string
	// dir is the source's folder relative to the staging area.
	dir string
	// provider is the CSAF provider (csaf only).
	provider csafsync.Provider
	// osv and nvd settings.
	ecosystems []string
	firstYear  int
}

// job is one source being updated or checked.
type job struct {
	o     *Options
	root  string
	state *State
	src   source
	st    *SourceState
	res   *SourceResult
	c     *fetch.Client
}

// Run fetches every wanted source into the staging area, then builds the
// database from it. A source that fails does not stop the others; its
// previous files are kept and used. The error is non-nil when no
// database was written (the staging area is locked or unwritable, no
// source has any data, the build failed): the old database is unchanged.
func Run(ctx context.Context, o Options) (*Result, error) {
	srcs, err := o.plan()
	if err != nil {
		return nil, err
	}
	root, unlock, state, err := o.open()
	if err != nil {
		return nil, err
	}
	defer unlock()
	res := &Result{}
	for _, s := range srcs {
		if !o.wanted(s.kind) {
			res.Sources = append(res.Sources, SourceResult{Name: s.name, Kind: s.kind, URL: s.url, Skipped: true})
			continue
		}
		res.Sources = append(res.Sources, o.runSource(ctx, root, state, s))
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
	feeds, origins := feedsOf(root, state, srcs)
	res.Feeds = feeds
	if len(feeds) == 0 {
		return res, fmt.Errorf("%s: no source has any verified data: the database was not written", root)
	}
	res.Build, err = db.Build(ctx, db.BuildOptions{Path: o.DB, Feeds: feeds, Version: o.Version, Now: o.Now,
		Origins: origins, Progress: o.BuildProgress})
	return res, err
}

// open makes and locks the staging area, reads its state and removes the
// part files of downloads that died.
func (o *Options) open() (root string, unlock func(), state *State, err error) {
	if o.DB == "" {
		return "", nil, nil, errors.New("update: no database path")
	}
	root = o.DB + ".feeds"
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", nil, nil, fmt.Errorf("staging area %s: %w", root, err)
	}
	unlock, err = lock(filepath.Join(root, "lock"))
	if err != nil {
		return "", nil, nil, fmt.Errorf("staging area %s: %w", filepath.Join(root, "lock"), err)
	}
	state, err = loadState(root)
	if err != nil {
		unlock()
		return "", nil, nil, err
	}
	removeParts(root)
	return root, unlock, state, nil
}

// runSource updates one source and records the outcome in the state.
func (o *Options) runSource(ctx context.Context, root string, state *State, s source) SourceResult {
	r := SourceResult{Name: s.name, Kind: s.kind, URL: s.url}
	j := o.job(root, state, s, &r)
	err := j.run(ctx)
	j.st.Attempted = o.Now
	j.st.Refused = r.Refused
	if r.Verification != "" {
		j.st.Verification = r.Verification
	}
	if err != nil {
		r.Err = err
		j.st.Error = err.Error()
	} else {
		j.st.Error, j.st.Fetched = "", o.Now
	}
	if serr := state.save(root); serr != nil && r.Err == nil {
		r.Err = serr
	}
	return r
}

// job prepares one source's work: its state and a client that reports
// progress under the source's name.
func (o *Options) job(root string, state *State, s source, r *SourceResult) *job {
	c := &fetch.Client{}
	if o.Client != nil {
		cc := *o.Client
		c = &cc
	}
	if o.Progress != nil {
		c.Progress = func(u string, done, total int64) { o.Progress(s.name, u, done, total) }
	}
	return &job{o: o, root: root, state: state, src: s, st: state.source(s.name, s.kind, s.url), res: r, c: c}
}

func (j *job) run(ctx context.Context) error {
	switch j.src.kind {
	case "osv":
		return j.osv(ctx)
	case "nvd":
		return j.nvd(ctx)
	case "kev", "epss":
		return j.single(ctx)
	}
	return j.csaf(ctx)
}

// dir is the source's folder.
func (j *job) dir() string { return filepath.Join(j.root, j.src.dir) }

// save writes the state (after each stored file).
func (j *job) save() error { return j.state.save(j.root) }

func (o *Options) wanted(kind string) bool { return len(o.Only) == 0 || slices.Contains(o.Only, kind) }

// feedsOf lists the folders holding data, in plan order, with their
// origins.
func feedsOf(root string, state *State, srcs []source) ([]string, []db.Origin) {
	var feeds []string
	var origins []db.Origin
	for _, s := range srcs {
		dir := filepath.Join(root, s.dir)
		if !hasFiles(dir) {
			continue
		}
		feeds = append(feeds, dir)
		st := state.Sources[s.name]
		o := db.Origin{Path: dir, URL: s.url}
		if st != nil {
			o.Fetched, o.Verification = st.Fetched, st.Verification
			if st.Error != "" {
				o.Verification += fmt.Sprintf("; the update of %s failed: %s", st.Attempted.UTC().Format(time.RFC3339), st.Error)
			}
		}
		origins = append(origins, o)
	}
	return feeds, origins
}

// hasFiles reports whether dir holds a regular file.
func hasFiles(dir string) bool {
	found := errors.New("found")
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			return found
		}
		return nil
	})
	return err == found
}

// removeParts removes the part files of downloads that died (the caller
// holds the lock, so none is being written).
func removeParts(root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".part") {
			os.Remove(p)
		}
		return nil
	})
}

// hostOf is a provider's host, for its folder name.
func hostOf(p csafsync.Provider) (string, error) {
	h := p.Domain
	if p.URL != "" {
		u, err := url.Parse(p.URL)
		if err != nil {
			return "", err
		}
		h = u.Hostname()
	}
	h = strings.ToLower(h)
	if h == "" || h == "." || h == ".." || strings.ContainsAny(h, `/\:`) {
		return "", fmt.Errorf("%q is not a host name", h)
	}
	return h, nil
}

// lock takes the staging area's lock on path (see package filelock),
// ErrLocked when another update holds it.
func lock(path string) (unlock func(), err error) {
	unlock, err = filelock.TryLock(path)
	if errors.Is(err, filelock.ErrLocked) {
		return nil, ErrLocked
	}
	return unlock, err
}
