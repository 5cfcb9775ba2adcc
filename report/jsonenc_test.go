package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"
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

// TestFindingEncoderMatchesEncodingJSON: the hand-written encoder writes
// exactly what encoding/json writes, for a finding with every field set,
// for the zero finding, and for empty slices.
func TestFindingEncoderMatchesEncodingJSON(t *testing.T) {
	seed := 0
	var full findingJSON
	fill(reflect.ValueOf(&full), &seed)
	empty := findingJSON{Aliases: []string{}, Fixed: []string{}, Sources: []sourceJSON{}, Remediations: []remediationJSON{},
		Component: componentJSON{CPEs: []string{}}, Severity: severityJSON{Vectors: []vectorJSON{}}}
	for name, f := range map[string]findingJSON{"full": full, "zero": {}, "empty": empty} {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFinding(nil, &f); !bytes.Equal(got, want) {
			t.Errorf("%s finding:\n got: %s\nwant: %s", name, got, want)
		}
	}
	for _, x := range []float64{0, 1e-7, 1e22, 0.1 + 0.2, 123456789.125, -3} {
		f := findingJSON{EPSS: &epssJSON{Score: x, Percentile: x}, SSVC: &ssvcJSON{Score: x}}
		want, _ := json.Marshal(f)
		if got := appendFinding(nil, &f); !bytes.Equal(got, want) {
			t.Errorf("float %v:\n got: %s\nwant: %s", x, got, want)
		}
	}
	if _, err := marshalDevice(nil, deviceJSON{Findings: []findingJSON{{EPSS: &epssJSON{Score: math.NaN()}}}}); err == nil {
		t.Error("a NaN score encoded without an error")
	}
	var dev deviceJSON
	fill(reflect.ValueOf(&dev), &seed)
	for name, d := range map[string]deviceJSON{"full": dev, "zero": {}, "no findings": {Findings: []findingJSON{}}} {
		want, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := marshalDevice(nil, d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s device:\n got: %s\nwant: %s", name, got, want)
		}
	}
}

// BenchmarkFindingEncoder encodes a device of 500 findings like those of
// the benchmark workload (plain ASCII, one source, one vector).
func BenchmarkFindingEncoder(b *testing.B) {
	dev := deviceJSON{ID: "dev-0001.cdx.json", Reasons: []string{"500 affected finding(s)"}}
	for i := 0; i < 500; i++ {
		dev.Findings = append(dev.Findings, findingJSON{
			ID: fmt.Sprintf("CVE-2090-%07d", i), Aliases: []string{fmt.Sprintf("SYN-%07d", i)}, Status: "affected",
			Component:    componentJSON{Name: "lib422", Version: "0.8.5", PURL: "pkg:maven/org.example34/lib422@0.8.5", CPEs: []string{}, Ref: "c2"},
			Fixed:        []string{"0.9.4"},
			Severity:     severityJSON{Vectors: []vectorJSON{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}},
			Summary:      "synthetic advisory 951 for org.example34:lib422",
			Sources:      []sourceJSON{{ID: "SYN-0000951", Format: "osv", Path: "/tmp/bench/osv/SYN-0000951.json", Match: "ecosystem package", Confidence: "high"}},
			Remediations: []remediationJSON{},
		})
	}
	b.Run("hand", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := marshalDevice(nil, dev); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := json.Marshal(dev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
