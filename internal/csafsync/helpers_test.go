package csafsync

import (
	"bytes"
	"context"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/fetch"
	"github.com/bomrank/bomrank/internal/pgp"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// now is the time of every test sync.
var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// server is a loopback TLS server answering for any host name: files are
// keyed "host/path" (host without port) or "/path" for any host.
type server struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	files    map[string][]byte
	status   map[string]int    // path -> forced status
	redirect map[string]string // path -> Location
	hits     map[string]int    // path -> requests
}

func newServer(t *testing.T) *server {
	s := &server{t: t, files: map[string][]byte{}, status: map[string]int{}, redirect: map[string]string{}, hits: map[string]int{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	s.mu.Lock()
	s.hits[r.URL.Path]++
	st, forced := s.status[r.URL.Path]
	loc, redirected := s.redirect[r.URL.Path]
	body, ok := s.files[host+r.URL.Path]
	if !ok {
		body, ok = s.files[r.URL.Path]
	}
	s.mu.Unlock()
	switch {
	case forced:
		http.Error(w, http.StatusText(st), st)
	case redirected:
		http.Redirect(w, r, loc, http.StatusFound)
	case !ok:
		http.NotFound(w, r)
	default:
		sum := sha512.Sum512(body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}
}

func (s *server) put(p string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[p] = body
}

func (s *server) get(p string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[p]
}

func (s *server) del(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, p)
}

func (s *server) force(p string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status[p] = status
}

func (s *server) unforce(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.status, p)
}

func (s *server) redirectTo(p, loc string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirect[p] = loc
}

// count returns the requests for paths ending in suffix since the last reset.
func (s *server) count(suffix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.hits {
		if strings.HasSuffix(p, suffix) {
			n += c
		}
	}
	return n
}

func (s *server) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits = map[string]int{}
}

// client dials the test server whatever the host, and checks its
// certificate (made for example.com) with the host name replaced.
func (s *server) client() *fetch.Client {
	pool := x509.NewCertPool()
	pool.AddCert(s.srv.Certificate())
	addr := s.srv.Listener.Addr().String()
	var d net.Dialer
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "example.com"},
	}
	return &fetch.Client{HTTP: &http.Client{Transport: tr}, Retries: -1}
}

// CISA's layout (https://www.cisa.gov/sites/default/files/csaf/...).
const (
	cisaBase = "/sites/default/files/csaf/"
	cisaMeta = "https://www.cisa.gov" + cisaBase + "provider-metadata.json"
)

// cisa is a provider laid out as CISA's, serving the real documents of
// ../shared/csaf/cisagov-CSAF with their real .sha512 files and the real
// changes.csv and index.txt of ../shared/csaf-distribution, cut to the
// documents present; the .asc files are signed by a test key.
type cisa struct {
	*server
	key  *pgp.Keys
	fp   string
	docs []string // server paths of the listed documents
	real string   // folder of the real distribution files
}

func newCISA(t *testing.T, role string) *cisa {
	t.Helper()
	docs := sharedtest.Path(t, "csaf", "cisagov-CSAF")
	dist := sharedtest.Path(t, "csaf-distribution", "cisagov-CSAF")
	key, err := pgp.Generate("CISA test", "csaf@example.com", now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c := &cisa{server: newServer(t), key: key, fp: key.Fingerprints()[0], real: dist}
	present := map[string]bool{}
	err = filepath.WalkDir(docs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, _ := filepath.Rel(docs, p)
		rel = filepath.ToSlash(rel)
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		present[rel] = true
		c.put(cisaBase+rel, body)
		if sum, err := os.ReadFile(filepath.Join(dist, rel+".sha512")); err == nil {
			c.put(cisaBase+rel+".sha512", sum)
		}
		c.put(cisaBase+rel+".asc", c.sign(t, key, body))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"csaf_files/OT/white", "csaf_files/IT/white"} {
		c.cut(t, sub, present)
	}
	pub, _ := key.Public()
	c.put(cisaBase+"cisa_csaf_public.asc", pub)
	c.put(cisaBase+"provider-metadata.json", c.metadata(role, true))
	return c
}

// cut serves the real changes.csv and index.txt of sub, keeping only the
// lines of documents present (the others would be 2,361 404s).
func (c *cisa) cut(t *testing.T, sub string, present map[string]bool) {
	for _, name := range []string{"changes.csv", "index.txt"} {
		data, err := os.ReadFile(filepath.Join(c.real, filepath.FromSlash(sub), name))
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for line := range strings.Lines(string(data)) {
			p, _, _ := strings.Cut(strings.TrimSpace(line), ",")
			if present[p] {
				kept = append(kept, line)
				if name == "changes.csv" {
					c.docs = append(c.docs, cisaBase+p)
				}
			}
		}
		c.put(cisaBase+sub+"/"+name, []byte(strings.Join(kept, "")))
	}
}

func (c *cisa) sign(t *testing.T, key *pgp.Keys, body []byte) []byte {
	t.Helper()
	var sig bytes.Buffer
	if err := key.Sign(&sig, bytes.NewReader(body), now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	return sig.Bytes()
}

// metadata is a provider-metadata.json for the directories of cisa.
func (c *cisa) metadata(role string, withKey bool) []byte {
	m := map[string]any{
		"canonical_url":    cisaMeta,
		"metadata_version": "2.0",
		"role":             role,
		"publisher":        map[string]any{"name": "CISA test", "namespace": "https://www.cisa.gov", "category": "coordinator"},
		"distributions": []any{
			map[string]any{"directory_url": "https://www.cisa.gov" + cisaBase + "csaf_files/OT/white/"},
			map[string]any{"directory_url": "https://www.cisa.gov" + cisaBase + "csaf_files/IT/white/"},
		},
		"last_updated": "2024-10-24T00:00:00Z",
	}
	if withKey {
		m["public_openpgp_keys"] = []any{map[string]any{"fingerprint": c.fp, "url": "https://www.cisa.gov" + cisaBase + "cisa_csaf_public.asc"}}
	}
	out, _ := json.MarshalIndent(m, "", "  ")
	return out
}

// rehash publishes a new body for the document at p, with its SHA-512
// and a signature by key.
func (c *cisa) rehash(t *testing.T, p string, body []byte, key *pgp.Keys) {
	sum := sha512.Sum512(body)
	c.put(p, body)
	c.put(p+".sha512", []byte(hex.EncodeToString(sum[:])+"  "+path.Base(p)+"\n"))
	c.put(p+".asc", c.sign(t, key, body))
}

var labelWhite = regexp.MustCompile(`"label"\s*:\s*"WHITE"`)

// red turns a document into a TLP:RED one.
func red(t *testing.T, body []byte) []byte {
	out := labelWhite.ReplaceAll(body, []byte(`"label": "RED"`))
	if bytes.Equal(out, body) {
		t.Fatal("no TLP label to change")
	}
	return out
}

func (c *cisa) options(dir string) Options {
	return Options{Provider: Provider{URL: cisaMeta}, Client: c.client(), Dir: dir, Now: now}
}

// stored says whether the document at server path p is in dir.
func stored(dir, p string) bool {
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "/"))))
	return err == nil
}

func reasons(rs []Refusal) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%s (transient %v): %s\n", r.URL, r.Transient, r.Reason)
	}
	return b.String()
}

// find returns the refusal of the document whose URL ends in suffix.
func find(rs []Refusal, suffix string) *Refusal {
	for i := range rs {
		if strings.HasSuffix(rs[i].URL, suffix) {
			return &rs[i]
		}
	}
	return nil
}
