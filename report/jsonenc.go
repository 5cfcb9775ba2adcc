package report

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/bomrank/bomrank/internal/prefault"
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
	// warmth keeps what warm read (so that it is read).
	warmth byte
}

// warmAhead is the number of findings warm reads ahead of the encoding.
const warmAhead = 64

// warm reads a byte of each string of fs that lives apart from the
// finding (the matched record's strings, each an allocation of its own,
// scattered over the heap), of its decision and of its component, and
// returns them mixed.
// The encoding of a finding reads them one after the other, each a cache
// miss that stalls it; here the loads of many findings are independent
// and the processor has many misses in flight at once, so the encoding
// finds them in the cache. `bomrank scan --db -f json` of the 100k
// workload, CPU profiles of 6 interleaved runs each (machine under
// load): appendDevice 1.04 -> 0.83 s (warm 0.20 s of it), findingConv.set
// 0.36 -> 0.10 s (its first read of the vectors was the miss);
// BenchmarkJSONDB (4-5 interleaved rounds of 10) 0.111-0.143 ->
// 0.091-0.114 cpu-s/op (min-median). Nothing depends on what warm reads
// but its result; TestWarm holds it to the bytes it names, on findings
// with empty fields too.
func warm(fs []*match.Finding) byte {
	var x byte
	for _, f := range fs {
		x ^= head(f.ID) ^ head(f.Summary)
		if len(f.Severity) > 0 {
			x ^= head(f.Severity[0].Type) ^ head(f.Severity[0].Score)
		}
		if len(f.Aliases) > 0 {
			x ^= head(f.Aliases[0])
		}
		if len(f.Fixed) > 0 {
			x ^= head(f.Fixed[0])
		}
		if len(f.Sources) > 0 {
			x ^= head(f.Sources[0].ID) ^ head(f.Sources[0].Path)
		}
		if d := f.Decision; d != nil && len(d.Reasons) > 0 {
			x ^= head(d.Reasons[len(d.Reasons)-1])
		}
		if c := f.Component; c != nil { // shared by findings, but read cold
			x ^= head(c.Name) ^ head(c.PURL)
		}
	}
	return x
}

// head is the first byte of s, 0 for "".
func head(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
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
		dst = grow(dst, need)
	}
	e.ind.init(dst, devicePrefix, deviceIndent)
	w := &e.ind
	w.b = append(w.b, e.head[:i]...)
	w.b = append(w.b, findingsPlaceholder[:len(findingsPlaceholder)-len("null")]...)
	if len(r.Findings) == 0 {
		w.b = append(w.b, "[]"...)
	} else {
		fr := w.at(1)
		w.b = append(w.b, fr.open...)
		for k, f := range r.Findings {
			if k%warmAhead == 0 {
				e.warmth ^= warm(r.Findings[k:min(k+warmAhead, len(r.Findings))])
			}
			fj := e.conv.set(f)
			if !finiteFloats(fj) {
				_, err := json.Marshal(*fj)
				return dst, err // encoding/json's error for the number
			}
			if k > 0 {
				w.b = append(w.b, fr.sep...)
			}
			w.finding(2, fj)
		}
		w.b = append(w.b, fr.closeArr...)
	}
	w.b = append(w.b, e.head[i+len(findingsPlaceholder):]...)
	if len(r.Findings) > 0 {
		e.perFinding = max((len(w.b)-start-len(e.head))/len(r.Findings), 64)
	}
	return w.b, nil
}

// grow returns dst with room for n more bytes, in memory made resident
// in one system call (package prefault) rather than a page fault per 4
// KiB as the encoder first writes it: a device takes a megabyte or more,
// and the buffers of the ring (writeDevices) are the report's fresh
// memory. `bomrank scan --db -f json` of the 100k workload, CPU profiles
// of 6 interleaved runs each, the heap's prefault without huge pages:
// slices.Grow 0.16 s (its zeroing faulted the pages in) -> grow 0.03 s,
// appendDevice 0.62 -> 0.57 s; with huge pages both are a few ms.
// TestGrow holds it to the contents and room asked for.
func grow(dst []byte, n int) []byte {
	b := make([]byte, len(dst), len(dst)+n)
	prefault.Resident(b[:cap(b)])
	copy(b, dst)
	return b
}

// indenter appends JSON values as json.MarshalIndent(v, prefix, indent)
// writes them; a value "at depth d" has its members on lines indented
// d+1 times and its closing bracket on a line indented d times.
//
// What it writes between the values is pre-built, per depth (frags): a
// member's comma, line break, indentation and key are one append, not
// three. A string of minPlainCache bytes or more is checked for escapes
// once per string in memory (plain): most long strings of a finding are
// shared by many findings (the decision's reasons and sources, the
// component's purl), and the check read every byte of every copy. Both
// together, BenchmarkDeviceJSON (CPU time per device of 500 findings,
// interleaved runs, December 2026): 0.47-0.50 ms before, 0.32-0.35 ms
// after. TestFindingEncoderDeep and TestPlainStringCache hold them to
// encoding/json.
type indenter struct {
	b     []byte
	lines []string // lines[d] is a line break and the indentation of depth d
	// frags[d] is what goes between the values of depth d.
	frags []*depthFrags
	// plain remembers strings found to need no escaping, by where their
	// bytes are (a string's bytes never change): see str.
	plain [plainSlots]plainString
	// blocks holds the JSON of values shared by findings (see block).
	blocks [blockSlots]blockEntry
	// sev is the last severity written (see severity), heads the
	// members of SSVC decisions before their reasons (see ssvcHead).
	sev   severityBlock
	heads [1 << headBits]ssvcHeadEntry
}

// depthFrags is what an indenter writes between the values at one depth
// d: key[k] starts member k after another member, first[k] opens the
// object with member k; open opens an array with its first element, sep
// comes between two elements, closeArr and closeObj close an array and
// an object.
type depthFrags struct {
	key, first                    [numKeys]string
	open, sep, closeArr, closeObj string
}

// plainString is a string seen to need no escaping: the address of its
// bytes and its length.
type plainString struct {
	p *byte
	n int
}

// plainSlots is the number of strings an indenter remembers as plain;
// minPlainCache is the length from which it looks a string up there
// (shorter ones are checked faster than looked up).
const plainSlots, minPlainCache = 512, 16

// jkey names a member key of the findings' JSON (see keyNames).
type jkey uint8

// The member keys the indenter writes.
const (
	kID jkey = iota
	kAliases
	kStatus
	kReason
	kComponent
	kFixed
	kSeverity
	kVectors
	kRating
	kRatingSource
	kSummary
	kInformational
	kSources
	kJustification
	kImpact
	kRemediations
	kOutcome
	kAction
	kSSVC
	kKEV
	kEPSS
	kIgnored
	kActor
	kActorAction
	kName
	kVersion
	kPURL
	kCPEs
	kRef
	kType
	kScore
	kFormat
	kPath
	kMatch
	kConfidence
	kProduct
	kCategory
	kDetails
	kURL
	kDate
	kExploitation
	kAutomatable
	kExposure
	kHumanImpact
	kReasons
	kSource
	kDetail
	kDateAdded
	kDueDate
	kRansomware
	kRequiredAction
	kPercentile
	kScoreDate
	kUntil
	kBy
	numKeys
)

// keyNames is each key as written, with its quotes, colon and space.
var keyNames = [numKeys]string{
	kID: `"id": `, kAliases: `"aliases": `, kStatus: `"status": `, kReason: `"reason": `, kComponent: `"component": `,
	kFixed: `"fixed": `, kSeverity: `"severity": `, kVectors: `"vectors": `, kRating: `"rating": `,
	kRatingSource: `"rating_source": `, kSummary: `"summary": `, kInformational: `"informational": `,
	kSources: `"sources": `, kJustification: `"justification": `, kImpact: `"impact": `,
	kRemediations: `"remediations": `, kOutcome: `"outcome": `, kAction: `"action": `, kSSVC: `"ssvc": `,
	kKEV: `"kev": `, kEPSS: `"epss": `, kIgnored: `"ignored": `, kActor: `"actor": `, kActorAction: `"actor_action": `,
	kName: `"name": `, kVersion: `"version": `, kPURL: `"purl": `, kCPEs: `"cpes": `, kRef: `"ref": `,
	kType: `"type": `, kScore: `"score": `, kFormat: `"format": `, kPath: `"path": `, kMatch: `"match": `,
	kConfidence: `"confidence": `, kProduct: `"product": `, kCategory: `"category": `, kDetails: `"details": `,
	kURL: `"url": `, kDate: `"date": `, kExploitation: `"exploitation": `, kAutomatable: `"automatable": `,
	kExposure: `"exposure": `, kHumanImpact: `"human_impact": `, kReasons: `"reasons": `, kSource: `"source": `,
	kDetail: `"detail": `, kDateAdded: `"date_added": `, kDueDate: `"due_date": `,
	kRansomware: `"known_ransomware_use": `, kRequiredAction: `"required_action": `, kPercentile: `"percentile": `,
	kScoreDate: `"score_date": `, kUntil: `"until": `, kBy: `"by": `,
}

// init makes w append to b, indenting with prefix and indent.
func (w *indenter) init(b []byte, prefix, indent string) {
	w.b = b
	if len(w.lines) > 0 && w.lines[1] == "\n"+prefix+indent {
		return
	}
	if prefix == devicePrefix && indent == deviceIndent {
		w.lines, w.frags = scanIndent()
		return
	}
	w.lines, w.frags = makeFrags(prefix, indent)
}

// scanIndent is makeFrags(devicePrefix, deviceIndent), made once and
// shared by the indenters of every device (read only: deeper depths are
// appended to copies, the slices' capacity being their length).
var scanIndent = sync.OnceValues(func() ([]string, []*depthFrags) { return makeFrags(devicePrefix, deviceIndent) })

// fragDepths is the number of depths makeFrags prepares; a finding in
// the scan JSON goes no deeper.
const fragDepths = 8

// makeFrags makes the lines and fragments of the first fragDepths
// depths.
func makeFrags(prefix, indent string) ([]string, []*depthFrags) {
	lines := make([]string, fragDepths+1)
	for d := range lines {
		lines[d] = "\n" + prefix + strings.Repeat(indent, d)
	}
	frags := make([]*depthFrags, fragDepths)
	for d := range frags {
		frags[d] = newDepthFrags(lines[d], lines[d+1])
	}
	return lines, frags
}

// newDepthFrags makes the fragments of a depth whose own line is out and
// whose members' line is in.
func newDepthFrags(out, in string) *depthFrags {
	f := &depthFrags{open: "[" + in, sep: "," + in, closeArr: out + "]", closeObj: out + "}"}
	for k, name := range keyNames {
		f.key[k], f.first[k] = ","+in+name, "{"+in+name
	}
	return f
}

// line is the line break and indentation of depth d.
func (w *indenter) line(d int) string {
	for d >= len(w.lines) {
		last := w.lines[len(w.lines)-1]
		w.lines = append(w.lines[:len(w.lines):len(w.lines)], last+last[len(w.lines[0]):len(w.lines[1])])
	}
	return w.lines[d]
}

// at returns the fragments of depth d.
func (w *indenter) at(d int) *depthFrags {
	if d < len(w.frags) {
		return w.frags[d]
	}
	return w.deeper(d)
}

// deeper makes the fragments down to depth d.
func (w *indenter) deeper(d int) *depthFrags {
	for d >= len(w.frags) {
		n := len(w.frags)
		w.frags = append(w.frags[:n:n], newDepthFrags(w.line(n), w.line(n+1)))
	}
	return w.frags[d]
}

// key starts member k of the object at depth d, after the member before
// it.
func (w *indenter) key(d int, k jkey) { w.b = append(w.b, w.at(d).key[k]...) }

// first opens the object at depth d with its first member, k.
func (w *indenter) first(d int, k jkey) { w.b = append(w.b, w.at(d).first[k]...) }

// end closes the object at depth d.
func (w *indenter) end(d int) { w.b = append(w.b, w.at(d).closeObj...) }

// str appends s as a JSON string. A string of minPlainCache bytes or
// more whose bytes were seen plain (no escaping) at the same address is
// copied without looking at them again; strings are immutable, and plain
// holds the address, which keeps the bytes from being freed and reused.
func (w *indenter) str(s string) {
	if len(s) < minPlainCache {
		w.b = appendString(w.b, s)
		return
	}
	p := unsafe.StringData(s)
	e := &w.plain[uint64(uintptr(unsafe.Pointer(p)))*0x9E3779B97F4A7C15>>(64-plainBits)]
	if e.p != p || e.n != len(s) {
		if !isPlain(s) {
			w.b = appendString(w.b, s)
			return
		}
		*e = plainString{p, len(s)}
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

// plainBits is log2(plainSlots).
const plainBits = 9

// omitEmpty writes member k with s, a string field tagged omitempty,
// unless s is empty.
func (w *indenter) omitEmpty(d int, k jkey, s string) {
	if s != "" {
		w.key(d, k)
		w.str(s)
	}
}

// finding writes f, at depth d, in the order of findingJSON's fields.
func (w *indenter) finding(d int, f *findingJSON) {
	w.first(d, kID)
	w.str(f.ID)
	w.key(d, kAliases)
	w.strs(d+1, f.Aliases)
	w.key(d, kStatus)
	w.str(f.Status)
	w.omitEmpty(d, kReason, f.Reason)
	w.key(d, kComponent)
	w.component(d+1, &f.Component)
	w.key(d, kFixed)
	w.strs(d+1, f.Fixed)
	w.key(d, kSeverity)
	w.severity(d+1, &f.Severity)
	w.omitEmpty(d, kSummary, f.Summary)
	w.omitEmpty(d, kInformational, f.Informational)
	w.key(d, kSources)
	w.sources(d+1, f.Sources)
	w.omitEmpty(d, kJustification, f.Justification)
	w.omitEmpty(d, kImpact, f.Impact)
	w.key(d, kRemediations)
	w.remediations(d+1, f.Remediations)
	w.omitEmpty(d, kOutcome, f.Outcome)
	w.omitEmpty(d, kAction, f.Action)
	if f.SSVC != nil {
		w.key(d, kSSVC)
		w.ssvc(d+1, f.SSVC)
	}
	if f.KEV != nil {
		w.key(d, kKEV)
		w.kev(d+1, f.KEV)
	}
	if f.EPSS != nil {
		w.key(d, kEPSS)
		w.epss(d+1, f.EPSS)
	}
	if f.Ignored != nil {
		w.key(d, kIgnored)
		w.ignored(d+1, f.Ignored)
	}
	w.omitEmpty(d, kActor, f.Actor)
	w.omitEmpty(d, kActorAction, f.ActorAction)
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
	f := w.at(d)
	w.b = append(w.b, f.open...)
	for i := range n {
		if i > 0 {
			w.b = append(w.b, f.sep...)
		}
		elem(i)
	}
	w.b = append(w.b, f.closeArr...)
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
	f := w.at(d)
	w.b = append(w.b, f.open...)
	for i, s := range ss {
		if i > 0 {
			w.b = append(w.b, f.sep...)
		}
		w.str(s)
	}
	w.b = append(w.b, f.closeArr...)
}

// component writes c at depth d, from the indenter's blocks when c was
// made from a component whose block is there.
func (w *indenter) component(d int, c *componentJSON) {
	e, hit := w.block(unsafe.Pointer(c.from), d)
	if hit {
		return
	}
	start := len(w.b)
	w.first(d, kName)
	w.str(c.Name)
	w.key(d, kVersion)
	w.str(c.Version)
	w.key(d, kPURL)
	w.str(c.PURL)
	w.key(d, kCPEs)
	w.strs(d+1, c.CPEs)
	w.omitEmpty(d, kRef, c.Ref)
	w.end(d)
	e.keep(unsafe.Pointer(c.from), d, w.b[start:])
}

// severity writes s at depth d, a copy of the last severity's JSON when
// s has the same contents at the same depth: a device's findings come
// in runs of the same vectors (every finding of the 100k benchmark has
// one and the same), and writing them anew was a dozen appends a
// finding. Comparing the vectors reads the bytes the writing would
// read. TestSeverityBlock holds it to encoding/json.
func (w *indenter) severity(d int, s *severityJSON) {
	c := &w.sev
	if c.ok && c.d == d && c.rating == s.Rating && c.source == s.RatingSource &&
		c.isNil == (s.Vectors == nil) && slices.Equal(c.vectors, s.Vectors) {
		w.b = append(w.b, c.b...)
		return
	}
	start := len(w.b)
	w.first(d, kVectors)
	w.vectors(d+1, s.Vectors)
	w.key(d, kRating)
	w.str(s.Rating)
	w.key(d, kRatingSource)
	w.str(s.RatingSource)
	w.end(d)
	c.ok, c.d, c.rating, c.source, c.isNil = true, d, s.Rating, s.RatingSource, s.Vectors == nil
	c.vectors = append(c.vectors[:0], s.Vectors...)
	c.b = append(c.b[:0], w.b[start:]...)
}

// severityBlock is the JSON of the last severity an indenter wrote, at
// depth d, with the contents it was written from.
type severityBlock struct {
	ok, isNil      bool // isNil: the vectors were a nil slice
	d              int
	rating, source string
	vectors        []vectorJSON
	b              []byte
}

func (w *indenter) vectors(d int, vs []vectorJSON) {
	w.array(d, len(vs), vs == nil, func(i int) {
		w.first(d+1, kType)
		w.str(vs[i].Type)
		w.key(d+1, kScore)
		w.str(vs[i].Score)
		w.end(d + 1)
	})
}

func (w *indenter) sources(d int, ss []sourceJSON) {
	w.array(d, len(ss), ss == nil, func(i int) {
		s := &ss[i]
		w.first(d+1, kID)
		w.str(s.ID)
		w.key(d+1, kFormat)
		w.str(s.Format)
		w.key(d+1, kPath)
		w.str(s.Path)
		w.key(d+1, kMatch)
		w.str(s.Match)
		w.key(d+1, kConfidence)
		w.str(s.Confidence)
		w.omitEmpty(d+1, kProduct, s.Product)
		w.end(d + 1)
	})
}

func (w *indenter) remediations(d int, rs []remediationJSON) {
	w.array(d, len(rs), rs == nil, func(i int) {
		r := &rs[i]
		w.first(d+1, kCategory)
		w.str(r.Category)
		w.omitEmpty(d+1, kDetails, r.Details)
		w.omitEmpty(d+1, kURL, r.URL)
		w.omitEmpty(d+1, kDate, r.Date)
		w.end(d + 1)
	})
}

func (w *indenter) ssvc(d int, x *ssvcJSON) {
	w.ssvcHead(d, x)
	w.key(d, kReasons)
	w.strs(d+1, x.Reasons)
	w.key(d, kSources)
	w.decisionSources(d+1, &x.Sources)
	w.end(d)
}

// ssvcHead writes the members of x before its reasons at depth d: from
// w's heads when one was written from the same values, as the findings
// of a device mostly are (their decision points are the device's and
// their scores few), saving seven members and a float's formatting per
// finding. TestSSVCHeads holds it to encoding/json.
func (w *indenter) ssvcHead(d int, x *ssvcJSON) {
	k := ssvcHeadKey{d: d, exploitation: x.Exploitation, automatable: x.Automatable, exposure: x.Exposure,
		human: x.HumanImpact, outcome: x.Outcome, action: x.Action, score: math.Float64bits(x.Score)}
	h := k.score*0x9E3779B97F4A7C15 ^ uint64(len(k.outcome)+len(k.action)<<8+len(k.exploitation)<<16+len(k.exposure)<<24)
	e := &w.heads[h>>(64-headBits)]
	if e.ok && e.key == k {
		w.b = append(w.b, e.b...)
		return
	}
	start := len(w.b)
	w.first(d, kExploitation)
	w.str(x.Exploitation)
	w.key(d, kAutomatable)
	w.b = strconv.AppendBool(w.b, x.Automatable)
	w.key(d, kExposure)
	w.str(x.Exposure)
	w.key(d, kHumanImpact)
	w.str(x.HumanImpact)
	w.key(d, kOutcome)
	w.str(x.Outcome)
	w.key(d, kAction)
	w.str(x.Action)
	w.key(d, kScore)
	w.b = appendFloat(w.b, x.Score)
	e.ok, e.key, e.b = true, k, append(e.b[:0], w.b[start:]...)
}

// ssvcHeadKey is what the members of an ssvcJSON before its reasons are
// written from, at depth d (the score by its bits: -0 is written "-0").
type ssvcHeadKey struct {
	d                                              int
	exploitation, exposure, human, outcome, action string
	automatable                                    bool
	score                                          uint64
}

// ssvcHeadEntry is the JSON of the members before the reasons of an
// ssvcJSON with key's values.
type ssvcHeadEntry struct {
	ok  bool
	key ssvcHeadKey
	b   []byte
}

// headBits is log2 of the number of heads an indenter keeps.
const headBits = 4

// decisionSources writes ds at depth d, from the indenter's blocks when
// ds was made from a value of sources whose block is there.
func (w *indenter) decisionSources(d int, ds *decisionSourcesJSON) {
	e, hit := w.block(unsafe.Pointer(ds.from), d)
	if hit {
		return
	}
	start := len(w.b)
	w.first(d, kExploitation)
	w.sourceOf(d+1, &ds.Exploitation)
	w.key(d, kAutomatable)
	w.sourceOf(d+1, &ds.Automatable)
	w.key(d, kExposure)
	w.sourceOf(d+1, &ds.Exposure)
	w.end(d)
	e.keep(unsafe.Pointer(ds.from), d, w.b[start:])
}

// blockEntry is the JSON of a value shared by findings (a component,
// the sources of a decision), written at depth d, by the address of the
// value it was made from.
type blockEntry struct {
	from unsafe.Pointer
	d    int
	b    []byte
}

// blockSlots is the number of blocks an indenter keeps.
const blockSlots = 64

// block appends the JSON of the value at from, written at depth d, if
// it is among w's blocks (hit); otherwise it returns the entry to keep
// the JSON written next in (nil when from is nil: no value to go by).
// Findings share their component and their decision's sources
// (ssvc.Decision.Sources), which are not changed once made: the block
// written for the first is copied for the others. The address held keeps
// the value from being freed and its address reused. BenchmarkDeviceJSON
// (CPU profile, 3,000 devices, three interleaved rounds on a loaded
// machine): appendDevice 1.71-1.78 s without, 1.48-1.61 s with.
// TestSharedBlocksMatchEncodingJSON holds it to encoding/json.
func (w *indenter) block(from unsafe.Pointer, d int) (e *blockEntry, hit bool) {
	if from == nil {
		return nil, false
	}
	e = &w.blocks[uint64(uintptr(from))*0x9E3779B97F4A7C15>>(64-blockBits)]
	if e.from == from && e.d == d {
		w.b = append(w.b, e.b...)
		return nil, true
	}
	return e, false
}

// blockBits is log2(blockSlots).
const blockBits = 6

// keep makes b the block of the value at from written at depth d; a nil
// e keeps nothing.
func (e *blockEntry) keep(from unsafe.Pointer, d int, b []byte) {
	if e != nil {
		e.from, e.d, e.b = from, d, append(e.b[:0], b...)
	}
}

// sourceOf writes s at depth d.
func (w *indenter) sourceOf(d int, s *sourceOfJSON) {
	w.first(d, kSource)
	w.str(s.Source)
	w.omitEmpty(d, kDetail, s.Detail)
	w.end(d)
}

func (w *indenter) kev(d int, x *kevJSON) {
	w.first(d, kDateAdded)
	w.str(x.DateAdded)
	w.key(d, kDueDate)
	w.str(x.DueDate)
	w.key(d, kRansomware)
	w.b = strconv.AppendBool(w.b, x.Ransomware)
	w.key(d, kRequiredAction)
	w.str(x.RequiredAction)
	w.end(d)
}

func (w *indenter) epss(d int, x *epssJSON) {
	w.first(d, kEPSS)
	w.b = appendFloat(w.b, x.Score)
	w.key(d, kPercentile)
	w.b = appendFloat(w.b, x.Percentile)
	w.key(d, kScoreDate)
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
	if !isPlain(s) {
		q, _ := json.Marshal(s) // a string always encodes
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// isPlain reports whether s is written in JSON as it is, between quotes.
func isPlain(s string) bool {
	// A table look per byte: checking eight bytes at a time with word
	// arithmetic measured slower (18-20 ns against 13-15 ns for the
	// strings of a finding).
	for i := 0; i < len(s); i++ {
		if !plainJSON[s[i]] {
			return false
		}
	}
	return true
}

// plainJSON marks the bytes appendString copies as they are.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
