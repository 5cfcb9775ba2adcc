package cpe

import (
	"errors"
	"fmt"
	"strings"
)

// The logical attribute values of IR 7695, in the form Name holds them.
const (
	// Any is the logical value ANY: any value, or not known.
	Any = "*"
	// NA is the logical value NA: the attribute does not apply.
	NA = "-"
)

// The parts of a CPE name.
const (
	// PartApplication is "a".
	PartApplication = "a"
	// PartOS is "o", an operating system.
	PartOS = "o"
	// PartHardware is "h", a hardware device.
	PartHardware = "h"
)

// Name is a well-formed CPE name (WFN). Each attribute holds Any, NA or a
// value in WFN form (see the package documentation).
type Name struct {
	Part, Vendor, Product, Version, Update, Edition, Language string
	SWEdition, TargetSW, TargetHW, Other                      string
}

// attrs returns pointers to the eleven attributes in their standard order.
func (n *Name) attrs() [11]*string {
	return [11]*string{&n.Part, &n.Vendor, &n.Product, &n.Version, &n.Update, &n.Edition,
		&n.Language, &n.SWEdition, &n.TargetSW, &n.TargetHW, &n.Other}
}

// Attrs returns the eleven attribute values in the standard order (part,
// vendor, product, version, update, edition, language, sw_edition,
// target_sw, target_hw, other).
func (n Name) Attrs() [11]string {
	var out [11]string
	for i, p := range n.attrs() {
		out[i] = *p
	}
	return out
}

// maxLen bounds the length of a name read: real CPEs are well under 300
// bytes; the bound keeps hostile input cheap.
const maxLen = 4096

// ErrSyntax is wrapped by every error of Parse, ParseFS and ParseURI.
var ErrSyntax = errors.New("not a CPE name")

func syntaxErr(s, why string) error {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Errorf("%w: %q: %s", ErrSyntax, s, why)
}

// Parse reads a CPE 2.3 formatted string or a CPE 2.2 URI, told apart by
// their prefixes ("cpe:2.3:" and "cpe:/"), case-insensitively.
func Parse(s string) (Name, error) {
	s = strings.TrimSpace(s)
	switch {
	case hasPrefixFold(s, "cpe:2.3:"):
		return ParseFS(s)
	case hasPrefixFold(s, "cpe:/"):
		return ParseURI(s)
	}
	return Name{}, syntaxErr(s, `neither "cpe:2.3:" nor "cpe:/"`)
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// ParseFS reads a CPE 2.3 formatted string (IR 7695 section 6.2.3,
// unbind_fs): 13 colon-separated components, "cpe", "2.3" and the eleven
// attributes; "*" is ANY, "-" is NA, a backslash quotes the next
// character, and an unquoted "*" or run of "?" may stand at either end of
// a value as a wildcard.
func ParseFS(s string) (Name, error) {
	var n Name
	if len(s) > maxLen {
		return n, syntaxErr(s, "too long")
	}
	if !hasPrefixFold(s, "cpe:2.3:") {
		return n, syntaxErr(s, `no "cpe:2.3:" prefix`)
	}
	comps, err := splitFS(s[len("cpe:2.3:"):])
	if err != nil {
		return n, syntaxErr(s, err.Error())
	}
	if len(comps) != 11 {
		return n, syntaxErr(s, fmt.Sprintf("%d attributes, want 11", len(comps)))
	}
	for i, p := range n.attrs() {
		v, err := unbindFSValue(comps[i])
		if err != nil {
			return Name{}, syntaxErr(s, fmt.Sprintf("attribute %d: %v", i+1, err))
		}
		*p = v
	}
	if err := n.check(); err != nil {
		return Name{}, syntaxErr(s, err.Error())
	}
	return n, nil
}

// splitFS splits on the colons that are not quoted.
func splitFS(s string) ([]string, error) {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 >= len(s) {
				return nil, errors.New("backslash at the end")
			}
			i++
		case ':':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:]), nil
}

// unbindFSValue turns one formatted-string component into its WFN value
// (add_quoting of IR 7695).
func unbindFSValue(s string) (string, error) {
	switch s {
	case "*":
		return Any, nil
	case "-":
		return NA, nil
	case "":
		return "", errors.New("empty value")
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		c := lowerASCII(s[i])
		switch {
		case isAlnum(c) || c == '_':
			b.WriteByte(c)
		case c == '\\':
			// splitFS made sure a character follows.
			i++
			q := lowerASCII(s[i])
			if q < 0x21 || q > 0x7e {
				return "", fmt.Errorf("quoted character %q not printable", q)
			}
			if isAlnum(q) || q == '_' {
				b.WriteByte(q) // quoting a letter is harmless
			} else {
				b.WriteByte('\\')
				b.WriteByte(q)
			}
		case c == '*':
			if i != 0 && i != len(s)-1 {
				return "", errors.New(`"*" inside a value`)
			}
			b.WriteByte('*')
		case c == '?':
			// A run of "?" at the start or at the end.
			j := i
			for j < len(s) && s[j] == '?' {
				j++
			}
			if i != 0 && j != len(s) {
				return "", errors.New(`"?" inside a value`)
			}
			b.WriteString(s[i:j])
			i = j - 1
		case c >= 0x21 && c <= 0x7e:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			return "", fmt.Errorf("character %q not allowed", c)
		}
	}
	return b.String(), nil
}

// check enforces the WFN rules that do not depend on the binding: the
// part is a, o, h or ANY, and no value is wildcards only beyond ANY.
func (n *Name) check() error {
	switch n.Part {
	case PartApplication, PartOS, PartHardware, Any:
	default:
		return fmt.Errorf("part %q is not a, o, h or *", n.Part)
	}
	for _, p := range n.attrs() {
		if v := *p; v != Any && v != NA && strings.Trim(v, "*?") == "" {
			return fmt.Errorf("value %q is wildcards only", v)
		}
	}
	return nil
}

// ParseURI reads a CPE 2.2 URI (IR 7695 section 6.1.3, unbind_uri): up to
// seven colon-separated components after "cpe:/" (part, vendor, product,
// version, update, edition, language); an empty or missing component is
// ANY, "-" is NA, percent-encoding is decoded (%01 is the "?" wildcard and
// %02 the "*" wildcard, at either end of a value), and an edition that
// starts with "~" packs edition, sw_edition, target_sw, target_hw and
// other.
func ParseURI(s string) (Name, error) {
	var n Name
	if len(s) > maxLen {
		return n, syntaxErr(s, "too long")
	}
	if !hasPrefixFold(s, "cpe:/") {
		return n, syntaxErr(s, `no "cpe:/" prefix`)
	}
	comps := strings.Split(s[len("cpe:/"):], ":")
	if len(comps) > 7 {
		return n, syntaxErr(s, fmt.Sprintf("%d components, at most 7", len(comps)))
	}
	for len(comps) < 7 {
		comps = append(comps, "")
	}
	dst := [7]*string{&n.Part, &n.Vendor, &n.Product, &n.Version, &n.Update, &n.Edition, &n.Language}
	for i, c := range comps {
		if i == 5 && strings.HasPrefix(c, "~") {
			packed := strings.Split(c[1:], "~")
			if len(packed) != 5 {
				return Name{}, syntaxErr(s, "packed edition needs 5 fields")
			}
			for j, p := range [5]*string{&n.Edition, &n.SWEdition, &n.TargetSW, &n.TargetHW, &n.Other} {
				v, err := decodeURIValue(packed[j])
				if err != nil {
					return Name{}, syntaxErr(s, err.Error())
				}
				*p = v
			}
			continue
		}
		v, err := decodeURIValue(c)
		if err != nil {
			return Name{}, syntaxErr(s, fmt.Sprintf("component %d: %v", i+1, err))
		}
		*dst[i] = v
	}
	if n.SWEdition == "" {
		n.SWEdition, n.TargetSW, n.TargetHW, n.Other = Any, Any, Any, Any
	}
	if err := n.check(); err != nil {
		return Name{}, syntaxErr(s, err.Error())
	}
	return n, nil
}

// decodeURIValue is decode of IR 7695.
func decodeURIValue(s string) (string, error) {
	switch s {
	case "":
		return Any, nil
	case "-":
		return NA, nil
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		c := lowerASCII(s[i])
		switch {
		case isAlnum(c) || c == '_':
			b.WriteByte(c)
		case c == '.' || c == '-' || c == '~':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '%':
			if i+2 >= len(s) {
				return "", errors.New("truncated percent-encoding")
			}
			h, ok := unhex(s[i+1], s[i+2])
			if !ok {
				return "", fmt.Errorf("bad percent-encoding %q", s[i:i+3])
			}
			switch h {
			case 0x01, 0x02:
				// Wildcards: only at either end (a run of %01 at the
				// start or the end, a single %02).
				w := byte('?')
				if h == 0x02 {
					w = '*'
				}
				atStart, atEnd := i == 0, i+3 == len(s)
				if h == 0x01 {
					atStart = atStart || allPrefix(s[:i], "%01")
					atEnd = atEnd || allPrefix(s[i+3:], "%01")
				}
				if !atStart && !atEnd {
					return "", errors.New("wildcard inside a value")
				}
				b.WriteByte(w)
			default:
				if h < 0x21 || h > 0x7e {
					return "", fmt.Errorf("encoded character %q not allowed", h)
				}
				h = lowerASCII(h)
				if isAlnum(h) || h == '_' {
					b.WriteByte(h)
				} else {
					b.WriteByte('\\')
					b.WriteByte(h)
				}
			}
			i += 2
		default:
			return "", fmt.Errorf("character %q not allowed in a URI", c)
		}
	}
	return b.String(), nil
}

// allPrefix reports whether s is made of copies of unit only (and is not
// empty).
func allPrefix(s, unit string) bool {
	if s == "" {
		return false
	}
	for len(s) >= len(unit) && strings.EqualFold(s[:len(unit)], unit) {
		s = s[len(unit):]
	}
	return s == ""
}

func unhex(a, b byte) (byte, bool) {
	x, ok1 := hexVal(a)
	y, ok2 := hexVal(b)
	return x<<4 | y, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// String binds the name to a CPE 2.3 formatted string (IR 7695 section
// 6.2.2, bind_to_fs): the quotes of ".", "-" and "_" are dropped, others
// kept.
func (n Name) String() string {
	var b strings.Builder
	b.WriteString("cpe:2.3")
	for _, v := range n.Attrs() {
		b.WriteByte(':')
		b.WriteString(bindFSValue(v))
	}
	return b.String()
}

func bindFSValue(v string) string {
	switch v {
	case Any, "":
		return "*"
	case NA:
		return "-"
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			if c := v[i+1]; c == '.' || c == '-' || c == '_' {
				b.WriteByte(c)
				i++
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(v[i+1])
			i++
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// URI binds the name to a CPE 2.2 URI (IR 7695 section 6.1.2,
// bind_to_uri), packing the extended attributes into the edition when any
// of them is not ANY, and dropping trailing empty components.
func (n Name) URI() string {
	comps := []string{bindURIValue(n.Part), bindURIValue(n.Vendor), bindURIValue(n.Product),
		bindURIValue(n.Version), bindURIValue(n.Update)}
	if n.SWEdition == Any && n.TargetSW == Any && n.TargetHW == Any && n.Other == Any {
		comps = append(comps, bindURIValue(n.Edition))
	} else {
		comps = append(comps, "~"+bindURIValue(n.Edition)+"~"+bindURIValue(n.SWEdition)+"~"+
			bindURIValue(n.TargetSW)+"~"+bindURIValue(n.TargetHW)+"~"+bindURIValue(n.Other))
	}
	comps = append(comps, bindURIValue(n.Language))
	for len(comps) > 1 && comps[len(comps)-1] == "" {
		comps = comps[:len(comps)-1]
	}
	return "cpe:/" + strings.Join(comps, ":")
}

func bindURIValue(v string) string {
	switch v {
	case Any, "":
		return ""
	case NA:
		return "-"
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			i++
			q := v[i]
			if q == '.' || q == '-' {
				b.WriteByte(q)
			} else {
				fmt.Fprintf(&b, "%%%02x", q)
			}
		case c == '?':
			b.WriteString("%01")
		case c == '*':
			b.WriteString("%02")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
