package report

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bomrank/bomrank/match"
)

// This file writes the devices of the scan JSON by hand, byte for byte as
// json.MarshalIndent(device, "    ", "  ") writes them inside the
// "devices" array: the findings indented as they are encoded, the few
// fields of the device around them by encoding/json and appendIndent.
//
// Why, with the figures: a fleet's report holds tens of thousands of
// findings, and the hand encoder stays only while it saves more than 10%
// of a scan (issue 13). On the 200-SBOM benchmark workload
// (../shared/bench/gen.py, 135 MB of JSON; 6 interleaved runs, CPU
// seconds of the whole scan, December 2026), writing the JSON with
// encoding/json per device (json.MarshalIndent) took 1.98 s of a 7.20 s
// scan (28%); a compact hand encoder followed by appendIndent took 0.82 s
// of 5.83 s (14%). Issue 15 (a scan through the database in 0.15x the
// decode floor) made the JSON a third of what is left of the scan, so the
// findings are now written indented in one pass, each converted into one
// reused findingJSON instead of a fresh slice of them: on the same
// workload, encoding the 135 MB report (the scan's result loaded once,
// five encodes, CPU time per encode, 2 shared cores, interleaved runs)
// went from 0.30-0.37 s to 0.18 s (a single encode, as a scan makes:
// 0.32-0.53 s to 0.09-0.12 s). BenchmarkJSONFleet, as a ratio to the
// decode floor measured in the same run: 0.118-0.159x before,
// 0.079-0.096x after (wall time, machine under heavy load).
// BenchmarkDeviceJSON (a device of 500 findings with their SSVC
// decisions, CPU time): this encoder 0.38 ms, json.Marshal with
// appendIndent 2.3 ms, json.MarshalIndent 4.7 ms.
//
// TestFindingEncoderMatchesEncodingJSON fills every field of findingJSON
// (found by reflection, so that a field added to the struct without being
// added here fails it) and compares with json.MarshalIndent;
// TestScanJSONIsTheContract holds the whole output to scanJSON.

// devicePrefix and deviceIndent are the indentation of a device inside
// the scan's "devices" array.
const devicePrefix, deviceIndent = "    ", "  "

// findingsPlaceholder is what appendIndent writes for the findings of a
// device whose Findings is nil, indented as a member of the device. It
// cannot occur inside a JSON string (the line break would be escaped), so
// it marks the one place to splice the findings in.
var findingsPlaceholder = []byte(",\n" + devicePrefix + deviceIndent + `"findings": null`)

// deviceEncoder writes devices of the scan JSON. Its buffers are reused
// from device to device: a device's findings take hundreds of kilobytes,
// and fresh buffers must be zeroed.
type deviceEncoder struct {
	head []byte
	ind  indenter
	conv findingConv
	// perFinding is the length of a finding in the last device written.
	perFinding int
}

// appendDevice appends to dst device r, encoded as
// json.MarshalIndent(toDeviceJSON(r), devicePrefix, deviceIndent) would
// encode it.
func (e *deviceEncoder) appendDevice(dst []byte, r *match.DeviceResult) ([]byte, error) {
	head, err := json.Marshal(deviceHead(r))
	if err != nil {
		return dst, err
	}
	e.head = appendIndent(e.head[:0], head, devicePrefix, deviceIndent)
	i := bytes.Index(e.head, findingsPlaceholder)
	if i < 0 {
		// Not reached while deviceJSON has a findings field after
		// another field; fall back to encoding/json.
		b, err := json.MarshalIndent(toDeviceJSON(r), devicePrefix, deviceIndent)
		return append(dst, b...), err
	}
	// Room for the whole device at once, as long a finding as the
	// last device's (growing it as it fills copied it again and again).
	if e.perFinding == 0 {
		e.perFinding = 2 << 10
	}
	start := len(dst)
	need := len(e.head) + len(r.Findings)*e.perFinding*9/8
	if cap(dst)-len(dst) < need {
		// dst is reused for later devices (deviceSlot): room for a
		// longer one saves growing it again (BenchmarkJSONFleet: 19.7
		// MB allocated per encode without, 11.1 MB with).
		need += need / 4
	}
	e.ind.init(slices.Grow(dst, need), devicePrefix, deviceIndent)
	w := &e.ind
	w.b = append(w.b, e.head[:i]...)
	w.b = append(w.b, findingsPlaceholder[:len(findingsPlaceholder)-len("null")]...)
	if len(r.Findings) == 0 {
		w.b = append(w.b, "[]"...)
	} else {
		w.b = append(w.b, '[')
		for k, f := range r.Findings {
			fj := e.conv.set(f)
			if !finiteFloats(fj) {
				_, err := json.Marshal(*fj)
				return dst, err // encoding/json's error for the number
			}
			if k > 0 {
				w.b = append(w.b, ',')
			}
			w.nl(2)
			w.finding(2, fj)
		}
		w.nl(1)
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, e.head[i+len(findingsPlaceholder):]...)
	if len(r.Findings) > 0 {
		e.perFinding = max((len(w.b)-start-len(e.head))/len(r.Findings), 64)
	}
	return w.b, nil
}

// indenter appends JSON values as json.MarshalIndent(v, prefix, indent)
// writes them; a value "at depth d" has its members on lines indented
// d+1 times and its closing bracket on a line indented d times.
type indenter struct {
	b     []byte
	lines []string // lines[d] is a line break and the indentation of depth d
}

// init makes w append to b, indenting with prefix and indent.
func (w *indenter) init(b []byte, prefix, indent string) {
	w.b = b
	if len(w.lines) > 0 && w.lines[1] == "\n"+prefix+indent {
		return
	}
	w.lines = w.lines[:0]
	for d := range 8 {
		w.lines = append(w.lines, "\n"+prefix+strings.Repeat(indent, d))
	}
}

// nl starts a line at depth d.
func (w *indenter) nl(d int) {
	for d >= len(w.lines) {
		last := w.lines[len(w.lines)-1]
		w.lines = append(w.lines, last+last[len(w.lines[0]):len(w.lines[1])])
	}
	w.b = append(w.b, w.lines[d]...)
}

// key starts member key (written with its quotes, colon and space, as
// `"id": `) of the object at depth d, after the member before it.
func (w *indenter) key(d int, key string) {
	w.b = append(w.b, ',')
	w.nl(d + 1)
	w.b = append(w.b, key...)
}

// first opens the object at depth d with its first member, key.
func (w *indenter) first(d int, key string) {
	w.b = append(w.b, '{')
	w.nl(d + 1)
	w.b = append(w.b, key...)
}

// end closes the object at depth d.
func (w *indenter) end(d int) {
	w.nl(d)
	w.b = append(w.b, '}')
}

// str appends s as a JSON string.
func (w *indenter) str(s string) { w.b = appendString(w.b, s) }

// omitEmpty writes member key with s, a string field tagged omitempty,
// unless s is empty.
func (w *indenter) omitEmpty(d int, key, s string) {
	if s != "" {
		w.key(d, key)
		w.str(s)
	}
}

// finding writes f, at depth d, in the order of findingJSON's fields.
func (w *indenter) finding(d int, f *findingJSON) {
	w.first(d, `"id": `)
	w.str(f.ID)
	w.key(d, `"aliases": `)
	w.strs(d+1, f.Aliases)
	w.key(d, `"status": `)
	w.str(f.Status)
	w.omitEmpty(d, `"reason": `, f.Reason)
	w.key(d, `"component": `)
	w.component(d+1, &f.Component)
	w.key(d, `"fixed": `)
	w.strs(d+1, f.Fixed)
	w.key(d, `"severity": `)
	w.first(d+1, `"vectors": `)
	w.vectors(d+2, f.Severity.Vectors)
	w.key(d+1, `"rating": `)
	w.str(f.Severity.Rating)
	w.key(d+1, `"rating_source": `)
	w.str(f.Severity.RatingSource)
	w.end(d + 1)
	w.omitEmpty(d, `"summary": `, f.Summary)
	w.omitEmpty(d, `"informational": `, f.Informational)
	w.key(d, `"sources": `)
	w.sources(d+1, f.Sources)
	w.omitEmpty(d, `"justification": `, f.Justification)
	w.omitEmpty(d, `"impact": `, f.Impact)
	w.key(d, `"remediations": `)
	w.remediations(d+1, f.Remediations)
	w.omitEmpty(d, `"outcome": `, f.Outcome)
	w.omitEmpty(d, `"action": `, f.Action)
	if f.SSVC != nil {
		w.key(d, `"ssvc": `)
		w.ssvc(d+1, f.SSVC)
	}
	if f.KEV != nil {
		w.key(d, `"kev": `)
		w.kev(d+1, f.KEV)
	}
	if f.EPSS != nil {
		w.key(d, `"epss": `)
		w.epss(d+1, f.EPSS)
	}
	if f.Ignored != nil {
		w.key(d, `"ignored": `)
		w.ignored(d+1, f.Ignored)
	}
	w.omitEmpty(d, `"actor": `, f.Actor)
	w.omitEmpty(d, `"actor_action": `, f.ActorAction)
	w.end(d)
}

// array writes an array of n elements at depth d, each by elem; nil
// says the slice is nil (written null).
func (w *indenter) array(d, n int, isNil bool, elem func(i int)) {
	switch {
	case isNil:
		w.b = append(w.b, "null"...)
		return
	case n == 0:
		w.b = append(w.b, "[]"...)
		return
	}
	w.b = append(w.b, '[')
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.nl(d + 1)
		elem(i)
	}
	w.nl(d)
	w.b = append(w.b, ']')
}

// strs writes ss at depth d.
func (w *indenter) strs(d int, ss []string) {
	switch {
	case ss == nil:
		w.b = append(w.b, "null"...)
		return
	case len(ss) == 0:
		w.b = append(w.b, "[]"...)
		return
	}
	w.b = append(w.b, '[')
	for i, s := range ss {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.nl(d + 1)
		w.str(s)
	}
	w.nl(d)
	w.b = append(w.b, ']')
}

func (w *indenter) component(d int, c *componentJSON) {
	w.first(d, `"name": `)
	w.str(c.Name)
	w.key(d, `"version": `)
	w.str(c.Version)
	w.key(d, `"purl": `)
	w.str(c.PURL)
	w.key(d, `"cpes": `)
	w.strs(d+1, c.CPEs)
	w.omitEmpty(d, `"ref": `, c.Ref)
	w.end(d)
}

func (w *indenter) vectors(d int, vs []vectorJSON) {
	w.array(d, len(vs), vs == nil, func(i int) {
		w.first(d+1, `"type": `)
		w.str(vs[i].Type)
		w.key(d+1, `"score": `)
		w.str(vs[i].Score)
		w.end(d + 1)
	})
}

func (w *indenter) sources(d int, ss []sourceJSON) {
	w.array(d, len(ss), ss == nil, func(i int) {
		s := &ss[i]
		w.first(d+1, `"id": `)
		w.str(s.ID)
		w.key(d+1, `"format": `)
		w.str(s.Format)
		w.key(d+1, `"path": `)
		w.str(s.Path)
		w.key(d+1, `"match": `)
		w.str(s.Match)
		w.key(d+1, `"confidence": `)
		w.str(s.Confidence)
		w.omitEmpty(d+1, `"product": `, s.Product)
		w.end(d + 1)
	})
}

func (w *indenter) remediations(d int, rs []remediationJSON) {
	w.array(d, len(rs), rs == nil, func(i int) {
		r := &rs[i]
		w.first(d+1, `"category": `)
		w.str(r.Category)
		w.omitEmpty(d+1, `"details": `, r.Details)
		w.omitEmpty(d+1, `"url": `, r.URL)
		w.omitEmpty(d+1, `"date": `, r.Date)
		w.end(d + 1)
	})
}

func (w *indenter) ssvc(d int, x *ssvcJSON) {
	w.first(d, `"exploitation": `)
	w.str(x.Exploitation)
	w.key(d, `"automatable": `)
	w.b = strconv.AppendBool(w.b, x.Automatable)
	w.key(d, `"exposure": `)
	w.str(x.Exposure)
	w.key(d, `"human_impact": `)
	w.str(x.HumanImpact)
	w.key(d, `"outcome": `)
	w.str(x.Outcome)
	w.key(d, `"action": `)
	w.str(x.Action)
	w.key(d, `"score": `)
	w.b = appendFloat(w.b, x.Score)
	w.key(d, `"reasons": `)
	w.strs(d+1, x.Reasons)
	w.key(d, `"sources": `)
	w.decisionSources(d+1, &x.Sources)
	w.end(d)
}

// decisionSources writes ds at depth d.
func (w *indenter) decisionSources(d int, ds *decisionSourcesJSON) {
	for i, m := range []struct {
		key string
		s   *sourceOfJSON
	}{{`"exploitation": `, &ds.Exploitation}, {`"automatable": `, &ds.Automatable}, {`"exposure": `, &ds.Exposure}} {
		if i == 0 {
			w.first(d, m.key)
		} else {
			w.key(d, m.key)
		}
		w.first(d+1, `"source": `)
		w.str(m.s.Source)
		w.omitEmpty(d+1, `"detail": `, m.s.Detail)
		w.end(d + 1)
	}
	w.end(d)
}

func (w *indenter) kev(d int, x *kevJSON) {
	w.first(d, `"date_added": `)
	w.str(x.DateAdded)
	w.key(d, `"due_date": `)
	w.str(x.DueDate)
	w.key(d, `"known_ransomware_use": `)
	w.b = strconv.AppendBool(w.b, x.Ransomware)
	w.key(d, `"required_action": `)
	w.str(x.RequiredAction)
	w.end(d)
}

func (w *indenter) epss(d int, x *epssJSON) {
	w.first(d, `"epss": `)
	w.b = appendFloat(w.b, x.Score)
	w.key(d, `"percentile": `)
	w.b = appendFloat(w.b, x.Percentile)
	w.key(d, `"score_date": `)
	w.str(x.Date)
	w.end(d)
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

// appendString appends s as a JSON string. Printable ASCII other than
// the characters encoding/json escapes is copied as it is; any other
// string goes through encoding/json, so the escaping (HTML characters,
// U+2028, invalid UTF-8, control characters) is encoding/json's.
func appendString(b []byte, s string) []byte {
	// A table look per byte: checking eight bytes at a time with word
	// arithmetic measured slower (18-20 ns against 13-15 ns for the
	// strings of a finding).
	for i := 0; i < len(s); i++ {
		if !plainJSON[s[i]] {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON marks the bytes appendString copies as they are.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
