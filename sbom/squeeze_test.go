package sbom

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSqueezeReader(t *testing.T) {
	in := "{ \"a b\\\"  c\" :\n\n\t [1,   2 ,\"  \\\\\" ],   \"k\":  \"v\\u0020 \"   }   "
	got, err := io.ReadAll(iotest.OneByteReader(newSqueezeReader(strings.NewReader(in))))
	if err != nil {
		t.Fatal(err)
	}
	want := "{ \"a b\\\"  c\" :\n[1, 2 ,\"  \\\\\" ], \"k\": \"v\\u0020 \" } "
	if string(got) != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Same meaning as the input.
	var a, b any
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("meaning changed: %s vs %s", ja, jb)
	}
}

// TestSqueezePlace maps every squeezed offset back to the input: each byte
// passed on is found at its place in the input, with its line and column.
func TestSqueezePlace(t *testing.T) {
	in := []byte("{\r\n  \"a b\\\"  c\" :\n\n\t [1,   2 ,\"  \\\\\" ],\n   \"k\":  \"v\\u0020 \"   }   \n")
	for _, r := range []io.Reader{bytes.NewReader(in), iotest.OneByteReader(bytes.NewReader(in))} {
		sq := newSqueezeReader(r)
		got, err := io.ReadAll(sq)
		if err != nil {
			t.Fatal(err)
		}
		for off := range got {
			p := sq.place(int64(off))
			if p.off < 0 || p.off >= int64(len(in)) || in[p.off] != got[off] {
				t.Fatalf("squeezed byte %d (%q) placed at %d", off, got[off], p.off)
			}
			if want := placeOf(in, int(p.off)); p.String() != want {
				t.Errorf("squeezed byte %d: %s, want %s", off, p, want)
			}
		}
		if want := placeOf(in, len(in)); sq.end().String() != want {
			t.Errorf("end: %s, want %s", sq.end(), want)
		}
	}
}
