package advisory

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestParseReadsOnlyReader: Parse reads the bytes it is given and nothing
// else. It used to read the file called name and check the .sha256 beside
// it against the file on disk, not against the bytes parsed: genuine bytes
// failed because the file on disk had been altered, and altered bytes
// passed under the real name. Checksums are the loader's (TestCSAFChecksum,
// TestLoadChecksumOnBytesRead).
func TestParseReadsOnlyReader(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "csaf", "acme-2026-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "acme-2026-001.json")
	// On disk: altered bytes, beside the checksum of the genuine ones.
	os.WriteFile(name, append(bytes.Clone(src), ' '), 0o644)
	os.WriteFile(name+".sha256", []byte(sha256hex(src)+"\n"), 0o644)
	advs, err := Parse(bytes.NewReader(src), name)
	if err != nil {
		t.Fatalf("Parse of the genuine bytes: %v", err)
	}
	if len(advs) == 0 {
		t.Fatal("no advisories")
	}
}

// TestLoadChecksumOnBytesRead: Load checks a CSAF document's checksum
// files against the bytes it read and parsed, gzip-compressed or not, and
// a document whose checksum file does not match is not read, whatever
// else is wrong with it.
func TestLoadChecksumOnBytesRead(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "csaf", "acme-2026-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	altered := bytes.Replace(src, []byte(`"fixed"`), []byte(`"known_not_affected"`), 1)
	if bytes.Equal(altered, src) {
		t.Fatal("test document has no fixed list")
	}
	broken := src[:len(src)/2] // sniffs as CSAF, does not parse
	writeFiles(t, dir, map[string]string{
		"altered.json":        string(altered),
		"altered.json.sha256": sha256hex(src) + "  altered.json\n",
		"broken.json":         string(broken),
		"broken.json.sha256":  sha256hex(src) + "\n",
		"gz.json.gz":          string(gz(t, string(altered))),
		"gz.json.gz.sha256":   sha256hex(gz(t, string(src))) + "\n",
	})
	res := Load(context.Background(), dir)
	if len(res.Advisories) != 0 || len(res.Errors) != 3 {
		t.Fatalf("%d advisories, errors %v", len(res.Advisories), res.Errors)
	}
	for _, e := range res.Errors {
		if !errors.Is(e, ErrChecksum) {
			t.Errorf("%v, want a checksum mismatch", e)
		}
	}
}
