package index

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// assertCandidates checks PackageCandidates and PackageURLCandidates of
// the decoded dx against Packages and PackageURL: the same entries in the
// same order, each with its affected package (one pointer per entry
// whichever lookup returns it), no record until Record, which gives the
// record Packages does.
func assertCandidates(t *testing.T, ix, dx *Memory) {
	t.Helper()
	affs := map[int]*advisory.Affected{}
	// Records decoded into a scratch, from an index that has decoded
	// none (and keeps none so decoded).
	var scratch Scratch
	fresh, _ := roundtrip(t, ix)
	check := func(what string, full, part []Entry) {
		t.Helper()
		if len(full) != len(part) {
			t.Fatalf("%s: %d candidates, want %d", what, len(part), len(full))
		}
		for i, f := range full {
			p := part[i]
			switch {
			case p.Seq != f.Seq || p.Advisory != nil:
				t.Fatalf("%s: candidate %d is seq %d (record %v), want seq %d and no record", what, i, p.Seq, p.Advisory, f.Seq)
			case !reflect.DeepEqual(*p.Affected, *f.Affected):
				t.Fatalf("%s: candidate %d: affected %+v, want %+v", what, i, *p.Affected, *f.Affected)
			case !reflect.DeepEqual(fresh.Record(p.Seq, &scratch), f.Advisory):
				t.Fatalf("%s: candidate %d: Record into a scratch differs from the record of Packages", what, i)
			case dx.Record(p.Seq, nil) != f.Advisory:
				t.Fatalf("%s: candidate %d: Record is not the record of Packages", what, i)
			}
			if a, ok := affs[p.Seq]; ok && a != p.Affected {
				t.Fatalf("%s: entry %d's affected package handed out as two pointers", what, p.Seq)
			}
			affs[p.Seq] = p.Affected
		}
	}
	for k := range ix.byPkg {
		part := dx.PackageCandidates(k.eco, k.name)
		check(fmt.Sprint("PackageCandidates", k), dx.Packages(k.eco, k.name), part)
		if !reflect.DeepEqual(ix.PackageCandidates(k.eco, k.name), ix.Packages(k.eco, k.name)) {
			t.Fatalf("PackageCandidates%v of an index built by New differs from Packages", k)
		}
	}
	for k := range ix.byPURL {
		check("PackageURLCandidates "+k, dx.PackageURL(k), dx.PackageURLCandidates(k))
	}
	if n := decoded(fresh); n != 0 {
		t.Errorf("Record into a scratch kept %d records", n)
	}
	if dx.Record(-1, nil) != nil || dx.Record(dx.entries, &scratch) != nil {
		t.Error("Record of an entry number out of range")
	}
}

func TestCandidatesFeeds(t *testing.T) {
	ix := New(loadFeeds(t, filepath.Join("..", "testdata", "feeds")))
	dx, _ := roundtrip(t, ix)
	assertCandidates(t, ix, dx)
}

func TestCandidatesShared(t *testing.T) {
	dir := sharedtest.Dir(t)
	ix := New(loadFeeds(t, filepath.Join("..", "testdata", "feeds"), filepath.Join(dir, "osv")))
	dx, _ := roundtrip(t, ix)
	assertCandidates(t, ix, dx)
}

// TestCandidatesLazy: candidates decode no record; a corrupt record's
// entry is left out and named by Err.
func TestCandidatesLazy(t *testing.T) {
	aff := func(name string) []advisory.Affected { return []advisory.Affected{{Ecosystem: "npm", Name: name}} }
	advs := []*advisory.Advisory{{ID: "A-1", Affected: aff("left-pad")}, {ID: "B-1", Affected: aff("right-pad")}}
	dx, data := roundtrip(t, New(advs))
	if got := dx.PackageCandidates("npm", "left-pad"); len(got) != 1 || got[0].Affected.Name != "left-pad" {
		t.Fatalf("left-pad: %+v", got)
	}
	if n := decoded(dx); n != 0 {
		t.Fatalf("candidates decoded %d records", n)
	}
	i := strings.Index(string(data), "B-1")
	bad := append([]byte(nil), data...)
	bad[i+3] = 0x7f // the aliases' length, past the record's end
	dx, err := Decode(bad)
	if err != nil {
		t.Fatal(err)
	}
	if got := dx.PackageCandidates("npm", "right-pad"); len(got) != 0 {
		t.Fatalf("a corrupt record's entry was returned: %+v", got)
	}
	if err := dx.Err(); err == nil || !strings.Contains(err.Error(), `"B-1"`) {
		t.Fatalf("Err = %v, want it to name B-1", err)
	}
}
