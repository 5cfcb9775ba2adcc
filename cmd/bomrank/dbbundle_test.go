package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/pgp"
)

// writeKey makes a key pair and writes its private and public parts.
func writeKey(t *testing.T, dir, name string) (private, public string) {
	t.Helper()
	k, err := pgp.Generate(name, name+"@example.org", time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	priv, _ := k.Private()
	pub, _ := k.Public()
	private, public = filepath.Join(dir, name+".key"), filepath.Join(dir, name+".pub")
	os.WriteFile(private, priv, 0o600)
	os.WriteFile(public, pub, 0o644)
	return private, public
}

// statusDigest is the digest `db status --format json` prints.
func statusDigest(t *testing.T, path string) string {
	t.Helper()
	code, stdout, stderr := runCLI(t, "db", "status", "--db", path, "--verify", "--format", "json")
	var st struct{ Digest string }
	if err := json.Unmarshal([]byte(stdout), &st); code != exitOK || err != nil {
		t.Fatalf("db status %s: exit %d, %v, stderr %q", path, code, err, stderr)
	}
	return st.Digest
}

// Across the air gap: `db export --sign-key` on one side, `db import
// --trust` on the other, and `db status` prints the same digest on both;
// the same database exports to the same bytes.
func TestDBExportImport(t *testing.T) {
	dir := t.TempDir()
	priv, pub := writeKey(t, dir, "hospital")
	connected, gapped := filepath.Join(dir, "connected", "db"), filepath.Join(dir, "gapped", "db")
	bundle := filepath.Join(dir, "feeds.bundle")
	if code, _, stderr := runCLI(t, "db", "build", "-q", "--db", connected, "-a", feedsDir); code != exitOK {
		t.Fatalf("db build: exit %d, %s", code, stderr)
	}
	code, _, stderr := runCLI(t, "db", "export", bundle, "--db", connected, "--sign-key", priv)
	if code != exitOK || !strings.Contains(stderr, "signed by ") {
		t.Fatalf("db export: exit %d, stderr %q", code, stderr)
	}
	first, _ := os.ReadFile(bundle)
	runCLI(t, "db", "export", bundle, "--db", connected, "--sign-key", priv)
	if again, _ := os.ReadFile(bundle); !bytes.Equal(first, again) {
		t.Error("two exports of one database differ")
	}
	code, _, stderr = runCLI(t, "db", "import", bundle, "--db", gapped, "--trust", pub)
	if code != exitOK || !strings.Contains(stderr, "installed ") || !strings.Contains(stderr, "signed by ") {
		t.Fatalf("db import: exit %d, stderr %q", code, stderr)
	}
	if a, b := statusDigest(t, connected), statusDigest(t, gapped); a != b {
		t.Errorf("digests differ: %s exported, %s imported", a, b)
	}
	// The same ranking on both sides.
	_, want, _ := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "-f", "json", "--db", connected, fleetDir)
	_, got, _ := runCLI(t, "scan", "-q", "--as-of", "2026-01-02", "-f", "json", "--db", gapped, fleetDir)
	if want == "" || strings.ReplaceAll(got, gapped, connected) != want {
		t.Error("scans from the exported and the imported database differ")
	}
	code, _, stderr = runCLI(t, "db", "import", bundle, "--db", gapped, "--trust", pub)
	if code != exitOK || !strings.Contains(stderr, "nothing changed") {
		t.Errorf("second import: exit %d, stderr %q", code, stderr)
	}
	// Keys listed in the configuration file are required as --trust is.
	other := filepath.Join(dir, "other")
	os.Mkdir(other, 0o755)
	_, otherPub := writeKey(t, other, "other")
	cfg := filepath.Join(other, "config.yaml")
	os.WriteFile(cfg, []byte("import: {trust: [other.pub]}\n"), 0o644)
	code, _, stderr = runCLI(t, "db", "import", bundle, "--db", gapped, "--config", cfg)
	if code != exitFail || !strings.Contains(stderr, "not trusted") {
		t.Errorf("import.trust with another key: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "db", "import", bundle, "--db", gapped, "--config", cfg, "--trust", pub)
	if code != exitOK || !strings.Contains(stderr, "signed by ") || otherPub == "" {
		t.Errorf("import.trust plus --trust: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "db", "export", bundle, "--db", connected)
	if _, err := os.Stat(bundle + ".asc"); code != exitOK || err == nil || !strings.Contains(stderr, "removed") {
		t.Errorf("unsigned export over a signed one: exit %d, stderr %q, .asc: %v", code, stderr, err)
	}
}

// Every refusal exits 1 naming why, every failure to install exits 2,
// and the installed database stays as it was.
func TestDBImportRefusals(t *testing.T) {
	dir := t.TempDir()
	priv, pub := writeKey(t, dir, "hospital")
	_, otherPub := writeKey(t, dir, "other")
	src, gapped := filepath.Join(dir, "src.db"), filepath.Join(dir, "gapped", "db")
	runCLI(t, "db", "build", "-q", "--db", src, "-a", feedsDir)
	bundle := filepath.Join(dir, "feeds.bundle")
	if code, _, stderr := runCLI(t, "db", "export", "-q", bundle, "--db", src, "--sign-key", priv); code != exitOK {
		t.Fatalf("db export: exit %d, %s", code, stderr)
	}
	runCLI(t, "db", "build", "-q", "--db", gapped, "-a", filepath.Join(feedsDir, "kev"))
	want := statusDigest(t, gapped)
	data, _ := os.ReadFile(bundle)
	sig, _ := os.ReadFile(bundle + ".asc")
	variant := func(name string, b, s []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		if s != nil {
			os.WriteFile(p+".asc", s, 0o644)
		}
		return p
	}
	tampered := bytes.Clone(data)
	tampered[len(tampered)/3] ^= 1
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"another key", []string{bundle, "--trust", otherPub}, exitFail, "signature refused: signature made by a key that is not trusted"},
		{"unsigned", []string{variant("unsigned.bundle", data, nil), "--trust", pub}, exitFail, "no signature"},
		{"tampered", []string{variant("tampered.bundle", tampered, sig), "--trust", pub}, exitFail, "signature refused"},
		{"tampered, unchecked", []string{variant("tampered2.bundle", tampered, nil)}, exitFail, "unchanged"},
		{"truncated", []string{variant("cut.bundle", data[:len(data)/2], nil)}, exitFail, "truncated"},
		{"not a bundle", []string{variant("text.bundle", []byte("hello\n"), nil)}, exitFail, "not a bomrank database bundle"},
		{"a directory", []string{dir}, exitUsage, "not a regular file"},
		{"missing", []string{filepath.Join(dir, "nope")}, exitUsage, "no such file"},
		{"bad key file", []string{bundle, "--trust", bundle}, exitUsage, "trusted key 1"},
		{"no FILE", nil, exitUsage, "accepts 1 arg"},
	} {
		code, _, stderr := runCLI(t, append([]string{"db", "import", "--db", gapped}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, stderr, c.code, c.msg)
		}
		if got := statusDigest(t, gapped); got != want {
			t.Errorf("%s: the installed database changed", c.name)
		}
	}
}

// A bundle older than the installed database is refused (exit 1) unless
// --allow-older; export fails (exit 2) without a readable database or key.
func TestDBImportRollback(t *testing.T) {
	dir := t.TempDir()
	old, gapped := filepath.Join(dir, "old.db"), filepath.Join(dir, "gapped.db")
	runCLI(t, "db", "build", "-q", "--db", old, "-a", feedsDir)
	time.Sleep(1100 * time.Millisecond) // build times are the clock's: make the next one later
	runCLI(t, "db", "build", "-q", "--db", gapped, "-a", filepath.Join(feedsDir, "kev"))
	bundle := filepath.Join(dir, "old.bundle")
	runCLI(t, "db", "export", "-q", bundle, "--db", old)
	want := statusDigest(t, gapped)
	code, _, stderr := runCLI(t, "db", "import", bundle, "--db", gapped)
	if code != exitFail || !strings.Contains(stderr, "rollback refused") || statusDigest(t, gapped) != want {
		t.Errorf("rollback: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "db", "import", bundle, "--db", gapped, "--allow-older")
	if code != exitOK || statusDigest(t, gapped) != statusDigest(t, old) || !strings.Contains(stderr, "replaced the database built") {
		t.Errorf("--allow-older: exit %d, stderr %q", code, stderr)
	}
	for name, args := range map[string][]string{
		"no database":       {filepath.Join(dir, "x.bundle"), "--db", filepath.Join(dir, "none.db")},
		"bad key":           {filepath.Join(dir, "x.bundle"), "--db", old, "--sign-key", old},
		"no key file":       {filepath.Join(dir, "x.bundle"), "--db", old, "--sign-key", filepath.Join(dir, "none.key")},
		"unwritable":        {filepath.Join(dir, "old.db", "x.bundle"), "--db", old},
		"over the database": {old, "--db", old},
	} {
		if code, _, stderr := runCLI(t, append([]string{"db", "export"}, args...)...); code != exitUsage {
			t.Errorf("export, %s: exit %d, stderr %q", name, code, stderr)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "x.bundle*")); len(left) > 0 {
		t.Errorf("failed exports left %v", left)
	}
}
