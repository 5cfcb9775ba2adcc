package csafsync

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDiscover finds the metadata of a domain by each way of CSAF 2.0
// section 7.3.1, in order.
func TestDiscover(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(c *cisa, meta []byte)
		want  string
	}{
		{"well-known", func(c *cisa, meta []byte) {
			c.put("example-medical.com/.well-known/csaf/provider-metadata.json", meta)
			c.put("example-medical.com/.well-known/security.txt", []byte("CSAF: https://elsewhere.example-medical.com/provider-metadata.json\n"))
		}, "https://example-medical.com/.well-known/csaf/provider-metadata.json"},
		{"security.txt", func(c *cisa, meta []byte) {
			c.put("example-medical.com/.well-known/security.txt", []byte(securityTxt))
			c.put("csaf.example-medical.com/meta/provider-metadata.json", meta)
		}, "https://csaf.example-medical.com/meta/provider-metadata.json"},
		{"DNS", func(c *cisa, meta []byte) {
			c.put("example-medical.com/.well-known/security.txt", []byte("Contact: mailto:psirt@example-medical.com\n"))
			c.put("csaf.data.security.example-medical.com/", meta)
		}, "https://csaf.data.security.example-medical.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCISA(t, RoleTrustedProvider)
			tc.setup(c, c.get(cisaBase+"provider-metadata.json"))
			o := c.options(t.TempDir())
			o.Provider = Provider{Domain: "example-medical.com"}
			res, _, err := Sync(context.Background(), o, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.MetadataURL != tc.want || res.Fetched != len(c.docs) {
				t.Errorf("found %s (fetched %d), want %s", res.MetadataURL, res.Fetched, tc.want)
			}
		})
	}
}

// securityTxt is signed as RFC 9116 recommends; the first CSAF field
// serves nothing, the second the metadata.
const securityTxt = `-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Contact: mailto:psirt@example-medical.com
CSAF: https://csaf.example-medical.com/gone/provider-metadata.json
csaf: https://csaf.example-medical.com/meta/provider-metadata.json
Expires: 2027-12-31T23:00:00.000Z
-----BEGIN PGP SIGNATURE-----

CSAF: https://evil.example.com/provider-metadata.json
-----END PGP SIGNATURE-----
`

// TestDiscoverNothing names every URL tried.
func TestDiscoverNothing(t *testing.T) {
	c := newCISA(t, RoleTrustedProvider)
	o := c.options(t.TempDir())
	o.Provider = Provider{Domain: "example-medical.com"}
	_, _, err := Sync(context.Background(), o, nil)
	for _, want := range []string{"/.well-known/csaf/provider-metadata.json", "/.well-known/security.txt", "csaf.data.security.example-medical.com"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
	o.Provider = Provider{Domain: "https://example-medical.com/"}
	if _, _, err := Sync(context.Background(), o, nil); err == nil || !strings.Contains(err.Error(), "not a domain name") {
		t.Errorf("a URL as domain: %v", err)
	}
}

// TestMetadataFaults: unreachable, looping, invalid metadata; a role
// refused by TrustedOnly; a trusted provider without a usable key.
func TestMetadataFaults(t *testing.T) {
	c := newCISA(t, RoleProvider)
	c.redirectTo("/loop/provider-metadata.json", "/loop/provider-metadata.json")
	c.put("/bad/provider-metadata.json", []byte(`{"role": "csaf_provider"}`))
	for _, tc := range []struct {
		url, want string
		trusted   bool
	}{
		{"https://www.cisa.gov/none/provider-metadata.json", "https://www.cisa.gov/none/provider-metadata.json: HTTP 404", false},
		{"https://www.cisa.gov/loop/provider-metadata.json", "redirects", false},
		{"https://www.cisa.gov/bad/provider-metadata.json", "https://www.cisa.gov/bad/provider-metadata.json: metadata_version", false},
		{cisaMeta, cisaMeta + ": role csaf_provider refused", true},
	} {
		o := c.options(t.TempDir())
		o.Provider.URL, o.TrustedOnly = tc.url, tc.trusted
		res, st, err := Sync(context.Background(), o, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || res != nil || st != nil {
			t.Errorf("%s: %v, want %q", tc.url, err, tc.want)
		}
		if _, err := Check(context.Background(), o, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("check %s: %v", tc.url, err)
		}
	}
	c.put(cisaBase+"provider-metadata.json", c.metadata(RoleTrustedProvider, false))
	if _, _, err := Sync(context.Background(), c.options(t.TempDir()), nil); err == nil || !strings.Contains(err.Error(), "no usable OpenPGP key") {
		t.Errorf("trusted provider without key: %v", err)
	}
	c.srv.Close()
	if _, _, err := Sync(context.Background(), c.options(t.TempDir()), nil); err == nil || !strings.Contains(err.Error(), cisaMeta) {
		t.Errorf("server down: %v", err)
	}
}

// TestPinnedKey: a pinned fingerprint must be the key that signs.
func TestPinnedKey(t *testing.T) {
	c := newCISA(t, RoleProvider)
	o := c.options(t.TempDir())
	o.Provider.Fingerprint = strings.Repeat("AB12 ", 8)
	if _, _, err := Sync(context.Background(), o, nil); err == nil || !strings.Contains(err.Error(), "pinned key AB12AB12") {
		t.Errorf("wrong pin: %v", err)
	}
	o.Provider.Fingerprint = strings.ToLower(c.fp)
	c.del(c.docs[0] + ".asc")
	res, st, err := Sync(context.Background(), o, nil)
	if err != nil || res.Fetched != len(c.docs)-1 || st.Keys[0] != c.fp {
		t.Fatalf("right pin: %v, %+v", err, res)
	}
	if r := find(res.Refused, c.docs[0]); r == nil || !strings.Contains(r.Reason, "pinned") {
		t.Errorf("unsigned document of a pinned provider: %+v", r)
	}
	if !strings.HasPrefix(res.Verification, "SHA-512 and OpenPGP signature (key "+c.fp) {
		t.Errorf("verification %q", res.Verification)
	}
}

// TestInterrupted: a sync cancelled midway keeps what it stored, and the
// next fetches only the rest; a state lost after a sync (killed process)
// costs no document download.
func TestInterrupted(t *testing.T) {
	c := newCISA(t, RoleTrustedProvider)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := c.options(dir)
	o.Workers = 1
	o.Progress = func(done, total int) {
		if done == 3 {
			cancel()
		}
	}
	res, st, err := Sync(ctx, o, nil)
	if !errors.Is(err, context.Canceled) || res.Fetched < 3 || res.Fetched >= len(c.docs) || len(st.Documents) != res.Fetched {
		t.Fatalf("cancelled: %v, fetched %d, state %d", err, res.Fetched, len(st.Documents))
	}
	first := res.Fetched
	c.reset()
	o.Progress = nil
	res, _, err = Sync(context.Background(), o, st)
	if err != nil || res.Fetched != len(c.docs)-first || res.Unchanged != first {
		t.Fatalf("resumed: %v, fetched %d unchanged %d", err, res.Fetched, res.Unchanged)
	}
	c.reset()
	res, _, err = Sync(context.Background(), o, nil) // the state was lost
	if err != nil || res.Resumed != len(c.docs) || res.Fetched != 0 || c.count(".json") != 1 {
		t.Errorf("state lost: %v, resumed %d, fetched %d, %d .json requests", err, res.Resumed, res.Fetched, c.count(".json"))
	}
}
