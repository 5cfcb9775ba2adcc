package index

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/cpe"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/internal/sharedtest"
	"github.com/bomrank/bomrank/purl"
)

// roundtrip returns Decode(AppendBinary(ix)).
func roundtrip(t testing.TB, ix *Memory) (*Memory, []byte) {
	t.Helper()
	data, err := ix.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	dx, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return dx, data
}

// sameRecords compares records pairwise by content, once per pair.
type sameRecords struct {
	t    testing.TB
	seen map[[2]*advisory.Advisory]bool
}

func (s *sameRecords) check(what string, a, b *advisory.Advisory) {
	s.t.Helper()
	if s.seen[[2]*advisory.Advisory{a, b}] {
		return
	}
	if !reflect.DeepEqual(a, b) {
		s.t.Fatalf("%s: record %s differs after decoding", what, a.ID)
	}
	s.seen[[2]*advisory.Advisory{a, b}] = true
}

// index returns the position of p in s (p must point into s).
func index[T any](s []T, p *T) int {
	for i := range s {
		if &s[i] == p {
			return i
		}
	}
	return -1
}

// assertSame checks that every Reader method (and Len, Advisories,
// Inputs, ByID, Replacements) of dx answers as ix's, for every key the
// tables hold and every identifier the records carry.
func assertSame(t testing.TB, ix, dx *Memory) {
	t.Helper()
	assertSameLookups(t, ix, dx)
	assertSameLists(t, ix, dx)
}

// assertSameLookups checks the Reader methods of assertSame.
func assertSameLookups(t testing.TB, ix, dx *Memory) {
	t.Helper()
	s := &sameRecords{t: t, seen: map[[2]*advisory.Advisory]bool{}}
	if ix.Contents() != dx.Contents() || ix.Len() != dx.Len() {
		t.Fatalf("contents %+v / %d, want %+v / %d", dx.Contents(), dx.Len(), ix.Contents(), ix.Len())
	}
	entries := func(what string, want, got []Entry) {
		t.Helper()
		if len(want) != len(got) {
			t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
		}
		for i := range want {
			w, g := want[i], got[i]
			s.check(what, w.Advisory, g.Advisory)
			if w.Seq != g.Seq || index(w.Advisory.Affected, w.Affected) != index(g.Advisory.Affected, g.Affected) {
				t.Fatalf("%s: entry %d is %s#%d seq %d, want seq %d", what, i, g.Advisory.ID, index(g.Advisory.Affected, g.Affected), g.Seq, w.Seq)
			}
		}
	}
	for k := range ix.byPkg {
		entries(fmt.Sprint("Packages", k), ix.Packages(k.eco, k.name), dx.Packages(k.eco, k.name))
	}
	for k := range ix.byPURL {
		entries("PackageURL "+k, ix.PackageURL(k), dx.PackageURL(k))
	}
	for k := range ix.cpe.byVP {
		v, p, _ := strings.Cut(k, ":")
		want, got := ix.Configurations(v, p), dx.Configurations(v, p)
		if len(want) != len(got) {
			t.Fatalf("Configurations %s: %d, want %d", k, len(got), len(want))
		}
		for i := range want {
			s.check("Configurations "+k, want[i].Advisory, got[i].Advisory)
			if want[i].Platform != got[i].Platform || index(want[i].Advisory.Configurations, want[i].Config) != index(got[i].Advisory.Configurations, got[i].Config) {
				t.Fatalf("Configurations %s: entry %d differs", k, i)
			}
		}
	}
	for k, n := range ix.cpe.parsed {
		if got, ok := dx.Criterion(k); !ok || got != n {
			t.Fatalf("Criterion %q = %v %v, want %v", k, got, ok, n)
		}
	}
	if _, ok := dx.Criterion("cpe:2.3:not indexed"); ok {
		t.Fatal("Criterion of a string not indexed")
	}
	for _, k := range productKeysOf(ix) {
		csafEntries(t, s, fmt.Sprint("Products", k), ix.Products(k), dx.Products(k))
		vexEntries(t, s, fmt.Sprint("Statements", k), ix.Statements(k), dx.Statements(k))
	}
}

func csafEntries(t testing.TB, s *sameRecords, what string, want, got []CSAFEntry) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
	}
	for i := range want {
		s.check(what, want[i].Advisory, got[i].Advisory)
		if index(want[i].Advisory.Products, want[i].Status) != index(got[i].Advisory.Products, got[i].Status) {
			t.Fatalf("%s: entry %d differs", what, i)
		}
	}
}

func vexEntries(t testing.TB, s *sameRecords, what string, want, got []VEXEntry) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
	}
	for i := range want {
		s.check(what, want[i].Advisory, got[i].Advisory)
		if want[i].Seq != got[i].Seq || index(want[i].Advisory.Products, want[i].Status) != index(got[i].Advisory.Products, got[i].Status) {
			t.Fatalf("%s: entry %d differs", what, i)
		}
	}
}

// assertSameLists compares what lists records: Advisories, Inputs, ByID,
// Replacements; and checks a decoded record is one pointer however
// reached.
func assertSameLists(t testing.TB, ix, dx *Memory) {
	t.Helper()
	s := &sameRecords{t: t, seen: map[[2]*advisory.Advisory]bool{}}
	want, got := ix.Advisories(), dx.Advisories()
	if len(want) != len(got) {
		t.Fatalf("Advisories: %d, want %d", len(got), len(want))
	}
	for i := range want {
		s.check("Advisories", want[i], got[i])
		if b := dx.ByID(want[i].ID); b != ix.ByID(want[i].ID) && !reflect.DeepEqual(b, ix.ByID(want[i].ID)) {
			t.Fatalf("ByID(%s) differs", want[i].ID)
		}
	}
	if dx.ByID("no such ID") != nil {
		t.Fatal("ByID of an unknown ID")
	}
	if w, g := ix.Inputs(), dx.Inputs(); !reflect.DeepEqual(w, g) {
		t.Fatalf("Inputs differ (%d, want %d)", len(g), len(w))
	}
	if w, g := ix.Replacements(), dx.Replacements(); !reflect.DeepEqual(w, g) {
		t.Fatalf("Replacements differ (%d, want %d)", len(g), len(w))
	}
	for k := range dx.byPkg {
		for _, e := range dx.Packages(k.eco, k.name) {
			if dx.ByID(e.Advisory.ID) != e.Advisory && e.Advisory.Format != advisory.FormatCSAF {
				t.Fatalf("record %s decoded twice", e.Advisory.ID)
			}
		}
	}
	if err := dx.Err(); err != nil {
		t.Fatal(err)
	}
	if err := dx.Verify(); err != nil {
		t.Fatal(err)
	}
}

// productKeysOf returns the Products and Statements keys of every
// product the index's records name, and keys of every table.
func productKeysOf(ix *Memory) (ks []Key) {
	defer func() {
		slices.SortFunc(ks, func(a, b Key) int {
			return cmp.Or(int(a.Kind)-int(b.Kind), strings.Compare(a.Vendor, b.Vendor), strings.Compare(a.Value, b.Value))
		})
		ks = slices.Compact(ks)
	}()
	for k := range ix.csaf.byName {
		ks = append(ks, Key{Kind: ByName, Vendor: k.vendor, Value: k.token})
	}
	for k := range ix.csaf.byModel {
		ks = append(ks, Key{Kind: ByModel, Value: k})
	}
	for _, g := range ix.csaf.globs {
		for _, p := range g.patterns {
			ks = append(ks, Key{Kind: ByModel, Value: strings.NewReplacer("*", "X", "?", "Y").Replace(p)})
		}
	}
	for k := range ix.csaf.byPURL {
		ks = append(ks, Key{Kind: ByPURL, Value: k})
	}
	for k := range ix.csaf.byHash {
		ks = append(ks, Key{Kind: ByHash, Value: k})
	}
	for _, a := range ix.Inputs() {
		for _, ps := range a.Products {
			if ps.Product == nil {
				continue
			}
			ps := []*advisory.Product{ps.Product}
			ps = append(ps, ps[0].Subcomponents...)
			if r := ps[0].Relationship; r != nil {
				ps = append(ps, r.Component, r.Target)
			}
			for _, p := range ps {
				ks = append(ks, identifierKeys(p)...)
			}
		}
	}
	return ks
}

func identifierKeys(p *advisory.Product) []Key {
	if p == nil {
		return nil
	}
	var ks []Key
	for _, u := range p.PURLs {
		ks = append(ks, Key{Kind: ByPURL, Value: u})
		if q, err := purl.Parse(u); err == nil {
			ks = append(ks, Key{Kind: ByPURL, Value: purl.PackageKey(q)})
		}
	}
	for _, c := range p.CPEs {
		ks = append(ks, Key{Kind: ByCPE, Value: c})
	}
	for _, h := range p.Hashes {
		ks = append(ks, Key{Kind: ByHash, Value: h})
	}
	for _, u := range p.GenericURIs {
		ks = append(ks, Key{Kind: ByURI, Value: u}, Key{Kind: ByBOMSerial, Value: u})
		if serial, _, ok := advisory.ParseBOMLink(u); ok {
			ks = append(ks, Key{Kind: ByBOMSerial, Value: serial})
		}
	}
	for _, list := range [][]string{p.ModelNumbers, p.SerialNumbers, p.SKUs} {
		for _, m := range list {
			ks = append(ks, Key{Kind: ByModel, Value: m})
		}
	}
	if v, pname := names.ProductVendor(p); v != "" {
		for _, t := range names.NameTokens(pname + " " + p.Name) {
			ks = append(ks, Key{Kind: ByName, Vendor: v, Value: t})
		}
	}
	return ks
}

func loadFeeds(t testing.TB, paths ...string) []*advisory.Advisory {
	t.Helper()
	res := advisory.Load(context.Background(), paths...)
	if len(res.Advisories) == 0 {
		t.Fatalf("no advisories in %v", paths)
	}
	return res.Advisories
}

func TestBinaryFeeds(t *testing.T) {
	advs := loadFeeds(t, filepath.Join("..", "testdata", "feeds"))
	ix := New(advs)
	dx, data := roundtrip(t, ix)
	assertSame(t, ix, dx)
	// The decoded index writes the same bytes again.
	if again, err := dx.AppendBinary(nil); err != nil || string(again) != string(data) {
		t.Errorf("AppendBinary of the decoded index differs (%v)", err)
	}
	c := ix.Contents()
	if !c.CPE || !c.CSAF || !c.VEX || !c.PURLs {
		t.Errorf("testdata/feeds does not exercise every table: %+v", c)
	}
}

func TestBinaryShared(t *testing.T) {
	dir := sharedtest.Dir(t)
	advs := loadFeeds(t, filepath.Join("..", "testdata", "feeds"), filepath.Join(dir, "osv"), filepath.Join(dir, "csaf"), filepath.Join(dir, "csaf-distribution"))
	ix := New(advs)
	dx, data := roundtrip(t, ix)
	assertSame(t, ix, dx)
	t.Logf("%d records, %d bytes", ix.Len(), len(data))
	// The same index again gives the same bytes.
	again, _ := New(advs).AppendBinary(nil)
	if string(again) != string(data) {
		t.Error("AppendBinary is not deterministic")
	}
	// New of Inputs builds the same lookups (without the replacements).
	assertSameLookups(t, New(ix.Inputs()), dx)
}

// TestBinaryReplacements: the replaced and withdrawn copies are kept too.
func TestBinaryReplacements(t *testing.T) {
	aff := []advisory.Affected{{Ecosystem: "Go", Name: "m"}}
	advs := []*advisory.Advisory{
		{ID: "A", Modified: "2024-01-01T00:00:00Z", Source: "a", Affected: aff},
		{ID: "A", Modified: "2025-01-01T00:00:00Z", Source: "b", Affected: aff, Summary: "newer"},
		{ID: "W", Modified: "2024-01-01T00:00:00Z", Source: "a", Affected: aff},
		{ID: "W", Modified: "2025-01-01T00:00:00Z", Source: "b", Withdrawn: "2025-01-01T00:00:00Z"},
	}
	ix := New(advs)
	if len(ix.Replacements()) != 2 {
		t.Fatalf("%d replacements, want 2", len(ix.Replacements()))
	}
	dx, _ := roundtrip(t, ix)
	assertSame(t, ix, dx)
}

// TestBinaryConcurrent looks the same keys up from many goroutines on a
// fresh decoded index (go test -race): every caller gets the same
// record pointers.
func TestBinaryConcurrent(t *testing.T) {
	ix := New(loadFeeds(t, filepath.Join("..", "testdata", "feeds")))
	dx, _ := roundtrip(t, ix)
	var keys []pkgKey
	for k := range ix.byPkg {
		keys = append(keys, k)
	}
	pkeys := productKeysOf(ix)
	results := make([][]*advisory.Advisory, 8)
	var wg sync.WaitGroup
	for g := range results {
		wg.Go(func() {
			for _, k := range keys {
				for _, e := range dx.Packages(k.eco, k.name) {
					results[g] = append(results[g], e.Advisory)
				}
			}
			for _, k := range pkeys {
				for _, e := range dx.Statements(k) {
					results[g] = append(results[g], e.Advisory)
				}
				for _, e := range dx.Products(k) {
					results[g] = append(results[g], e.Advisory)
				}
			}
		})
	}
	wg.Wait()
	for g := range results {
		if !reflect.DeepEqual(results[g], results[0]) || len(results[g]) == 0 {
			t.Fatal("goroutines saw different records")
		}
		for i := range results[g] {
			if results[g][i] != results[0][i] {
				t.Fatal("a record was handed out as two pointers")
			}
		}
	}
}

func TestBinaryEmpty(t *testing.T) {
	ix := New(nil)
	dx, _ := roundtrip(t, ix)
	assertSame(t, ix, dx)
	if dx.Packages("Go", "x") != nil || dx.Statements(Key{Kind: ByPURL, Value: "pkg:npm/x"}) != nil {
		t.Error("lookups in an empty index")
	}
	var _ cpe.Name
}

// decoded counts the records of dx decoded so far.
func decoded(dx *Memory) int {
	n := 0
	for i := range dx.st.recs {
		if dx.st.recs[i].Load() != nil {
			n++
		}
	}
	return n
}

// TestBinaryLazy: Decode decodes no record; a lookup decodes the records
// it returns and no other; a record that does not decode is left out and
// named by Err.
func TestBinaryLazy(t *testing.T) {
	aff := func(name string) []advisory.Affected { return []advisory.Affected{{Ecosystem: "npm", Name: name}} }
	advs := []*advisory.Advisory{
		{ID: "A-1", Affected: aff("left-pad")},
		{ID: "A-2", Affected: aff("left-pad")},
		{ID: "B-1", Affected: aff("right-pad")},
		{ID: "C-1", Affected: aff("other")},
	}
	dx, data := roundtrip(t, New(advs))
	if n := decoded(dx); n != 0 {
		t.Fatalf("Decode decoded %d records", n)
	}
	if got := entryIDs(dx.Packages("npm", "left-pad")); !reflect.DeepEqual(got, []string{"A-1/npm", "A-2/npm"}) {
		t.Fatalf("left-pad: %q", got)
	}
	if n := decoded(dx); n != 2 {
		t.Fatalf("one lookup decoded %d records, want 2", n)
	}

	// Corrupt record B-1 (its ID is in the data once; the byte after
	// it starts its aliases, a slice length: make it larger than the
	// record).
	i := strings.Index(string(data), "B-1")
	bad := append([]byte(nil), data...)
	bad[i+3] = 0x7f
	dx, err := Decode(bad)
	if err != nil {
		t.Fatalf("Decode checks the tables, not the records: %v", err)
	}
	if got := dx.Packages("npm", "right-pad"); len(got) != 0 {
		t.Fatalf("a corrupt record was returned: %q", entryIDs(got))
	}
	if err := dx.Err(); err == nil || !strings.Contains(err.Error(), `"B-1"`) {
		t.Fatalf("Err = %v, want it to name B-1", err)
	}
	// Verify finds it without a lookup.
	dv, _ := Decode(bad)
	if err := dv.Verify(); err == nil || !strings.Contains(err.Error(), `"B-1"`) {
		t.Fatalf("Verify = %v, want it to name B-1", err)
	}
	if got := entryIDs(dx.Packages("npm", "other")); !reflect.DeepEqual(got, []string{"C-1/npm"}) {
		t.Fatalf("other records after a corrupt one: %q", got)
	}
	if len(dx.Advisories()) != 3 || dx.ByID("B-1") != nil {
		t.Error("Advisories or ByID returned the corrupt record")
	}
}
