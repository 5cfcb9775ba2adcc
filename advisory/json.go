package advisory

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader is a small validating JSON reader over a complete in-memory
// document. It accepts exactly what encoding/json.Valid accepts (FuzzOSV
// checks this) and decodes strings as encoding/json does (invalid UTF-8 and
// lone surrogates become U+FFFD), but it lets the caller pick the members it
// wants and skips the rest at memory speed without building anything. See
// osv.go for why it exists.
//
// Errors are sticky: after the first one, every method returns zero values
// and the position is at the end of the input, so loops end by themselves.
// typeErr records the first value of the wrong JSON type met in a member
// the caller asked for; the value is skipped and reading goes on, because
// whether that is an error depends on what the whole document turns out to
// be.
type jsonReader struct {
	data    []byte
	pos     int
	depth   int
	err     error
	typeErr error
	key     []byte // scratch for unescaped member names
	buf     []byte // scratch for unescaped string values
	in      *interner
	mem     arena
	sc      scratch
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

// jsonSyntaxError is a malformed or truncated document.
type jsonSyntaxError struct {
	off int
	msg string
	eof bool
}

// Error implements error.
func (e *jsonSyntaxError) Error() string {
	if e.eof {
		return fmt.Sprintf("JSON ends early (truncated?) near byte %d", e.off)
	}
	return fmt.Sprintf("invalid JSON near byte %d: %s", e.off, e.msg)
}

func (r *jsonReader) reset(data []byte) {
	r.data, r.pos, r.depth, r.err, r.typeErr = data, 0, 0, nil, nil
}

// fail records err (if it is the first) and stops reading.
func (r *jsonReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.pos = len(r.data)
}

func (r *jsonReader) syntax(off int, format string, args ...any) {
	r.fail(&jsonSyntaxError{off: off, msg: fmt.Sprintf(format, args...)})
}

func (r *jsonReader) eof() {
	r.fail(&jsonSyntaxError{off: len(r.data), eof: true})
}

// wrongType records that the value at the current position, the member
// named field, is not of the JSON type want, and skips it.
func (r *jsonReader) wrongType(field, want string) {
	if r.typeErr == nil && r.err == nil {
		r.typeErr = fmt.Errorf("%q is not %s (found %s near byte %d)", field, want, kindName(r.peek()), r.pos)
	}
	r.skip()
}

func kindName(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// ws skips white space.
func (r *jsonReader) ws() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, or 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.pos < len(r.data) {
		return r.data[r.pos]
	}
	return 0
}

// end checks that only white space follows the top-level value.
func (r *jsonReader) end() {
	if r.err != nil {
		return
	}
	r.ws()
	if r.pos < len(r.data) {
		r.syntax(r.pos, "data after the top-level value")
	}
}

func (r *jsonReader) push() bool {
	r.depth++
	if r.depth > maxJSONDepth {
		r.syntax(r.pos, "nested more than %d deep", maxJSONDepth)
		return false
	}
	return true
}

// object reads the object at the current position (which must start with
// '{'), calling f with each member name; f must consume the value. The name
// is only valid until f reads further.
func (r *jsonReader) object(f func(key []byte)) {
	r.pos++ // '{'
	if !r.push() {
		return
	}
	if c := r.peek(); c == '}' {
		r.pos++
		r.depth--
		return
	}
	for {
		switch c := r.peek(); {
		case c == '"':
		case r.pos >= len(r.data):
			r.eof()
			return
		default:
			r.syntax(r.pos, "expected a member name, found %q", c)
			return
		}
		key := r.readKey()
		if r.err != nil {
			return
		}
		switch c := r.peek(); {
		case c == ':':
			r.pos++
		case r.pos >= len(r.data):
			r.eof()
			return
		default:
			r.syntax(r.pos, "expected ':' after a member name, found %q", c)
			return
		}
		if r.peek() == 0 && r.pos >= len(r.data) {
			r.eof()
			return
		}
		f(key)
		if r.err != nil {
			return
		}
		switch c := r.peek(); {
		case c == ',':
			r.pos++
		case c == '}':
			r.pos++
			r.depth--
			return
		case r.pos >= len(r.data):
			r.eof()
			return
		default:
			r.syntax(r.pos, "expected ',' or '}' in an object, found %q", c)
			return
		}
	}
}

// array reads the array at the current position (which must start with
// '['), calling f for each element; f must consume the element.
func (r *jsonReader) array(f func(i int)) {
	r.pos++ // '['
	if !r.push() {
		return
	}
	if c := r.peek(); c == ']' {
		r.pos++
		r.depth--
		return
	}
	for i := 0; ; i++ {
		if r.peek() == 0 && r.pos >= len(r.data) {
			r.eof()
			return
		}
		f(i)
		if r.err != nil {
			return
		}
		switch c := r.peek(); {
		case c == ',':
			r.pos++
		case c == ']':
			r.pos++
			r.depth--
			return
		case r.pos >= len(r.data):
			r.eof()
			return
		default:
			r.syntax(r.pos, "expected ',' or ']' in an array, found %q", c)
			return
		}
	}
}

// skip reads and validates one value of any type.
func (r *jsonReader) skip() {
	switch c := r.peek(); c {
	case '{':
		r.object(func([]byte) { r.skip() })
	case '[':
		r.array(func(int) { r.skip() })
	case '"':
		r.scanString()
	case 't':
		r.literal("true")
	case 'f':
		r.literal("false")
	case 'n':
		r.literal("null")
	case 0:
		if r.pos >= len(r.data) {
			r.eof()
			return
		}
		r.syntax(r.pos, "unexpected byte %q", c)
	default:
		if c == '-' || c >= '0' && c <= '9' {
			r.number()
			return
		}
		r.syntax(r.pos, "unexpected byte %q", c)
	}
}

func (r *jsonReader) literal(lit string) {
	rest := r.data[r.pos:]
	n := min(len(rest), len(lit))
	if string(rest[:n]) != lit[:n] {
		r.syntax(r.pos, "invalid literal (expected %s)", lit)
		return
	}
	if n < len(lit) {
		r.eof()
		return
	}
	r.pos += n
}

// null consumes a null literal if one is next.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' {
		r.literal("null")
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number reads a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() {
	b, i := r.data, r.pos
	if b[i] == '-' {
		i++
	}
	digits := func() bool {
		if i >= len(b) {
			r.eof()
			return false
		}
		if !isDigit(b[i]) {
			r.syntax(i, "invalid number")
			return false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		return true
	}
	switch {
	case i >= len(b):
		r.eof()
		return
	case b[i] == '0':
		i++
	case !digits():
		return
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return
		}
	}
	r.pos = i
}

// SWAR constants for checking eight bytes at a time.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// scanString reads the string at the current position (which must be '"')
// and returns its raw content, between the quotes, and whether the content
// has escapes (esc) or bytes outside ASCII (wide).
//
// The closing quote and the backslashes are found with bytes.IndexByte
// (vectorised), remembering each position found so that a long string with
// many escapes is not rescanned; the runs between them are checked for
// control characters eight bytes at a time.
func (r *jsonReader) scanString() (raw []byte, esc, wide bool) {
	b := r.data
	start := r.pos + 1
	i := start
	quote, slash := -1, -1 // the next '"' and '\\' at or after i, once known
	for {
		if quote < i {
			q := bytes.IndexByte(b[i:], '"')
			if q < 0 {
				quote = len(b)
			} else {
				quote = i + q
			}
		}
		if slash < i {
			s := bytes.IndexByte(b[i:quote], '\\')
			if s < 0 {
				slash = quote // none before the quote
			} else {
				slash = i + s
			}
		}
		end := min(quote, slash)
		// Control characters and non-ASCII bytes in b[i:end].
		var ctl, hi uint64
		k := i
		for ; k+8 <= end; k += 8 {
			x := binary.LittleEndian.Uint64(b[k:])
			ctl |= (x - lsb*0x20) & ^x
			hi |= x
		}
		for ; k < end; k++ {
			c := uint64(b[k])
			ctl |= (c - 0x20) & ^c & 0x80
			hi |= c
		}
		if ctl&msb != 0 {
			for k = i; b[k] >= 0x20; k++ {
			}
			r.syntax(k, "control character %#x in a string", b[k])
			return nil, false, false
		}
		if hi&msb != 0 {
			wide = true
		}
		if end == len(b) {
			r.eof()
			return nil, false, false
		}
		if end == quote {
			r.pos = end + 1
			return b[start:end], esc, wide
		}
		// An escape.
		esc = true
		i = end
		if i+1 >= len(b) {
			r.eof()
			return nil, false, false
		}
		switch b[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			for k := i + 2; k < i+6; k++ {
				if k >= len(b) {
					r.eof()
					return nil, false, false
				}
				if !isHex(b[k]) {
					r.syntax(k, "invalid \\u escape in a string")
					return nil, false, false
				}
			}
			i += 6
		default:
			r.syntax(i, "invalid escape \\%c in a string", b[i+1])
			return nil, false, false
		}
	}
}

// readKey reads a member name; escaped names are decoded into r.key.
func (r *jsonReader) readKey() []byte {
	raw, esc, wide := r.scanString()
	if !esc && (!wide || utf8.Valid(raw)) {
		return raw
	}
	r.key = unescape(r.key[:0], raw)
	return r.key
}

// text returns the decoded content of a string whose raw form was
// returned by scanString, as a byte slice valid until the next call.
func (r *jsonReader) text(raw []byte, esc, wide bool) []byte {
	if !esc && (!wide || utf8.Valid(raw)) {
		return raw
	}
	r.buf = unescape(r.buf[:0], raw)
	return r.buf
}

// strOK reads a string value. It reports false, without consuming
// anything, when the next value is not a string.
func (r *jsonReader) strOK() (string, bool) {
	if r.peek() != '"' {
		return "", false
	}
	raw, esc, wide := r.scanString()
	return r.mem.str(r.text(raw, esc, wide)), true
}

// str reads the string value of the member field; null gives "", any
// other type is a type error.
func (r *jsonReader) str(field string) string {
	switch r.peek() {
	case '"':
		raw, esc, wide := r.scanString()
		return r.mem.str(r.text(raw, esc, wide))
	case 'n':
		r.literal("null")
		return ""
	}
	r.wrongType(field, "a string")
	return ""
}

// istr is str for values drawn from a small set (ecosystems, types),
// which are interned.
func (r *jsonReader) istr(field string) string {
	switch r.peek() {
	case '"':
		raw, esc, wide := r.scanString()
		return r.in.intern(r.text(raw, esc, wide))
	case 'n':
		r.literal("null")
		return ""
	}
	r.wrongType(field, "a string")
	return ""
}

// strs reads an array of strings; null gives nil, and null or empty
// elements are dropped.
func (r *jsonReader) strs(field string) []string {
	if !r.isArray(field) {
		return nil
	}
	start := len(r.sc.strs)
	r.array(func(int) {
		if s := r.str(field); s != "" {
			r.sc.strs = append(r.sc.strs, s)
		}
	})
	out := carve(&r.mem.strs, r.sc.strs[start:])
	r.sc.strs = r.sc.strs[:start]
	return out
}

// isObject reports whether an object is next; null is consumed, and any
// other value is a type error.
func (r *jsonReader) isObject(field string) bool {
	switch r.peek() {
	case '{':
		return true
	case 'n':
		r.literal("null")
		return false
	}
	r.wrongType(field, "an object")
	return false
}

// isArray is isObject for arrays.
func (r *jsonReader) isArray(field string) bool {
	switch r.peek() {
	case '[':
		return true
	case 'n':
		r.literal("null")
		return false
	}
	r.wrongType(field, "an array")
	return false
}

// unescape appends to dst the decoded content of a JSON string whose raw
// form (already validated by scanString) is raw, as encoding/json decodes
// it: invalid UTF-8 and unpaired surrogates become U+FFFD.
func unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch e := raw[i+1]; e {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				rr := hex4(raw[i+2:])
				i += 6
				if utf16.IsSurrogate(rr) {
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(raw[i+2:])); dec != unicode.ReplacementChar {
							dst = utf8.AppendRune(dst, dec)
							i += 6
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, rr)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			rr, size := utf8.DecodeRune(raw[i:])
			dst = utf8.AppendRune(dst, rr) // RuneError for invalid bytes
			i += size
		}
	}
	return dst
}

// hex4 decodes four hex digits (validated by scanString).
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// interner shares the strings of small vocabularies (ecosystems, range
// and reference types, schema versions) between records. Each load worker
// has its own; the size cap keeps hostile input from growing it without
// bound.
type interner struct {
	m map[string]string
}

const maxInterned = 4096

func (in *interner) intern(b []byte) string {
	if in == nil {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if in.m == nil {
		in.m = make(map[string]string)
	}
	if len(in.m) < maxInterned {
		in.m[s] = s
	}
	return s
}
