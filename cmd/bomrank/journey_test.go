package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAirGapJourney follows the README from nothing to a ranked fleet on
// both sides of the air gap: `db update` on the connected machine (the
// public feeds imitated on loopback with real files), `db export
// --sign-key`, `db import --trust` on the air-gapped one, and the scan
// of the sample fleet from the imported database equals the scan from
// the updated one, which equals a scan of the fetched files through -a.
func TestAirGapJourney(t *testing.T) {
	site := newFeedSite(t)
	cfg := site.config(t)
	dir := t.TempDir()
	priv, pub := writeKey(t, dir, "hospital")
	connected, gapped := filepath.Join(dir, "connected", "db"), filepath.Join(dir, "gapped", "db")
	bundle := filepath.Join(dir, "feeds.bundle")
	steps := [][]string{
		append([]string{"db", "update", "-q", "--db", connected, "--config", cfg}, fourSources...),
		{"db", "export", bundle, "--db", connected, "--sign-key", priv},
		{"db", "import", bundle, "--db", gapped, "--trust", pub},
	}
	for _, args := range steps {
		if code, _, stderr := runCLI(t, args...); code != exitOK {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args[:2], " "), code, stderr)
		}
	}
	if a, b := statusDigest(t, connected), statusDigest(t, gapped); a != b {
		t.Errorf("digest %s on the connected side, %s after import", a, b)
	}
	scan := func(args ...string) string {
		args = append([]string{"scan", "-q", "--as-of", "2026-01-02", "-f", "json"}, args...)
		code, stdout, stderr := runCLI(t, append(args, fleetDir)...)
		if code != exitOK && code != exitPartial {
			t.Fatalf("scan %v: exit %d\n%s", args, code, stderr)
		}
		return stdout
	}
	fromConnected, fromGapped := scan("--db", connected), scan("--db", gapped)
	if fromConnected == "" || strings.ReplaceAll(fromGapped, gapped, connected) != fromConnected {
		t.Error("the imported database ranks the fleet differently from the exported one")
	}
	if !strings.Contains(fromConnected, "CVE-") {
		t.Error("no finding from the fetched feeds")
	}
	var feeds []string
	for _, k := range []string{"osv", "nvd", "kev", "epss"} {
		feeds = append(feeds, "-a", filepath.Join(connected+".feeds", k))
	}
	if _, err := os.Stat(filepath.Join(connected+".feeds", "osv")); err != nil {
		t.Fatalf("staging area: %v", err)
	}
	fromFiles := scan(feeds...)
	if got := feedsDBMember.ReplaceAllString(fromConnected, ""); got != fromFiles {
		t.Error("the scan from the database differs from the scan of the fetched files")
	}
}
