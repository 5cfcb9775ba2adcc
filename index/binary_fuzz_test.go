package index

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// feedsBinary returns the binary form of testdata/feeds' index.
func feedsBinary(t testing.TB) []byte {
	t.Helper()
	data, err := New(loadFeeds(t, filepath.Join("..", "testdata", "feeds"))).AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exercise makes every lookup the decoded index's own tables allow, and
// lists its records: none may panic.
func exercise(dx *Memory) {
	dx.Contents()
	// The candidates first, on records not decoded yet: by number (each
	// affected package into a scratch first), then as entries.
	var s Scratch
	for k := range dx.byPkg {
		for _, seq := range dx.PackageEntries(nil, k.eco, k.name) {
			dx.Affected(seq, &s)
			dx.Affected(seq, nil)
		}
	}
	for k := range dx.byPURL {
		for _, seq := range dx.PackageURLEntries(nil, k) {
			dx.Affected(seq, &s)
		}
	}
	for k := range dx.byPkg {
		for _, e := range dx.PackageCandidates(k.eco, k.name) {
			dx.Record(e.Seq, &s)
		}
	}
	for k := range dx.byPURL {
		for _, e := range dx.PackageURLCandidates(k) {
			dx.Record(e.Seq, nil)
		}
	}
	for k := range dx.byPkg {
		dx.Packages(k.eco, k.name)
	}
	for k := range dx.byPURL {
		dx.PackageURL(k)
	}
	for k := range dx.cpe.byVP {
		v, p, _ := strings.Cut(k, ":")
		dx.Configurations(v, p)
		dx.Criterion(k)
	}
	for _, k := range productKeysOf(dx) {
		dx.Products(k)
		dx.Statements(k)
	}
	for _, a := range dx.Advisories() {
		dx.ByID(a.ID)
	}
	dx.ByID("x")
	dx.Inputs()
	dx.Replacements()
	_ = dx.Verify()
}

// TestDecodeCorrupt: a truncated form is an error; a changed byte is an
// error from Decode, or a record left out and reported by Err, never a
// panic.
func TestDecodeCorrupt(t *testing.T) {
	data := feedsBinary(t)
	step := max(1, len(data)/3000)
	for n := 0; n < len(data); n += step {
		if _, err := Decode(data[:n]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Decode of the first %d of %d bytes: %v", n, len(data), err)
		}
	}
	if _, err := Decode(append(data[:len(data):len(data)], 0)); err == nil {
		t.Error("no error for a trailing byte")
	}
	recordErrs := 0
	for i := 0; i < len(data); i += step {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x5a
		dx, err := Decode(bad)
		if err != nil {
			continue
		}
		checkPkgTable(t, dx)
		exercise(dx)
		if dx.Err() != nil {
			recordErrs++
		}
	}
	if recordErrs == 0 {
		t.Error("no changed byte was found by Err")
	}
	other := append([]byte(binaryMagic), binaryVersion+1)
	if _, err := Decode(other); err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "version") {
		t.Errorf("another version: %v", err)
	}
}

// FuzzDecode: Decode and every lookup of what it returns never panic.
func FuzzDecode(f *testing.F) {
	f.Add(feedsBinary(f))
	empty, _ := New(nil).AppendBinary(nil)
	f.Add(empty)
	f.Fuzz(func(t *testing.T, data []byte) {
		dx, err := Decode(data)
		if err != nil {
			return
		}
		checkPkgTable(t, dx)
		exercise(dx)
	})
}
