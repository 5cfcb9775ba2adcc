package csafsync

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParseChanges: any changes.csv parses without panic, every change
// has a path and a normalised RFC 3339 release, and each resolved path
// stays under its directory.
func FuzzParseChanges(f *testing.F) {
	f.Add([]byte("csaf_files/OT/white/2024/a.json,2024-09-10T06:00:00.000000Z\n\"2024/b.json\",\"2024-01-01T00:00:00Z\"\n"))
	f.Add([]byte("\"a\"\"b\",x\n,\n\"\",\"\"\n../x.json,2024-01-01T00:00:00Z\r\n"))
	dir, _ := url.Parse("https://example.com/csaf_files/OT/white/")
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, _ := ParseChanges(data)
		for _, c := range changes {
			if c.Path == "" || normalizeOK(c.Release) != nil {
				t.Fatalf("bad change %+v", c)
			}
			if u, err := resolveInDir(dir, c.Path); err == nil {
				if !strings.HasPrefix(u.Path, dir.Path) || u.Host != dir.Host {
					t.Fatalf("%q resolved to %s", c.Path, u)
				}
			}
		}
	})
}

func normalizeOK(s string) error {
	n, err := normalizeRelease(s)
	if err == nil && n != s {
		return errNotNormal
	}
	return err
}

var errNotNormal = &refusal{msg: "not normalised"}

// FuzzSecurityTxtCSAF: any security.txt gives only https URLs with a
// host.
func FuzzSecurityTxtCSAF(f *testing.F) {
	f.Add([]byte(securityTxt))
	f.Add([]byte("CSAF: https://x/provider-metadata.json\n- CSAF: https://y/p.json\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range SecurityTxtCSAF(data) {
			u, err := url.Parse(v)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				t.Fatalf("%q", v)
			}
		}
	})
}

// FuzzLocalPath: a stored path never leaves the folder, never has an
// empty, dot or hidden segment, and ends in .json.
func FuzzLocalPath(f *testing.F) {
	f.Add("https://example.com/.well-known/csaf/white/2024/x.json")
	f.Add("https://example.com/a/%2e%2e/%2fx.json")
	meta, _ := url.Parse("https://example.com/provider-metadata.json")
	s := &syncer{metaURL: meta}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := s.localPath(raw)
		if err != nil {
			return
		}
		for _, seg := range strings.Split(p, "/") {
			if seg == "" || strings.HasPrefix(seg, ".") || strings.ContainsAny(seg, "\\\x00") {
				t.Fatalf("%q -> %q", raw, p)
			}
		}
		if !strings.HasSuffix(p, ".json") {
			t.Fatalf("%q -> %q", raw, p)
		}
	})
}
