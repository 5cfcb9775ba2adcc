package advcodec

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// loadAll reads every feed of testdata/feeds, and with the shared data
// every OSV, CSAF (advisories and VEX), NVD and VEX file of ../shared.
func loadAll(t testing.TB, shared bool) *advisory.LoadResult {
	t.Helper()
	paths := []string{filepath.Join("..", "..", "testdata", "feeds")}
	if shared {
		dir := sharedtest.Dir(t)
		paths = append(paths, filepath.Join(dir, "osv"), filepath.Join(dir, "csaf"), filepath.Join(dir, "csaf-distribution"))
	}
	res := advisory.Load(context.Background(), paths...)
	if len(res.Advisories) == 0 {
		t.Fatal("no advisories loaded")
	}
	return res
}

func formats(advs []*advisory.Advisory) map[string]int {
	m := map[string]int{}
	for _, a := range advs {
		m[a.Format]++
	}
	return m
}

func roundtrip(t *testing.T, res *advisory.LoadResult) {
	t.Helper()
	got, err := DecodeAdvisories(AppendAdvisories(nil, res.Advisories))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(res.Advisories) {
		t.Fatalf("%d records back, want %d", len(got), len(res.Advisories))
	}
	for i, a := range res.Advisories {
		if !reflect.DeepEqual(got[i], a) {
			t.Fatalf("record %d (%s, %s) differs after the roundtrip:\n got %+v\nwant %+v", i, a.ID, a.Source, got[i], a)
		}
	}
	// Documents and their products stay shared: records of one document
	// point to one value.
	same := map[*advisory.Document]*advisory.Document{}
	for i, a := range res.Advisories {
		if a.Document == nil {
			continue
		}
		if d, ok := same[a.Document]; ok && d != got[i].Document {
			t.Fatalf("record %d: document not shared after decoding", i)
		}
		same[a.Document] = got[i].Document
	}
	prods := map[*advisory.Product]*advisory.Product{}
	for i, a := range res.Advisories {
		for j, ps := range a.Products {
			if p, ok := prods[ps.Product]; ok && p != got[i].Products[j].Product {
				t.Fatalf("record %d: product %s not shared after decoding", i, ps.Product.ID)
			}
			prods[ps.Product] = got[i].Products[j].Product
		}
	}
	kev, err := DecodeKEV(AppendKEV(nil, res.KEV))
	if err != nil || !reflect.DeepEqual(kev, res.KEV) {
		t.Fatalf("KEV roundtrip: %v", err)
	}
	epss, err := DecodeEPSS(AppendEPSS(nil, res.EPSS))
	if err != nil || !reflect.DeepEqual(epss, res.EPSS) {
		t.Fatalf("EPSS roundtrip: %v", err)
	}
	t.Logf("%d records %v, %d KEV, %d EPSS", len(got), formats(got), len(kev), len(epss))
}

func TestRoundtripFeeds(t *testing.T) {
	res := loadAll(t, false)
	if len(res.KEV) == 0 || len(res.EPSS) == 0 {
		t.Fatal("testdata/feeds without KEV or EPSS")
	}
	roundtrip(t, res)
}

func TestRoundtripShared(t *testing.T) {
	res := loadAll(t, true)
	f := formats(res.Advisories)
	for _, k := range []string{advisory.FormatOSV, advisory.FormatCSAF, advisory.FormatNVD, advisory.FormatOpenVEX, advisory.FormatCycloneDXVEX} {
		if f[k] == 0 {
			t.Errorf("no %s records in the data", k)
		}
	}
	roundtrip(t, res)
}

// TestEveryField fills every field of the model (by reflection, so that
// a field added later is covered too) and checks it comes back.
func TestEveryField(t *testing.T) {
	var a advisory.Advisory
	fill(reflect.ValueOf(&a).Elem(), 0)
	// Share a product between two statuses and make a relationship point
	// back into the table.
	a.Products = append(a.Products, a.Products[0])
	a.Products[0].Product.Relationship.Target = a.Products[0].Product
	// The same without a document: its products are in the record.
	noDoc := a
	noDoc.Document = nil
	advs := []*advisory.Advisory{&a, &noDoc, {ID: "empty"}, {ID: "empty slices", Aliases: []string{}, Affected: []advisory.Affected{}}}
	got, err := DecodeAdvisories(AppendAdvisories(nil, advs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, advs) {
		t.Fatalf("differs:\n got %+v\nwant %+v", got[0], advs[0])
	}
	for _, g := range got[:2] {
		if g.Products[0].Product != g.Products[2].Product {
			t.Error("shared product decoded twice")
		}
		if p := g.Products[0].Product; p.Relationship.Target != p {
			t.Error("relationship cycle not kept")
		}
	}
	var k advisory.KEV
	fill(reflect.ValueOf(&k).Elem(), 0)
	var e advisory.EPSS
	fill(reflect.ValueOf(&e).Elem(), 0)
	kevs, epss := []advisory.KEV{k, k, {CVE: "x"}}, []advisory.EPSS{e, e, {CVE: "y"}}
	if got, err := DecodeKEV(AppendKEV(nil, kevs)); err != nil || !reflect.DeepEqual(got, kevs) {
		t.Errorf("KEV: %v %+v", err, got)
	}
	if got, err := DecodeEPSS(AppendEPSS(nil, epss)); err != nil || !reflect.DeepEqual(got, epss) {
		t.Errorf("EPSS: %v %+v", err, got)
	}
}

// fill sets every field of v to a value that is not its zero value:
// strings to their path-ish text, bools true, numbers 0.5, slices two
// elements, pointers a value (down to a depth, for recursive types).
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+depth)) + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		v.SetFloat(0.5 + float64(depth))
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), depth+1)
		}
	case reflect.Slice:
		if depth > 6 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), depth+1)
		}
	case reflect.Pointer:
		if depth > 6 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

// TestTruncated cuts an encoded block at every length: each is an error,
// never a panic.
func TestTruncated(t *testing.T) {
	var a advisory.Advisory
	fill(reflect.ValueOf(&a).Elem(), 0)
	data := AppendAdvisories(nil, []*advisory.Advisory{&a})
	for n := range len(data) {
		if _, err := DecodeAdvisories(data[:n]); err == nil {
			t.Fatalf("no error for the first %d of %d bytes", n, len(data))
		}
	}
	if _, err := DecodeAdvisories(append(data, 0)); err == nil {
		t.Error("no error for a trailing byte")
	}
	kev := AppendKEV(nil, []advisory.KEV{{CVE: "CVE-1", Source: "k"}, {CVE: "CVE-2", Source: "k"}})
	for n := range len(kev) {
		if _, err := DecodeKEV(kev[:n]); err == nil {
			t.Fatalf("KEV: no error for %d of %d bytes", n, len(kev))
		}
	}
	epss := AppendEPSS(nil, []advisory.EPSS{{CVE: "CVE-1", Score: 0.1}})
	for n := range len(epss) {
		if _, err := DecodeEPSS(epss[:n]); err == nil {
			t.Fatalf("EPSS: no error for %d of %d bytes", n, len(epss))
		}
	}
	if _, err := DecodeAdvisories([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}); err == nil {
		t.Error("no error for an overflowing varint")
	}
	if _, err := DecodeAdvisories(nil); !errors.Is(err, ErrTruncated) {
		t.Errorf("empty input: %v, want ErrTruncated", err)
	}
}

// FuzzDecode feeds arbitrary bytes to every decoder: errors, never a
// panic, and what decodes re-encodes to a form that decodes the same.
func FuzzDecode(f *testing.F) {
	var a advisory.Advisory
	fill(reflect.ValueOf(&a).Elem(), 0)
	f.Add(AppendAdvisories(nil, []*advisory.Advisory{&a, {ID: "x"}}))
	f.Add(AppendKEV(nil, []advisory.KEV{{CVE: "CVE-1", Source: "k"}, {CVE: "CVE-2", Source: "k"}}))
	f.Add(AppendEPSS(nil, []advisory.EPSS{{CVE: "CVE-1", Score: 0.1, Model: "m"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if advs, err := DecodeAdvisories(data); err == nil {
			again, err := DecodeAdvisories(AppendAdvisories(nil, advs))
			if err != nil || !reflect.DeepEqual(again, advs) {
				t.Fatalf("re-encoding: %v", err)
			}
		}
		DecodeKEV(data)
		DecodeEPSS(data)
		PeekID(data)
		DecodeDocuments(data)
	})
}
