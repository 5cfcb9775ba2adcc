package sbom

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// placeOf names byte off of b as the errors do: the line and column (both
// from 1) of that byte, and its offset from 0.
func placeOf(b []byte, off int) string {
	line := bytes.Count(b[:off], []byte("\n")) + 1
	col := off - bytes.LastIndexByte(b[:off], '\n')
	return fmt.Sprintf("line %d, column %d (byte %d)", line, col, off)
}

// breakAt returns b with the first occurrence of old after the first
// occurrence of after replaced by new, and the offset of old.
func breakAt(t *testing.T, b []byte, after, old, new string) ([]byte, int) {
	t.Helper()
	from := bytes.Index(b, []byte(after))
	if from < 0 {
		t.Fatalf("%q not in the document", after)
	}
	i := bytes.Index(b[from:], []byte(old))
	if i < 0 {
		t.Fatalf("%q not after %q", old, after)
	}
	i += from
	out := append(append(append([]byte{}, b[:i]...), new...), b[i+len(old):]...)
	return out, i
}

// TestJSONErrorPlace checks that JSON errors name the place in the document
// as written. The decoder reads the document with its whitespace squeezed,
// and encoding/json's Decoder gives no stream offset for an error inside a
// value; both used to put the offset far off ("byte 87" for byte 138).
func TestJSONErrorPlace(t *testing.T) {
	cdx, err := os.ReadFile("../testdata/fleet/infusion-pump-vitaflow-3000.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	spdx3, err := os.ReadFile("../testdata/fleet/glucose-analyzer-glucomet-g7.spdx3.json")
	if err != nil {
		t.Fatal(err)
	}
	type tc struct {
		name string
		doc  []byte
		want string
	}
	var cases []tc
	add := func(name string, doc []byte, what string, off int) {
		cases = append(cases, tc{name, doc, what + " at " + placeOf(doc, off)})
	}
	// A syntax error inside a component (read as one value).
	doc, off := breakAt(t, cdx, `"components"`, `"version":`, `"version";`)
	add("cdx component", doc, "invalid JSON", off+len(`"version"`))
	// A missing comma between top-level members (a token error).
	doc, _ = breakAt(t, cdx, `"specVersion"`, `"1.5",`, `"1.5"`)
	add("cdx missing comma", doc, "invalid JSON", bytes.Index(doc, []byte(`"serialNumber"`)))
	// A control character in a top-level key.
	doc, off = breakAt(t, cdx, `"serialNumber"`, `"version"`, "\"ver\x01sion\"")
	add("cdx key", doc, "invalid JSON", off+4)
	// A value of the wrong type: the place is the value's last byte.
	doc, off = breakAt(t, cdx, `"bomFormat"`, `"urn:uuid:bf408f48-05ba-53e5-a30e-7f8a49ee52bd"`, `42`)
	add("cdx type", doc, "invalid JSON", off+1)
	// Cut in the middle of the components.
	cut := bytes.Index(cdx, []byte(`"components"`)) + 300
	add("cdx truncated", cdx[:cut], "JSON ends early (truncated?)", cut)
	// Data after the BOM.
	doc = append(append([]byte{}, cdx...), "\n\n  {}\n"...)
	add("cdx trailing data", doc, "data after the end of the BOM object", len(cdx)+4)

	// Line breaks written as CRLF.
	crlf := bytes.ReplaceAll(cdx, []byte("\n"), []byte("\r\n"))
	doc, off = breakAt(t, crlf, `"components"`, `"version":`, `"version";`)
	add("cdx crlf", doc, "invalid JSON", off+len(`"version"`))
	// Far into a document larger than the reader's buffers, after many
	// components and an indented section that is skipped.
	big := bigIndentedCDX(2000)
	if d, err := (Options{NoValidate: true}).Parse(bytes.NewReader(big), "big.json"); err != nil || len(d.Components) != 2000 {
		t.Fatalf("the unbroken document: %v", err)
	}
	doc, off = breakAt(t, big, `"name": "lib-1999"`, `"purl":`, `"purl";`)
	add("cdx far", doc, "invalid JSON", off+len(`"purl"`))
	cut = len(big) - 10
	add("cdx far truncated", big[:cut], "JSON ends early (truncated?)", cut)

	doc, off = breakAt(t, spdx3, `"software_Package"`, `"name":`, `"name";`)
	add("spdx3 element", doc, "invalid JSON", off+len(`"name"`))
	cut = bytes.Index(spdx3, []byte(`"software_Package"`)) + 200
	add("spdx3 truncated", spdx3[:cut], "JSON ends early (truncated?)", cut)
	doc = append(append([]byte{}, spdx3...), "\n\n  []\n"...)
	add("spdx3 trailing data", doc, "unexpected data after the document", len(spdx3)+4)

	for _, c := range cases {
		for _, o := range []Options{{}, {NoValidate: true}} {
			_, err := o.Parse(bytes.NewReader(c.doc), "dev.json")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s (NoValidate %v): error %v\nwant %q", c.name, o.NoValidate, err, c.want)
			}
		}
	}
}

// bigIndentedCDX is an indented CycloneDX document with n components,
// between two sections bomrank skips.
func bigIndentedCDX(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n")
	b.WriteString("  \"annotations\": [\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    {\n      \"text\": \"note %d\",\n      \"subjects\": [\n        \"c%d\"\n      ]\n    }", i, i)
	}
	b.WriteString("\n  ],\n  \"components\": [\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    {\n      \"type\": \"library\",\n      \"name\": \"lib-%d\",\n      \"version\": \"1.%d\",\n      \"purl\": \"pkg:npm/lib-%d@1.%d\"\n    }", i, i, i, i)
	}
	b.WriteString("\n  ],\n  \"services\": [\n    {\n      \"name\": \"svc\"\n    }\n  ]\n}\n")
	return b.Bytes()
}
