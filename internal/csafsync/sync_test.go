package csafsync

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/pgp"
)

// TestSyncCISADirectory mirrors CISA's real documents through the
// directory distribution (the real changes.csv, real .sha512), checks
// every signature against the key of the metadata, and lets the
// advisory reader load what was stored; a second sync fetches nothing.
func TestSyncCISADirectory(t *testing.T) {
	c := newCISA(t, RoleTrustedProvider)
	dir := t.TempDir()
	urls, err := Check(context.Background(), c.options(dir), nil)
	if err != nil || len(urls) != len(c.docs) || urls[0] != "https://www.cisa.gov"+c.docs[0] || c.count(".json") != 1 {
		t.Fatalf("check before any sync: %v (%d of %d), %d .json requests", err, len(urls), len(c.docs), c.count(".json"))
	}
	res, st, err := Sync(context.Background(), c.options(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 0 || res.Fetched != len(c.docs) || len(c.docs) < 15 {
		t.Fatalf("fetched %d of %d, refused:\n%s", res.Fetched, len(c.docs), reasons(res.Refused))
	}
	if res.Role != RoleTrustedProvider || res.Publisher != "CISA test" || res.MetadataURL != cisaMeta {
		t.Errorf("result %+v", res)
	}
	if want := "SHA-512 and OpenPGP signature (key " + c.fp + ")"; res.Verification != want {
		t.Errorf("verification %q, want %q", res.Verification, want)
	}
	for _, p := range c.docs {
		d := st.Documents["https://www.cisa.gov"+p]
		if !stored(dir, p) || d.Signer != c.fp || !strings.HasPrefix(d.Hash, "sha512:") || d.Release == "" {
			t.Errorf("%s: stored %v, state %+v", p, stored(dir, p), d)
		}
	}
	if c.count(".json") != len(c.docs)+2 { // and the metadata, twice
		t.Errorf("%d .json requests for %d documents", c.count(".json"), len(c.docs))
	}
	lr := advisory.Options{}.Load(context.Background(), dir)
	if len(lr.Errors) != 0 || len(lr.Advisories) < len(c.docs) {
		t.Fatalf("advisory.Load: %d advisories, errors %v", len(lr.Advisories), lr.Errors)
	}

	testUnchanged(t, c, dir, st)
}

// testUnchanged syncs again an unchanged provider: nothing but the
// metadata and the listings (304) is requested.
func testUnchanged(t *testing.T, c *cisa, dir string, st *State) {
	t.Helper()
	c.reset()
	res, st2, err := Sync(context.Background(), c.options(dir), st)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fetched != 0 || res.Unchanged != len(c.docs) || len(res.Refused) != 0 {
		t.Errorf("second sync: fetched %d, unchanged %d, refused %v", res.Fetched, res.Unchanged, res.Refused)
	}
	// Only the metadata and the two changes.csv (answered 304).
	if n := c.count(""); n != 3 || c.count(".sha512")+c.count(".asc") != 0 {
		t.Errorf("second sync made %d requests (%d .json), want 3", n, c.count(".json"))
	}
	if len(st2.Documents) != len(c.docs) || !st2.LastSync.Equal(now) || len(st2.Keys) != 1 {
		t.Errorf("second state: %d documents, last sync %v, keys %v", len(st2.Documents), st2.LastSync, st2.Keys)
	}
}

// TestSyncFaults injects one fault per document and checks each is
// refused (or failed) and named, the others stored; the refusals are
// remembered until the release changes, the failures retried.
func TestSyncFaults(t *testing.T) {
	c := newCISA(t, RoleTrustedProvider)
	f := injectFaults(t, c)
	var (
		wrongHash, badSig, otherKey, cisaSig = f[0], f[1], f[2], f[3]
		tlpRed, missing, noAsc, loop         = f[4], f[5], f[6], f[7]
	)
	dir := t.TempDir()
	res, st, err := Sync(context.Background(), c.options(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, reason string
		transient    bool
	}{
		{wrongHash, ".sha512 gives abababab", false},
		{badSig, "bad signature", false},
		{otherKey, "not trusted", false},
		{cisaSig, "not trusted", false},
		{tlpRed, "TLP:RED", false},
		{missing, "HTTP 404", true},
		{noAsc, "no signature at https://www.cisa.gov" + noAsc + ".asc", false},
		{loop, "redirects", true},
	} {
		r := find(res.Refused, tc.path)
		if r == nil || !strings.Contains(r.Reason, tc.reason) || r.Transient != tc.transient || r.Release == "" {
			t.Errorf("%s: refusal %+v, want %q (transient %v)", tc.path, r, tc.reason, tc.transient)
		}
		if stored(dir, tc.path) {
			t.Errorf("%s stored", tc.path)
		}
	}
	if len(res.Refused) != 8 || res.Fetched != len(c.docs)-8 {
		t.Fatalf("fetched %d, refused:\n%s", res.Fetched, reasons(res.Refused))
	}
	testRemembered(t, c, dir, st, wrongHash, missing, loop)
}

// injectFaults breaks eight documents of c, one way each, and returns
// their paths: wrong hash, bad signature, signature by another key,
// CISA's real signature, TLP:RED, 404, no .asc, redirect loop.
func injectFaults(t *testing.T, c *cisa) []string {
	t.Helper()
	other, err := pgp.Generate("Another", "other@example.com", now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	doc := func(name string) string {
		for _, p := range c.docs {
			if strings.HasSuffix(p, "/"+name) {
				return p
			}
		}
		t.Fatalf("no document %s", name)
		return ""
	}
	var (
		wrongHash = doc("icsma-18-037-02.json")
		badSig    = doc("icsma-18-058-02.json")
		otherKey  = doc("icsma-18-107-01.json")
		cisaSig   = doc("icsma-19-080-01.json")
		tlpRed    = doc("icsma-20-170-04.json")
		missing   = doc("icsma-20-254-01.json")
		noAsc     = doc("icsma-20-343-01.json")
		loop      = doc("icsma-21-007-01.json")
	)
	c.put(wrongHash+".sha512", []byte(strings.Repeat("ab", 64)+"  x.json\n"))
	c.put(badSig+".asc", c.sign(t, c.key, []byte("other bytes")))
	c.put(otherKey+".asc", c.sign(t, other, c.get(otherKey)))
	real, err := os.ReadFile(filepath.Join(c.real, filepath.FromSlash(strings.TrimPrefix(cisaSig, cisaBase)+".asc")))
	if err != nil {
		t.Fatal(err)
	}
	c.put(cisaSig+".asc", real) // CISA's own signature: not the key of this metadata
	c.rehash(t, tlpRed, red(t, c.get(tlpRed)), c.key)
	c.del(missing)
	c.del(noAsc + ".asc")
	c.redirectTo(loop, loop)
	return []string{wrongHash, badSig, otherKey, cisaSig, tlpRed, missing, noAsc, loop}
}

// testRemembered syncs again: the refused documents are not fetched
// (their release did not change), the failed ones are; then a new
// release of a refused document is fetched again.
func testRemembered(t *testing.T, c *cisa, dir string, st *State, wrongHash, missing, loop string) {
	t.Helper()
	c.reset()
	res, st, err := Sync(context.Background(), c.options(dir), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.KeptRefused) != 6 || len(res.Refused) != 2 || res.Fetched != 0 {
		t.Errorf("second sync: kept %d, refused:\n%s", len(res.KeptRefused), reasons(res.Refused))
	}
	if c.count(wrongHash) != 0 || c.count(missing) != 1 || c.count(loop) == 0 {
		t.Errorf("second sync requests: refused %d, missing %d, loop %d", c.count(wrongHash), c.count(missing), c.count(loop))
	}
	if ids, err := Check(context.Background(), c.options(dir), st); err != nil || len(ids) != 2 {
		t.Errorf("check: %v %v, want the 2 failed documents", ids, err)
	}
	// A new release of the document refused for its hash, published right.
	body := c.get(wrongHash)
	sum := sha512.Sum512(body)
	c.put(wrongHash+".sha512", []byte(hex.EncodeToString(sum[:])))
	csv := cisaBase + "csaf_files/OT/white/changes.csv"
	line := strings.TrimPrefix(wrongHash, cisaBase) + ","
	c.put(csv, bytes.Replace(c.get(csv), []byte(line+"2018-03-13"), []byte(line+"2026-12-01"), 1))
	if ids, err := Check(context.Background(), c.options(dir), st); err != nil || len(ids) != 3 {
		t.Errorf("check after a new release: %v %v", ids, err)
	}
	c.reset()
	res, st, err = Sync(context.Background(), c.options(dir), st)
	if err != nil || res.Fetched != 1 || !stored(dir, wrongHash) || c.count(wrongHash) != 1 {
		t.Errorf("third sync: %v, fetched %d, refused:\n%s", err, res.Fetched, reasons(res.Refused))
	}
	if d := st.Documents["https://www.cisa.gov"+wrongHash]; d.Refused != "" || d.Release != "2026-12-01T00:00:00Z" {
		t.Errorf("state of the new release: %+v", d)
	}
}

// TestListings: a changes.csv that answers 503 is named and its
// documents left for the next sync, the other directory is synced; a
// directory without changes.csv is read through index.txt.
func TestListings(t *testing.T) {
	c := newCISA(t, RoleTrustedProvider)
	ot, it := cisaBase+"csaf_files/OT/white/", cisaBase+"csaf_files/IT/white/"
	c.force(ot+"changes.csv", 503)
	c.del(it + "changes.csv")
	dir := t.TempDir()
	res, st, err := Sync(context.Background(), c.options(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := find(res.Refused, ot+"changes.csv")
	if res.Fetched != 1 || len(res.Refused) != 1 || r == nil || !r.Transient || !strings.Contains(r.Reason, "HTTP 503") {
		t.Fatalf("fetched %d, refused:\n%s", res.Fetched, reasons(res.Refused))
	}
	if d := st.Documents["https://www.cisa.gov"+it+"2024/va-24-201-01.json"]; d.Path == "" || d.Release != "" || !strings.HasSuffix(d.From, "/index.txt") {
		t.Errorf("document from index.txt: %+v", d)
	}
	if urls, err := Check(context.Background(), c.options(dir), st); len(urls) != 0 || err == nil || !strings.Contains(err.Error(), ot+"changes.csv") {
		t.Errorf("check: %v, %v", urls, err)
	}
	c.unforce(ot + "changes.csv")
	c.reset()
	res, _, err = Sync(context.Background(), c.options(dir), st)
	if err != nil || res.Fetched != len(c.docs)-1 || res.Unchanged != 1 || c.count(it+"index.txt") != 1 {
		t.Errorf("next sync: %v, fetched %d, unchanged %d, refused:\n%s", err, res.Fetched, res.Unchanged, reasons(res.Refused))
	}
}

// TestNowRequired: the library never reads the clock.
func TestNowRequired(t *testing.T) {
	if _, _, err := Sync(context.Background(), Options{Provider: Provider{URL: cisaMeta}}, nil); err == nil || !strings.Contains(err.Error(), "Now") {
		t.Errorf("no Now: %v", err)
	}
}

// TestTooLarge: a hash file over its cap is a refusal, not a failure
// tried again at every sync.
func TestTooLarge(t *testing.T) {
	c := newCISA(t, RoleTrustedProvider)
	p := c.docs[0]
	c.put(p+".sha512", []byte(strings.Repeat("0", MaxHashBytes+1)))
	res, st, err := Sync(context.Background(), c.options(t.TempDir()), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := find(res.Refused, p)
	if r == nil || r.Transient || !strings.Contains(r.Reason, "larger than allowed") || !strings.Contains(r.Reason, p+".sha512") {
		t.Fatalf("refused:\n%s", reasons(res.Refused))
	}
	if d := st.Documents["https://www.cisa.gov"+p]; d.Refused == "" || d.Failed != "" {
		t.Errorf("state %+v", d)
	}
}

// TestUntrustedWithoutKeys: a csaf_provider without keys gets its
// documents checked by digest only, and the Verification says so.
func TestUntrustedWithoutKeys(t *testing.T) {
	c := newCISA(t, RoleProvider)
	c.put(cisaBase+"provider-metadata.json", c.metadata(RoleProvider, false))
	res, st, err := Sync(context.Background(), c.options(t.TempDir()), nil)
	if err != nil || res.Fetched != len(c.docs) || c.count(".asc") != 0 {
		t.Fatalf("%v, fetched %d, %d .asc requests", err, res.Fetched, c.count(".asc"))
	}
	if !strings.HasPrefix(res.Verification, "SHA-512 only") || len(st.Keys) != 0 {
		t.Errorf("verification %q, keys %v", res.Verification, st.Keys)
	}
	for _, d := range st.Documents {
		if d.Signer != "" {
			t.Errorf("signer %s without a key", d.Signer)
		}
	}
}
