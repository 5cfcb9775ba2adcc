package update

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/csafsync"
	"github.com/bomrank/bomrank/internal/fetch"
)

// CheckResult says what an update of one source would change.
type CheckResult struct {
	// Name, Kind and URL name the source, as in SourceResult.
	Name, Kind, URL string
	// Changes lists what an update would fetch (URLs), empty when the
	// source is current.
	Changes []string
	// Err is why the source could not be checked (then whether it is
	// current is unknown).
	Err error
}

// Check asks every wanted source what changed since the last update,
// fetching only headers, ecosystems.txt and NVD's .meta files; nothing
// is written. A source never fetched has every file pending.
func Check(ctx context.Context, o Options) ([]CheckResult, error) {
	srcs, err := o.plan()
	if err != nil {
		return nil, err
	}
	root := o.DB + ".feeds"
	state, err := loadState(root)
	if err != nil {
		return nil, err
	}
	var out []CheckResult
	for _, s := range srcs {
		if !o.wanted(s.kind) {
			continue
		}
		j := o.job(root, state, s, &SourceResult{})
		changes, err := j.check(ctx)
		out = append(out, CheckResult{Name: s.name, Kind: s.kind, URL: s.url, Changes: changes, Err: err})
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}

func (j *job) check(ctx context.Context) ([]string, error) {
	switch j.src.kind {
	case "osv":
		return j.checkOSV(ctx)
	case "nvd":
		return j.checkNVD(ctx)
	case "kev", "epss":
		name := j.src.kind + ".data"
		if u, err := url.Parse(j.src.url); err == nil && safeName.MatchString(filepath.Base(u.Path)) {
			name = filepath.Base(u.Path)
		}
		return j.checkFile(ctx, j.src.url, name)
	}
	urls, err := csafsync.Check(ctx, j.csafOptions(), j.st.CSAF)
	if err != nil {
		return nil, fmt.Errorf("csaf provider %s: %w", j.src.url, err)
	}
	return urls, nil
}

// checkFile asks whether url changed since it was stored as rel (a
// conditional HEAD; a changed ETag or x-goog-hash CRC32C otherwise).
func (j *job) checkFile(ctx context.Context, u, rel string) ([]string, error) {
	fs := j.st.Files[rel]
	if fs == nil || fs.URL != u || !exists(filepath.Join(j.dir(), filepath.FromSlash(rel))) {
		return []string{u + " (not stored yet)"}, nil
	}
	resp, err := j.c.Head(ctx, fetch.Request{URL: u, ETag: fs.ETag, LastModified: fs.LastModified})
	switch {
	case err != nil:
		return nil, err
	case resp.NotModified:
		return nil, nil
	case fs.CRC32C != "" && googCRC32C(resp.GoogHash) == fs.CRC32C:
		return nil, nil
	case fs.ETag != "" && resp.ETag == fs.ETag:
		return nil, nil
	}
	return []string{u}, nil
}

func (j *job) checkOSV(ctx context.Context) ([]string, error) {
	ecos, errs := j.ecosystems(ctx)
	var changes []string
	for _, eco := range ecos {
		u := j.src.url + "/" + url.PathEscape(eco) + "/all.zip"
		c, err := j.checkFile(ctx, u, ecoDir(eco)+"/all.zip")
		changes = append(changes, c...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return changes, errors.Join(errs...)
}

func (j *job) checkNVD(ctx context.Context) ([]string, error) {
	if j.o.NVDAPIKey != "" && !j.st.Fetched.IsZero() {
		return j.checkNVDAPI(ctx)
	}
	var changes []string
	var errs []error
	for y := j.src.firstYear; y <= j.o.Now.Year()+1; y++ {
		name := strconv.Itoa(y)
		if y > j.o.Now.Year() {
			name = "modified"
		}
		base := j.src.url + "/nvdcve-2.0-" + name
		resp, err := j.c.Get(ctx, fetch.Request{URL: base + ".meta", MaxBytes: 4 << 10})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		meta, err := parseMeta(string(resp.Body))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s.meta: %w", base, err))
			continue
		}
		rel := "nvdcve-2.0-" + name + ".json.gz"
		fs := j.st.Files[rel]
		if fs == nil || !strings.EqualFold(fs.SHA256, meta.sha256) || !exists(filepath.Join(j.dir(), rel)) {
			changes = append(changes, base+".json.gz")
		}
	}
	return changes, errors.Join(errs...)
}

// checkNVDAPI asks the API how many CVEs changed in the first window
// since the last update (one result a page: the count is what matters).
func (j *job) checkNVDAPI(ctx context.Context) ([]string, error) {
	start := j.st.APIUntil
	if start.IsZero() {
		start = j.st.Fetched
	}
	end := start.Add(nvdWindow)
	if end.After(j.o.Now) {
		end = j.o.Now
	}
	if !start.Before(end) {
		return nil, nil
	}
	q := url.Values{}
	q.Set("lastModStartDate", start.UTC().Format(nvdAPITimeForm))
	q.Set("lastModEndDate", end.UTC().Format(nvdAPITimeForm))
	q.Set("resultsPerPage", "1")
	u := j.apiURL() + "?" + q.Encode()
	resp, err := j.c.Get(ctx, fetch.Request{URL: u, MaxBytes: 1 << 20, Header: http.Header{"apiKey": {j.o.NVDAPIKey}},
		RetryOn: []int{http.StatusForbidden}})
	if err != nil {
		return nil, err
	}
	var page nvdPage
	if err := json.Unmarshal(resp.Body, &page); err != nil || page.Format != "NVD_CVE" {
		return nil, fmt.Errorf("%s: not an NVD_CVE answer (%v)", u, err)
	}
	if page.TotalResults == 0 && end.Equal(j.o.Now) {
		return nil, nil
	}
	return []string{fmt.Sprintf("%s: %d CVEs changed since %s (and later windows, if any)", j.apiURL(), page.TotalResults, start.UTC().Format(time.RFC3339))}, nil
}
