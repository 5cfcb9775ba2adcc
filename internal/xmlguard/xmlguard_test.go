package xmlguard

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func deep(n int) []byte {
	var b bytes.Buffer
	b.WriteString("<r>")
	for range n {
		b.WriteString("<a>")
	}
	for range n {
		b.WriteString("</a>")
	}
	b.WriteString("</r>")
	return b.Bytes()
}

func TestDecoderDepth(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{MaxDepth - 1, true}, {MaxDepth, false}, {5 * MaxDepth, false}} {
		d := NewDecoder(bytes.NewReader(deep(tc.n)))
		se, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		_ = se
		err = d.Skip()
		var de *DepthError
		if tc.ok {
			if err != nil {
				t.Errorf("depth %d: %v", tc.n+1, err)
			}
			continue
		}
		if !errors.As(err, &de) || de.Limit != MaxDepth || !errors.Is(err, ErrTooDeep) {
			t.Fatalf("depth %d: got %v, want a DepthError", tc.n+1, err)
		}
		if !strings.Contains(err.Error(), "10000") {
			t.Errorf("error does not name the limit: %v", err)
		}
		if err := Check(deep(tc.n), MaxDepth); !errors.As(err, &de) {
			t.Errorf("Check depth %d: %v", tc.n+1, err)
		}
	}
	if err := Check(deep(MaxDepth-1), MaxDepth); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// TestDecoderSameTokens: the guarded decoder yields what encoding/xml does,
// namespaces translated.
func TestDecoderSameTokens(t *testing.T) {
	doc := `<?xml version="1.0"?><!-- c --><bom xmlns="urn:x" xmlns:p="urn:p"><p:a k="v">t<![CDATA[<x>]]></p:a><b/></bom>`
	want := xml.NewDecoder(strings.NewReader(doc))
	got := NewDecoder(strings.NewReader(doc))
	for {
		wt, werr := want.Token()
		gt, gerr := got.Token()
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("errors differ: %v / %v", werr, gerr)
		}
		if werr == io.EOF {
			break
		}
		if !equal(xml.CopyToken(wt), xml.CopyToken(gt)) {
			t.Fatalf("token %#v, want %#v", gt, wt)
		}
	}
	// A mismatched end tag is still a syntax error.
	d := NewDecoder(strings.NewReader("<a><b></a>"))
	var err error
	for err == nil {
		_, err = d.Token()
	}
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("mismatched tags: %v", err)
	}
}

func equal(a, b xml.Token) bool {
	switch a := a.(type) {
	case xml.StartElement:
		b, ok := b.(xml.StartElement)
		if !ok || a.Name != b.Name || len(a.Attr) != len(b.Attr) {
			return false
		}
		for i := range a.Attr {
			if a.Attr[i] != b.Attr[i] {
				return false
			}
		}
		return true
	case xml.CharData:
		b, ok := b.(xml.CharData)
		return ok && bytes.Equal(a, b)
	case xml.Comment:
		b, ok := b.(xml.Comment)
		return ok && bytes.Equal(a, b)
	case xml.ProcInst:
		b, ok := b.(xml.ProcInst)
		return ok && a.Target == b.Target && bytes.Equal(a.Inst, b.Inst)
	}
	return a == b
}
