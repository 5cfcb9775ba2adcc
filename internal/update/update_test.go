package update

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// update runs an update and fails the test when no database was written.
func update(t *testing.T, o Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	return res
}

func sourceOf(t *testing.T, res *Result, name string) SourceResult {
	t.Helper()
	for _, s := range res.Sources {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no source %s in %+v", name, res.Sources)
	return SourceResult{}
}

func status(t *testing.T, path string) db.Status {
	t.Helper()
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	return d.Status()
}

// TestUpdate: a first update stores and verifies every file of every
// source and builds the database with each source's origin; a second one
// fetches no body (every file answered 304 or its .meta unchanged) and
// builds the same contents.
func TestUpdate(t *testing.T) {
	fs := newFeedServer(t)
	path := filepath.Join(t.TempDir(), "db")
	res := update(t, fs.options(path))
	if res.Partial() {
		t.Fatalf("partial: %+v", res.Sources)
	}
	for name, stored := range map[string]int{"osv": 2, "nvd": 2, "kev": 1, "epss": 1} {
		if s := sourceOf(t, res, name); s.Stored != stored || s.Err != nil {
			t.Errorf("%s: stored %d, want %d (%v)", name, s.Stored, stored, s.Err)
		}
	}
	if s := sourceOf(t, res, "csaf/127.0.0.1"); !s.Skipped {
		t.Errorf("csaf was not asked for, yet %+v", s)
	}
	for name, want := range map[string]string{"osv": "2 all.zip checked against the CRC32C", "nvd": "2 feed files checked against the SHA-256",
		"kev": "no checksum or signature is published: fetched over HTTPS and read as a KEV catalog of", "epss": "model_version v2025.03.14, score_date 2025-03-17"} {
		if v := sourceOf(t, res, name).Verification; !strings.Contains(v, want) {
			t.Errorf("%s verification %q, want %q", name, v, want)
		}
	}
	st := status(t, path)
	first := st
	kinds := map[string]bool{}
	for _, s := range st.Sources {
		kinds[s.Kind] = true
		o, ok := st.Origin(s.Path)
		if !ok || !strings.HasPrefix(o.URL, fs.srv.URL) || !o.Fetched.Equal(now) || o.Verification == "" {
			t.Errorf("source %s %s: origin %+v", s.Kind, s.Path, o)
		}
	}
	if !kinds["osv"] || !kinds["nvd"] || !kinds["kev"] || !kinds["epss"] || st.KEV == 0 || st.EPSS == 0 || st.Records < 300 {
		t.Errorf("database: kinds %v, %d KEV, %d EPSS, %d records", kinds, st.KEV, st.EPSS, st.Records)
	}
	fs.counts()
	res = update(t, fs.options(path))
	reqs, bodies := fs.counts()
	if len(bodies) != 0 {
		t.Errorf("second update fetched bodies %v", bodies)
	}
	if reqs["/nvd/nvdcve-2.0-2026.json.gz"] != 0 || reqs["/nvd/nvdcve-2.0-2026.meta"] != 1 {
		t.Errorf("second update asked NVD %v", reqs)
	}
	for _, name := range []string{"osv", "nvd", "kev", "epss"} {
		if s := sourceOf(t, res, name); s.Stored != 0 || s.Unchanged == 0 {
			t.Errorf("second update %s: %+v", name, s)
		}
	}
	if again := status(t, path); again.Records != first.Records || again.KEV != first.KEV || again.Digest != first.Digest {
		t.Errorf("second update changed the database: %+v", again)
	}
}

// TestUpdateFaults: each fault fails its source (named, with its URL) and
// leaves that source's previous file in place and in the rebuilt
// database; the other sources still update; a 429 with Retry-After is
// waited out.
func TestUpdateFaults(t *testing.T) {
	fs := newFeedServer(t)
	path := filepath.Join(t.TempDir(), "db")
	update(t, fs.options(path))
	before := status(t, path)
	for _, tc := range []struct {
		path, fault, source, want string
	}{
		{"/kev/known_exploited_vulnerabilities.json", "404", "kev", "HTTP 404"},
		{"/epss/epss_scores-current.csv.gz", "503", "epss", "HTTP 503"},
		{"/osv/Go/all.zip", "crc", "osv", "x-goog-hash says AAAAAA==: refused"},
		{"/osv/Go/all.zip", "cut", "osv", "cut short"},
		{"/osv/ecosystems.txt", "loop", "osv", "stopped after 10 redirects"},
		{"/nvd/nvdcve-2.0-2026.meta", "404", "nvd", "nvdcve-2.0-2026.meta: HTTP 404"},
	} {
		fs.fault(tc.path, tc.fault)
		// Every file changed on the server, so that each is fetched again.
		fs.set("/kev/known_exploited_vulnerabilities.json", append(read(t, "../../testdata/feeds/kev/known_exploited_vulnerabilities.json"), ' '))
		fs.set("/osv/Go/all.zip", zipDirComment(t, sharedtest.Path(t, "osv", "slice", "go"), tc.path+tc.fault))
		zipBefore := read(t, path+".feeds/osv/Go/all.zip")
		res := update(t, fs.options(path))
		fs.fault(tc.path, "")
		s := sourceOf(t, res, tc.source)
		if s.Err == nil || !strings.Contains(s.Err.Error(), tc.want) || !strings.Contains(s.Err.Error(), fs.srv.URL) || !res.Partial() {
			t.Errorf("%s %s: %v, want %q naming the URL", tc.path, tc.fault, s.Err, tc.want)
		}
		after := status(t, path)
		if after.KEV != before.KEV || after.EPSS != before.EPSS || after.Records != before.Records {
			t.Errorf("%s %s: the rebuilt database lost data: %d/%d KEV, %d/%d EPSS, %d/%d records", tc.path, tc.fault,
				after.KEV, before.KEV, after.EPSS, before.EPSS, after.Records, before.Records)
		}
		if o, _ := after.Origin(path + ".feeds/" + tc.source); !strings.Contains(o.Verification, "failed") {
			t.Errorf("%s: status does not say the update failed: %+v", tc.source, o)
		}
		if b := read(t, path+".feeds/osv/Go/all.zip"); !bytes.Equal(b, zipBefore) && tc.source == "osv" && tc.fault != "loop" {
			t.Errorf("%s %s replaced the stored all.zip", tc.path, tc.fault)
		}
	}
	fs.fault("/kev/known_exploited_vulnerabilities.json", "429")
	res := update(t, fs.options(path))
	if s := sourceOf(t, res, "kev"); s.Err != nil {
		t.Errorf("429 with Retry-After: %v", s.Err)
	}
}

// TestUpdateInterrupted: a slow server past the deadline stops the update
// with the deadline's error; the previous database is untouched (same
// digest) and no part file is left for the build to read.
func TestUpdateInterrupted(t *testing.T) {
	fs := newFeedServer(t)
	path := filepath.Join(t.TempDir(), "db")
	update(t, fs.options(path))
	digest := status(t, path).Digest
	fs.set("/osv/Go/all.zip", []byte("changed"))
	fs.fault("/osv/Go/all.zip", "slow")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := Run(ctx, fs.options(path))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v, want the deadline", err)
	}
	if d := status(t, path).Digest; d != digest {
		t.Errorf("digest %s after an interrupted update, was %s", d, digest)
	}
	parts, _ := filepath.Glob(path + ".feeds/osv/*/*.part")
	if len(parts) != 0 {
		t.Errorf("part files left: %v", parts)
	}
}

// TestUpdateNothing: when no source can be fetched on a first update, no
// database is written and the error says why.
func TestUpdateNothing(t *testing.T) {
	fs := newFeedServer(t)
	for p := range fs.files {
		fs.fault(p, "404")
	}
	path := filepath.Join(t.TempDir(), "db")
	res, err := Run(context.Background(), fs.options(path))
	if err == nil || !strings.Contains(err.Error(), "no source has any verified data") {
		t.Fatalf("%v", err)
	}
	if len(res.Sources) == 0 || sourceOf(t, res, "kev").Err == nil {
		t.Errorf("sources %+v", res.Sources)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a database was written")
	}
}

// TestUpdateResumes: NVD files and OSV archives stored by an update that
// died before recording them are recognised (by the .meta digest, by the
// bucket's CRC32C) and not fetched again; a changed .meta digest fetches
// the file; a wrong one is refused.
func TestUpdateResumes(t *testing.T) {
	fs := newFeedServer(t)
	path := filepath.Join(t.TempDir(), "db")
	update(t, fs.options(path, "nvd", "osv"))
	os.Remove(path + ".feeds/state.json")
	fs.counts()
	res := update(t, fs.options(path, "nvd", "osv"))
	if _, bodies := fs.counts(); len(bodies) != 0 || sourceOf(t, res, "nvd").Unchanged != 2 || sourceOf(t, res, "osv").Unchanged != 2 {
		t.Errorf("resumed update fetched %v: %+v", bodies, res.Sources)
	}
	os.Remove(path + ".feeds/state.json")
	fs.set("/osv/Go/all.zip", zipDirComment(t, sharedtest.Path(t, "osv", "slice", "go"), "newer"))
	update(t, fs.options(path, "osv"))
	if _, bodies := fs.counts(); bodies["/osv/Go/all.zip"] != 1 || bodies["/osv/crates.io/all.zip"] != 0 {
		t.Errorf("an archive changed meanwhile: fetched %v", bodies)
	}
	fs.setNVD(t, "modified", read(t, "../../testdata/feeds/nvd/nvdcve-2.0-embedded.json"))
	res = update(t, fs.options(path, "nvd"))
	if _, bodies := fs.counts(); bodies["/nvd/nvdcve-2.0-modified.json.gz"] != 1 || sourceOf(t, res, "nvd").Stored != 1 {
		t.Errorf("changed .meta: fetched %v", bodies)
	}
	good := read(t, path+".feeds/nvd/nvdcve-2.0-modified.json.gz")
	fs.setNVD(t, "modified", []byte(`{"vulnerabilities":[]}`))
	fs.set("/nvd/nvdcve-2.0-modified.meta", []byte("size:22\nsha256:"+strings.Repeat("AB", 32)+"\n"))
	res = update(t, fs.options(path, "nvd"))
	if err := sourceOf(t, res, "nvd").Err; err == nil || !strings.Contains(err.Error(), "but the .meta says ABAB") {
		t.Errorf("wrong .meta sha256: %v", err)
	}
	if !bytes.Equal(read(t, path+".feeds/nvd/nvdcve-2.0-modified.json.gz"), good) {
		t.Error("a refused NVD file replaced the stored one")
	}
}

// TestUpdateLocked: a second update while one holds the staging area
// fails at once, naming the lock.
func TestUpdateLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	o := Options{DB: path}
	_, unlock, _, err := o.open()
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := Run(context.Background(), o); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "db.feeds/lock") {
		t.Errorf("%v", err)
	}
}

// TestCheckGzip: an NVD file is refused when it decompresses to more or
// fewer bytes than its .meta says (reading no more than that), or is not
// gzip; a .meta without a sha256 is an error.
func TestCheckGzip(t *testing.T) {
	dir := t.TempDir()
	json := read(t, "../../testdata/feeds/nvd/CVE-2023-38545.json")
	fs := &feedServer{files: map[string][]byte{}}
	fs.setNVD(t, "x", json)
	gz := filepath.Join(dir, "x.json.gz")
	os.WriteFile(gz, fs.files["/nvd/nvdcve-2.0-x.json.gz"], 0o644)
	meta, err := parseMeta(string(fs.files["/nvd/nvdcve-2.0-x.meta"]))
	if err != nil || checkGzip(gz, meta) != nil {
		t.Fatalf("%v %v", err, checkGzip(gz, meta))
	}
	for _, tc := range []struct {
		size int64
		want string
	}{{meta.size - 1, "more than"}, {meta.size + 1, "but the .meta says"}} {
		m := meta
		m.size = tc.size
		if err := checkGzip(gz, m); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("size %d: %v", tc.size, err)
		}
	}
	os.WriteFile(gz, json, 0o644)
	if err := checkGzip(gz, meta); err == nil || !strings.Contains(err.Error(), "not gzip") {
		t.Errorf("plain file: %v", err)
	}
	if _, err := parseMeta("size:12\n"); err == nil {
		t.Error("a .meta without sha256 was accepted")
	}
}
