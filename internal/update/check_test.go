package update

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func checkOf(t *testing.T, o Options) map[string]CheckResult {
	t.Helper()
	res, err := Check(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]CheckResult{}
	for _, r := range res {
		out[r.Name] = r
	}
	return out
}

// TestCheck: before any update every file is pending; after one nothing
// is; a changed KEV catalog and a changed NVD .meta are named; an
// unreachable source is an error, not "current"; nothing is written and
// no data body is fetched.
func TestCheck(t *testing.T) {
	fs := newFeedServer(t)
	path := filepath.Join(t.TempDir(), "db")
	o := fs.options(path)
	got := checkOf(t, o)
	if c := got["osv"].Changes; len(c) != 2 || !strings.Contains(c[0], "/osv/Go/all.zip (not stored yet)") {
		t.Errorf("before any update, osv: %v", c)
	}
	update(t, o)
	state := read(t, path+".feeds/state.json")
	fs.counts()
	for name, r := range checkOf(t, o) {
		if len(r.Changes) != 0 || r.Err != nil {
			t.Errorf("after an update, %s: %v %v", name, r.Changes, r.Err)
		}
	}
	fs.set("/kev/known_exploited_vulnerabilities.json", []byte(`{"changed": true}`))
	fs.setNVD(t, "modified", []byte(`{"changed": true}`))
	fs.fault("/epss/epss_scores-current.csv.gz", "404")
	got = checkOf(t, o)
	if c := got["kev"].Changes; len(c) != 1 || !strings.HasSuffix(c[0], "/kev/known_exploited_vulnerabilities.json") {
		t.Errorf("kev: %v", c)
	}
	if c := got["nvd"].Changes; !slices.Equal(c, []string{fs.srv.URL + "/nvd/nvdcve-2.0-modified.json.gz"}) {
		t.Errorf("nvd: %v", c)
	}
	if err := got["epss"].Err; err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("epss: %v", err)
	}
	if len(got["osv"].Changes) != 0 {
		t.Errorf("osv: %v", got["osv"].Changes)
	}
	if _, bodies := fs.counts(); len(bodies) != 0 {
		t.Errorf("check fetched %v", bodies)
	}
	if !bytes.Equal(read(t, path+".feeds/state.json"), state) {
		t.Error("check changed the state")
	}
}

// TestEcosystems: names from ecosystems.txt that could escape their
// folder are refused; a configured ecosystem it does not list is an
// error for that one only; folder names are reversible.
func TestEcosystems(t *testing.T) {
	fs := newFeedServer(t)
	path := filepath.Join(t.TempDir(), "db")
	o := fs.options(path, "osv")
	o.Config.Sources.OSV.Ecosystems = []string{"Go", "pypi"}
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	s := sourceOf(t, res, "osv")
	if s.Stored != 1 || s.Err == nil || !strings.Contains(s.Err.Error(), `ecosystem "pypi": not listed in`) {
		t.Errorf("%+v", s)
	}
	fs.set("/osv/ecosystems.txt", []byte("Go\n..\n"))
	res, _ = Run(context.Background(), o)
	if s := sourceOf(t, res, "osv"); s.Err == nil || !strings.Contains(s.Err.Error(), `".." is not an ecosystem name`) {
		t.Errorf("%+v", s)
	}
	if d := ecoDir("Red Hat:9/x"); d != "Red%20Hat%3A9%2Fx" {
		t.Errorf("ecoDir: %s", d)
	}
}
