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
// record Packages does; and PackageEntries, PackageURLEntries and
// Affected against them.
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
			// Affected, by number: the same pointer, and the same
			// package decoded into a scratch from an index that has
			// decoded none.
			if got := dx.Affected(p.Seq, nil); got != p.Affected {
				t.Fatalf("%s: Affected(%d, nil) is not the candidate's affected package", what, p.Seq)
			}
			if got := fresh.Affected(p.Seq, &scratch); got == nil || !reflect.DeepEqual(*got, *f.Affected) {
				t.Fatalf("%s: Affected(%d) into a scratch: %+v, want %+v", what, p.Seq, got, *f.Affected)
			}
		}
	}
	seqs := func(es []Entry) []int {
		var out []int
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	for k := range ix.byPkg {
		part := dx.PackageCandidates(k.eco, k.name)
		check(fmt.Sprint("PackageCandidates", k), dx.Packages(k.eco, k.name), part)
		if !reflect.DeepEqual(ix.PackageCandidates(k.eco, k.name), ix.Packages(k.eco, k.name)) {
			t.Fatalf("PackageCandidates%v of an index built by New differs from Packages", k)
		}
		for _, x := range []*Memory{ix, dx, fresh} {
			if got := x.PackageEntries([]int{-1}, k.eco, k.name); !reflect.DeepEqual(got[1:], seqs(part)) || got[0] != -1 {
				t.Fatalf("PackageEntries%v = %v, want -1 and then %v", k, got, seqs(part))
			}
		}
		for _, e := range ix.Packages(k.eco, k.name) {
			if ix.Affected(e.Seq, nil) != e.Affected || ix.Affected(e.Seq, &scratch) != e.Affected {
				t.Fatalf("Affected(%d) of an index built by New is not the entry's", e.Seq)
			}
		}
	}
	for k := range ix.byPURL {
		part := dx.PackageURLCandidates(k)
		check("PackageURLCandidates "+k, dx.PackageURL(k), part)
		if got := fresh.PackageURLEntries(nil, k); !reflect.DeepEqual(got, seqs(part)) {
			t.Fatalf("PackageURLEntries(%q) = %v, want %v", k, got, seqs(part))
		}
	}
	if n := decoded(fresh); n != 0 {
		t.Errorf("Record into a scratch kept %d records", n)
	}
	if dx.Record(-1, nil) != nil || dx.Record(dx.entries, &scratch) != nil {
		t.Error("Record of an entry number out of range")
	}
	if dx.Affected(-1, nil) != nil || dx.Affected(dx.entries, &scratch) != nil || ix.Affected(ix.entries, nil) != nil {
		t.Error("Affected of an entry number out of range")
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
	// By number, the entry is listed and does not decode, into a
	// scratch or not.
	seqs := dx.PackageEntries(nil, "npm", "right-pad")
	var s Scratch
	if len(seqs) != 1 || dx.Affected(seqs[0], &s) != nil || dx.Affected(seqs[0], nil) != nil {
		t.Fatalf("right-pad: entries %v, or a corrupt record's affected package decoded", seqs)
	}
	if got := dx.PackageCandidates("npm", "right-pad"); len(got) != 0 {
		t.Fatalf("a corrupt record's entry was returned: %+v", got)
	}
	if err := dx.Err(); err == nil || !strings.Contains(err.Error(), `"B-1"`) {
		t.Fatalf("Err = %v, want it to name B-1", err)
	}
}
