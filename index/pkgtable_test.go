package index

import (
	"path/filepath"
	"slices"
	"testing"
)

// checkPkgTable fails t unless dx's package table answers as its byPkg
// map does: for every key, and for keys near them that are not in it.
func checkPkgTable(t testing.TB, dx *Memory) {
	t.Helper()
	if dx.pkgTab == nil {
		if newPkgTable(dx.byPkg) != nil {
			t.Fatalf("no package table for %d keys", len(dx.byPkg))
		}
		return
	}
	ecos := map[string]bool{"": true}
	for k := range dx.byPkg {
		ecos[k.eco] = true
	}
	for k, l := range dx.byPkg {
		if got := dx.pkgTab.get(k.eco, k.name); got != l {
			t.Fatalf("table get(%q, %q) = %p, want %p", k.eco, k.name, got, l)
		}
		want := appendSeqs([]int{-1}, l)
		if got := dx.pkgTab.appendSeqs([]int{-1}, k.eco, k.name); !slices.Equal(got, want) {
			t.Fatalf("table appendSeqs(%q, %q) = %v, want %v", k.eco, k.name, got, want)
		}
		for _, n := range []string{"", k.name + "x", k.name[:len(k.name)/2], "x" + k.name} {
			for eco := range ecos {
				for _, e := range []string{eco, eco + "x"} {
					want := dx.byPkg[pkgKey{e, n}]
					if got := dx.pkgTab.get(e, n); got != want {
						t.Fatalf("table get(%q, %q) = %p, want %p", e, n, got, want)
					}
					if got := dx.pkgTab.appendSeqs(nil, e, n); !slices.Equal(got, appendSeqs(nil, want)) {
						t.Fatalf("table appendSeqs(%q, %q) = %v", e, n, got)
					}
				}
			}
		}
	}
}

// TestPkgTable: the decoded feeds' package table answers as byPkg, and
// the lookups use it.
func TestPkgTable(t *testing.T) {
	dx, _ := roundtrip(t, New(loadFeeds(t, filepath.Join("..", "testdata", "feeds"))))
	if len(dx.byPkg) < 10 {
		t.Fatalf("only %d package keys", len(dx.byPkg))
	}
	checkPkgTable(t, dx)
	tab := dx.pkgTab
	// Every key with the same hash: the keys are told apart by find's
	// comparison alone.
	if dx.pkgTab = buildPkgTable(dx.byPkg, 0); dx.pkgTab == nil {
		t.Fatal("no table")
	}
	checkPkgTable(t, dx)
	// A table without the ecosystems' bits in the hash.
	dx.pkgTab = buildPkgTable(dx.byPkg, 1<<63-1)
	checkPkgTable(t, dx)
	dx.pkgTab = tab
	for k, l := range dx.byPkg {
		if got := dx.PackageEntries(nil, k.eco, k.name); !slices.Equal(got, appendSeqs(nil, l)) {
			t.Errorf("PackageEntries(%q, %q) = %v, want %v", k.eco, k.name, got, appendSeqs(nil, l))
		}
	}
	if newPkgTable(nil) != nil || newPkgTable(map[pkgKey]*entryList{{eco: string(make([]byte, 256)), name: "x"}: {}}) != nil {
		t.Error("a table for no keys, or for a key it cannot hold")
	}
}
