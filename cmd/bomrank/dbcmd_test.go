package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/db"
)

// feedsDBMember matches the JSON report's "feeds.db" object.
var feedsDBMember = regexp.MustCompile(`,?\s*"db": \{[^{}]*\}`)

// `db build` then `scan --db` gives the report `scan -a` gives, byte for
// byte but for feeds.db; `db status` prints the contract's fields and
// --verify checks them.
func TestDBBuildStatusScan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	code, _, stderr := runCLI(t, "db", "build", "--db", path, "-a", feedsDir)
	if code != exitOK || !strings.Contains(stderr, "built "+path) {
		t.Fatalf("db build: exit %d, stderr %q", code, stderr)
	}
	_, want, _ := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "-f", "json", "-a", feedsDir, fleetDir)
	code, got, stderr := runCLI(t, "scan", "--as-of", "2026-01-02", "-f", "json", "--db", path, fleetDir)
	if code != exitOK || feedsDBMember.ReplaceAllString(got, "") != want {
		t.Errorf("scan --db: exit %d, stderr %q, same report as -a: %v", code, stderr, feedsDBMember.ReplaceAllString(got, "") == want)
	}
	code, stdout, stderr := runCLI(t, "db", "status", "--db", path, "--verify", "--format", "json")
	var st map[string]any
	if err := json.Unmarshal([]byte(stdout), &st); code != exitOK || err != nil {
		t.Fatalf("db status: exit %d, %v, stderr %q", code, err, stderr)
	}
	for _, k := range []string{"schema", "built", "bomrank_version", "digest", "sources", "verified"} {
		if _, ok := st[k]; !ok {
			t.Errorf("db status JSON has no %q: %s", k, stdout)
		}
	}
	if st["verified"] != true || st["schema"] != float64(db.Schema) || !strings.HasPrefix(st["digest"].(string), "sha256:") {
		t.Errorf("db status JSON: %s", stdout)
	}
	if _, err := time.Parse(time.RFC3339, st["built"].(string)); err != nil {
		t.Errorf("built: %v", err)
	}
	code, stdout, _ = runCLI(t, "db", "status", "--db", path)
	if code != exitOK || !strings.Contains(stdout, "not checked (--verify)") || !strings.Contains(stdout, "KIND") {
		t.Errorf("db status table: exit %d\n%s", code, stdout)
	}
}

// The default database ($BOMRANK_DB here) is used when neither -a nor
// --db is given, and stderr says so unless -q.
func TestDBDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.db")
	t.Setenv("BOMRANK_DB", path)
	if code, _, stderr := runCLI(t, "db", "build", "-q", "-a", feedsDir); code != exitOK || stderr != "" {
		t.Fatalf("db build -q: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr := runCLI(t, "scan", "--as-of", "2026-01-02", fleetDir)
	if code != exitOK || !strings.Contains(stderr, "scanning with the advisory database "+path) || strings.Contains(stderr, "no vulnerability records") {
		t.Errorf("scan without -a: exit %d, stderr %q", code, stderr)
	}
	// (The sample feeds' data is old: the age warning stays under -q.)
	if _, _, stderr := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", fleetDir); strings.Contains(stderr, "note:") {
		t.Errorf("scan -q: stderr %q", stderr)
	}
	// -a alone does not use the default database.
	if _, _, stderr := runCLI(t, "scan", "--as-of", "2026-01-02", "-a", filepath.Join(feedsDir, "kev"), fleetDir); !strings.Contains(stderr, "no vulnerability records") {
		t.Errorf("scan -a kev: stderr %q", stderr)
	}
}

// Old data is a warning, and an error (exit 2) past --max-db-age.
func TestDBAge(t *testing.T) {
	dir := t.TempDir()
	feed := filepath.Join(dir, "osv.json")
	data, err := os.ReadFile(filepath.Join(feedsDir, "osv", "GHSA-jfh8-c2jp-5v3q.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(feed, data, 0o644)
	old := time.Now().Add(-30 * 24 * time.Hour)
	os.Chtimes(feed, old, old)
	path := filepath.Join(dir, "db")
	if _, err := db.Build(context.Background(), db.BuildOptions{Path: path, Feeds: []string{feed}, Now: old}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "scan", "-q", "--db", path, fleetDir)
	if code != exitOK || !strings.Contains(stderr, "warning: the advisory data of "+path+" is 30 days old") {
		t.Errorf("30-day-old data: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "scan", "-q", "--max-db-age", "2w", "--db", path, fleetDir)
	if code != exitUsage || !strings.Contains(stderr, "more than --max-db-age 2w") || stdout != "" {
		t.Errorf("--max-db-age 2w: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "scan", "-q", "--max-db-age", "31d", "--db", path, fleetDir); code != exitOK {
		t.Errorf("--max-db-age 31d: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "scan", "--max-db-age", "soon", "--db", path, fleetDir); code != exitUsage || !strings.Contains(stderr, "--max-db-age") {
		t.Errorf("--max-db-age soon: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "scan", "--max-db-age", "7d", "-a", feedsDir, fleetDir); code != exitUsage || !strings.Contains(stderr, "reads no database") {
		t.Errorf("--max-db-age without a database: exit %d, stderr %q", code, stderr)
	}
}

// Bad databases and targets: a named error and a non-zero exit, never a
// panic; --verify finds what only the digest covers (exit 1).
func TestDBBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "db")
	runCLI(t, "db", "build", "-q", "--db", path, "-a", feedsDir)
	notDB := filepath.Join(feedsDir, "kev", "known_exploited_vulnerabilities.json")
	for _, args := range [][]string{
		{"scan", "--db", dir, fleetDir},
		{"scan", "--db", notDB, fleetDir},
		{"scan", "--db", filepath.Join(dir, "missing"), fleetDir},
		{"db", "status", "--db", dir},
		{"db", "status", "--db", notDB},
		{"db", "build", "--db", dir, "-a", feedsDir},
		{"db", "build", "--db", filepath.Join(notDB, "db"), "-a", feedsDir},
		{"db", "build", "--db", path},
		{"db", "status", "--db", path, "--format", "xml"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.HasPrefix(stderr, "bomrank: ") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	data, _ := os.ReadFile(path)
	n := int(binary.LittleEndian.Uint32(data[12:]))
	for i := range n {
		e := data[56+24*i:]
		end := binary.LittleEndian.Uint64(e[8:]) + binary.LittleEndian.Uint64(e[16:])
		if end%8 != 0 {
			data[end] = 1 // padding after the section: only the digest covers it
			break
		}
	}
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, data, 0o644)
	code, _, stderr := runCLI(t, "db", "status", "--verify", "--db", bad)
	if code != exitFail || !strings.Contains(stderr, "digest mismatch") || !strings.Contains(stderr, bad) {
		t.Errorf("--verify of a damaged file: exit %d, stderr %q", code, stderr)
	}
}

// The configuration file's db is the default database when
// $BOMRANK_DB is not set; --db wins over both.
func TestDBFromConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "configured.db")
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte("db: "+path+"\n"), 0o644)
	if code, _, stderr := runCLI(t, "db", "build", "-q", "--config", cfg, "-a", feedsDir); code != exitOK {
		t.Fatalf("db build --config: exit %d, stderr %q", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "db", "status", "--config", cfg); code != exitOK || !strings.Contains(stdout, path) {
		t.Errorf("db status --config: exit %d\n%s", code, stdout)
	}
	code, _, stderr := runCLI(t, "scan", "--config", cfg, "--as-of", "2026-01-02", fleetDir)
	if code != exitOK || !strings.Contains(stderr, "scanning with the advisory database "+path) {
		t.Errorf("scan --config: exit %d, stderr %q", code, stderr)
	}
	other := filepath.Join(dir, "other.db")
	if code, _, stderr := runCLI(t, "scan", "--config", cfg, "--db", other, fleetDir); code != exitUsage || !strings.Contains(stderr, other) {
		t.Errorf("--db over the configuration: exit %d, stderr %q", code, stderr)
	}
}
