package sbom

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// The fast CycloneDX JSON reader. A CycloneDX JSON document held whole in
// memory (one that fits in the detection buffer, or one read whole for
// the schema check) is first read here: a plain scanner over the bytes
// that decodes the component fields bomrank keeps straight into
// cyclonedx-go's types, without encoding/json's reflection and without
// the token stream of the streaming reader (cdxJSONReader over a
// jsonStream). It is a shortcut, never a second opinion: at the first
// thing it does not handle exactly as encoding/json would (a syntax
// error, an escaped key, a key that differs from a field's only in case,
// a repeated key, a value of the wrong type, nesting deeper than
// fastMaxDepth) it gives up, and the document is read again by the
// streaming reader, which has the last word and names the errors. A
// component it cannot take is decoded by encoding/json alone, as the
// streaming reader does. FuzzCycloneDXJSONFast holds the two readers to
// the same devices and errors.
//
// Why, with the figures: on the 200-SBOM benchmark workload
// (../shared/bench/gen.py, 500 components each, 14 MB) reading the SBOMs
// took 0.40-0.60 s of CPU with the streaming reader alone (its profile:
// the token stream and json.Decoder's value scan 35%, encoding/json's
// reflection into cdx.Component 39%, allocation and GC most of the rest);
// with this reader (and the slabs of newComponent) 0.11-0.14 s
// (interleaved runs on 2 shared cores, December 2026). BenchmarkLoadFleet,
// as a ratio to the decode floor measured in the same run: 0.195-0.236x
// before, 0.020-0.031x after; BenchmarkParseCycloneDX: 549 allocations a
// document against 6,124. Issue 15 wants the whole scan through the
// database in 0.15x the decode floor (about 0.3 s), so the 0.40 s could
// not stay. Since then (cdxscratch.go: strings taken as views and only
// the kept ones copied, once, into exact allocations; plainRun's eight
// bytes at a time) the scan's CPU profile has 0.12 s in sbom.Load
// against 0.18 s (4 runs each, same minutes), and the SBOMs keep 25.5 MB
// against 40 MB.

// fastMaxDepth bounds the nesting the fast reader follows; deeper
// documents are left to the streaming reader (which allows maxDepth).
const fastMaxDepth = 256

// fastJSON reads JSON from b, strictly (RFC 8259, as encoding/json reads
// it).
type fastJSON struct {
	b     []byte
	i     int
	depth int
	// floats makes number insist on a float64's range, as the token
	// stream (json.Decoder.Token, which skipValue reads) does.
	floats bool
	// view makes str take the strings it reads as views of b, not
	// copies: the components' strings, which cdxComponent copies (those
	// the device keeps, see cdxscratch.go).
	view bool
	// decoded remembers the answers of decodes.
	decoded map[reflect.Type]map[string]bool
}

// peek skips white space and returns the next byte, 0 at the end.
func (r *fastJSON) peek() byte {
	for r.i < len(r.b) {
		switch c := r.b[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

// consume reads byte c if it comes next.
func (r *fastJSON) consume(c byte) bool {
	if r.peek() == c {
		r.i++
		return true
	}
	return false
}

// lit reads the literal l (true, false, null).
func (r *fastJSON) lit(l string) bool {
	if bytes.HasPrefix(r.b[r.i:], []byte(l)) {
		r.i += len(l)
		return true
	}
	return false
}

// strSpan reads a string and returns its bytes with the quotes, whether
// it has escapes, and whether it is all ASCII.
func (r *fastJSON) strSpan() (span []byte, escaped, ascii, ok bool) {
	if r.peek() != '"' {
		return nil, false, false, false
	}
	b, start := r.b, r.i
	ascii = true
	for i := r.i + 1; ; {
		i = plainRun(b, i, ascii)
		if i >= len(b) {
			return nil, false, false, false
		}
		switch c := b[i]; {
		case c == '"':
			r.i = i + 1
			return b[start:r.i], escaped, ascii, true
		case c == '\\':
			escaped = true
			n := escapeLen(b[i:])
			if n == 0 {
				return nil, false, false, false
			}
			i += n
		case c < 0x20:
			return nil, false, false, false
		default:
			ascii = ascii && c < 0x80
			i++
		}
	}
}

// Bytes repeated over a word, for plainRun.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainRun returns the index of the first byte from i on that ends a run
// of string text: a quote, a backslash, a control character or, while
// ascii, a byte of a multi-byte character; len(b) if none does. It reads
// eight bytes at a time: a byte at a time was the reader's largest cost
// (a fifth of BenchmarkParseCycloneDX/no-validate), and the strings of
// an SBOM (purls, hashes, descriptions) are long.
func plainRun(b []byte, i int, ascii bool) int {
	var high uint64
	if ascii {
		high = highs
	}
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		// A zero byte of x sets its high bit in (x-ones)&^x, and the
		// lowest such bit is always a true one (a borrow only runs
		// upwards); likewise (w-0x20*ones)&^w for a byte below 0x20.
		q, bs := w^('"'*ones), w^('\\'*ones)
		m := ((q-ones)&^q | (bs-ones)&^bs | (w-0x20*ones)&^w) & highs
		if m |= w & high; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 || ascii && c >= 0x80 {
			return i
		}
	}
	return i
}

// escapeLen is the length of the valid escape sequence e starts with, 0
// if it is not one.
func escapeLen(e []byte) int {
	if len(e) < 2 {
		return 0
	}
	switch e[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if len(e) < 6 {
			return 0
		}
		for _, h := range e[2:6] {
			if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
				return 0
			}
		}
		return 6
	}
	return 0
}

// str reads a string value into *dst, or a null, which leaves *dst as it
// is (as encoding/json does).
func (r *fastJSON) str(dst *string) bool {
	if r.peek() == 'n' {
		return r.lit("null")
	}
	span, escaped, ascii, ok := r.strSpan()
	switch {
	case !ok:
		return false
	case !escaped && (ascii || utf8.Valid(span)):
		text := span[1 : len(span)-1]
		if r.view {
			*dst = unsafe.String(unsafe.SliceData(text), len(text))
		} else {
			*dst = string(text)
		}
		return true
	}
	// Escapes or invalid UTF-8: encoding/json's unquoting (and its
	// U+FFFD for invalid UTF-8). Into a local, so that dst does not
	// escape.
	var v string
	if json.Unmarshal(span, &v) != nil {
		return false
	}
	*dst = v
	return true
}

// number reads a number.
func (r *fastJSON) number() bool {
	b, i := r.b, r.i
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	if r.floats {
		if _, err := strconv.ParseFloat(string(b[r.i:i]), 64); err != nil {
			return false
		}
	}
	r.i = i
	return true
}

// skip reads one value of any kind.
func (r *fastJSON) skip() bool {
	switch c := r.peek(); {
	case c == '{':
		return r.object(func([]byte) bool { return r.skip() })
	case c == '[':
		return r.array(r.skip)
	case c == '"':
		_, _, _, ok := r.strSpan()
		return ok
	case c == 't':
		return r.lit("true")
	case c == 'f':
		return r.lit("false")
	case c == 'n':
		return r.lit("null")
	case c == '-' || '0' <= c && c <= '9':
		return r.number()
	}
	return false
}

// value reads one value and returns its bytes.
func (r *fastJSON) value() ([]byte, bool) {
	r.peek()
	start := r.i
	if !r.skip() {
		return nil, false
	}
	return r.b[start:r.i], true
}

// object reads an object, calling member with each key (its text,
// which has no escapes: a key with one stops the reader) to read the
// value.
func (r *fastJSON) object(member func(key []byte) bool) bool {
	if !r.consume('{') {
		return false
	}
	if r.depth++; r.depth > fastMaxDepth {
		return false
	}
	if r.consume('}') {
		r.depth--
		return true
	}
	for {
		span, escaped, _, ok := r.strSpan()
		if !ok || escaped || !r.consume(':') || !member(span[1:len(span)-1]) {
			return false
		}
		if r.consume(',') {
			continue
		}
		r.depth--
		return r.consume('}')
	}
}

// array reads an array, calling elem to read each element.
func (r *fastJSON) array(elem func() bool) bool {
	if !r.consume('[') {
		return false
	}
	if r.depth++; r.depth > fastMaxDepth {
		return false
	}
	if r.consume(']') {
		r.depth--
		return true
	}
	for {
		if !elem() {
			return false
		}
		if r.consume(',') {
			continue
		}
		r.depth--
		return r.consume(']')
	}
}

// once records key number k of an object as read, and reports whether
// it is the first time: a repeated key is left to encoding/json.
func once(seen *uint64, k uint) bool {
	if *seen&(1<<k) != 0 {
		return false
	}
	*seen |= 1 << k
	return true
}

// fastFields describes the JSON fields of one of cyclonedx-go's structs:
// each one's type by name, for the fields the fast reader does not keep
// (it checks only that encoding/json would decode them).
type fastFields struct {
	types map[string]reflect.Type
}

// fieldsOf lists the fields of struct type t.
func fieldsOf(t reflect.Type) fastFields {
	f := fastFields{types: map[string]reflect.Type{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.IsExported() && name != "-" && name != "" {
			f.types[name] = sf.Type
		}
	}
	return f
}

var (
	componentFields = fieldsOf(reflect.TypeFor[cdx.Component]())
	orgFields       = fieldsOf(reflect.TypeFor[cdx.OrganizationalEntity]())
	hashFields      = fieldsOf(reflect.TypeFor[cdx.Hash]())
	propertyFields  = fieldsOf(reflect.TypeFor[cdx.Property]())

	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// other reads the value of a key the fast reader does not keep. A field
// of fs is checked to decode as encoding/json would decode it; a key
// that matches a field only when case is ignored (encoding/json would
// take it for the field) stops the reader; any other key is skipped, as
// encoding/json skips it.
func (r *fastJSON) other(fs fastFields, key []byte) bool {
	t, ok := fs.types[string(key)]
	if !ok {
		for name := range fs.types {
			if bytes.EqualFold(key, []byte(name)) {
				return false
			}
		}
		for _, c := range key {
			if c >= 0x80 {
				return false // Unicode case folding: leave it to encoding/json
			}
		}
		return r.skip()
	}
	raw, ok := r.value()
	if !ok {
		return false
	}
	pt := reflect.PointerTo(t)
	if t.Kind() == reflect.String && !pt.Implements(jsonUnmarshaler) && !pt.Implements(textUnmarshaler) {
		return raw[0] == '"' || raw[0] == 'n'
	}
	return r.decodes(t, raw)
}

// maxRemembered bounds the values whose answer decodes remembers.
const maxRemembered = 4 << 10

// decodes reports whether encoding/json decodes raw into a t. The answer
// (a function of t and raw alone: cyclonedx-go's decoders keep no state)
// is remembered for the document: the components of an SBOM mostly
// repeat each other's licences (56 distinct values among 776 in the
// shared real CycloneDX SBOMs), and decoding them was half the fast
// reader's time there.
func (r *fastJSON) decodes(t reflect.Type, raw []byte) bool {
	if len(raw) > maxRemembered {
		return json.Unmarshal(raw, reflect.New(t).Interface()) == nil
	}
	byRaw := r.decoded[t]
	if ok, seen := byRaw[string(raw)]; seen {
		return ok
	}
	ok := json.Unmarshal(raw, reflect.New(t).Interface()) == nil
	if byRaw == nil {
		if r.decoded == nil {
			r.decoded = map[reflect.Type]map[string]bool{}
		}
		byRaw = map[string]bool{}
		r.decoded[t] = byRaw
	}
	byRaw[string(raw)] = ok
	return ok
}

// component reads a component object into c as json.Unmarshal would, for
// the fields convertCDX and cdxComponent read.
func (r *fastJSON) component(c *cdx.Component) bool {
	var seen uint64
	return r.object(func(key []byte) bool {
		switch string(key) {
		case "bom-ref":
			return once(&seen, 0) && r.str(&c.BOMRef)
		case "type":
			return once(&seen, 1) && r.str((*string)(&c.Type))
		case "name":
			return once(&seen, 2) && r.str(&c.Name)
		case "group":
			return once(&seen, 3) && r.str(&c.Group)
		case "version":
			return once(&seen, 4) && r.str(&c.Version)
		case "purl":
			return once(&seen, 5) && r.str(&c.PackageURL)
		case "cpe":
			return once(&seen, 6) && r.str(&c.CPE)
		case "publisher":
			return once(&seen, 7) && r.str(&c.Publisher)
		case "author":
			return once(&seen, 8) && r.str(&c.Author)
		case "supplier":
			return once(&seen, 9) && r.org(&c.Supplier)
		case "manufacturer":
			return once(&seen, 10) && r.org(&c.Manufacturer)
		case "hashes":
			return once(&seen, 11) && r.hashes(&c.Hashes)
		case "properties":
			return once(&seen, 12) && r.properties(&c.Properties)
		case "components":
			return once(&seen, 13) && r.components(&c.Components)
		}
		return r.other(componentFields, key)
	})
}

// org reads an organizational entity, or null.
func (r *fastJSON) org(dst **cdx.OrganizationalEntity) bool {
	if r.peek() == 'n' {
		*dst = nil
		return r.lit("null")
	}
	o := new(cdx.OrganizationalEntity)
	var seen uint64
	*dst = o
	return r.object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return once(&seen, 0) && r.str(&o.Name)
		case "bom-ref":
			return once(&seen, 1) && r.str(&o.BOMRef)
		}
		return r.other(orgFields, key)
	})
}

// list reads an array of objects, or null (leaving *dst nil), each by
// elem into a new element; a null element is the zero element, as
// encoding/json makes it.
func list[T any](r *fastJSON, dst **[]T, elem func(*T) bool) bool {
	if r.peek() == 'n' {
		*dst = nil
		return r.lit("null")
	}
	s := []T{}
	ok := r.array(func() bool {
		var zero T
		s = append(s, zero)
		if r.peek() == 'n' {
			return r.lit("null")
		}
		return elem(&s[len(s)-1])
	})
	*dst = &s
	return ok
}

func (r *fastJSON) hashes(dst **[]cdx.Hash) bool {
	return list(r, dst, func(h *cdx.Hash) bool {
		var seen uint64
		return r.object(func(key []byte) bool {
			switch string(key) {
			case "alg":
				return once(&seen, 0) && r.str((*string)(&h.Algorithm))
			case "content":
				return once(&seen, 1) && r.str(&h.Value)
			}
			return r.other(hashFields, key)
		})
	})
}

func (r *fastJSON) properties(dst **[]cdx.Property) bool {
	return list(r, dst, func(p *cdx.Property) bool {
		var seen uint64
		return r.object(func(key []byte) bool {
			switch string(key) {
			case "name":
				return once(&seen, 0) && r.str(&p.Name)
			case "value":
				return once(&seen, 1) && r.str(&p.Value)
			}
			return r.other(propertyFields, key)
		})
	})
}

func (r *fastJSON) components(dst **[]cdx.Component) bool {
	return list(r, dst, r.component)
}

// fast reads the whole document doc as object does from the stream, and
// reports whether it could. When it could not, the device is as it was
// before and the document must be read by the streaming reader.
func (rd *cdxJSONReader) fast(doc []byte) bool {
	saved, savedFormat := *rd.p.dev, rd.bomFormat
	p := rd.p
	p.scratch = getScratch(doc)
	defer func() { p.scratch.release(); p.scratch = nil }()
	r := &fastJSON{b: doc}
	ok := r.object(func(key []byte) bool { return rd.fastMember(r, key) })
	if ok && r.peek() == 0 && r.i == len(doc) {
		p.settle()
		return true
	}
	*rd.p.dev, rd.bomFormat = saved, savedFormat
	return false
}

// fastMember reads the value of the top-level member key, as member
// does.
func (rd *cdxJSONReader) fastMember(r *fastJSON, key []byte) bool {
	d := rd.p.dev
	switch string(key) {
	case "bomFormat":
		return r.str(&rd.bomFormat)
	case "specVersion":
		return r.str(&d.SpecVersion) && cdxVersions[d.SpecVersion]
	case "serialNumber":
		var s string
		if !r.str(&s) {
			return false
		}
		if s != "" {
			d.Identifiers = append(d.Identifiers, Identifier{Type: "cyclonedx-serial-number", Value: s})
		}
		return true
	case "version":
		raw, ok := r.value()
		if n, err := strconv.Atoi(string(raw)); ok && err == nil && n > 0 {
			d.BOMVersion = n
		}
		return ok
	case "metadata":
		raw, ok := r.value()
		if ok {
			rd.metadataFrom(raw)
		}
		return ok
	case "components":
		return rd.fastComponents(r)
	case "dependencies":
		raw, ok := r.value()
		var deps []cdx.Dependency
		if !ok || json.Unmarshal(raw, &deps) != nil {
			return false
		}
		rd.p.cdxDependencies(deps)
		return true
	}
	// skipValue reads the value as tokens, numbers as float64s.
	r.floats = true
	defer func() { r.floats = false }()
	return r.skip()
}

// fastComponents reads the components array. A component the fast reader
// cannot take is decoded by encoding/json, as components does.
func (rd *cdxJSONReader) fastComponents(r *fastJSON) bool {
	i := 0
	return r.array(func() bool {
		if rd.p.scratch.full() {
			// Between two top-level components no string of the
			// scratch is held but by its components.
			rd.p.settle()
		}
		r.peek()
		start, depth := r.i, r.depth
		var c cdx.Component
		r.view = true
		ok := r.peek() == '{' && r.component(&c)
		r.view = false
		if ok {
			rd.p.cdxComponent(&c, "")
		} else {
			r.i, r.depth = start, depth
			raw, ok := r.value()
			if !ok {
				return false
			}
			rd.componentFrom(raw, i)
		}
		i++
		return true
	})
}
