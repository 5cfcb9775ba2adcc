package update

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// nvdAPI imitates the CVE API 2.0 with the real records of
// testdata/feeds/nvd: pages of 5 (fewer than asked, as NVD may answer),
// refusing windows over 120 days and requests without the key, and
// answering the first request 403 (its rate limit).
func nvdAPI(t *testing.T, fs *feedServer) (windows *[]string, requests *int) {
	var doc struct {
		Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(read(t, "../../testdata/feeds/nvd/nvdcve-2.0-embedded.json"), &doc); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	windows, requests = new([]string), new(int)
	fs.handlers["/api"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		*requests++
		q := r.URL.Query()
		start, err1 := time.Parse(nvdAPITimeForm, q.Get("lastModStartDate"))
		end, err2 := time.Parse(nvdAPITimeForm, q.Get("lastModEndDate"))
		index, _ := strconv.Atoi(q.Get("startIndex"))
		per, _ := strconv.Atoi(q.Get("resultsPerPage"))
		switch {
		case *requests == 1 || r.Header.Get("apiKey") != "k3y":
			w.WriteHeader(http.StatusForbidden)
			return
		case err1 != nil || err2 != nil || end.Sub(start) > nvdWindow || per < 1 || per > 2000:
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if index == 0 {
			*windows = append(*windows, start.UTC().Format(time.DateOnly)+".."+end.UTC().Format(time.DateOnly))
		}
		page := doc.Vulnerabilities[index:min(index+min(5, per), len(doc.Vulnerabilities))]
		body, _ := json.Marshal(map[string]any{"resultsPerPage": len(page), "startIndex": index, "totalResults": len(doc.Vulnerabilities),
			"format": "NVD_CVE", "version": "2.0", "timestamp": "2026-12-07T00:00:00.000", "vulnerabilities": page})
		w.Write(body)
	}
	return windows, requests
}

// TestNVDAPI: with an API key, an update after the feed files fetches the
// changes since then from the API in windows of at most 120 days, every
// page, past a 403, into nvd/api, and the database reads them; the next
// update starts where that one ended.
func TestNVDAPI(t *testing.T) {
	fs := newFeedServer(t)
	windows, requests := nvdAPI(t, fs)
	path := filepath.Join(t.TempDir(), "db")
	update(t, fs.options(path, "nvd"))
	o := fs.options(path, "nvd")
	o.NVDAPIKey, o.NVDAPIURL, o.Now = "k3y", fs.srv.URL+"/api", now.Add(200*24*time.Hour)
	res := update(t, o)
	s := sourceOf(t, res, "nvd")
	if s.Err != nil || s.Stored != 6 || !strings.Contains(s.Verification, "NVD CVE API 2.0 with an API key over HTTPS: 24 CVEs") {
		t.Fatalf("%+v", s)
	}
	if want := "[2026-12-07..2027-04-06 2027-04-06..2027-06-25]"; fmt.Sprint(*windows) != want {
		t.Errorf("windows %v, want %s", *windows, want)
	}
	if *requests != 7 {
		t.Errorf("%d requests, want 7 (a 403, then 3 pages in each of 2 windows)", *requests)
	}
	pages, _ := filepath.Glob(path + ".feeds/nvd/api/api-*.json")
	if len(pages) != 6 {
		t.Errorf("pages stored: %v", pages)
	}
	if st := status(t, path); st.Records == 0 {
		t.Error("no records")
	}
	if c := checkOf(t, o)["nvd"]; len(c.Changes) != 0 || c.Err != nil {
		t.Errorf("check right after: %+v", c)
	}
	o.Now = o.Now.Add(24 * time.Hour)
	if c := checkOf(t, o)["nvd"]; len(c.Changes) != 1 || !strings.Contains(c.Changes[0], "12 CVEs changed since 2027-06-25") {
		t.Errorf("check a day later: %+v", c)
	}
	*windows = nil
	update(t, o)
	if want := "[2027-06-25..2027-06-26]"; fmt.Sprint(*windows) != want {
		t.Errorf("next update: windows %v, want %s", *windows, want)
	}
}
