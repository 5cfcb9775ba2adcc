package report

// appendIndent appends to dst the compact JSON src (as encoding/json's
// Marshal writes it: no white space outside strings) indented exactly as
// json.MarshalIndent(v, prefix, indent) would indent it: each element on
// its own line, "key": value, empty arrays and objects kept as [] and {}.
//
// Why not json.Indent (or MarshalIndent): it runs the full JSON scanner,
// a state machine call per byte, and on a fleet's report (tens of
// megabytes) it took longer than the Marshal before it. Marshal's output
// is known to be valid, so a plain copy loop that only tracks strings and
// nesting does. The figure (issue 13, 200-SBOM benchmark workload, CPU
// seconds of the whole scan): json.Marshal then this saves 0.88 s of a
// 7.20 s scan (12%) against json.MarshalIndent; with the hand encoder of
// jsonenc.go, 16% (the measurement is described there; see also
// BenchmarkDeviceJSON).
// TestAppendIndentMatchesEncodingJSON and FuzzAppendIndent hold it to
// MarshalIndent's bytes.
func appendIndent(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for i := 0; i < depth; i++ {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			j := i + 1
			for j < len(src) {
				if src[j] == '\\' {
					j += 2
					continue
				}
				if src[j] == '"' {
					break
				}
				j++
			}
			if j >= len(src) {
				j = len(src) - 1
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			// A number or literal: copy the run up to the next
			// structural byte.
			j := i + 1
			for j < len(src) {
				switch src[j] {
				case ',', '}', ']', ':':
				default:
					j++
					continue
				}
				break
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		}
	}
	return dst
}
