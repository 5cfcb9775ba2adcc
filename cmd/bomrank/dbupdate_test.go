package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

// feedSite imitates the public feeds on loopback (plain HTTP: the CLI's
// client trusts only real certificates) with real files: the OSV Go
// records of ../shared zipped, NVD files of testdata/feeds gzipped with
// their .meta (every year serves the same file), KEV and EPSS.
type feedSite struct {
	mu    sync.Mutex
	files map[string][]byte
	srv   *httptest.Server
}

var nvdYear = regexp.MustCompile(`^/nvd/nvdcve-2\.0-\d{4}\.`)

func newFeedSite(t *testing.T) *feedSite {
	t.Helper()
	s := &feedSite{files: map[string][]byte{}}
	s.files["/osv/ecosystems.txt"] = []byte("Go\n")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	names, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "osv", "slice", "go"), "*.json"))
	for _, n := range names {
		w, _ := zw.Create(filepath.Base(n))
		b, _ := os.ReadFile(n)
		w.Write(b)
	}
	zw.Close()
	s.files["/osv/Go/all.zip"] = zb.Bytes()
	s.nvd(t, "/nvd/nvdcve-2.0-YEAR.", "../../testdata/feeds/nvd/nvdcve-2.0-embedded.json")
	s.nvd(t, "/nvd/nvdcve-2.0-modified.", "../../testdata/feeds/nvd/CVE-2023-38545.json")
	s.files["/kev/kev.json"], _ = os.ReadFile("../../testdata/feeds/kev/known_exploited_vulnerabilities.json")
	s.files["/epss/epss.csv.gz"], _ = os.ReadFile("../../testdata/feeds/epss/epss_scores-2025-03-17.csv.gz")
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *feedSite) nvd(t *testing.T, prefix, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	sum := sha256.Sum256(data)
	s.files[prefix+"json.gz"] = gz.Bytes()
	s.files[prefix+"meta"] = fmt.Appendf(nil, "size:%d\r\nsha256:%s\r\n", len(data), strings.ToUpper(hex.EncodeToString(sum[:])))
}

func (s *feedSite) serve(w http.ResponseWriter, r *http.Request) {
	p := nvdYear.ReplaceAllString(r.URL.Path, "/nvd/nvdcve-2.0-YEAR.")
	s.mu.Lock()
	data, ok := s.files[p]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	var crc [4]byte
	binary.BigEndian.PutUint32(crc[:], crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))
	w.Header().Set("X-Goog-Hash", "crc32c="+base64.StdEncoding.EncodeToString(crc[:]))
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(data)
}

func (s *feedSite) set(path string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if data == nil {
		delete(s.files, path)
	} else {
		s.files[path] = data
	}
}

// config writes a configuration file naming the site's sources (the CSAF
// provider's metadata is absent: that source fails).
func (s *feedSite) config(t *testing.T) string {
	u := s.srv.URL
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := fmt.Sprintf(`sources:
  osv:  {url: %[1]s/osv}
  nvd:  {url: %[1]s/nvd, first_year: 2026}
  kev:  {url: %[1]s/kev/kev.json}
  epss: {url: %[1]s/epss/epss.csv.gz}
  csaf:
    providers:
      - url: %[1]s/csaf/provider-metadata.json
`, u)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var fourSources = []string{"--source", "osv", "--source", "nvd", "--source", "kev", "--source", "epss"}

// TestDBUpdateCheck: db update fetches, verifies and builds (exit 0), db
// status shows each source's URL, fetch time and verification, db check
// says current (0) then names a changed file (1); a failing source (the
// CSAF provider) is named and exits 3 with the database rebuilt; a
// corrupt staging state is exit 2 with the database's digest unchanged.
func TestDBUpdateCheck(t *testing.T) {
	site := newFeedSite(t)
	cfg := site.config(t)
	dbPath := filepath.Join(t.TempDir(), "feeds.db")
	code, _, stderr := runCLI(t, append([]string{"db", "update", "--db", dbPath, "--config", cfg}, fourSources...)...)
	if code != exitOK || !strings.Contains(stderr, "osv: 1 fetched, 0 unchanged; 1 all.zip checked against the CRC32C") ||
		!strings.Contains(stderr, "nvd: 2 fetched") || !strings.Contains(stderr, "built ") {
		t.Fatalf("db update: exit %d\n%s", code, stderr)
	}
	code, stdout, _ := runCLI(t, "db", "status", "--db", dbPath, "-f", "json")
	var st struct {
		Digest  string
		Sources []struct{ Kind, URL, Fetched, Verification string }
	}
	if err := json.Unmarshal([]byte(stdout), &st); code != exitOK || err != nil || len(st.Sources) != 4 {
		t.Fatalf("db status: exit %d %v\n%s", code, err, stdout)
	}
	for _, s := range st.Sources {
		if !strings.HasPrefix(s.URL, site.srv.URL) || s.Fetched == "" || s.Verification == "" {
			t.Errorf("db status source %+v", s)
		}
	}
	code, stdout, stderr = runCLI(t, append([]string{"db", "check", "--db", dbPath, "--config", cfg}, fourSources...)...)
	if code != exitOK || strings.Count(stdout, ": current\n") != 4 {
		t.Errorf("db check after update: exit %d\n%s%s", code, stdout, stderr)
	}
	site.set("/kev/kev.json", append(site.files["/kev/kev.json"], '\n'))
	code, stdout, _ = runCLI(t, append([]string{"db", "check", "--db", dbPath, "--config", cfg}, fourSources...)...)
	if code != exitFail || !strings.Contains(stdout, "kev: 1 to fetch\n  "+site.srv.URL+"/kev/kev.json") {
		t.Errorf("db check after a change: exit %d\n%s", code, stdout)
	}
	code, _, stderr = runCLI(t, "db", "update", "--db", dbPath, "--config", cfg)
	if code != exitPartial || !strings.Contains(stderr, "error: csaf/127.0.0.1: csaf provider "+site.srv.URL) ||
		!strings.Contains(stderr, "kev: 1 fetched") {
		t.Errorf("db update with a failing source: exit %d\n%s", code, stderr)
	}
	_, before, _ := runCLI(t, "db", "status", "--db", dbPath, "-f", "json")
	os.WriteFile(dbPath+".feeds/state.json", []byte("{not json"), 0o644)
	code, _, stderr = runCLI(t, "db", "update", "--db", dbPath, "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, "state.json") || !strings.Contains(stderr, "the old database is unchanged") {
		t.Errorf("corrupt state: exit %d\n%s", code, stderr)
	}
	if _, after, _ := runCLI(t, "db", "status", "--db", dbPath, "-f", "json"); digestOf(after) != digestOf(before) || digestOf(after) == "" {
		t.Errorf("digest changed after a failed update: %s -> %s", digestOf(before), digestOf(after))
	}
}

func digestOf(statusJSON string) string {
	var st struct{ Digest string }
	json.Unmarshal([]byte(statusJSON), &st)
	return st.Digest
}

// TestDBUpdateUsage: an unknown --source is a usage error; db check
// without a database says an update exists; scan takes --offline.
func TestDBUpdateUsage(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "db", "update", "--db", filepath.Join(dir, "db"), "--source", "bogus"); code != exitUsage || !strings.Contains(stderr, `--source "bogus"`) {
		t.Errorf("bogus source: exit %d %s", code, stderr)
	}
	site := newFeedSite(t)
	code, stdout, _ := runCLI(t, "db", "check", "--db", filepath.Join(dir, "db"), "--config", site.config(t), "--source", "kev")
	if code != exitFail || !strings.Contains(stdout, "(not stored yet)") || !strings.Contains(stdout, "no database at") {
		t.Errorf("check without a database: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "scan", "--offline", "-a", "../../testdata/feeds", "../../testdata/fleet"); code == exitUsage {
		t.Errorf("scan --offline: exit %d %s", code, stderr)
	}
}

// TestDBUpdateProgress: on a terminal, db update draws each download on
// one line (source, file) and clears it before the summary.
func TestDBUpdateProgress(t *testing.T) {
	saved := isTerminal
	defer func() { isTerminal = saved }()
	isTerminal = func(w io.Writer) bool { return true }
	site := newFeedSite(t)
	dbPath := filepath.Join(t.TempDir(), "feeds.db")
	code, _, stderr := runCLI(t, "db", "update", "--db", dbPath, "--config", site.config(t), "--source", "osv")
	if code != exitOK || !strings.Contains(stderr, "\r\x1b[Kosv all.zip ") || !strings.Contains(stderr, "\r\x1b[Kbuild [") || !strings.Contains(stderr, "\r\x1b[Kosv: 1 fetched") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
