package jsonsniff

import (
	"slices"
	"testing"
)

func TestHasKey(t *testing.T) {
	for _, c := range []struct {
		doc, key string
		want     bool
	}{
		{`{"id": "x"}`, "id", true},
		{`{"id"` + "\n\t :1}", "id", true},
		{`{"ids": 1}`, "id", false},
		{`{"x": "id"}`, "id", false},
		{`{"x": "id", "id":2}`, "id", true},
		{`{"id"`, "id", false},
		{`{"id" x: 1}`, "id", false},
	} {
		if got := HasKey([]byte(c.doc), c.key); got != c.want {
			t.Errorf("HasKey(%q, %q) = %v", c.doc, c.key, got)
		}
	}
}

func TestValues(t *testing.T) {
	var got []string
	for v := range Values([]byte(`{"a": 1, "b": {"a" :[2]}, "a":`), "a") {
		got = append(got, string(v))
	}
	want := []string{`1, "b": {"a" :[2]}, "a":`, `[2]}, "a":`, ``}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
