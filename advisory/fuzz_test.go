package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// This file holds a reference implementation of decodeJSON built on
// encoding/json, independent of jsonReader: the document is validated by
// json.Valid and decoded by json.Decoder into a generic tree that keeps
// member order and duplicates, and the OSV rules are applied to the tree.
// FuzzOSV and TestDecodeMatchesReference compare the two.

// refNode is a JSON value.
type refNode struct {
	kind    byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	str     string
	members []refMember
	elems   []*refNode
}

type refMember struct {
	key string
	val *refNode
}

func refParse(data []byte) (*refNode, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var parse func() (*refNode, error)
	parse = func() (*refNode, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				n := &refNode{kind: 'o'}
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					v, err := parse()
					if err != nil {
						return nil, err
					}
					n.members = append(n.members, refMember{kt.(string), v})
				}
				_, err := dec.Token()
				return n, err
			case '[':
				n := &refNode{kind: 'a'}
				for dec.More() {
					v, err := parse()
					if err != nil {
						return nil, err
					}
					n.elems = append(n.elems, v)
				}
				_, err := dec.Token()
				return n, err
			}
		case string:
			return &refNode{kind: 's', str: t}, nil
		case float64, json.Number:
			return &refNode{kind: 'n'}, nil
		case bool:
			return &refNode{kind: 'b'}, nil
		case nil:
			return &refNode{kind: 'z'}, nil
		}
		return nil, fmt.Errorf("unexpected token %v", tok)
	}
	return parse()
}

// refState carries the sticky first type error, as jsonReader does.
type refState struct{ typeErr bool }

func (s *refState) wrong() { s.typeErr = true }

func (s *refState) str(n *refNode) string {
	switch n.kind {
	case 's':
		return n.str
	case 'z':
		return ""
	}
	s.wrong()
	return ""
}

func (s *refState) strs(n *refNode) []string {
	if n.kind == 'z' {
		return nil
	}
	if n.kind != 'a' {
		s.wrong()
		return nil
	}
	var out []string
	for _, e := range n.elems {
		if v := s.str(e); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// objs returns the object elements of an array member, dropping nulls and
// noting other values as type errors.
func (s *refState) objs(n *refNode) []*refNode {
	if n.kind == 'z' {
		return nil
	}
	if n.kind != 'a' {
		s.wrong()
		return nil
	}
	var out []*refNode
	for _, e := range n.elems {
		switch e.kind {
		case 'z':
		case 'o':
			out = append(out, e)
		default:
			s.wrong()
		}
	}
	return out
}

func (s *refState) severities(n *refNode) []Severity {
	var out []Severity
	for _, o := range s.objs(n) {
		var v Severity
		for _, m := range o.members {
			switch m.key {
			case "type":
				v.Type = s.str(m.val)
			case "score":
				v.Score = s.str(m.val)
			}
		}
		if v.Type != "" || v.Score != "" {
			out = append(out, v)
		}
	}
	return out
}

func refInformational(n *refNode) string {
	info, _ := refDatabaseSpecific(n)
	return info
}

// refDatabaseSpecific mirrors jsonReader.databaseSpecific.
func refDatabaseSpecific(n *refNode) (info, severity string) {
	if n.kind == 'o' {
		for _, m := range n.members {
			switch {
			case m.key == "informational" && m.val.kind == 's':
				info = m.val.str
			case m.key == "severity" && m.val.kind == 's':
				severity = strings.TrimSpace(m.val.str)
			}
		}
	}
	return info, severity
}

func (s *refState) affected(n *refNode) (out []Affected, info string) {
	for _, o := range s.objs(n) {
		var af Affected
		afInfo := ""
		for _, m := range o.members {
			switch m.key {
			case "package":
				af.Ecosystem, af.Name, af.PURL = "", "", ""
				switch m.val.kind {
				case 'z':
					continue
				case 'o':
				default:
					s.wrong()
					continue
				}
				for _, pm := range m.val.members {
					switch pm.key {
					case "ecosystem":
						af.Ecosystem = s.str(pm.val)
					case "name":
						af.Name = s.str(pm.val)
					case "purl":
						af.PURL = s.str(pm.val)
					}
				}
			case "ranges":
				af.Ranges = nil
				for _, ro := range s.objs(m.val) {
					var rg Range
					for _, rm := range ro.members {
						switch rm.key {
						case "type":
							rg.Type = s.str(rm.val)
						case "repo":
							rg.Repo = s.str(rm.val)
						case "events":
							rg.Events = nil
							for _, eo := range s.objs(rm.val) {
								var v [4]string
								for _, em := range eo.members {
									for k, name := range eventKeys {
										if em.key == name {
											v[k] = s.str(em.val)
										}
									}
								}
								for k, x := range v {
									if x == "" {
										continue
									}
									var e Event
									switch k {
									case 0:
										e.Introduced = x
									case 1:
										e.Fixed = x
									case 2:
										e.LastAffected = x
									case 3:
										e.Limit = x
									}
									rg.Events = append(rg.Events, e)
								}
							}
						}
					}
					af.Ranges = append(af.Ranges, rg)
				}
			case "versions":
				af.Versions = s.strs(m.val)
			case "severity":
				af.Severity = s.severities(m.val)
			case "database_specific":
				afInfo = refInformational(m.val)
			}
		}
		if info == "" {
			info = afInfo
		}
		out = append(out, af)
	}
	return out, info
}

// refRecord mirrors jsonReader.record.
func (s *refState) record(o *refNode, top bool) (*Advisory, recordKeys, *refNode) {
	a := &Advisory{}
	var keys recordKeys
	var vulns *refNode
	affInfo, dbSeverity := "", ""
	for _, m := range o.members {
		switch m.key {
		case "id":
			keys.id = m.val.kind == 's'
			a.ID = m.val.str
		case "schema_version":
			keys.schema = true
			a.SchemaVersion = s.str(m.val)
		case "modified":
			keys.modified = true
			a.Modified = s.str(m.val)
		case "published":
			a.Published = s.str(m.val)
		case "withdrawn":
			a.Withdrawn = s.str(m.val)
		case "summary":
			a.Summary = s.str(m.val)
		case "aliases":
			a.Aliases = s.strs(m.val)
		case "related":
			a.Related = s.strs(m.val)
		case "severity":
			a.Severity = s.severities(m.val)
		case "affected":
			keys.affected = true
			a.Affected, affInfo = s.affected(m.val)
		case "references":
			a.References = nil
			for _, ro := range s.objs(m.val) {
				var ref Reference
				for _, rm := range ro.members {
					switch rm.key {
					case "type":
						ref.Type = s.str(rm.val)
					case "url":
						ref.URL = s.str(rm.val)
					}
				}
				if ref.URL != "" {
					a.References = append(a.References, ref)
				}
			}
		case "database_specific":
			a.Informational, dbSeverity = refDatabaseSpecific(m.val)
		case "bomFormat", "specVersion", "spdxVersion", "SPDXID", "@context", "@graph", "document":
			keys.foreign = true
		case "vulns":
			if top && m.val.kind == 'a' {
				vulns = m.val
			}
		}
	}
	if a.Informational == "" {
		a.Informational = affInfo
	}
	if dbSeverity != "" {
		a.Severity = append(a.Severity, Severity{Type: DatabaseSeverityType(a.ID), Score: dbSeverity})
	}
	return a, keys, vulns
}

// refResult is the outcome of a decode: the records, or an error class.
type refResult struct {
	advs []*Advisory
	err  string // "", "syntax", "not-advisory" or "error"
}

func classify(advs []*Advisory, err error) refResult {
	var se *jsonSyntaxError
	switch {
	case err == nil:
		return refResult{advs: advs}
	case errors.Is(err, ErrNotAdvisory):
		return refResult{err: "not-advisory"}
	case errors.As(err, &se):
		return refResult{err: "syntax"}
	}
	return refResult{err: "error"}
}

func refList(s *refState, n *refNode) refResult {
	var out []*Advisory
	for i, e := range n.elems {
		s.typeErr = false
		var a *Advisory
		var keys recordKeys
		if e.kind == 'o' {
			a, keys, _ = s.record(e, false)
		}
		switch {
		case !keys.isRecord() && i == 0:
			return refResult{err: "not-advisory"}
		case !keys.isRecord(), s.typeErr, a.ID == "":
			return refResult{err: "error"}
		}
		out = append(out, a)
	}
	return refResult{advs: out}
}

// refDecode mirrors decodeJSON for a document starting with '{' or '['.
func refDecode(data []byte) refResult {
	n, err := refParse(data)
	if err != nil {
		if looksLikeOSVJSON(data) {
			return refResult{err: "syntax"}
		}
		return refResult{err: "not-advisory"}
	}
	s := &refState{}
	switch n.kind {
	case 'a':
		return refList(s, n)
	case 'o':
		a, keys, vulns := s.record(n, true)
		switch {
		case keys.isRecord() && s.typeErr:
			return refResult{err: "error"}
		case keys.isRecord() && a.ID == "":
			return refResult{err: "error"}
		case keys.isRecord():
			return refResult{advs: []*Advisory{a}}
		case vulns != nil && !keys.id:
			return refList(s, vulns)
		}
	}
	return refResult{err: "not-advisory"}
}

// compareWithReference decodes data both ways and reports differences.
func compareWithReference(t *testing.T, name string, data []byte) {
	t.Helper()
	r := &jsonReader{in: &interner{}}
	got := classify(decodeJSON(data, r))
	want := refDecode(data)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: jsonReader and the encoding/json reference disagree\njsonReader: %s\nreference:  %s", name, dump(got), dump(want))
	}
}

func dump(r refResult) string {
	b, _ := json.Marshal(r.advs)
	return fmt.Sprintf("err=%q advisories=%s", r.err, b)
}

// TestDecodeMatchesReference runs the comparison over the real records.
func TestDecodeMatchesReference(t *testing.T) {
	dir := sharedOSV(t, "slice")
	n := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		compareWithReference(t, path, data)
		n++
		return nil
	})
	if n != 303 {
		t.Errorf("compared %d files, want 303", n)
	}
}

// fuzzSeeds are small documents that reach every branch of the decoder.
var fuzzSeeds = []string{
	`{"id":"GO-1","modified":"2024-01-01T00:00:00Z","aliases":["CVE-1",null,""],"affected":[{"package":{"ecosystem":"Go","name":"x/y","purl":"pkg:golang/x/y"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.3"}]}],"versions":["1.0"]}]}`,
	`[{"id":"A","modified":"x"},{"id":"B","schema_version":"1.6.0"}]`,
	`{"vulns":[{"id":"A","modified":"x","affected":null}],"next_page_token":"t"}`,
	`{"id":"A","affected":[{"ranges":[{"type":"GIT","repo":"r","events":[{"introduced":"a","fixed":"b","limit":"c"},null,{}]}]}]}`,
	`{"id":"\u0041\ud83d\ude00\ud800x","modified":"\u00e9\\\"\/\b\f\n\r\t","summary":"caf\xc3\xa9 \xff"}`,
	`{"id":"A","modified":5}`,
	`{"id":"A","affected":{"package":1}}`,
	`{"id":"A","affected":[{"database_specific":{"informational":"unsound"}}],"database_specific":{"informational":7}}`,
	`{"bomFormat":"CycloneDX","id":"x","modified":"y"}`,
	`{"document":{"category":"csaf_security_advisory"}}`,
	`{"id":"A","modified":"x"`,
	`[1,2,3]`,
	`[]`,
	`{"id":"A","modified":"x","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N"}],"references":[{"type":"FIX","url":"u"},{"url":""}]}`,
	`{"a":[-0.5e+10,1E2,true,false,null,{"b":[]}],"id":"A","modified":"x"}`,
	`{"id":"A","id":5,"modified":"x"}`,
	`{"id":"A","modified":"x","affected":[{"package":{"name":"a"},"package":{"ecosystem":"b"}}]}`,
	`{"id":"A","modified":"x"} x`,
	`{"\u0069d":"A","modified":"x"}`,
	`"just a string"`,
}

// FuzzOSV checks that jsonReader accepts exactly the documents
// encoding/json.Valid accepts, decodes OSV exactly as the encoding/json
// reference does, and that the whole document path (gzip, YAML, detection)
// never panics.
func FuzzOSV(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("id: OSV-1\nmodified: x\naffected:\n- package: {name: a}\n  ranges:\n  - type: GIT\n    events:\n    - introduced: 1.10\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &jsonReader{in: &interner{}}
		r.reset(data)
		r.skip()
		r.end()
		if valid := json.Valid(data); (r.err == nil) != valid {
			t.Fatalf("jsonReader says valid=%v (err %v), encoding/json says %v", r.err == nil, r.err, valid)
		}
		if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			compareWithReference(t, "input", data)
		}
		w := &worker{}
		out := w.decode(data, "fuzz", 1<<20)
		advs, err := out.advs, out.err
		if err == nil {
			for _, a := range advs {
				if a.ID == "" {
					t.Fatal("record with an empty ID accepted")
				}
				for _, af := range a.Affected {
					for _, rg := range af.Ranges {
						for _, e := range rg.Events {
							if n := countSet(e); n != 1 {
								t.Fatalf("event %+v has %d fields set", e, n)
							}
						}
					}
				}
			}
		}
		_, _ = Parse(io.MultiReader(strings.NewReader(""), bytes.NewReader(data)), "fuzz")
	})
}

func countSet(e Event) int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}

// FuzzKEV checks that any document sniffed as a KEV catalog decodes or
// fails without a panic, and that every entry read has a CVE id.
func FuzzKEV(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "kev", "known_exploited_vulnerabilities.json")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-1"}]}`))
	// Hostile: repeated and empty entries (a gzip bomb's pattern), a byte
	// order mark, the list twice, data after the catalog.
	f.Add([]byte(`{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-1"},{"cveID":"cve-1"}]}`))
	f.Add([]byte(`{"vulnerabilities":[{},{},{}]}`))
	f.Add([]byte("\xef\xbb\xbf" + `{"dateReleased":"d","vulnerabilities":null,"count":1}`))
	f.Add([]byte(`{"vulnerabilities":[],"VULNERABILITIES":[]}`))
	f.Add([]byte(`{"vulnerabilities":[]} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := decodeKEV(data, "f")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, k := range feed.KEV {
			if !strings.HasPrefix(k.CVE, "CVE-") || seen[k.CVE] {
				t.Fatalf("entry without a CVE id, or listed twice: %+v", k)
			}
			seen[k.CVE] = true
		}
	})
}

// FuzzEPSS checks that any input decodes or fails without a panic, and that
// every score read is a probability.
func FuzzEPSS(f *testing.F) {
	f.Add([]byte("#model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z\ncve,epss,percentile\nCVE-2021-44228,0.94358,0.99957\n"))
	f.Add([]byte("cve,epss\nCVE-1,0.1\n"))
	// Hostile: a repeated line (a gzip bomb's pattern), a line over the
	// limit, quotes, CRLF and blank lines.
	f.Add([]byte("cve,epss\nCVE-1,0.1\nCVE-1,0.1\n"))
	f.Add([]byte("cve,epss\nCVE-" + strings.Repeat("9", maxEPSSLine) + ",0.1\n"))
	f.Add([]byte("\"cve\",\"epss\"\r\n\r\n\"CVE-1\",\"0.5\"\r\n\"CVE-2,0.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := decodeEPSS(data, "f")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range feed.EPSS {
			if e.Score < 0 || e.Score > 1 || e.Percentile < 0 || e.Percentile > 1 || !strings.HasPrefix(e.CVE, "CVE-") || seen[e.CVE] {
				t.Fatalf("bad score, or listed twice: %+v", e)
			}
			seen[e.CVE] = true
		}
	})
}
