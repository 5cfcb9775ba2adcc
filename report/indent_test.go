package report

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func checkIndent(t *testing.T, v any) {
	t.Helper()
	compact, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(v, "    ", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if got := appendIndent(nil, compact, "    ", "  "); !bytes.Equal(got, want) {
		t.Errorf("appendIndent differs from MarshalIndent\n got: %s\nwant: %s", got, want)
	}
}

// TestAppendIndentMatchesEncodingJSON re-indents every JSON golden file of
// the package and the command, and awkward values, and compares with
// json.MarshalIndent.
func TestAppendIndentMatchesEncodingJSON(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json*")
	more, _ := filepath.Glob("../cmd/bomrank/testdata/*json*")
	files = append(files, more...)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			continue // not JSON
		}
		n++
		checkIndent(t, v)
	}
	if n == 0 {
		t.Fatal("no JSON golden files found")
	}
	for _, v := range []any{
		map[string]any{}, []any{}, "", 0, nil, true,
		map[string]any{"a\"\\:,{}[]": []any{"x\\", `"`, "<&>", 1.5e300, math.Copysign(0, -1), []any{}, map[string]any{}}},
		[]any{[]any{[]any{}}, map[string]any{"": map[string]any{"k": nil}}},
		"\u2028 \x01 é",
	} {
		checkIndent(t, v)
	}
}

func FuzzAppendIndent(f *testing.F) {
	f.Add(`{"a":[1,{"b":"c\\\"d"},[],{}],"e":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		checkIndent(t, v)
	})
}
