package update

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseMeta: any .meta text gives a digest of 64 hex digits and a
// positive size, or an error; never a panic.
func FuzzParseMeta(f *testing.F) {
	f.Add("lastModifiedDate:2026-12-07T03:00:01-05:00\r\nsize:123\r\nzipSize:0\r\ngzSize:45\r\nsha256:" + strings.Repeat("AB", 32) + "\r\n")
	f.Add("sha256:zz\nsize:-1\n")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := parseMeta(text)
		if err == nil && (len(m.sha256) != 64 || m.size < 0) {
			t.Errorf("accepted %+v", m)
		}
	})
}

// FuzzLoadState: any state.json is read or refused with its path named;
// never a panic, and the sources map is never nil.
func FuzzLoadState(f *testing.F) {
	f.Add(`{"sources":{"osv":{"kind":"osv","url":"https://x","files":{"Go/all.zip":{"url":"https://x/Go/all.zip","size":3}}}}}`)
	f.Add(`{"sources":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, data string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, stateFile), []byte(data), 0o644)
		s, err := loadState(dir)
		if err != nil {
			if !strings.Contains(err.Error(), stateFile) {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if s.Sources == nil {
			t.Error("nil sources")
		}
	})
}

// FuzzGoogCRC32C: any x-goog-hash header is read without a panic.
func FuzzGoogCRC32C(f *testing.F) {
	f.Add("crc32c=AAAAAA==,md5=BBBB")
	f.Fuzz(func(t *testing.T, h string) {
		if v := googCRC32C(h); strings.Contains(v, ",") {
			t.Errorf("value %q holds a comma", v)
		}
	})
}
