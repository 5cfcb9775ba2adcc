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
