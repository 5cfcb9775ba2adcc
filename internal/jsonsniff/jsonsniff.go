package jsonsniff

import (
	"bytes"
	"iter"
)

// Values yields, for each occurrence in b of the quoted key followed by
// optional white space and a colon, the bytes from the start of its value
// (white space skipped) to the end of b.
func Values(b []byte, key string) iter.Seq[[]byte] {
	q := []byte(`"` + key + `"`)
	return func(yield func([]byte) bool) {
		for {
			i := bytes.Index(b, q)
			if i < 0 {
				return
			}
			b = b[i+len(q):]
			rest := bytes.TrimLeft(b, " \t\r\n")
			if len(rest) == 0 || rest[0] != ':' {
				continue
			}
			if !yield(bytes.TrimLeft(rest[1:], " \t\r\n")) {
				return
			}
		}
	}
}

// HasKey reports whether the quoted key followed by optional white space
// and a colon occurs in b.
func HasKey(b []byte, key string) bool {
	for range Values(b, key) {
		return true
	}
	return false
}
