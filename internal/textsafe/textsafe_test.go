package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds one sample of every escape class an SBOM could carry.
var hostile = map[string]string{
	"clear screen":     "a\x1b[2Jb",
	"window title OSC": "a\x1b]0;pwned\x07b",
	"OSC 8 link":       "a\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\b",
	"ESC c reset":      "a\x1bcb",
	"8-bit CSI":        "a\u009b2Jb",
	"8-bit OSC":        "a\u009d0;t\u009cb",
	"CR":               "a\rb",
	"DEL":              "a\x7fb",
	"RLO":              "a\u202eb",
	"LRI":              "a\u2066b",
	"PDI":              "a\u2069b",
	"LRM":              "a\u200eb",
	"RLM":              "a\u200fb",
	"ALM":              "a\u061cb",
	"invalid UTF-8":    "a\x9b2Jb",
}

func TestLineAndText(t *testing.T) {
	for name, in := range hostile {
		for _, f := range []func(string) string{Line, Text} {
			out := f(in)
			if i := strings.IndexFunc(out, Unsafe); i >= 0 || !utf8.ValidString(out) {
				t.Errorf("%s: %q -> %q", name, in, out)
			}
			if !strings.HasPrefix(out, "a") || !strings.HasSuffix(out, "b") {
				t.Errorf("%s: text around lost: %q", name, out)
			}
		}
	}
	for in, want := range map[string]string{
		"Hub\x1b[2J":            "Hub?[2J",
		"4.2.1 \u202e(patched)": `4.2.1 \u202e(patched)`,
		"a\nb\tc":               "a?b?c",
		"Infusomat Space":       "Infusomat Space",
		"Ärzte \u05d0":          "Ärzte \u05d0",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Text("a\nb\tc\rd"); got != "a\nb\tc?d" {
		t.Errorf("Text kept or replaced the wrong characters: %q", got)
	}
}

func TestURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://acme.example/psirt/4.3.0":      true,
		"HTTP://acme.example/":                  true,
		"javascript:alert(1)":                   false,
		"JavaScript://acme.example/%0aalert(1)": false,
		"data:text/html,<script>":               false,
		"file:///etc/passwd":                    false,
		"//acme.example/x":                      false,
		"https://acme.example/\u202etxt":        false,
		"https://acme.example/\x1b[2J":          false,
		"https:///nohost":                       false,
		"":                                      false,
	} {
		if got := URL(u); (got != "") != want || (want && got != u) {
			t.Errorf("URL(%q) = %q", u, got)
		}
	}
}

// FuzzSanitise: whatever the input, Line, Text and Message never let a
// control or bidi character through (Text and Message only newline and
// tab; Message indents every further line), the output is UTF-8, and
// safe text is unchanged; URL returns its input or nothing.
func FuzzSanitise(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("plain text, 1.2.3")
	f.Add("https://acme.example/a")
	f.Fuzz(func(t *testing.T, s string) {
		line, text, msg := Line(s), Text(s), Message(s)
		if strings.ContainsFunc(msg, func(r rune) bool { return Unsafe(r) && r != '\n' && r != '\t' }) || !utf8.ValidString(msg) ||
			strings.HasSuffix(msg, "\n") || strings.Contains(msg, "\n") && !strings.Contains(msg, "\n  ") {
			t.Errorf("Message(%q) = %q", s, msg)
		}
		for _, l := range strings.Split(msg, "\n")[1:] {
			if !strings.HasPrefix(l, "  ") {
				t.Errorf("Message(%q): line %q not indented", s, l)
			}
		}
		if strings.ContainsFunc(line, Unsafe) || !utf8.ValidString(line) {
			t.Errorf("Line(%q) = %q", s, line)
		}
		if strings.ContainsFunc(text, func(r rune) bool { return Unsafe(r) && r != '\n' && r != '\t' }) || !utf8.ValidString(text) {
			t.Errorf("Text(%q) = %q", s, text)
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, Unsafe) && (line != s || text != s) {
			t.Errorf("safe text changed: %q -> %q / %q", s, line, text)
		}
		if u := URL(s); u != "" && (u != s || strings.ContainsFunc(u, Unsafe)) {
			t.Errorf("URL(%q) = %q", s, u)
		}
	})
}
