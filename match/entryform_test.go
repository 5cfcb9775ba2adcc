package match

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/internal/entryform"
	"github.com/bomrank/bomrank/internal/sharedtest"
)

// formRecords returns the records of testdata/feeds, and of the shared
// OSV slice when the shared folder is there.
func formRecords(t *testing.T) []*advisory.Advisory {
	t.Helper()
	ctx := context.Background()
	advs := advisory.Load(ctx, filepath.Join("..", "testdata", "feeds")).Advisories
	if len(advs) == 0 {
		t.Fatal("no records in testdata/feeds")
	}
	if dir := sharedDir(t); dir != "" {
		advs = append(advs, advisory.Load(ctx, filepath.Join(dir, "osv", "slice")).Advisories...)
	}
	return advs
}

// sharedDir is sharedtest.Dir without the skip: "" when the folder is
// absent.
func sharedDir(t *testing.T) (dir string) {
	t.Run("shared", func(t *testing.T) { dir = sharedtest.Dir(t) })
	return dir
}

// checkForm holds the stored path of one entry to the reference: the
// entry compiled as evaluator.candidate compiles it from its record.
// It returns whether the entry's form was stored.
func checkForm(t *testing.T, id string, aff *advisory.Affected) bool {
	t.Helper()
	pc := newParseCache()
	want := compileEntry(aff, pc.intern(aff.Ecosystem), pc)
	form, ok := appendForm(nil, aff)
	if !ok {
		if len(form) != 0 {
			t.Fatalf("%s: nothing stored but %d bytes appended", id, len(form))
		}
		if aff.Ecosystem != "" && !hasRangeError(want) {
			t.Errorf("%s %s/%s: form not stored, yet the entry compiles cleanly", id, aff.Ecosystem, aff.Name)
		}
		return false
	}
	kept := decodeForm(string(form), pc)
	if kept == nil || !sameCompiled(kept, want) {
		t.Fatalf("%s %s/%s: stored form decodes to %+v, compiling gives %+v", id, aff.Ecosystem, aff.Name, kept, want)
	}
	scratch := pc.formEntry(string(form))
	if scratch == nil || !sameCompiled(scratch, want) {
		t.Fatalf("%s %s/%s: stored form in the scratch gives %+v, compiling gives %+v", id, aff.Ecosystem, aff.Name, scratch, want)
	}
	// The same verdicts, for every version the entry names and a few
	// others.
	for _, v := range formProbeVersions(aff) {
		a := evaluateCompiled(aff.Ecosystem, &installed{raw: v, pc: pc}, want)
		b := evaluateCompiled(aff.Ecosystem, &installed{raw: v, pc: pc}, pc.formEntry(string(form)))
		if a != b {
			t.Fatalf("%s %s/%s at %q: stored form says %+v, compiling %+v", id, aff.Ecosystem, aff.Name, v, b, a)
		}
	}
	return true
}

func hasRangeError(ce *compiledEntry) bool {
	for i := range ce.ranges {
		if ce.ranges[i].err != nil {
			return true
		}
	}
	return false
}

// formProbeVersions returns versions to evaluate an entry at: its
// explicit versions and events, and some that are none of them.
func formProbeVersions(aff *advisory.Affected) []string {
	vs := append([]string{"0.0.1", "1.0.0", "999.0", "v2.3.4", "1:2.3-4", "not a version"}, aff.Versions...)
	for _, r := range aff.Ranges {
		for _, e := range r.Events {
			vs = append(vs, e.Introduced, e.Fixed, e.LastAffected, e.Limit)
		}
	}
	return vs
}

// TestFormSameAsCompile: for every affected entry of the testdata feeds
// and the shared OSV slice, the stored form gives the compiledEntry (and
// the verdicts) that compiling the entry from its record gives, kept or
// in the scratch; an entry is left unstored only when it has no
// ecosystem or a range that does not compile.
func TestFormSameAsCompile(t *testing.T) {
	stored, total := 0, 0
	for _, a := range formRecords(t) {
		for i := range a.Affected {
			total++
			if checkForm(t, a.ID, &a.Affected[i]) {
				stored++
			}
		}
	}
	if stored == 0 || stored < total/2 {
		t.Fatalf("%d of %d entries stored", stored, total)
	}
	t.Logf("%d of %d entries stored", stored, total)
}

// formCases are entries of every shape the form has, and some it cannot
// hold.
func formCases() []advisory.Affected {
	ev := func(kv ...string) []advisory.Event {
		var out []advisory.Event
		for i := 0; i < len(kv); i += 2 {
			switch kv[i] {
			case "i":
				out = append(out, advisory.Event{Introduced: kv[i+1]})
			case "f":
				out = append(out, advisory.Event{Fixed: kv[i+1]})
			case "l":
				out = append(out, advisory.Event{LastAffected: kv[i+1]})
			case "m":
				out = append(out, advisory.Event{Limit: kv[i+1]})
			}
		}
		return out
	}
	return []advisory.Affected{
		{Ecosystem: "npm", Name: "a", Ranges: []advisory.Range{{Type: "SEMVER", Events: ev("i", "0", "f", "1.2.3")}}},
		{Ecosystem: "Debian:11", Name: "b", Ranges: []advisory.Range{{Type: "ECOSYSTEM", Events: ev("i", "0", "f", "1.1.1w-0+deb11u1")}}},
		{Ecosystem: "PyPI", Name: "c", Versions: []string{"1.0", "1.1rc1"}, Ranges: []advisory.Range{
			{Type: "ECOSYSTEM", Events: ev("i", "2.0", "f", "2.5", "i", "1.0", "f", "1.4", "i", "3.0", "l", "3.1")},
			{Type: "GIT", Events: ev("i", "abc")},
		}},
		{Ecosystem: "Go", Name: "d", Ranges: []advisory.Range{{Type: "SEMVER", Events: ev("i", "1.0.0-rc.1", "m", "*", "m", "2.0.0", "f", "1.5.0")}}},
		{Ecosystem: "Maven", Name: "e", Ranges: []advisory.Range{{Events: ev("i", " 1.2.3", "f", "1.2.10")}}},
		{Ecosystem: "Ubuntu:22.04:LTS", Name: "f", Ranges: []advisory.Range{{Type: "ECOSYSTEM", Events: ev("i", "0", "i", "0")}}},
		{Ecosystem: "crates.io", Name: "g", Ranges: []advisory.Range{}},
		{Ecosystem: "Azure Linux", Name: "h", Ranges: []advisory.Range{{Type: "ECOSYSTEM", Events: ev("i", "0", "f", "1.2-3.azl3")}}},
		// Not storable: no ecosystem, an unknown range type, a version
		// the ecosystem cannot read, an ecosystem without an ordering.
		{PURL: "pkg:npm/x", Ranges: []advisory.Range{{Type: "SEMVER", Events: ev("i", "0", "f", "1.0.0")}}},
		{Ecosystem: "npm", Name: "x", Ranges: []advisory.Range{{Type: "CALVER", Events: ev("i", "0")}}},
		{Ecosystem: "npm", Name: "x", Ranges: []advisory.Range{{Type: "SEMVER", Events: ev("i", "latest")}}},
		{Ecosystem: "GitHub Actions", Name: "x", Ranges: []advisory.Range{{Type: "ECOSYSTEM", Events: ev("i", "0", "f", "1.0")}}},
	}
}

// TestFormCases: the shapes of formCases round-trip, and the entries
// that cannot be stored are not.
func TestFormCases(t *testing.T) {
	cases := formCases()
	for i := range cases {
		stored := checkForm(t, cases[i].Name, &cases[i])
		if want := i < 8; stored != want {
			t.Errorf("case %d (%s): stored %v, want %v", i, cases[i].Name, stored, want)
		}
	}
}

// fakeForms is an index.CompiledForms with the given forms by entry
// number.
type fakeForms map[int]string

func (f fakeForms) CompiledForm(seq int) string { return f[seq] }

// TestCandidateFallback: an entry without a stored form, or whose form
// does not decode, is compiled from its record (and kept), as without
// forms; one with a form is built from it.
func TestCandidateFallback(t *testing.T) {
	cases := formCases()
	advs := []*advisory.Advisory{{ID: "X-1", Format: advisory.FormatOSV, Affected: cases}}
	ix := decodedIndex(t, advs)
	good, _ := appendForm(nil, &cases[0])
	forms := fakeForms{0: string(good), 1: "\x03npm\x00\x01\x07", 2: string(good[:len(good)-1]), 3: string(good) + "x"}
	for seq := range cases {
		pc := newParseCache()
		ev := newEvaluator(len(cases))
		ev.forms = forms
		got := ev.candidate(ix, seq, pc.scratch(), "npm", pc)
		ref := newEvaluator(len(cases))
		want := ref.candidate(ix, seq, pc.scratch(), "npm", newParseCache())
		if got == nil || want == nil || !sameCompiled(got, want) {
			t.Fatalf("entry %d: %+v, want %+v", seq, got, want)
		}
		// Built from the form: in the scratch, not kept; compiled: kept,
		// unless it has no ecosystem (compiled for the component's).
		fromForm := seq == 0
		wantKept := !fromForm && cases[seq].Ecosystem != ""
		if kept := ev.entries[seq].Load(); (kept != nil) != wantKept || (got == &pc.forms.ce) != fromForm {
			t.Errorf("entry %d: kept %v, scratch %v; the form was good: %v", seq, kept != nil, got == &pc.forms.ce, fromForm)
		}
	}
}

// TestFormRegistered: the package registers its codec, of the version
// the form says.
func TestFormRegistered(t *testing.T) {
	c := entryform.Current()
	if c == nil || c.Version != formVersion || c.Version == 0 {
		t.Fatalf("codec %+v", c)
	}
	b, ok := c.Append([]byte("x"), &formCases()[0])
	if !ok || !strings.HasPrefix(string(b), "x\x03npm") {
		t.Fatalf("Append = %q, %v", b, ok)
	}
}

// FuzzDecodeForm: no input makes the form's decoder panic; what
// decodes, decodes the same kept or in the scratch, encodes back to a
// form that decodes the same, and evaluates without a panic.
func FuzzDecodeForm(f *testing.F) {
	for _, aff := range formCases() {
		if b, ok := appendForm(nil, &aff); ok {
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add([]byte("\x03npm\x00\x01\x01\x02\x04\x00\x00\x35\x01\x05\x01.2.3\x01\x02\x03"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pc := newParseCache()
		kept := decodeForm(string(b), pc)
		scratch := pc.formEntry(string(b))
		if (kept == nil) != (scratch == nil) {
			t.Fatalf("kept %v, scratch %v", kept != nil, scratch != nil)
		}
		if kept == nil {
			return
		}
		if !sameCompiled(kept, scratch) {
			t.Fatalf("kept %+v, scratch %+v", kept, scratch)
		}
		again, ok := appendCompiled(nil, kept)
		if !ok {
			t.Fatalf("%+v decoded but does not encode", kept)
		}
		if back := decodeForm(string(again), pc); back == nil || !sameCompiled(back, kept) {
			t.Fatalf("%q decodes to %+v, its encoding %q to %+v", b, kept, again, back)
		}
		for _, v := range []string{"1.2.3", "0", "2.0.0-rc.1", "1:1.0-1"} {
			evaluateCompiled(kept.eco, &installed{raw: v, pc: pc}, kept)
		}
	})
}

// decodedIndex indexes advs and reads the index back from its binary
// form, as a database holds it.
func decodedIndex(t *testing.T, advs []*advisory.Advisory) *index.Memory {
	t.Helper()
	data, err := index.New(advs).AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}
