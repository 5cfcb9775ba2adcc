package update

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/config"
	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// now is the tests' clock: NVD years run from first_year 2026 to 2026.
var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// feedServer imitates every source over TLS with real files: OSV records
// of ../shared zipped per ecosystem, NVD files of testdata/feeds gzipped
// with a .meta computed here, KEV and EPSS from testdata/feeds.
type feedServer struct {
	srv    *httptest.Server
	mu     sync.Mutex
	files  map[string][]byte
	faults map[string]string // path -> fault
	reqs   map[string]int    // path -> requests
	bodies map[string]int    // path -> bodies served (200 with content)
	// handlers serve paths of their own (the NVD API).
	handlers map[string]http.HandlerFunc
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	fs := &feedServer{files: map[string][]byte{}, handlers: map[string]http.HandlerFunc{}, faults: map[string]string{}, reqs: map[string]int{}, bodies: map[string]int{}}
	fs.files["/osv/ecosystems.txt"] = []byte("Go\ncrates.io\n")
	fs.files["/osv/Go/all.zip"] = zipDir(t, sharedtest.Path(t, "osv", "slice", "go"))
	fs.files["/osv/crates.io/all.zip"] = zipDir(t, sharedtest.Path(t, "osv", "slice", "crates.io"))
	fs.setNVD(t, "2026", read(t, "../../testdata/feeds/nvd/nvdcve-2.0-embedded.json"))
	fs.setNVD(t, "modified", read(t, "../../testdata/feeds/nvd/CVE-2023-38545.json"))
	fs.files["/kev/known_exploited_vulnerabilities.json"] = read(t, "../../testdata/feeds/kev/known_exploited_vulnerabilities.json")
	fs.files["/epss/epss_scores-current.csv.gz"] = read(t, "../../testdata/feeds/epss/epss_scores-2025-03-17.csv.gz")
	fs.srv = httptest.NewTLSServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.srv.Close)
	return fs
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipDir zips the JSON files of dir, by name.
func zipDir(t *testing.T, dir string) []byte { return zipDirComment(t, dir, "") }

// zipDirComment is zipDir with an archive comment (other bytes, the same
// records).
func zipDirComment(t *testing.T, dir, comment string) []byte {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatalf("no records in %s", dir)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.SetComment(comment)
	for _, n := range names {
		w, _ := zw.Create(filepath.Base(n))
		w.Write(read(t, n))
	}
	zw.Close()
	return b.Bytes()
}

// setNVD serves json as the feed file name with its .meta.
func (fs *feedServer) setNVD(t *testing.T, name string, json []byte) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(json)
	zw.Close()
	sum := sha256.Sum256(json)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.files["/nvd/nvdcve-2.0-"+name+".json.gz"] = b.Bytes()
	fs.files["/nvd/nvdcve-2.0-"+name+".meta"] = fmt.Appendf(nil, "lastModifiedDate:2026-12-07T03:00:01-05:00\r\nsize:%d\r\nzipSize:0\r\ngzSize:%d\r\nsha256:%s\r\n",
		len(json), b.Len(), hex.EncodeToString(sum[:]))
}

func (fs *feedServer) set(path string, data []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.files[path] = data
}

func (fs *feedServer) fault(path, kind string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if kind == "" {
		delete(fs.faults, path)
	} else {
		fs.faults[path] = kind
	}
}

// counts returns the requests and the data bodies (not .meta or
// ecosystems.txt) served so far, and resets them.
func (fs *feedServer) counts() (reqs, bodies map[string]int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	reqs, bodies = fs.reqs, fs.bodies
	for p := range bodies {
		if strings.HasSuffix(p, ".meta") || strings.HasSuffix(p, ".txt") {
			delete(bodies, p)
		}
	}
	fs.reqs, fs.bodies = map[string]int{}, map[string]int{}
	return reqs, bodies
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.reqs[r.URL.Path]++
	h := fs.handlers[r.URL.Path]
	data, ok := fs.files[r.URL.Path]
	fault := fs.faults[r.URL.Path]
	fs.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if fs.injure(w, r, fault) {
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	crc := crc32cOf(data)
	if fault == "crc" {
		crc = "AAAAAA=="
	}
	w.Header().Add("X-Goog-Hash", "crc32c="+crc)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	fs.mu.Lock()
	fs.bodies[r.URL.Path]++
	fs.mu.Unlock()
	w.Write(data)
}

// injure serves a fault; it reports whether the answer is done.
func (fs *feedServer) injure(w http.ResponseWriter, r *http.Request, fault string) bool {
	switch fault {
	case "404":
		http.NotFound(w, r)
	case "503":
		w.WriteHeader(http.StatusServiceUnavailable)
	case "429":
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		fs.fault(r.URL.Path, "") // once
	case "cut":
		w.Header().Set("Content-Length", "1000000")
		w.Write([]byte("PK\x03\x04 cut short"))
	case "loop":
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	case "slow":
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("x"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	default:
		return false
	}
	return true
}

func crc32cOf(data []byte) string {
	f, _ := os.CreateTemp("", "crc")
	defer os.Remove(f.Name())
	f.Write(data)
	f.Close()
	s, _ := fileCRC32C(f.Name())
	return s
}

// options are update options for the server's sources (CSAF left out
// unless asked for: its default provider is on the internet).
func (fs *feedServer) options(dbPath string, only ...string) Options {
	u := fs.srv.URL
	cfg := &config.Config{Sources: config.Sources{
		OSV:  &config.OSVSource{URLSource: config.URLSource{URL: u + "/osv"}},
		NVD:  &config.NVDSource{URLSource: config.URLSource{URL: u + "/nvd"}, FirstYear: 2026},
		KEV:  &config.URLSource{URL: u + "/kev/known_exploited_vulnerabilities.json"},
		EPSS: &config.URLSource{URL: u + "/epss/epss_scores-current.csv.gz"},
		CSAF: &config.CSAFSource{Providers: []config.Provider{{URL: u + "/csaf/provider-metadata.json"}}},
	}}
	if len(only) == 0 {
		only = []string{"osv", "nvd", "kev", "epss"}
	}
	hc := fs.srv.Client()
	hc.CheckRedirect = fetch.CheckRedirect
	c := &fetch.Client{HTTP: hc, Retries: 1, Sleep: func(context.Context, time.Duration) error { return nil }}
	return Options{DB: dbPath, Config: cfg, Only: only, Client: c, Now: now, Version: "test"}
}
