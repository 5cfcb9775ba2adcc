package report

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// This file writes the findings of the scan JSON by hand, byte for byte as
// encoding/json would (compact; appendIndent indents it afterwards).
//
// Why, with the figure: a fleet's report holds tens of thousands of
// findings, and the hand encoder (this file and indent.go) stays only
// while it saves more than 10% of a scan (issue 13). On the 200-SBOM
// benchmark workload (../shared/bench/gen.py, 135 MB of JSON; 6
// interleaved runs, CPU seconds of the whole scan, December 2026),
// writing the JSON with encoding/json per device (json.MarshalIndent)
// took 1.98 s of a 7.20 s scan (28%); this encoder with appendIndent
// takes 0.82 s of 5.83 s (14%): together they save 16% of the scan. Of
// that, this file's own share (against json.Marshal followed by
// appendIndent) is 0.28 s, 4%, and appendIndent's 0.88 s, 12%.
// BenchmarkDeviceJSON compares the three on a device of 500 findings (CPU
// time, best of 10 on a shared 2-core machine: 0.55 ms, json.Marshal
// with appendIndent 1.0 ms, json.MarshalIndent 2.7 ms).
//
// The device around the findings is still encoded by encoding/json, so
// the device fields stay declared in one place.
// TestFindingEncoderMatchesEncodingJSON fills every field of findingJSON
// (found by reflection, so that a field added to the struct without being
// added here fails it) and compares with json.Marshal;
// TestScanJSONIsTheContract holds the whole output to scanJSON.

// findingsPlaceholder is what encoding/json writes for the findings of a
// device whose Findings is nil. It cannot occur inside a JSON string (the
// quote would be escaped), so it marks the one place to splice the
// findings in.
var findingsPlaceholder = []byte(`,"findings":null`)

// marshalDevice appends to dst the device encoded compactly, as
// json.Marshal would encode it.
func marshalDevice(dst []byte, dj deviceJSON) ([]byte, error) {
	findings := dj.Findings
	dj.Findings = nil
	head, err := json.Marshal(dj)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(head, findingsPlaceholder)
	if i < 0 {
		// Not reached while deviceJSON has a findings field after
		// another field; fall back to encoding/json.
		dj.Findings = findings
		b, err := json.Marshal(dj)
		return append(dst, b...), err
	}
	for i := range findings {
		if !finiteFloats(&findings[i]) {
			_, err := json.Marshal(findings[i])
			return dst, err // encoding/json's error for the number
		}
	}
	out := slices.Grow(dst, len(head)+len(findings)*900)
	out = append(out, head[:i]...)
	out = append(out, `,"findings":`...)
	out = appendFindings(out, findings)
	out = append(out, head[i+len(findingsPlaceholder):]...)
	return out, nil
}

func appendFindings(b []byte, fs []findingJSON) []byte {
	if fs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFinding(b, &fs[i])
	}
	return append(b, ']')
}

// appendFinding appends f as json.Marshal encodes it, in the order of
// findingJSON's fields.
func appendFinding(b []byte, f *findingJSON) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, f.ID)
	b = append(b, `,"aliases":`...)
	b = appendStrings(b, f.Aliases)
	b = append(b, `,"status":`...)
	b = appendString(b, f.Status)
	b = appendOmitEmpty(b, `,"reason":`, f.Reason)
	b = append(b, `,"component":`...)
	b = appendComponent(b, &f.Component)
	b = append(b, `,"fixed":`...)
	b = appendStrings(b, f.Fixed)
	b = append(b, `,"severity":{"vectors":`...)
	b = appendVectors(b, f.Severity.Vectors)
	b = append(b, '}')
	b = appendOmitEmpty(b, `,"summary":`, f.Summary)
	b = appendOmitEmpty(b, `,"informational":`, f.Informational)
	b = append(b, `,"sources":`...)
	b = appendSources(b, f.Sources)
	b = appendOmitEmpty(b, `,"justification":`, f.Justification)
	b = appendOmitEmpty(b, `,"impact":`, f.Impact)
	b = append(b, `,"remediations":`...)
	b = appendRemediations(b, f.Remediations)
	b = appendOmitEmpty(b, `,"outcome":`, f.Outcome)
	b = appendOmitEmpty(b, `,"action":`, f.Action)
	if f.SSVC != nil {
		b = append(b, `,"ssvc":`...)
		b = appendSSVC(b, f.SSVC)
	}
	if f.KEV != nil {
		b = append(b, `,"kev":`...)
		b = appendKEV(b, f.KEV)
	}
	if f.EPSS != nil {
		b = append(b, `,"epss":`...)
		b = appendEPSS(b, f.EPSS)
	}
	return append(b, '}')
}

// appendOmitEmpty appends key and s, a string field tagged omitempty,
// unless s is empty.
func appendOmitEmpty(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(append(b, key...), s)
}

func appendComponent(b []byte, c *componentJSON) []byte {
	b = append(b, `{"name":`...)
	b = appendString(b, c.Name)
	b = append(b, `,"version":`...)
	b = appendString(b, c.Version)
	b = append(b, `,"purl":`...)
	b = appendString(b, c.PURL)
	b = append(b, `,"cpes":`...)
	b = appendStrings(b, c.CPEs)
	b = appendOmitEmpty(b, `,"ref":`, c.Ref)
	return append(b, '}')
}

func appendVectors(b []byte, vs []vectorJSON) []byte {
	if vs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":`...)
		b = appendString(b, v.Type)
		b = append(b, `,"score":`...)
		b = appendString(b, v.Score)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendSources(b []byte, ss []sourceJSON) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, s.ID)
		b = append(b, `,"format":`...)
		b = appendString(b, s.Format)
		b = append(b, `,"path":`...)
		b = appendString(b, s.Path)
		b = append(b, `,"match":`...)
		b = appendString(b, s.Match)
		b = append(b, `,"confidence":`...)
		b = appendString(b, s.Confidence)
		b = appendOmitEmpty(b, `,"product":`, s.Product)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendRemediations(b []byte, rs []remediationJSON) []byte {
	if rs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"category":`...)
		b = appendString(b, r.Category)
		b = appendOmitEmpty(b, `,"details":`, r.Details)
		b = appendOmitEmpty(b, `,"url":`, r.URL)
		b = appendOmitEmpty(b, `,"date":`, r.Date)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendSSVC(b []byte, x *ssvcJSON) []byte {
	b = append(b, `{"exploitation":`...)
	b = appendString(b, x.Exploitation)
	b = append(b, `,"automatable":`...)
	b = strconv.AppendBool(b, x.Automatable)
	b = append(b, `,"exposure":`...)
	b = appendString(b, x.Exposure)
	b = append(b, `,"human_impact":`...)
	b = appendString(b, x.HumanImpact)
	b = append(b, `,"outcome":`...)
	b = appendString(b, x.Outcome)
	b = append(b, `,"action":`...)
	b = appendString(b, x.Action)
	b = append(b, `,"score":`...)
	b = appendFloat(b, x.Score)
	b = append(b, `,"reasons":`...)
	b = appendStrings(b, x.Reasons)
	return append(b, '}')
}

func appendKEV(b []byte, x *kevJSON) []byte {
	b = append(b, `{"date_added":`...)
	b = appendString(b, x.DateAdded)
	b = append(b, `,"due_date":`...)
	b = appendString(b, x.DueDate)
	b = append(b, `,"known_ransomware_use":`...)
	b = strconv.AppendBool(b, x.Ransomware)
	b = append(b, `,"required_action":`...)
	b = appendString(b, x.RequiredAction)
	return append(b, '}')
}

func appendEPSS(b []byte, x *epssJSON) []byte {
	b = append(b, `{"epss":`...)
	b = appendFloat(b, x.Score)
	b = append(b, `,"percentile":`...)
	b = appendFloat(b, x.Percentile)
	b = append(b, `,"score_date":`...)
	b = appendString(b, x.Date)
	return append(b, '}')
}

// appendFloat appends f as encoding/json writes a float64: the shortest
// decimal form, with an exponent only for very small or large values
// (through encoding/json itself). Non-finite values, which encoding/json
// refuses, are caught by finiteFloats first.
func appendFloat(b []byte, f float64) []byte {
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		q, _ := json.Marshal(f)
		return append(b, q...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// finiteFloats reports whether every number of the finding can be encoded.
func finiteFloats(f *findingJSON) bool {
	ok := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	return (f.SSVC == nil || ok(f.SSVC.Score)) && (f.EPSS == nil || ok(f.EPSS.Score) && ok(f.EPSS.Percentile))
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendString appends s as a JSON string. Printable ASCII other than
// the characters encoding/json escapes is copied as it is; any other
// string goes through encoding/json, so the escaping (HTML characters,
// U+2028, invalid UTF-8, control characters) is encoding/json's.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
