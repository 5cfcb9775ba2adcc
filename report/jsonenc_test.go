package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// fill sets every field reachable from v (a pointer) to a non-zero value
// derived from seed: strings (some with characters that need escaping),
// two-element slices, numbers. Fields added to the JSON structs later are
// filled too, so the hand-written encoder cannot silently miss them.
func fill(v reflect.Value, seed *int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), seed)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := 0; i < 2; i++ {
			fill(s.Index(i), seed)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), 2)
		for i := 0; i < 2; i++ {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, seed)
			fill(e, seed)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.String:
		*seed++
		strs := []string{"plain", `quote " and \ back`, "<html>&", "tab\tnew\nline\x01", "é ü \u2028", "bad \xff utf8"}
		v.SetString(fmt.Sprintf("%s-%d", strs[*seed%len(strs)], *seed))
	case reflect.Int, reflect.Int64, reflect.Int32:
		*seed++
		v.SetInt(int64(*seed))
	case reflect.Float64:
		*seed++
		v.SetFloat(float64(*seed) + 0.5)
	case reflect.Bool:
		v.SetBool(true)
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

// indented encodes f with the hand-written encoder at depth 0.
func indented(f *findingJSON, prefix, indent string) []byte {
	var w indenter
	w.init(nil, prefix, indent)
	w.finding(0, f)
	return w.b
}

// TestFindingEncoderMatchesEncodingJSON: the hand-written encoder writes
// exactly what encoding/json writes, for a finding with every field set,
// for the zero finding, and for empty slices, with the indentation of
// the scan JSON and others.
func TestFindingEncoderMatchesEncodingJSON(t *testing.T) {
	seed := 0
	var full findingJSON
	fill(reflect.ValueOf(&full), &seed)
	empty := findingJSON{Aliases: []string{}, Fixed: []string{}, Sources: []sourceJSON{}, Remediations: []remediationJSON{},
		Component: componentJSON{CPEs: []string{}}, Severity: severityJSON{Vectors: []vectorJSON{}}}
	for _, ind := range [][2]string{{devicePrefix, deviceIndent}, {"", "\t"}, {"> ", "    "}} {
		for name, f := range map[string]findingJSON{"full": full, "zero": {}, "empty": empty} {
			want, err := json.MarshalIndent(f, ind[0], ind[1])
			if err != nil {
				t.Fatal(err)
			}
			if got := indented(&f, ind[0], ind[1]); !bytes.Equal(got, want) {
				t.Errorf("%s finding, indent %q:\n got: %s\nwant: %s", name, ind, got, want)
			}
		}
	}
	for _, x := range []float64{0, 1e-7, 1e22, 0.1 + 0.2, 123456789.125, -3} {
		f := findingJSON{EPSS: &epssJSON{Score: x, Percentile: x}, SSVC: &ssvcJSON{Score: x}}
		want, _ := json.MarshalIndent(f, devicePrefix, deviceIndent)
		if got := indented(&f, devicePrefix, deviceIndent); !bytes.Equal(got, want) {
			t.Errorf("float %v:\n got: %s\nwant: %s", x, got, want)
		}
	}
}

// TestDeviceEncoderMatchesEncodingJSON: a device (every field of the
// result set, by reflection, then with no findings and with a nil
// slice of findings) encodes as json.MarshalIndent encodes its
// deviceJSON, and a NaN score is an error.
func TestDeviceEncoderMatchesEncodingJSON(t *testing.T) {
	seed := 0
	var full match.DeviceResult
	fill(reflect.ValueOf(&full), &seed)
	none := full
	none.Findings = []*match.Finding{}
	plain := *benchScan().Results[0]
	var e deviceEncoder
	for name, r := range map[string]*match.DeviceResult{"full": &full, "no findings": &none, "plain": &plain} {
		want, err := json.MarshalIndent(toDeviceJSON(r), devicePrefix, deviceIndent)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second time with the encoder's buffers in use
			got, err := e.appendDevice([]byte("x"), r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got[1:], want) || got[0] != 'x' {
				t.Errorf("%s device:\n got: %s\nwant: %s", name, got, want)
			}
		}
	}
	bad := plain
	f := *bad.Findings[1]
	f.EPSS = &advisory.EPSS{Score: math.NaN()}
	bad.Findings = []*match.Finding{bad.Findings[0], &f}
	if _, err := e.appendDevice(nil, &bad); err == nil {
		t.Error("a NaN score encoded without an error")
	}
}

// TestAppendString: every byte value at every place of strings of up to
// 20 bytes is escaped as encoding/json escapes it.
func TestAppendString(t *testing.T) {
	for n := 1; n <= 20; n++ {
		for at := 0; at < n; at++ {
			for c := 0; c < 256; c++ {
				s := []byte(strings.Repeat("a", n))
				s[at] = byte(c)
				want, _ := json.Marshal(string(s))
				if got := appendString(nil, string(s)); !bytes.Equal(got, want) {
					t.Fatalf("%q: got %s, want %s", s, got, want)
				}
			}
		}
	}
}

// TestFindingEncoderDeep: a finding written deeper than the fragments
// made up front (fragDepths) is indented as encoding/json indents it, with
// the scan's indentation (whose fragments are shared by every indenter)
// and another; the shared fragments are left as they were.
func TestFindingEncoderDeep(t *testing.T) {
	seed := 0
	var full findingJSON
	fill(reflect.ValueOf(&full), &seed)
	for _, ind := range [][2]string{{devicePrefix, deviceIndent}, {"> ", "\t"}} {
		for _, d := range []int{0, 3, fragDepths - 1, fragDepths, fragDepths + 5} {
			var w indenter
			w.init(nil, ind[0], ind[1])
			w.finding(d, &full)
			want, err := json.MarshalIndent(full, ind[0]+strings.Repeat(ind[1], d), ind[1])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(w.b, want) {
				t.Errorf("indent %q, depth %d:\n got: %s\nwant: %s", ind, d, w.b, want)
			}
		}
	}
	lines, frags := scanIndent()
	if len(lines) != fragDepths+1 || len(frags) != fragDepths {
		t.Errorf("the shared fragments grew: %d lines, %d depths", len(lines), len(frags))
	}
}

// TestPlainStringCache: the indenter's memory of plain strings (by the
// address of their bytes) never writes a string unescaped that needs
// escaping: a plain prefix of a string that needs escaping, at the same
// address, a string seen many times, and more strings than there are
// slots, each compared with encoding/json.
func TestPlainStringCache(t *testing.T) {
	long := "a plain prefix of twenty bytes<and then an escape>"
	var strs []string
	for i := range 3 * plainSlots {
		strs = append(strs, fmt.Sprintf("string number %06d of the test", i))
	}
	var w indenter
	w.init(nil, "", "  ")
	var want []byte
	add := func(s string) {
		w.str(s)
		q, _ := json.Marshal(s)
		want = append(want, q...)
	}
	for range 3 {
		add(long[:minPlainCache])
		add(long[:30])
		add(long)
		add(long[:30])
		for _, s := range strs {
			add(s)
		}
		add("short\x01")
	}
	if !bytes.Equal(w.b, want) {
		t.Errorf("got:\n%s\nwant:\n%s", w.b, want)
	}
}

// TestSharedBlocksMatchEncodingJSON: findings sharing their component and
// their decision's sources (whose JSON the indenter keeps by address),
// among more distinct ones than it keeps, next to findings with a
// component of the same contents at another address, encode as
// encoding/json encodes them, device after device with one encoder.
func TestSharedBlocksMatchEncodingJSON(t *testing.T) {
	base := *benchScan().Results[0]
	var comps []*sbom.Component
	var srcs []*ssvc.Sources
	for i := range 3 * blockSlots {
		comps = append(comps, &sbom.Component{Name: fmt.Sprintf("lib%d", i), Version: "1.0", PURL: fmt.Sprintf("pkg:npm/lib%d@1.0", i),
			CPEs: []string{fmt.Sprintf("cpe:2.3:a:x:lib%d:1.0:*:*:*:*:*:*:*", i)}, Ref: fmt.Sprintf("c%d", i)})
		srcs = append(srcs, &ssvc.Sources{Exploitation: ssvc.Source{Kind: ssvc.SourceNone},
			Automatable: ssvc.Source{Kind: ssvc.SourceCVSS, Detail: fmt.Sprintf("vector <%d>", i)}, Exposure: ssvc.Source{Kind: ssvc.SourceDefault}})
	}
	var e deviceEncoder
	for dev := range 3 {
		r := base
		r.Findings = nil
		for i := range 4 * blockSlots {
			f := *base.Findings[i%len(base.Findings)]
			k := (i*7 + dev) % len(comps)
			if i%5 == 0 { // a component equal to another, not the same
				c := *comps[k]
				f.Component = &c
			} else {
				f.Component = comps[k]
			}
			if f.Decision != nil {
				d := *f.Decision
				d.Sources = srcs[(i*3+dev)%len(srcs)]
				f.Decision = &d
			}
			r.Findings = append(r.Findings, &f)
		}
		want, err := json.MarshalIndent(toDeviceJSON(&r), devicePrefix, deviceIndent)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.appendDevice(nil, &r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("device %d differs from encoding/json", dev)
		}
	}
}

// sameAsEncodingJSON writes fs one after another with one indenter, at
// depth d of the scan's indentation, and compares each with
// json.MarshalIndent.
func sameAsEncodingJSON(t *testing.T, d int, fs []findingJSON) {
	t.Helper()
	var w indenter
	w.init(nil, devicePrefix, deviceIndent)
	for i := range fs {
		start := len(w.b)
		w.finding(d, &fs[i])
		want, err := json.MarshalIndent(fs[i], devicePrefix+strings.Repeat(deviceIndent, d), deviceIndent)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.b[start:]; !bytes.Equal(got, want) {
			t.Fatalf("finding %d at depth %d:\n got: %s\nwant: %s", i, d, got, want)
		}
	}
}

// TestSeverityBlock: the indenter's copy of the last severity is used
// only for the same contents (equal vectors from other strings, a nil
// slice against an empty one, another rating or source, more vectors)
// at the same depth.
func TestSeverityBlock(t *testing.T) {
	v := func(typ, score string) vectorJSON { return vectorJSON{Type: typ, Score: score} }
	vec := "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
	sevs := []severityJSON{
		{Vectors: []vectorJSON{v("CVSS_V3", vec)}, Rating: "critical", RatingSource: "cvss"},
		{Vectors: []vectorJSON{v("CVSS_V3", strings.Clone(vec))}, Rating: "critical", RatingSource: "cvss"},
		{Vectors: []vectorJSON{v("CVSS_V3", vec)}, Rating: "high", RatingSource: "cvss"},
		{Vectors: []vectorJSON{v("CVSS_V3", vec)}, Rating: "high", RatingSource: "osv"},
		{Vectors: []vectorJSON{v("CVSS_V3", vec), v("CVSS_V4", "x")}, Rating: "high", RatingSource: "osv"},
		{Vectors: []vectorJSON{v("CVSS_V3", vec), v("CVSS_V4", "y")}, Rating: "high", RatingSource: "osv"},
		{Vectors: []vectorJSON{v("CVSS_V3", "<&>")}, Rating: "high", RatingSource: "osv"},
		{Vectors: []vectorJSON{}, Rating: "high", RatingSource: "osv"},
		{Vectors: nil, Rating: "high", RatingSource: "osv"},
		{Vectors: []vectorJSON{}, Rating: "high", RatingSource: "osv"},
		{Vectors: []vectorJSON{}, Rating: "high", RatingSource: "osv"},
		{Vectors: nil, Rating: "high", RatingSource: "osv"},
		{Vectors: nil, Rating: "high", RatingSource: "osv"},
	}
	var fs []findingJSON
	for _, s := range sevs {
		fs = append(fs, findingJSON{ID: "x", Severity: s}, findingJSON{ID: "y", Severity: s})
	}
	for _, d := range []int{2, 0, fragDepths + 1} {
		sameAsEncodingJSON(t, d, fs)
	}
	sameDepthsApart(t, &fs[0])
}

// TestSSVCHeads: the indenter's copies of the members before an SSVC
// decision's reasons are used only for the same values: each member
// changed in turn, 0 against -0, more distinct scores than it keeps, and
// the same values again.
func TestSSVCHeads(t *testing.T) {
	base := ssvcJSON{Exploitation: "none", Automatable: true, Exposure: "controlled", HumanImpact: "high",
		Outcome: "scheduled", Action: "ask-manufacturer", Score: 36.7, Reasons: []string{"a"}}
	variants := []func(x *ssvcJSON){
		func(x *ssvcJSON) {},
		func(x *ssvcJSON) { x.Exploitation = "active" },
		func(x *ssvcJSON) { x.Automatable = false },
		func(x *ssvcJSON) { x.Exposure = "open" },
		func(x *ssvcJSON) { x.HumanImpact = "very high" },
		func(x *ssvcJSON) { x.Outcome = "immediate" },
		func(x *ssvcJSON) { x.Action = "patch" },
		func(x *ssvcJSON) { x.Action = "<patch>" },
		func(x *ssvcJSON) { x.Score = 0 },
		func(x *ssvcJSON) { x.Score = math.Copysign(0, -1) },
		func(x *ssvcJSON) { x.Score = 1e-7 },
	}
	for i := range 3 << headBits {
		variants = append(variants, func(x *ssvcJSON) { x.Score = float64(i) / 10 })
	}
	var fs []findingJSON
	for range 2 {
		for _, v := range variants {
			x := base
			v(&x)
			fs = append(fs, findingJSON{ID: "x", SSVC: &x}, findingJSON{ID: "y", SSVC: &x})
		}
	}
	for _, d := range []int{2, 0, fragDepths + 1} {
		sameAsEncodingJSON(t, d, fs)
	}
	sameDepthsApart(t, &fs[0])
}

// sameDepthsApart writes f with one indenter at depths 2, 3 and 2 again
// and compares each with json.MarshalIndent: what the indenter keeps is
// of one depth.
func sameDepthsApart(t *testing.T, f *findingJSON) {
	t.Helper()
	var w indenter
	w.init(nil, devicePrefix, deviceIndent)
	for _, d := range []int{2, 3, 2} {
		w.b = w.b[:0]
		w.finding(d, f)
		want, _ := json.MarshalIndent(f, devicePrefix+strings.Repeat(deviceIndent, d), deviceIndent)
		if !bytes.Equal(w.b, want) {
			t.Fatalf("depth %d:\n got: %s\nwant: %s", d, w.b, want)
		}
	}
}

// TestWarm: warm reads the first byte of the strings it names and
// nothing else (the result is their XOR), and takes findings without
// them (nil lists, empty strings, no decision) without a panic.
func TestWarm(t *testing.T) {
	full := &match.Finding{ID: "I", Summary: "S", Severity: []advisory.Severity{{Type: "T", Score: "V"}}, Aliases: []string{"A"},
		Fixed: []string{"F"}, Sources: []match.Source{{ID: "D", Path: "P"}}, Decision: &ssvc.Decision{Reasons: []string{"x", "R"}},
		Component: &sbom.Component{Name: "N", PURL: "U", Version: "y"}}
	empty := &match.Finding{Severity: []advisory.Severity{{}}, Aliases: []string{""}, Fixed: []string{""}, Sources: []match.Source{{}},
		Decision: &ssvc.Decision{}, Component: &sbom.Component{}}
	want := byte('I' ^ 'S' ^ 'T' ^ 'V' ^ 'A' ^ 'F' ^ 'D' ^ 'P' ^ 'R' ^ 'N' ^ 'U')
	if got := warm([]*match.Finding{full, empty, {}}); got != want {
		t.Errorf("warm = %#x, want %#x", got, want)
	}
}

// TestGrow: grow keeps the bytes and gives at least the room asked for,
// small and large.
func TestGrow(t *testing.T) {
	for _, n := range []int{0, 1, 4 << 10, 3 << 20} {
		dst := append(make([]byte, 0, 3), "abc"...)
		b := grow(dst, n)
		if string(b) != "abc" || cap(b)-len(b) < n {
			t.Errorf("grow(%q, %d) = %q with room for %d", dst, n, b, cap(b)-len(b))
		}
	}
}
