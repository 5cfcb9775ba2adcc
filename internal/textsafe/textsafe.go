package textsafe

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// IsControl reports whether r is a C0 control, DEL or a C1 control.
func IsControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// IsBidi reports whether r is a bidirectional formatting character: the
// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
// the marks U+200E, U+200F and U+061C.
func IsBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// Unsafe reports whether r must not reach a reader raw: a control or a
// bidi character.
func Unsafe(r rune) bool { return IsControl(r) || IsBidi(r) }

// Line makes s safe as (part of) one line: every control character,
// newline and tab included, becomes '?', every bidi character its escape
// (\u202e), and invalid UTF-8 U+FFFD. Text that needs none of this is
// returned as it is.
func Line(s string) string { return clean(s, false) }

// Text is Line for formats where a newline or a tab is allowed (CSV cells,
// HTML text, multi-line messages): those two stay, everything else Line
// replaces is replaced.
func Text(s string) string { return clean(s, true) }

func clean(s string, keepLayout bool) string {
	if safe(s, keepLayout) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case keepLayout && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case IsControl(r):
			b.WriteByte('?')
		case IsBidi(r):
			b.WriteString(escape(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// safe reports whether s can be shown as it is.
func safe(s string, keepLayout bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && !(keepLayout && (c == '\n' || c == '\t')) {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || Unsafe(r) {
			return false
		}
		i += n
	}
	return true
}

// escape writes a bidi character as \u202e (lower-case hex, four digits).
func escape(r rune) string {
	const hex = "0123456789abcdef"
	return `\u` + string([]byte{hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf]})
}

// URL returns u when it is an absolute http or https URL with a host and
// nothing a reader could be fooled by (no control, bidi or space
// character); otherwise "". Only such URLs are copied into bomrank's
// outputs: a javascript:, data: or file: URL from an advisory is dropped.
func URL(u string) string {
	if u == "" || strings.ContainsFunc(u, func(r rune) bool { return Unsafe(r) || r == ' ' || r == utf8.RuneError }) {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.Opaque != "" {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return u
	}
	return ""
}

// Message makes s safe as a message on stderr: Text, with trailing line
// breaks dropped and every further line indented by two spaces, so that
// text from the inputs (a file name with a newline) cannot forge a line
// of its own ("error: ...").
func Message(s string) string {
	s = Text(strings.TrimRight(s, "\n"))
	if !strings.Contains(s, "\n") {
		return s
	}
	return strings.ReplaceAll(s, "\n", "\n  ")
}
