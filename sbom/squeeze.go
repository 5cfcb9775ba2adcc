package sbom

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
)

// squeezeReader drops runs of JSON whitespace outside strings, keeping one
// byte of each run. encoding/json's Decoder rescans pending whitespace from
// its start on every refill, so a document padded with megabytes of blanks
// costs quadratic time (32 MB took 12 s); squeezed, it is linear. Strings
// (with their escapes) pass through untouched.
//
// So that errors can name the place in the document as written, it notes
// where the squeezed stream shifts against the input: one note for each run
// of whitespace that lost bytes or held a line break (about one a line in an
// indented document, none in a compact one).
type squeezeReader struct {
	r        io.Reader
	buf      []byte
	inString bool
	escaped  bool
	space    bool // the last byte passed on was whitespace outside a string
	noted    bool // the current run of whitespace must be noted when it ends

	in, out   int64 // bytes read from r, bytes passed on
	lines     int64 // line breaks read (outside strings)
	lineStart int64 // input offset of the current line
	shifts    []squeezeShift
}

// squeezeShift says that from squeezed offset out on (until the next
// shift) the stream is the input from offset in, on line lines+1 of the
// input, which starts at input offset lineStart.
type squeezeShift struct{ out, in, lines, lineStart int64 }

// squeezeReaders recycles the readers with their buffer and notes: in a
// profile of squeezing an indented SBOM, clearing a fresh 64 KB buffer and
// growing the list of notes for each document took a third of the time.
var squeezeReaders = sync.Pool{New: func() any { return &squeezeReader{buf: make([]byte, 64<<10)} }}

// newSqueezeReader returns a reader from the pool; release returns it.
func newSqueezeReader(r io.Reader) *squeezeReader {
	s := squeezeReaders.Get().(*squeezeReader)
	s.r = r
	return s
}

// release returns s to the pool. s must not be used after.
func (s *squeezeReader) release() {
	*s = squeezeReader{buf: s.buf, shifts: s.shifts[:0]}
	squeezeReaders.Put(s)
}

func (s *squeezeReader) Read(p []byte) (int, error) {
	for {
		want := min(len(p), len(s.buf))
		n, err := s.r.Read(s.buf[:want])
		out := s.squeeze(p, s.buf[:n])
		s.in += int64(n)
		s.out += int64(out)
		// Return only when something was produced or the source is
		// done: a read of pure whitespace must not look like EOF.
		if out > 0 || err != nil || n == 0 {
			return out, err
		}
	}
}

// squeeze copies src to p less the whitespace it drops, and returns the
// bytes written. The state is kept in locals during the loop.
func (s *squeezeReader) squeeze(p, src []byte) int {
	inString, escaped, space, noted := s.inString, s.escaped, s.space, s.noted
	out := 0
	for i, c := range src {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			p[out] = c
			out++
			continue
		}
		switch c {
		case '\n':
			s.lines++
			s.lineStart = s.in + int64(i) + 1
			noted = true
			if space {
				continue
			}
			space = true
		case ' ', '\t', '\r':
			if space {
				noted = true
				continue
			}
			space = true
		default:
			if noted {
				s.note(s.out+int64(out), s.in+int64(i))
				noted = false
			}
			space = false
			inString = c == '"'
		}
		p[out] = c
		out++
	}
	s.inString, s.escaped, s.space, s.noted = inString, escaped, space, noted
	return out
}

func (s *squeezeReader) note(out, in int64) {
	s.shifts = append(s.shifts, squeezeShift{out: out, in: in, lines: s.lines, lineStart: s.lineStart})
}

// forget drops the notes that only places before squeezed offset off
// need. The JSON readers call it as they finish a value, so that the notes
// kept are those of the value being read and of the decoder's read-ahead.
// The notes are moved down only once at least half can go, so that the
// work is linear and the array is reused.
func (s *squeezeReader) forget(off int64) {
	i := sort.Search(len(s.shifts), func(i int) bool { return s.shifts[i].out > off }) - 1
	if i <= 0 || i < len(s.shifts)/2 {
		return
	}
	s.shifts = s.shifts[:copy(s.shifts, s.shifts[i:])]
}

// jsonPlace is a place in a document as written: a byte offset from 0, and
// the line and column of that byte, from 1.
type jsonPlace struct{ off, line, col int64 }

func (p jsonPlace) String() string {
	return fmt.Sprintf("line %d, column %d (byte %d)", p.line, p.col, p.off)
}

// place maps squeezed offset off to the input.
func (s *squeezeReader) place(off int64) jsonPlace {
	i := sort.Search(len(s.shifts), func(i int) bool { return s.shifts[i].out > off }) - 1
	if i < 0 {
		// Nothing was dropped before off and no line ended there
		// (forget keeps the note in force at the offset it is given).
		return jsonPlace{off: off, line: 1, col: off + 1}
	}
	sh := s.shifts[i]
	in := sh.in + off - sh.out
	return jsonPlace{off: in, line: sh.lines + 1, col: in - sh.lineStart + 1}
}

// end is the place just past the last byte read.
func (s *squeezeReader) end() jsonPlace {
	return jsonPlace{off: s.in, line: s.lines + 1, col: s.in - s.lineStart + 1}
}

// jsonStream is a json.Decoder over a squeezeReader: its errors can name
// the place in the document as written.
type jsonStream struct {
	*json.Decoder
	sq *squeezeReader
}

func newJSONStream(r io.Reader) *jsonStream {
	sq := newSqueezeReader(r)
	return &jsonStream{Decoder: json.NewDecoder(sq), sq: sq}
}

// decode decodes the next value into v through a json.RawMessage, so that
// the offset of a type error, which encoding/json counts from the start of
// the value, can be made an offset in the stream.
func (js *jsonStream) decode(v any) error {
	var raw json.RawMessage
	if err := js.Decode(&raw); err != nil {
		return err
	}
	err := json.Unmarshal(raw, v)
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		ue.Offset += js.InputOffset() - int64(len(raw))
	}
	return err
}

// next is the place of the next byte that is not whitespace (or the end).
func (js *jsonStream) next() jsonPlace {
	js.More() // skips whitespace
	return js.sq.place(js.InputOffset())
}

// truncated reports whether err says that the document ended early.
func truncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// errorPlace is the place a syntax or type error is about, or false for
// other errors. A truncated document ends early at its end.
func (js *jsonStream) errorPlace(err error) (jsonPlace, bool) {
	if truncated(err) {
		return js.sq.end(), true
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		// Offset is just past the value (or just into it), made an
		// offset in the stream by decode.
		return js.sq.place(max(ue.Offset-1, 0)), true
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return jsonPlace{}, false
	}
	return js.sq.place(js.syntaxOffset(se)), true
}

// syntaxOffset is the squeezed offset of the byte a syntax error is about.
// The Decoder gives two kinds. Token's own errors (a missing comma or
// colon, a misplaced delimiter) carry the decoder's offset, which is the
// offending byte. Errors met scanning a value (in Decode, and in Token for
// strings and numbers) carry the count of bytes scanned by values so far,
// not an offset; but the value is left unread in the decoder's buffer, so
// scanning it again from the decoder's offset finds the byte. Should the
// count equal the offset, the same message from the rescan says which.
func (js *jsonStream) syntaxOffset(se *json.SyntaxError) int64 {
	at := js.InputOffset()
	var raw json.RawMessage
	err := json.NewDecoder(js.Buffered()).Decode(&raw)
	var again *json.SyntaxError
	if errors.As(err, &again) && (se.Offset != at || again.Error() == se.Error()) {
		return at + again.Offset - 1
	}
	return at
}
