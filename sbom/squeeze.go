package sbom

import "io"

// squeezeReader drops runs of JSON whitespace outside strings, keeping one
// byte of each run. encoding/json's Decoder rescans pending whitespace from
// its start on every refill, so a document padded with megabytes of blanks
// costs quadratic time (32 MB took 12 s); squeezed, it is linear. Strings
// (with their escapes) pass through untouched.
type squeezeReader struct {
	r        io.Reader
	buf      []byte
	inString bool
	escaped  bool
	space    bool // the last byte passed on was whitespace outside a string
}

func newSqueezeReader(r io.Reader) *squeezeReader {
	return &squeezeReader{r: r, buf: make([]byte, 64<<10)}
}

func (s *squeezeReader) Read(p []byte) (int, error) {
	for {
		want := min(len(p), len(s.buf))
		n, err := s.r.Read(s.buf[:want])
		out := 0
		for _, c := range s.buf[:n] {
			if s.inString {
				switch {
				case s.escaped:
					s.escaped = false
				case c == '\\':
					s.escaped = true
				case c == '"':
					s.inString = false
				}
				p[out] = c
				out++
				continue
			}
			switch c {
			case ' ', '\t', '\n', '\r':
				if s.space {
					continue
				}
				s.space = true
			case '"':
				s.inString = true
				s.space = false
			default:
				s.space = false
			}
			p[out] = c
			out++
		}
		// Return only when something was produced or the source is
		// done: a read of pure whitespace must not look like EOF.
		if out > 0 || err != nil || n == 0 {
			return out, err
		}
	}
}
