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
