package sbom

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fastCases are CycloneDX JSON documents where the fast reader must agree
// with the streaming one: the awkward corners of encoding/json (repeated
// keys, keys that differ in case, escapes, nulls, wrong types in fields
// bomrank does not read, invalid UTF-8) and broken documents.
var fastCases = map[string]string{
	"mini":          miniCDX,
	"dup-key":       `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","name":"b","version":"1"}]}`,
	"case-key":      `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"Name":"a","VERSION":"1","Purl":"pkg:npm/x@1"}]}`,
	"escaped-key":   `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"n\u0061me":"a"}]}`,
	"escaped-top":   `{"bomFormat":"CycloneDX","spec\u0056ersion":"1.5","components":[{"name":"a"}]}`,
	"escapes":       `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a\"b\\c\u00e9\ud83d\ude00\n","version":"\u0031"}]}`,
	"bad-utf8":      "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"name\":\"a\xff\xfeb\",\"group\":\"é\"}]}",
	"nulls":         `{"bomFormat":"CycloneDX","specVersion":"1.5","serialNumber":null,"components":[null,{"name":null,"supplier":null,"hashes":null,"properties":null,"components":null},{"hashes":[null],"properties":[null],"components":[null]}]}`,
	"empty-lists":   `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","hashes":[],"properties":[],"components":[]}]}`,
	"number-name":   `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":12,"version":"1","purl":"pkg:npm/x@1"},{"name":"ok"}]}`,
	"bad-licenses":  `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","licenses":"MIT","hashes":[{"alg":"SHA-256","content":"AB"}]}]}`,
	"good-others":   `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","description":"d","scope":"required","modified":false,"licenses":[{"license":{"id":"MIT"}}],"externalReferences":[{"type":"website","url":"https://x"}],"unknownKey":{"deep":[1,2,{"x":null}]}}]}`,
	"bad-modified":  `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","modified":"yes"}]}`,
	"bad-org":       `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","supplier":"Acme"},{"name":"b","supplier":{"name":"Acme","url":"https://x"}},{"name":"c","supplier":{"name":" Acme ","url":["https://x"],"Name":"y"}}]}`,
	"org":           `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","supplier":{},"manufacturer":{"name":" M "}},{"name":"b","publisher":"P","author":"A"}]}`,
	"hash-prop":     `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","hashes":[{"alg":"sha256","content":" AB "},{"alg":"blake2b-256","content":"c","x":1}],"properties":[{"name":"syft:cpe23","value":" cpe:2.3:a:x:y:1:*:*:*:*:*:*:* "},{"name":"cdx:lifecycle:milestone:endOfSupport","value":"2030-01-01"},{"name":1}]}]}`,
	"nested":        `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"fw","type":"FIRMWARE","components":[{"bom-ref":" r ","name":"in","components":[{"name":"deep","cpe":"  "}]}]}]}`,
	"nested-bad":    `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"fw","components":[{"name":"in","version":3}]}]}`,
	"non-object":    `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[1,"x",[],true,{"name":"a"}]}`,
	"metadata":      `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"pump","properties":[{"name":"model","value":"M1"}],"components":[{"name":"sub"}]},"manufacturer":{"name":"Acme"}},"components":[{"name":"a"}]}`,
	"bad-metadata":  `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"name":5},"supplier":{"name":"S"}},"components":[{"name":"a"}]}`,
	"deps":          `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"bom-ref":"a","name":"a"}],"dependencies":[{"ref":"a","dependsOn":["b"]},{"ref":""}]}`,
	"bad-deps":      `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a"}],"dependencies":{"ref":"a"}}`,
	"version":       `{"bomFormat":"CycloneDX","specVersion":"1.5","version":7,"serialNumber":"urn:uuid:1","components":[]}`,
	"version-str":   `{"bomFormat":"CycloneDX","specVersion":"1.5","version":"7"}`,
	"twice":         `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a"}],"components":[{"name":"b"}],"specVersion":"1.6"}`,
	"bad-spec":      `{"bomFormat":"CycloneDX","specVersion":"9.9","components":[]}`,
	"null-spec":     `{"bomFormat":"CycloneDX","specVersion":null,"components":[]}`,
	"no-spec":       `{"bomFormat":"CycloneDX","components":[]}`,
	"old-spec":      `{"bomFormat":"CycloneDX","specVersion":"1.1","components":[]}`,
	"not-cdx":       `{"bomFormat":"CycloneDx","specVersion":"1.5","components":[]}`,
	"null-comps":    `{"bomFormat":"CycloneDX","specVersion":"1.5","components":null}`,
	"trailing":      `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]} x`,
	"trailing-obj":  `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}{}`,
	"truncated":     `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a"`,
	"bad-comma":     `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a",}]}`,
	"bad-number":    `{"bomFormat":"CycloneDX","specVersion":"1.5","x":01,"components":[]}`,
	"bad-escape":    `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a\x"}]}`,
	"control-char":  "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"name\":\"a\tb\"}]}",
	"spaces":        "{ \"bomFormat\" : \"CycloneDX\" ,\n\t\"specVersion\" : \"1.5\" , \"components\" : [ { \"name\" : \"a\" , \"hashes\" : [ { \"alg\" : \"MD5\" , \"content\" : \"x\" } ] } ] }\n\n",
	"numbers":       `{"bomFormat":"CycloneDX","specVersion":"1.5","x":[-0,1.5e+3,2E-2,-12.25],"components":[]}`,
	"bad-type-case": `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","Modified":"x"}]}`,
	"unicode-key":   `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","ſupplier":"x","Kpe":1}]}`,
	"remembered":    `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","licenses":[]},{"name":"b","swid":[]},{"name":"c","licenses":[]},{"name":"d","licenses":{"x":1}},{"name":"e","licenses":{"x":1}},{"name":"f","swid":[]},{"name":"g","pedigree":{}},{"name":"h","evidence":{}}]}`,
	"deep":          `{"bomFormat":"CycloneDX","specVersion":"1.5","x":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `,"components":[{"name":"a"}]}`,
}

// parseBoth parses data with the fast reader allowed and with the
// streaming reader alone, under opts, and fails t when the devices or the
// errors differ.
func parseBoth(t *testing.T, name string, data []byte, opts Options) {
	t.Helper()
	fast, ferr := opts.Parse(bytes.NewReader(data), name)
	opts.slowCDX = true
	slow, serr := opts.Parse(bytes.NewReader(data), name)
	if (ferr == nil) != (serr == nil) || ferr != nil && ferr.Error() != serr.Error() {
		t.Fatalf("%s: fast reader error %v, streaming reader error %v", name, ferr, serr)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%s: the readers differ\nfast: %+v\nslow: %+v", name, fast, slow)
	}
}

// cdxFiles lists the CycloneDX JSON documents of the fixtures and of the
// shared real SBOMs (when present).
func cdxFiles(t *testing.T) []string {
	var files []string
	for _, g := range []string{"../testdata/fleet/*.cdx.json*", "testdata/*.json", "../testdata/feeds/vex/*.cdx-vex.json"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if os.Getenv("BOMRANK_SHARED") != "" || dirExists("../../shared/sboms") {
		_ = filepath.WalkDir(filepath.Join(sharedRoot(t), "sboms"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return nil
		})
	}
	return files
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// TestFastReaderMatchesStreaming: on the awkward cases, every fixture and
// every shared real SBOM, with and without the schema check, the fast
// reader gives the streaming reader's device or error exactly.
func TestFastReaderMatchesStreaming(t *testing.T) {
	for name, doc := range fastCases {
		for _, o := range []Options{{}, {NoValidate: true}} {
			parseBoth(t, name, []byte(doc), o)
		}
	}
	n := 0
	for _, p := range cdxFiles(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if format, err := detect(gunzipped(t, data)); err != nil || format != CycloneDXJSON {
			continue
		}
		n++
		for _, o := range []Options{{}, {NoValidate: true}} {
			parseBoth(t, p, data, o)
		}
	}
	if n < 2 {
		t.Fatalf("only %d CycloneDX JSON files found", n)
	}
}

// gunzipped is data decompressed if it is gzip.
func gunzipped(t *testing.T, data []byte) []byte {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFastReaderTakesPlainDocuments: the fast reader reads the plain
// documents itself (rather than handing every one to the streaming
// reader, which would pass the test above and save nothing), and hands
// over the broken ones.
func TestFastReaderTakesPlainDocuments(t *testing.T) {
	for name, want := range map[string]bool{"mini": true, "nulls": true, "good-others": true, "bad-licenses": true, "number-name": true,
		"nested": true, "metadata": true, "deps": true, "spaces": true, "dup-key": true,
		"escaped-top": false, "bad-spec": false, "trailing": false, "truncated": false, "bad-deps": false, "null-comps": false} {
		rd := &cdxJSONReader{p: &parser{dev: &Device{}}, streamed: true}
		if got := rd.fast([]byte(fastCases[name])); got != want {
			t.Errorf("%s: fast reader took it: %v, want %v", name, got, want)
		}
		if !want && !reflect.DeepEqual(rd.p.dev, &Device{}) {
			t.Errorf("%s: the device was changed by a reading given up: %+v", name, rd.p.dev)
		}
	}
	data, err := os.ReadFile("../testdata/fleet/infusion-pump-vitaflow-3000.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	rd := &cdxJSONReader{p: &parser{dev: &Device{}}, streamed: true}
	if !rd.fast(data) || len(rd.p.dev.Components) == 0 {
		t.Error("the fast reader did not read the fleet's CycloneDX SBOM")
	}
}

// FuzzCycloneDXJSONFast: on any input the fast reader, where it takes
// the document, gives the streaming reader's device or error.
func FuzzCycloneDXJSONFast(f *testing.F) {
	for _, doc := range fastCases {
		f.Add([]byte(doc))
	}
	addSeeds(f, "../testdata/fleet/*.cdx.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastOwns(t, "fuzz", data)
		parseBoth(t, "fuzz", data, Options{MaxBytes: 4 << 20})
		parseBoth(t, "fuzz", data, Options{MaxBytes: 4 << 20, NoValidate: true})
	})
}

// TestFastReaderOwnsItsStrings: the fast reader takes strings as views
// of the document (a pooled buffer in Options.Parse) and must copy every
// one the device keeps. A device read from a document that is then
// overwritten is the device read from an untouched copy, on every
// awkward case, every fixture, and a document large enough to settle
// many times over.
func TestFastReaderOwnsItsStrings(t *testing.T) {
	docs := map[string][]byte{}
	for name, doc := range fastCases {
		docs[name] = []byte(doc)
	}
	for _, p := range cdxFiles(t) {
		if data, err := os.ReadFile(p); err == nil {
			docs[p] = gunzipped(t, data)
		}
	}
	if !testing.Short() {
		docs["settles"] = manyComponents(3*scratchComps + 7)
		docs["overflows"] = overflowing()
		parseBoth(t, "overflows", docs["overflows"], Options{})
	}
	for name, doc := range docs {
		checkFastOwns(t, name, doc)
	}
}

// overflowing is a document of one top-level component whose nested ones
// keep more text than the scratch holds (scratchText): the rest is
// copied string by string.
func overflowing() []byte {
	var b strings.Builder
	b.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"fw","components":[`)
	for i := range 2 * scratchText / 100 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"bom-ref":"ref-%d","name":"name-%d","version":"v%d","purl":"pkg:generic/other-name-%d@w%d","group":"group-%d"}`, i, i, i, i, i, i)
	}
	b.WriteString("]}]}")
	return []byte(b.String())
}

// manyComponents is a CycloneDX document of n components, some nested,
// with names and versions in and out of their purls.
func manyComponents(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"type":"library","bom-ref":"r%d","name":"n%d","version":"1.%d","purl":"pkg:npm/n%d@1.%d","supplier":{"name":"s%d"}`, i, i, i%7, i, i%5, i%3)
		if i%100 == 0 {
			fmt.Fprintf(&b, `,"components":[{"name":"child%d","type":"Firmware","hashes":[{"alg":"sha-256","content":"AB%d"}],"properties":[{"name":"cpe","value":"cpe:/a:x:y:%d"}]}]`, i, i, i)
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// checkFastOwns reads doc with the fast reader, overwrites doc, and
// compares the device with the one read from a copy.
func checkFastOwns(t *testing.T, name string, doc []byte) {
	t.Helper()
	read := func(b []byte) (*Device, bool) {
		rd := &cdxJSONReader{p: &parser{dev: &Device{}}}
		ok := rd.fast(b)
		return rd.p.dev, ok
	}
	scribbled := bytes.Clone(doc)
	got, ok := read(scribbled)
	for i := range scribbled {
		scribbled[i] = 'X'
	}
	want, wok := read(bytes.Clone(doc))
	if ok != wok || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the device changed with the document it was read from\ngot:  %+v\nwant: %+v", name, got, want)
	}
}

// TestPlainRun holds plainRun, which reads eight bytes at a time, to the
// byte-at-a-time rule: every position of every kind of stop byte, with
// and without ascii, over strings long and short.
func TestPlainRun(t *testing.T) {
	slow := func(b []byte, i int, ascii bool) int {
		for ; i < len(b); i++ {
			if c := b[i]; c == '"' || c == '\\' || c < 0x20 || ascii && c >= 0x80 {
				return i
			}
		}
		return i
	}
	fill := []byte("abcdefghijklmnopqrstuvwxyz~ !#$%&'()*+,-./0123:")
	for _, stop := range []byte{'"', '\\', 0, 0x1f, '\n', 0x80, 0x9f, 0xa0, 0xc3, 0xff, 0x7f, ' ', 0x21} {
		for n := range 40 {
			for at := 0; at <= n; at++ {
				b := append([]byte(nil), fill[:n]...)
				if at < n {
					b[at] = stop
				}
				for from := range min(n, 9) + 1 {
					for _, ascii := range []bool{true, false} {
						if got, want := plainRun(b, from, ascii), slow(b, from, ascii); got != want {
							t.Fatalf("plainRun(%q, %d, %v) = %d, want %d", b, from, ascii, got, want)
						}
					}
				}
			}
		}
	}
}

// FuzzPlainRun holds plainRun to the byte-at-a-time rule on any bytes.
func FuzzPlainRun(f *testing.F) {
	f.Add([]byte(`pkg:npm/x@1" \u00e9`), 0)
	f.Fuzz(func(t *testing.T, b []byte, from int) {
		if from < 0 || from > len(b) {
			return
		}
		for _, ascii := range []bool{true, false} {
			want := from
			for want < len(b) && !(b[want] == '"' || b[want] == '\\' || b[want] < 0x20 || ascii && b[want] >= 0x80) {
				want++
			}
			if got := plainRun(b, from, ascii); got != want {
				t.Fatalf("plainRun(%q, %d, %v) = %d, want %d", b, from, ascii, got, want)
			}
		}
	})
}
