package csafsync

import (
	"context"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"path"
	"strings"
	"testing"
)

// medical is a csaf_provider found by its domain, publishing CISA's real
// documents through ROLIE under /.well-known/csaf/white/ (a feed made
// here), with a TLP:RED feed and a directory distribution beside it that
// must not be read.
func medical(t *testing.T) (*cisa, []string) {
	c := newCISA(t, RoleProvider)
	const wk = "/.well-known/csaf/"
	var entries []any
	var docs []string
	for i, p := range c.docs {
		body := c.get(p)
		np := wk + "white/" + path.Base(path.Dir(p)) + "/" + path.Base(p) // white/<year>/<name>
		sum := sha512.Sum512(body)
		c.put(np, body)
		c.put(np+".sha512", []byte(hex.EncodeToString(sum[:])+"  "+path.Base(np)))
		links := []any{
			map[string]any{"rel": "self", "href": "https://example-medical.com" + np},
			map[string]any{"rel": "hash", "href": "https://example-medical.com" + np + ".sha256"},
			map[string]any{"rel": "hash", "href": "https://example-medical.com" + np + ".sha512"},
		}
		if i%2 == 0 { // the others publish no signature
			c.put(np+".sig", c.sign(t, c.key, body))
			links = append(links, map[string]any{"rel": "signature", "href": np + ".sig"})
		}
		entries = append(entries, map[string]any{"id": path.Base(np), "updated": "2024-10-0" + string(rune('1'+i%9)) + "T00:00:00Z", "link": links})
		docs = append(docs, np)
	}
	feed, _ := json.Marshal(map[string]any{"feed": map[string]any{"id": "white", "entry": entries}})
	c.put(wk+"white/feed-white.json", feed)
	medicalMeta(c)
	return c, docs
}

// medicalMeta publishes the provider's key and metadata.
func medicalMeta(c *cisa) {
	const wk = "/.well-known/csaf/"
	pub, _ := c.key.Public()
	c.put(wk+"key.asc", pub)
	meta, _ := json.Marshal(map[string]any{
		"canonical_url": "https://example-medical.com" + wk + "provider-metadata.json", "metadata_version": "2.0",
		"role": RoleProvider, "publisher": map[string]any{"name": "Example Medical"},
		"public_openpgp_keys": []any{map[string]any{"fingerprint": c.fp, "url": wk + "key.asc"}},
		"distributions": []any{map[string]any{
			"directory_url": "https://example-medical.com" + wk + "white/",
			"rolie": map[string]any{"feeds": []any{
				map[string]any{"tlp_label": "RED", "url": "https://example-medical.com" + wk + "red/feed-red.json"},
				map[string]any{"tlp_label": "WHITE", "url": "https://example-medical.com" + wk + "white/feed-white.json"},
			}},
		}},
	})
	c.put("example-medical.com"+wk+"provider-metadata.json", meta)
}

// TestSyncROLIE reads the WHITE ROLIE feed only, checks the signatures
// that are published (the provider is not trusted), refuses the
// document that says TLP:RED, and stores under a folder without the
// leading dot of .well-known.
func TestSyncROLIE(t *testing.T) {
	c, docs := medical(t)
	redDoc := docs[1]
	c.rehash(t, redDoc, red(t, c.get(redDoc)), c.key)
	dir := t.TempDir()
	o := Options{Provider: Provider{Domain: "example-medical.com"}, Client: c.client(), Dir: dir, Now: now, Workers: 3}
	res, st, err := Sync(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fetched != len(docs)-1 || len(res.Refused) != 1 || !strings.Contains(res.Refused[0].Reason, "TLP:RED") {
		t.Fatalf("fetched %d of %d, refused:\n%s", res.Fetched, len(docs), reasons(res.Refused))
	}
	if c.count("feed-red.json")+c.count("changes.csv")+c.count("index.txt") != 0 || c.count(".sha256") != 0 {
		t.Errorf("read the RED feed, the directory or a .sha256 the feed does not prefer")
	}
	if !strings.Contains(res.Verification, "not trusted") || !strings.Contains(res.Verification, c.fp) {
		t.Errorf("verification %q", res.Verification)
	}
	for i, p := range docs {
		d := st.Documents["https://example-medical.com"+p]
		if p == redDoc {
			continue
		}
		if !strings.HasPrefix(d.Path, "well-known/csaf/white/") || (d.Signer != "") != (i%2 == 0) {
			t.Errorf("%s: %+v", p, d)
		}
	}
	c.reset()
	res, _, err = Sync(context.Background(), o, st)
	if err != nil || res.Fetched != 0 || res.Unchanged != len(docs)-1 || len(res.KeptRefused) != 1 {
		t.Errorf("second sync: %v %+v", err, res)
	}
	if c.count("") != 2 { // metadata, feed (304)
		t.Errorf("second sync made %d requests", c.count(""))
	}
}

// TestSyncROLIEBadSignature: a provider that is not trusted but
// publishes a signature still gets it checked.
func TestSyncROLIEBadSignature(t *testing.T) {
	c, docs := medical(t)
	c.put(docs[0]+".sig", c.sign(t, c.key, []byte("something else")))
	o := Options{Provider: Provider{Domain: "example-medical.com"}, Client: c.client(), Dir: t.TempDir(), Now: now}
	res, _, err := Sync(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := find(res.Refused, docs[0]); r == nil || !strings.Contains(r.Reason, "bad signature") || len(res.Refused) != 1 {
		t.Errorf("refused:\n%s", reasons(res.Refused))
	}
}
