package update

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/walk"
)

// NVD CVE API 2.0 limits (https://nvd.nist.gov/developers/start-here, as
// of 2026): windows of lastModified dates of at most 120 days, at most
// 2,000 results a page, 50 requests in 30 s with an API key.
const (
	nvdWindow      = 120 * 24 * time.Hour
	nvdPageSize    = 2000
	nvdRequestGap  = 600 * time.Millisecond
	maxNVDPage     = 256 << 20
	nvdAPITimeForm = "2006-01-02T15:04:05.000-07:00"
)

// nvdPage is what an API answer must hold to be stored.
type nvdPage struct {
	Format          string            `json:"format"`
	StartIndex      int               `json:"startIndex"`
	TotalResults    int               `json:"totalResults"`
	Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
}

// nvdAPI fetches the CVEs modified since the last update from the CVE
// API 2.0, window by window, page by page, into nvd/api/: JSON files the
// advisory reader reads like the feed files (a later lastModified wins).
// Each finished window is recorded, so an interrupted update resumes at
// the window it was in.
func (j *job) nvdAPI(ctx context.Context) error {
	start := j.st.APIUntil
	if start.IsZero() {
		start = j.st.Fetched
	}
	cves := 0
	for start.Before(j.o.Now) {
		end := start.Add(nvdWindow)
		if end.After(j.o.Now) {
			end = j.o.Now
		}
		n, err := j.nvdWindow(ctx, start, end)
		cves += n
		if err != nil {
			return err
		}
		j.st.APIUntil = end
		if err := j.save(); err != nil {
			return err
		}
		start = end
	}
	j.res.Verification = fmt.Sprintf("NVD CVE API 2.0 with an API key over %s: %d CVEs changed since the last update; no checksum is published, each page was read as JSON of format NVD_CVE", schemeOf(j.apiURL()), cves)
	return nil
}

func (j *job) apiURL() string {
	if j.o.NVDAPIURL != "" {
		return j.o.NVDAPIURL
	}
	return DefaultNVDAPI
}

// nvdWindow fetches every page of one lastModified window.
func (j *job) nvdWindow(ctx context.Context, start, end time.Time) (int, error) {
	got := 0
	for index, total := 0, 1; index < total; {
		if index > 0 || got > 0 {
			if err := j.c.Wait(ctx, nvdRequestGap); err != nil {
				return got, err
			}
		}
		page, err := j.nvdPage(ctx, start, end, index)
		if err != nil {
			return got, err
		}
		n := len(page.Vulnerabilities)
		got += n
		total = page.TotalResults
		if n == 0 && index < total {
			return got, fmt.Errorf("%s: page at %d of %d holds no CVE", j.apiURL(), index, total)
		}
		index += n
	}
	return got, nil
}

// nvdPage fetches, checks and stores one page.
func (j *job) nvdPage(ctx context.Context, start, end time.Time, index int) (*nvdPage, error) {
	q := url.Values{}
	q.Set("lastModStartDate", start.UTC().Format(nvdAPITimeForm))
	q.Set("lastModEndDate", end.UTC().Format(nvdAPITimeForm))
	q.Set("resultsPerPage", strconv.Itoa(nvdPageSize))
	q.Set("startIndex", strconv.Itoa(index))
	u := j.apiURL() + "?" + q.Encode()
	resp, err := j.c.Get(ctx, fetch.Request{URL: u, MaxBytes: maxNVDPage, Header: http.Header{"apiKey": {j.o.NVDAPIKey}},
		RetryOn: []int{http.StatusForbidden}})
	if err != nil {
		return nil, err
	}
	var page nvdPage
	if err := json.Unmarshal(resp.Body, &page); err != nil || page.Format != "NVD_CVE" || page.StartIndex != index {
		return nil, fmt.Errorf("%s: not the NVD_CVE page at %d asked for (%v)", u, index, err)
	}
	name := fmt.Sprintf("api-%s-%07d.json", start.UTC().Format("20060102T150405Z"), index)
	if err := walk.WriteFile(filepath.Join(j.dir(), "api", name), func(w io.Writer) error { _, err := w.Write(resp.Body); return err }); err != nil {
		return nil, err
	}
	j.res.Stored++
	return &page, nil
}
