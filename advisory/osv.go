package advisory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/internal/jsonsniff"
	"github.com/bomrank/bomrank/internal/walk"
	yaml "go.yaml.in/yaml/v2"
)

// Why OSV JSON is read with jsonReader rather than a library.
//
// Loading osv.dev-sized feeds must be fast: the target is the 100,000
// records (127 MB of JSON) of the synthetic benchmark of
// ../shared/bench/gen.py loaded and indexed well under 1.5 s on two cores,
// and on the benchmark machine opening and reading the 100,000 files alone
// costs 0.6-0.8 s. Decoding the records once they are in memory, with two
// workers (one worker in brackets), measured side by side on that machine:
//
//	encoding/json, structs with every OSV field      905 ms (1469 ms)  276 MB, 4.2 M allocations
//	github.com/ossf/osv-schema/bindings/go
//	  (protobuf messages decoded by protojson)        757 ms (1368 ms)  328 MB, 9.6 M allocations
//	encoding/json, lean structs (only what we keep)   485 ms ( 926 ms)  130 MB, 3.1 M allocations
//	encoding/json.Valid alone (validation only)       255 ms ( 414 ms)
//	jsonReader (BenchmarkDecode)                      140 ms ( 265 ms)   92 MB, 0.1 M allocations
//
// So the official bindings are not used: they are the slowest but one, and
// would add google.golang.org/protobuf to the build. Lean structs with
// encoding/json halve the cost of full ones but cannot beat its own
// validation pass. jsonReader validates exactly as strictly as
// encoding/json (FuzzOSV checks that it accepts the same documents and
// decodes the same values as an encoding/json reference), but skips the
// members matching does not need (details, credits, ecosystem_specific,
// ...) with vectorised searches, copies out only the strings it keeps into
// per-worker blocks (arena.go) and interns ecosystems and type names.
// Member names are matched exactly, as the OSV schema defines them
// (encoding/json would also accept "ID" or "Affected").

// Errors a caller can test for with errors.Is.
var (
	// ErrNotAdvisory means the content is not in a feed format this
	// package reads (OSV, CSAF, NVD, OpenVEX, CycloneDX VEX, KEV, EPSS).
	ErrNotAdvisory = errors.New("not an advisory (OSV, CSAF, NVD, OpenVEX, CycloneDX VEX, KEV or EPSS)")
	// ErrTooLarge means a document (after decompression) or a zip member
	// exceeds the size limit. (It is sbom.ErrTooLarge too.)
	ErrTooLarge = walk.ErrTooLarge
	// ErrUnsafeName means a zip member has an absolute or escaping path
	// ("/etc/x", "../x", "C:x") and was not read.
	ErrUnsafeName = errors.New("unsafe zip member name")
	// ErrZipLimit means a zip archive has more members, or declares more
	// uncompressed bytes in total, than the limits allow; none of it is
	// read.
	ErrZipLimit = errors.New("zip archive exceeds limits")
)

func notAdvisory(reason string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotAdvisory, fmt.Sprintf(reason, args...))
}

// decodeDoc reads the advisories of one decompressed document. The
// document is OSV when it is a JSON object with a string "id" and at least
// one of "affected", "modified" or "schema_version", and none of the
// top-level keys of CycloneDX, SPDX or CSAF documents; a JSON array of such
// objects (an empty array is an empty list); an osv.dev API response, an
// object with a "vulns" array of them and no "id"; or YAML whose top-level
// keys (at column 0) include "id:" and one of "affected:", "modified:" or
// "schema_version:".
func decodeDoc(data []byte, source string, r *jsonReader) ([]*Advisory, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	if i == len(data) {
		return nil, notAdvisory("the file is empty")
	}
	var advs []*Advisory
	var err error
	switch data[i] {
	case '{', '[':
		advs, err = decodeJSON(data, r)
	default:
		if bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 {
			return nil, notAdvisory("binary content")
		}
		if !looksLikeOSVYAML(data) {
			return nil, notAdvisory("unrecognised content")
		}
		advs, err = decodeYAML(data, r)
	}
	if err != nil {
		return nil, err
	}
	for _, a := range advs {
		a.Source = source
		a.Format = FormatOSV
	}
	return advs, nil
}

// decodeJSON reads OSV JSON: a record, an array of records or an API
// response. A syntax error anywhere takes precedence over what the
// content is.
func decodeJSON(data []byte, r *jsonReader) ([]*Advisory, error) {
	r.reset(data)
	var advs []*Advisory
	var err error
	switch r.peek() {
	case '[':
		advs, err = r.records()
		r.end()
	case '{':
		a := r.mem.newAdvisory()
		keys, vulnsAt := r.record(a, true)
		r.end()
		if r.err != nil {
			break
		}
		switch {
		case keys.isRecord() && r.typeErr != nil:
			err = fmt.Errorf("OSV record %s: %w", a.ID, r.typeErr)
		case keys.isRecord() && a.ID == "":
			err = errors.New("OSV record has an empty \"id\"")
		case keys.isRecord():
			advs = []*Advisory{a}
		case vulnsAt >= 0 && !keys.id:
			r.pos = vulnsAt
			advs, err = r.records()
		default:
			err = notAdvisory("JSON object without an OSV \"id\" and \"affected\", \"modified\" or \"schema_version\"")
		}
	default:
		r.skip()
		r.end()
		err = notAdvisory("a JSON value that is neither an object nor an array")
	}
	if r.err != nil {
		var se *jsonSyntaxError
		if errors.As(r.err, &se) && !looksLikeOSVJSON(data) {
			return nil, fmt.Errorf("%w: %v", ErrNotAdvisory, r.err)
		}
		return nil, r.err
	}
	if err != nil {
		return nil, err
	}
	return advs, nil
}

// recordKeys notes which identifying top-level members a JSON object has.
type recordKeys struct {
	id, affected, modified, schema bool
	// foreign is set by a top-level member of another format
	// (CycloneDX, SPDX, CSAF).
	foreign bool
}

func (k recordKeys) isRecord() bool {
	return k.id && (k.affected || k.modified || k.schema) && !k.foreign
}

// records reads an array of OSV records (the reader is at '['). A first
// element that is not a record makes the whole document ErrNotAdvisory; a
// later one is an error. After such an element the rest of the array is
// still read, for syntax errors.
func (r *jsonReader) records() ([]*Advisory, error) {
	var out []*Advisory
	var err error
	r.array(func(i int) {
		if err != nil {
			r.skip()
			return
		}
		a := r.mem.newAdvisory()
		var keys recordKeys
		r.typeErr = nil
		if r.peek() == '{' {
			keys, _ = r.record(a, false)
		} else {
			r.skip()
		}
		switch {
		case r.err != nil:
		case !keys.isRecord() && i == 0:
			err = notAdvisory("JSON array whose first element is not an OSV record")
		case !keys.isRecord():
			err = fmt.Errorf("element %d of the array is not an OSV record", i)
		case r.typeErr != nil:
			err = fmt.Errorf("element %d (OSV record %s): %w", i, a.ID, r.typeErr)
		case a.ID == "":
			err = fmt.Errorf("element %d: OSV record has an empty \"id\"", i)
		default:
			out = append(out, a)
		}
	})
	return out, err
}

// record reads one JSON object (the reader is at '{') into a. When top is
// set, vulnsAt is the offset of a "vulns" array member (an osv.dev API
// response), or -1.
func (r *jsonReader) record(a *Advisory, top bool) (keys recordKeys, vulnsAt int) {
	vulnsAt = -1
	affInfo, dbSeverity := "", ""
	r.object(func(key []byte) {
		switch string(key) {
		case "id":
			a.ID, keys.id = r.strOK()
			if !keys.id {
				r.skip()
			}
		case "schema_version":
			keys.schema = true
			a.SchemaVersion = r.istr("schema_version")
		case "modified":
			keys.modified = true
			a.Modified = r.str("modified")
		case "published":
			a.Published = r.str("published")
		case "withdrawn":
			a.Withdrawn = r.str("withdrawn")
		case "summary":
			a.Summary = r.str("summary")
		case "aliases":
			a.Aliases = r.strs("aliases")
		case "related":
			a.Related = r.strs("related")
		case "severity":
			a.Severity = r.severities("severity")
		case "affected":
			keys.affected = true
			a.Affected, affInfo = r.affected()
		case "references":
			a.References = r.references()
		case "database_specific":
			a.Informational, dbSeverity = r.databaseSpecific()
		case "bomFormat", "specVersion", "spdxVersion", "SPDXID", "@context", "@graph", "document":
			keys.foreign = true
			r.skip()
		case "vulns":
			if top && r.peek() == '[' {
				vulnsAt = r.pos
			}
			r.skip()
		default:
			r.skip()
		}
	})
	if a.Informational == "" {
		a.Informational = affInfo
	}
	if dbSeverity != "" {
		a.Severity = append(a.Severity, Severity{Type: DatabaseSeverityType(a.ID), Score: dbSeverity})
	}
	return keys, vulnsAt
}

// affected reads the "affected" array. info is the first non-empty
// database_specific "informational" of its entries.
func (r *jsonReader) affected() (out []Affected, info string) {
	if !r.isArray("affected") {
		return nil, ""
	}
	start := len(r.sc.affected)
	r.array(func(int) {
		if r.null() {
			return
		}
		if r.peek() != '{' {
			r.wrongType("affected[]", "an object")
			return
		}
		var af Affected
		afInfo := ""
		r.object(func(key []byte) {
			switch string(key) {
			case "package":
				af.Ecosystem, af.Name, af.PURL = "", "", ""
				if !r.isObject("package") {
					return
				}
				r.object(func(key []byte) {
					switch string(key) {
					case "ecosystem":
						af.Ecosystem = r.istr("ecosystem")
					case "name":
						af.Name = r.str("name")
					case "purl":
						af.PURL = r.str("purl")
					default:
						r.skip()
					}
				})
			case "ranges":
				af.Ranges = r.ranges()
			case "versions":
				af.Versions = r.strs("versions")
			case "severity":
				af.Severity = r.severities("affected[].severity")
			case "database_specific":
				afInfo, _ = r.databaseSpecific()
			default:
				r.skip()
			}
		})
		if info == "" {
			info = afInfo
		}
		r.sc.affected = append(r.sc.affected, af)
	})
	out = carve(&r.mem.affected, r.sc.affected[start:])
	clear(r.sc.affected[start:])
	r.sc.affected = r.sc.affected[:start]
	return out, info
}

func (r *jsonReader) ranges() []Range {
	if !r.isArray("ranges") {
		return nil
	}
	start := len(r.sc.ranges)
	r.array(func(int) {
		if r.null() {
			return
		}
		if r.peek() != '{' {
			r.wrongType("ranges[]", "an object")
			return
		}
		var rg Range
		r.object(func(key []byte) {
			switch string(key) {
			case "type":
				rg.Type = r.istr("type")
			case "repo":
				rg.Repo = r.str("repo")
			case "events":
				rg.Events = r.events()
			default:
				r.skip()
			}
		})
		r.sc.ranges = append(r.sc.ranges, rg)
	})
	out := carve(&r.mem.ranges, r.sc.ranges[start:])
	r.sc.ranges = r.sc.ranges[:start]
	return out
}

// eventKeys are the OSV event kinds in the order Event documents.
var eventKeys = [...]string{"introduced", "fixed", "last_affected", "limit"}

func (r *jsonReader) events() []Event {
	if !r.isArray("events") {
		return nil
	}
	start := len(r.sc.events)
	r.array(func(int) {
		if r.null() {
			return
		}
		if r.peek() != '{' {
			r.wrongType("events[]", "an object")
			return
		}
		var v [len(eventKeys)]string
		r.object(func(key []byte) {
			for k, name := range eventKeys {
				if string(key) == name {
					v[k] = r.str(name)
					return
				}
			}
			r.skip()
		})
		for k, s := range v {
			if s == "" {
				continue
			}
			var e Event
			switch k {
			case 0:
				e.Introduced = s
			case 1:
				e.Fixed = s
			case 2:
				e.LastAffected = s
			case 3:
				e.Limit = s
			}
			r.sc.events = append(r.sc.events, e)
		}
	})
	out := carve(&r.mem.events, r.sc.events[start:])
	r.sc.events = r.sc.events[:start]
	return out
}

func (r *jsonReader) severities(field string) []Severity {
	if !r.isArray(field) {
		return nil
	}
	start := len(r.sc.sevs)
	r.array(func(int) {
		if r.null() {
			return
		}
		if r.peek() != '{' {
			r.wrongType(field+"[]", "an object")
			return
		}
		var s Severity
		r.object(func(key []byte) {
			switch string(key) {
			case "type":
				s.Type = r.istr("type")
			case "score":
				s.Score = r.str("score")
			default:
				r.skip()
			}
		})
		if s.Type != "" || s.Score != "" {
			r.sc.sevs = append(r.sc.sevs, s)
		}
	})
	out := carve(&r.mem.sevs, r.sc.sevs[start:])
	r.sc.sevs = r.sc.sevs[:start]
	return out
}

func (r *jsonReader) references() []Reference {
	if !r.isArray("references") {
		return nil
	}
	start := len(r.sc.refs)
	r.array(func(int) {
		if r.null() {
			return
		}
		if r.peek() != '{' {
			r.wrongType("references[]", "an object")
			return
		}
		var ref Reference
		r.object(func(key []byte) {
			switch string(key) {
			case "type":
				ref.Type = r.istr("type")
			case "url":
				ref.URL = r.str("url")
			default:
				r.skip()
			}
		})
		if ref.URL != "" {
			r.sc.refs = append(r.sc.refs, ref)
		}
	})
	out := carve(&r.mem.refs, r.sc.refs[start:])
	r.sc.refs = r.sc.refs[:start]
	return out
}

// databaseSpecific reads a database_specific object, which is free-form:
// only the string members "informational" (RustSec) and "severity" (the
// GitHub advisory database's own rating) are taken, and nothing in it is
// a type error.
func (r *jsonReader) databaseSpecific() (info, severity string) {
	if r.peek() != '{' {
		r.skip()
		return "", ""
	}
	r.object(func(key []byte) {
		switch {
		case string(key) == "informational" && r.peek() == '"':
			info, _ = r.strOK()
		case string(key) == "severity" && r.peek() == '"':
			severity, _ = r.strOK()
			severity = strings.TrimSpace(severity)
		default:
			r.skip()
		}
	})
	return info, severity
}

// looksLikeOSVJSON is the sniff used to tell a broken OSV document (an
// error) from some other broken JSON met in a directory (ignored).
func looksLikeOSVJSON(data []byte) bool {
	head := data[:min(len(data), 1<<20)]
	if jsonsniff.HasKey(head, "vulns") {
		return true
	}
	return jsonsniff.HasKey(head, "id") && (jsonsniff.HasKey(head, "affected") || jsonsniff.HasKey(head, "modified") || jsonsniff.HasKey(head, "schema_version"))
}

// looksLikeOSVYAML reports whether the first megabyte of a YAML document
// has the top-level keys of an OSV record: "id:" and one of "affected:",
// "modified:" or "schema_version:", each at the start of a line.
func looksLikeOSVYAML(data []byte) bool {
	head := data[:min(len(data), 1<<20)]
	id, other := false, false
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		switch {
		case bytes.HasPrefix(line, []byte("id:")):
			id = true
		case bytes.HasPrefix(line, []byte("affected:")), bytes.HasPrefix(line, []byte("modified:")),
			bytes.HasPrefix(line, []byte("schema_version:")):
			other = true
		}
		if id && other {
			return true
		}
	}
	return false
}

// decodeYAML reads an OSV record written in YAML (as OSS-Fuzz publishes
// them). go.yaml.in/yaml/v2 decodes it into yamlRecord, which keeps every
// scalar as written ("1.10" stays "1.10", not the number 1.1); the result
// is turned into JSON and read by decodeJSON, so both serialisations follow
// the same rules.
func decodeYAML(data []byte, r *jsonReader) ([]*Advisory, error) {
	var y yamlRecord
	if err := yaml.Unmarshal(data, &y); err != nil {
		return nil, fmt.Errorf("OSV YAML: %v", err)
	}
	j, err := json.Marshal(&y)
	if err != nil {
		return nil, fmt.Errorf("OSV YAML: %v", err)
	}
	advs, err := decodeJSON(j, r)
	if err != nil {
		return nil, fmt.Errorf("OSV YAML: %w", err)
	}
	return advs, nil
}

// yamlRecord is the part of an OSV record that is read from YAML.
type yamlRecord struct {
	SchemaVersion    string          `yaml:"schema_version" json:"schema_version,omitempty"`
	ID               string          `yaml:"id" json:"id"`
	Modified         string          `yaml:"modified" json:"modified,omitempty"`
	Published        string          `yaml:"published" json:"published,omitempty"`
	Withdrawn        string          `yaml:"withdrawn" json:"withdrawn,omitempty"`
	Aliases          []string        `yaml:"aliases" json:"aliases,omitempty"`
	Related          []string        `yaml:"related" json:"related,omitempty"`
	Summary          string          `yaml:"summary" json:"summary,omitempty"`
	Severity         []yamlSeverity  `yaml:"severity" json:"severity,omitempty"`
	Affected         []yamlAffected  `yaml:"affected" json:"affected,omitempty"`
	References       []yamlReference `yaml:"references" json:"references,omitempty"`
	DatabaseSpecific yamlDBSpecific  `yaml:"database_specific" json:"database_specific"`
}

type yamlSeverity struct {
	Type  string `yaml:"type" json:"type"`
	Score string `yaml:"score" json:"score"`
}

type yamlReference struct {
	Type string `yaml:"type" json:"type"`
	URL  string `yaml:"url" json:"url"`
}

type yamlAffected struct {
	Package struct {
		Ecosystem string `yaml:"ecosystem" json:"ecosystem"`
		Name      string `yaml:"name" json:"name"`
		PURL      string `yaml:"purl" json:"purl"`
	} `yaml:"package" json:"package"`
	Ranges           []yamlRange    `yaml:"ranges" json:"ranges"`
	Versions         []string       `yaml:"versions" json:"versions"`
	Severity         []yamlSeverity `yaml:"severity" json:"severity"`
	DatabaseSpecific yamlDBSpecific `yaml:"database_specific" json:"database_specific"`
}

type yamlRange struct {
	Type   string      `yaml:"type" json:"type"`
	Repo   string      `yaml:"repo" json:"repo"`
	Events []yamlEvent `yaml:"events" json:"events"`
}

type yamlEvent struct {
	Introduced   string `yaml:"introduced" json:"introduced,omitempty"`
	Fixed        string `yaml:"fixed" json:"fixed,omitempty"`
	LastAffected string `yaml:"last_affected" json:"last_affected,omitempty"`
	Limit        string `yaml:"limit" json:"limit,omitempty"`
}

type yamlDBSpecific struct {
	Informational yamlLenientString `yaml:"informational" json:"informational,omitempty"`
	Severity      yamlLenientString `yaml:"severity" json:"severity,omitempty"`
}

// yamlLenientString takes a scalar as written and ignores anything else:
// database_specific is free-form.
type yamlLenientString string

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *yamlLenientString) UnmarshalYAML(unmarshal func(any) error) error {
	var v string
	if unmarshal(&v) == nil {
		*s = yamlLenientString(v)
	}
	return nil
}
