package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/spdx/tools-golang/convert"
	spdxrdf "github.com/spdx/tools-golang/rdf"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdx/v2/v2_1"
	tv21 "github.com/spdx/tools-golang/spdx/v2/v2_1/tagvalue/reader"
	"github.com/spdx/tools-golang/spdx/v2/v2_2"
	tv22 "github.com/spdx/tools-golang/spdx/v2/v2_2/tagvalue/reader"
	tv23 "github.com/spdx/tools-golang/spdx/v2/v2_3/tagvalue/reader"
	tvreader "github.com/spdx/tools-golang/tagvalue/reader"
	spdxyaml "github.com/spdx/tools-golang/yaml"

	"github.com/bomrank/bomrank/internal/xmlguard"
)

// spdx2 reads an SPDX 2.1, 2.2 or 2.3 document in any serialisation with
// github.com/spdx/tools-golang, which converts every version into its 2.3
// model, and fills p.dev from it (spdx2Fill).
//
// tools-golang does the parsing; around it, bomrank works around what it
// loses or rejects (each place says why):
//   - the version as written: the conversion to the 2.3 model overwrites
//     SPDXVersion with "SPDX-2.3", so the version is read beforehand, and
//     an unknown one is reported as ErrUnsupportedVersion;
//   - positions: its messages carry none, so tag-value errors get a line
//     and JSON syntax errors a line and column;
//   - tag-value: a nonstandard Creator, document tags after the creation
//     information and snippets outside a file are repaired with a warning
//     (spdx2RepairTagValue) instead of failing the document;
//   - RDF: gordf misreads XML comments; spdx:describesPackage, the
//     ontology's purpose_x values and a stable order are recovered by a
//     light scan of the XML (spdx2ScanRDF); big documents are refused
//     because the reader is quadratic (spdx2MaxRDFBytes);
//   - panics on malformed input (a null package in JSON) become errors.
func (p *parser) spdx2(f Format, r *bufio.Reader) (err error) {
	// The SPDX 2 readers hold the whole document. RDF/XML and YAML have
	// caps of their own, far below the decompressed-size limit: the
	// document is read only up to them (issue 14: reading a 1 GiB RDF
	// bomb before refusing it took 2 GB).
	var b []byte
	switch f {
	case SPDXRDF:
		b, err = spdx2ReadCapped(r, spdx2MaxRDFBytes, "RDF/XML", "its RDF reader slows down quadratically with size")
	case SPDXYAML:
		b, err = spdx2ReadCapped(r, spdx2MaxYAMLBytes, "YAML", "its YAML reader needs many times the document's size in memory")
	default:
		b, err = p.readAllCounted(r)
	}
	if err != nil {
		return err
	}
	defer func() {
		// tools-golang (and gordf underneath its RDF reader) were not
		// written for hostile input; a panic there is a parse failure of
		// this one document, not of the program.
		if x := recover(); x != nil {
			if _, ok := x.(budgetExceeded); ok {
				panic(x) // for Options.Parse
			}
			err = fmt.Errorf("the SPDX 2 reader (tools-golang) crashed on this document, which is probably malformed (e.g. null where a package belongs): %v", x)
		}
	}()
	var (
		doc     *spdx.Document
		version string
		hints   *spdx2RDFHints
	)
	// tools-golang decodes the whole document into its structs: a few
	// hundred bytes for each object (JSON) or line (tag-value) that may
	// start one, counted before they are made.
	switch f {
	case SPDXJSON:
		p.use(int64(bytes.Count(b, []byte("{"))) * spdx2NodeCost)
	case SPDXTagValue:
		p.use(int64(bytes.Count(b, []byte("\n"))) * spdx2NodeCost)
	case SPDXYAML:
		// Through the lane like the rest, not membudget.Default: a
		// worker holding part of Default while waiting for the lane
		// (for the components it keeps) could wait for ever for one
		// holding the lane while waiting for Default (a CycloneDX VEX
		// feed read at the same time by scan).
		p.use(spdx2YAMLCost(b))
	}
	switch f {
	case SPDXJSON:
		doc, version, err = spdx2ReadJSON(b)
		if err == nil && !p.opts.NoValidate && int64(len(b)) <= p.opts.maxValidateBytes() {
			defer p.validateJSON("SPDX", version, b)
		}
	case SPDXYAML:
		doc, version, err = spdx2ReadYAML(b)
	case SPDXTagValue:
		doc, version, err = p.spdx2ReadTagValue(b)
	case SPDXRDF:
		doc, version, hints, err = spdx2ReadRDF(b)
	default:
		return fmt.Errorf("%w: %s is not an SPDX 2 serialisation", ErrNotSBOM, f)
	}
	if err != nil {
		return err
	}
	if doc == nil {
		return errors.New("SPDX 2 reader returned no document")
	}
	p.dev.SpecVersion = version
	p.spdx2Fill(doc, hints)
	return nil
}

// spdx2NodeCost bounds what tools-golang makes of one JSON object or one
// tag-value line: an spdx.Package is about 600 bytes with its pointers
// (a million empty JSON packages took 1.4 GB in all).
const spdx2NodeCost = 640

// spdx2CheckVersion accepts the SPDX 2 versions tools-golang reads.
func spdx2CheckVersion(v string, f Format) error {
	switch v {
	case "SPDX-2.2", "SPDX-2.3":
		return nil
	case "SPDX-2.1":
		if f != SPDXRDF {
			return nil
		}
		// tools-golang's RDF reader has no 2.1 model.
		return fmt.Errorf("%w: %q in RDF/XML (SPDX 2.1 is read in JSON, YAML and tag-value; RDF only from SPDX 2.2)", ErrUnsupportedVersion, v)
	case "":
		return fmt.Errorf("%w: the document has no SPDX version (expected SPDX-2.1, SPDX-2.2 or SPDX-2.3)", ErrUnsupportedVersion)
	}
	return fmt.Errorf("%w: SPDX version %q (bomrank reads SPDX-2.1, SPDX-2.2 and SPDX-2.3; SPDX 3 is JSON-LD)", ErrUnsupportedVersion, v)
}

// spdx2ReadJSON reads SPDX JSON with tools-golang's models.
func spdx2ReadJSON(b []byte) (*spdx.Document, string, error) {
	// Read the version first: tools-golang reports an unknown version
	// only as a plain string ("unsupported SDPX version") and rewrites a
	// known one to "SPDX-2.3".
	var head struct {
		Version any `json:"spdxVersion"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, "", spdx2JSONError(b, err)
	}
	version, ok := head.Version.(string)
	if !ok && head.Version != nil {
		return nil, "", fmt.Errorf("%w: spdxVersion is not a string", ErrUnsupportedVersion)
	}
	if err := spdx2CheckVersion(version, SPDXJSON); err != nil {
		return nil, "", err
	}
	// This is tools-golang/json.ReadInto less its first pass, which
	// decodes the whole document into a map only to read the version
	// (and copies the input once more): on a 30 MB SBOM that pass costs
	// a third of the time and most of the memory. The version is known
	// already, so the document is decoded straight into its own
	// version's model and converted.
	var data any
	switch version {
	case "SPDX-2.1":
		data = &v2_1.Document{}
	case "SPDX-2.2":
		data = &v2_2.Document{}
	default:
		data = &spdx.Document{}
	}
	if err := json.Unmarshal(b, data); err != nil {
		return nil, "", spdx2JSONError(b, err)
	}
	if doc, ok := data.(*spdx.Document); ok {
		return doc, version, nil
	}
	doc := &spdx.Document{}
	if err := convert.Document(data, doc); err != nil {
		return nil, "", fmt.Errorf("SPDX JSON: converting %s to the SPDX 2.3 model: %w", version, err)
	}
	return doc, version, nil
}

// spdx2JSONError adds the line and column to a JSON syntax or type error.
// The document is decoded whole, so the offsets are in the document.
func spdx2JSONError(b []byte, err error) error {
	off := int64(0)
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &ue):
		off = ue.Offset
	}
	if off > 0 && off <= int64(len(b)) {
		line, col := spdx2LineCol(b, off)
		return fmt.Errorf("SPDX JSON line %d, column %d: %w", line, col, err)
	}
	return fmt.Errorf("SPDX JSON: %w", err)
}

// spdx2LineCol converts a byte offset (as in json.SyntaxError and
// json.UnmarshalTypeError, just past the offending byte, or the last byte of
// a value of the wrong type) into a 1-based line and column.
func spdx2LineCol(b []byte, off int64) (line, col int) {
	before := b[:off-1]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n') - 1
	return line, col
}

// spdx2YAMLVersionRE finds a top-level spdxVersion key in YAML. tools-golang's
// YAML library (sigs.k8s.io/yaml) is not a direct dependency of bomrank, so
// the version is sniffed rather than decoded.
var spdx2YAMLVersionRE = regexp.MustCompile(`(?m)^["']?spdxVersion["']?[ \t]*:[ \t]*["']?([^"'#\r\n]*?)["']?[ \t]*(?:#.*)?\r?$`)

// spdx2MaxYAMLBytes caps the size of an SPDX YAML document: tools-golang
// reads YAML through sigs.k8s.io/yaml, which builds a generic tree of the
// whole document, converts it to JSON and decodes that (8 MiB of "{},"
// took 2.3 GB and 15 s). Within the cap, spdx2YAMLCost is taken from the
// shared memory lane (see budget.go).
const spdx2MaxYAMLBytes = 32 << 20

// spdx2ReadCapped reads the rest of r, refusing a document over limit
// bytes without reading further.
func spdx2ReadCapped(r io.Reader, limit int64, form, why string) ([]byte, error) {
	chunks, total, _, err := readChunks(r, limit, nil)
	if err != nil {
		return nil, err
	}
	if total > limit {
		return nil, fmt.Errorf("SPDX %s: the document has more than %d bytes; bomrank reads SPDX %s only up to %d bytes because %s; convert it to SPDX JSON (e.g. with the SPDX online tools or tools-java)", form, limit, form, limit, why)
	}
	return joinChunks(chunks, total), nil
}

// spdx2YAMLCost estimates the memory tools-golang needs for a YAML
// document: every node of the generic tree, its JSON and its Go value
// cost a few hundred bytes (measured: 260 B for a scalar in a flow
// sequence, 820 B for an empty mapping), and a node starts at most once
// per line, comma or opening bracket, so 512 bytes for each of those
// bounds it, plus the text three times (document, JSON, strings).
func spdx2YAMLCost(b []byte) int64 {
	n := 0
	for _, c := range b {
		switch c {
		case '\n', ',', '{', '[':
			n++
		}
	}
	return int64(n)*1024 + 3*int64(len(b))
}

// spdx2ReadYAML reads SPDX YAML with tools-golang/yaml (its cost,
// spdx2YAMLCost, is counted by the caller).
func spdx2ReadYAML(b []byte) (*spdx.Document, string, error) {
	version := ""
	if m := spdx2YAMLVersionRE.FindSubmatch(b); m != nil {
		version = strings.TrimSpace(string(m[1]))
		if err := spdx2CheckVersion(version, SPDXYAML); err != nil {
			return nil, "", err
		}
	}
	doc, err := spdxyaml.Read(bytes.NewReader(b))
	if err != nil {
		if version == "" && strings.Contains(err.Error(), "unsupported") {
			return nil, "", fmt.Errorf("%w: %v", ErrUnsupportedVersion, err)
		}
		return nil, "", fmt.Errorf("SPDX YAML: %w", err)
	}
	if version == "" {
		// The key was written in a form the sniff does not know
		// (flow mapping, indentation...); tools-golang accepted it, so
		// it was one of the 2.x versions, which the model no longer
		// tells apart.
		version = "SPDX-2"
	}
	return doc, version, nil
}

// spdx2RDFVersionRE finds spdx:specVersion in RDF/XML, as an element or an
// attribute.
var spdx2RDFVersionRE = regexp.MustCompile(`specVersion(?:\s[^>]*)?>\s*([^<\s]*)\s*<|specVersion\s*=\s*["']([^"']*)["']`)

// spdx2MaxRDFBytes caps the size of an RDF/XML document. tools-golang's RDF
// reader (and gordf under it) take time quadratic in the number of nodes:
// 2.5 MB of packages took 16 s, so 100 MB would take hours. A document
// over the cap is refused with advice rather than stalling a scan.
const spdx2MaxRDFBytes = 4 << 20

// spdx2ReadRDF reads SPDX RDF/XML with tools-golang/rdf, which reads SPDX
// 2.2 and 2.3 (not 2.1).
func spdx2ReadRDF(b []byte) (*spdx.Document, string, *spdx2RDFHints, error) {
	version := ""
	if m := spdx2RDFVersionRE.FindSubmatch(b); m != nil {
		version = string(m[1]) + string(m[2])
	}
	if err := spdx2CheckVersion(version, SPDXRDF); err != nil {
		return nil, "", nil, err
	}
	if len(b) > spdx2MaxRDFBytes {
		return nil, "", nil, fmt.Errorf("SPDX RDF: the document has %d bytes; bomrank reads RDF/XML only up to %d bytes because its RDF reader slows down quadratically with size; convert it to SPDX JSON (e.g. with the SPDX online tools or tools-java)", len(b), spdx2MaxRDFBytes)
	}
	hints, err := spdx2ScanRDF(b)
	if err != nil {
		return nil, "", nil, fmt.Errorf("SPDX RDF: %w", err)
	}
	// gordf's XML tokenizer does not know comments: an apostrophe in
	// one is read as an unclosed quote. Comments carry no RDF, so they
	// are removed first.
	doc, err := spdxrdf.Read(bytes.NewReader(spdx2StripXMLComments(b)))
	if err != nil {
		return nil, "", nil, fmt.Errorf("SPDX RDF: %w", err)
	}
	return doc, version, hints, nil
}

// spdx2RDFHints holds what tools-golang's RDF reader drops and bomrank needs.
type spdx2RDFHints struct {
	// describes lists the packages named by the SpdxDocument's
	// spdx:describesPackage: tools-golang adds them to the package list
	// but makes no DESCRIBES relationship, so the device would be lost.
	describes []string
	// purposes maps a package id to its primary package purpose in the
	// 2.3 spelling ("OPERATING-SYSTEM"). tools-golang understands only
	// "packagePurpose_x" (the form in the specification's prose) and
	// drops the ontology's "http://spdx.org/rdf/terms#purpose_x", which is
	// what the reference Java tools write.
	purposes map[string]string
	// order gives each element id (rdf:about) its position in the file.
	// tools-golang returns packages and relationships in an order that
	// changes from run to run (gordf keeps them in maps); they are sorted
	// by it.
	order map[string]int
}

// sort puts packages and relationships in file order (by the position of
// the element, then of the related element), ties by id, so that the
// result does not change from run to run.
func (h *spdx2RDFHints) sort(pkgs []*spdx.Package, rels []*spdx.Relationship) {
	pos := func(id string) int {
		if i, ok := h.order[id]; ok {
			return i
		}
		return len(h.order)
	}
	sort.SliceStable(pkgs, func(i, j int) bool {
		a, b := spdx2ID(pkgs[i].PackageSPDXIdentifier), spdx2ID(pkgs[j].PackageSPDXIdentifier)
		if pa, pb := pos(a), pos(b); pa != pb {
			return pa < pb
		}
		return a < b
	})
	key := func(r *spdx.Relationship) (int, int, string) {
		if r == nil {
			return -1, -1, ""
		}
		a, b := spdx2DocElementID(r.RefA), spdx2DocElementID(r.RefB)
		return pos(a), pos(b), a + " " + spdx2RelType(r.Relationship) + " " + b
	}
	sort.SliceStable(rels, func(i, j int) bool {
		ai, bi, si := key(rels[i])
		aj, bj, sj := key(rels[j])
		if ai != aj {
			return ai < aj
		}
		if bi != bj {
			return bi < bj
		}
		return si < sj
	})
}

// spdx2MaxXMLDepth bounds element nesting in RDF/XML before it reaches
// tools-golang, which recurses through nested elements.
const spdx2MaxXMLDepth = 2000

// spdx2ScanRDF collects spdx2RDFHints with a streaming pass of
// encoding/xml over the document. It is not an RDF reader: it looks at
// two properties only, and leaves everything else to tools-golang.
func spdx2ScanRDF(b []byte) (*spdx2RDFHints, error) {
	h := &spdx2RDFHints{purposes: map[string]string{}, order: map[string]int{}}
	// The guarded decoder counts depth before encoding/xml's own stack
	// grows (the stack below is bounded by the same count).
	d := xmlguard.NewDecoderLimit(bytes.NewReader(b), spdx2MaxXMLDepth)
	d.Strict = false
	d.Raw.Strict = false
	type elem struct {
		local string
		pkg   string // the id, for a spdx:Package element with rdf:about
	}
	var stack []elem
	var purposeOf string // package whose primaryPackagePurpose text is being read
	var text []byte
	for {
		tok, err := d.Token()
		if errors.Is(err, xmlguard.ErrTooDeep) {
			return nil, err
		}
		if err != nil {
			// Malformed XML is for tools-golang to report; its
			// depth still must not reach tools-golang unchecked.
			if derr := spdx2RDFDepth(b); derr != nil {
				return nil, derr
			}
			return h, nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := elem{local: t.Name.Local}
			about := spdx2RDFAttr(t, "about")
			if about != "" {
				if _, ok := h.order[spdx2RDFFragment(about)]; !ok {
					h.order[spdx2RDFFragment(about)] = len(h.order)
				}
			}
			if e.local == "Package" && about != "" {
				e.pkg = spdx2RDFFragment(about)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].local
			}
			switch {
			case e.local == "describesPackage":
				if r := spdx2RDFAttr(t, "resource"); r != "" {
					h.describes = append(h.describes, spdx2RDFFragment(r))
				}
			case parent == "describesPackage" && about != "":
				h.describes = append(h.describes, spdx2RDFFragment(about))
			case e.local == "primaryPackagePurpose" && len(stack) > 0 && stack[len(stack)-1].pkg != "":
				pkg := stack[len(stack)-1].pkg
				if r := spdx2RDFAttr(t, "resource"); r != "" {
					h.purposes[pkg] = spdx2RDFPurpose(r)
				} else {
					purposeOf, text = pkg, text[:0]
				}
			}
			stack = append(stack, e)
		case xml.CharData:
			if purposeOf != "" && len(text) < 256 {
				text = append(text, t...)
			}
		case xml.EndElement:
			if purposeOf != "" {
				h.purposes[purposeOf] = spdx2RDFPurpose(string(text))
				purposeOf = ""
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// spdx2RDFDepth bounds the nesting of a document encoding/xml could not
// read to the end, before it reaches tools-golang's own tokenizer: a byte
// scan counting start tags ("<name", not "<name/>") less end tags ("</"),
// skipping comments, CDATA, processing instructions, declarations and
// quoted attribute values. For well-formed XML the count is the depth.
func spdx2RDFDepth(b []byte) error {
	depth, line := 0, 1
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\n' {
			line++
		}
		if c != '<' || i+1 >= len(b) {
			continue
		}
		skipTo := func(end string) {
			j := bytes.Index(b[i:], []byte(end))
			if j < 0 {
				j = len(b) - i
			} else {
				j += len(end)
			}
			line += bytes.Count(b[i:i+j], []byte("\n"))
			i += j - 1
		}
		switch {
		case bytes.HasPrefix(b[i:], []byte("<!--")):
			skipTo("-->")
		case bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
			skipTo("]]>")
		case b[i+1] == '?':
			skipTo("?>")
		case b[i+1] == '!':
			skipTo(">")
		case b[i+1] == '/':
			depth--
		default:
			// A start tag: find its end outside quotes.
			var quote byte
			j := i + 1
			for ; j < len(b); j++ {
				switch {
				case quote != 0:
					if b[j] == quote {
						quote = 0
					}
				case b[j] == '"' || b[j] == '\'':
					quote = b[j]
				case b[j] == '>':
					goto end
				}
				if b[j] == '\n' {
					line++
				}
			}
		end:
			if j < len(b) && b[j-1] == '/' {
				i = j
				continue
			}
			i = j
			if depth++; depth > spdx2MaxXMLDepth {
				return &xmlguard.DepthError{Limit: spdx2MaxXMLDepth, Line: line}
			}
		}
	}
	return nil
}

// spdx2RDFPurpose turns "http://spdx.org/rdf/terms#purpose_operatingSystem" or
// "packagePurpose_operating_system" into "OPERATING-SYSTEM".
func spdx2RDFPurpose(s string) string {
	s = spdx2RDFFragment(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "packagePurpose_"), "purpose_")
	var out strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) && i > 0 && unicode.IsLower(rune(s[i-1])) {
			out.WriteByte('-')
		}
		out.WriteRune(r)
	}
	return spdx2Purpose(out.String())
}

func spdx2RDFAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// spdx2RDFFragment returns the SPDX id at the end of an RDF node URI.
func spdx2RDFFragment(uri string) string {
	if i := strings.LastIndexByte(uri, '#'); i >= 0 {
		return uri[i+1:]
	}
	return uri
}

// spdx2StripXMLComments removes <!-- --> comments outside CDATA sections. (Text
// and attribute values cannot hold a raw '<', so every other "<!--" opens
// a comment.)
func spdx2StripXMLComments(b []byte) []byte {
	if !bytes.Contains(b, []byte("<!--")) {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			break
		}
		out = append(out, b[:i]...)
		b = b[i:]
		switch {
		case bytes.HasPrefix(b, []byte("<!--")):
			j := bytes.Index(b[4:], []byte("-->"))
			if j < 0 {
				return append(out, b...) // unterminated: let the parser complain
			}
			b = b[4+j+3:]
		case bytes.HasPrefix(b, []byte("<![CDATA[")):
			j := bytes.Index(b, []byte("]]>"))
			if j < 0 {
				return append(out, b...)
			}
			out = append(out, b[:j+3]...)
			b = b[j+3:]
		default:
			out = append(out, '<')
			b = b[1:]
		}
	}
	return append(out, b...)
}

// spdx2ReadTagValue reads SPDX tag-value with tools-golang. It calls the
// pieces of tools-golang/tagvalue.Read itself (tokeniser, per-version
// parser, conversion to the 2.3 model) so that it can repair, between the
// first two steps, what real documents do and tools-golang's strict state
// machine rejects (see spdx2RepairTagValue), and so that it can report the
// line of an error, which tools-golang does not.
func (p *parser) spdx2ReadTagValue(b []byte) (*spdx.Document, string, error) {
	lines, lineErr := spdx2TVPairLines(b)
	raw, err := tvreader.ReadTagValues(bytes.NewReader(b))
	if err != nil {
		if lineErr != nil {
			return nil, "", lineErr
		}
		return nil, "", fmt.Errorf("SPDX tag-value: %w", err)
	}
	if len(raw) == 0 {
		return nil, "", errors.New("SPDX tag-value: no tag-value pairs found")
	}
	if len(lines) != len(raw) {
		lines = nil // the line scan disagrees with tools-golang: give no lines
	}
	pairs := make([]spdx2TVPair, len(raw))
	for i, pr := range raw {
		pairs[i].TagValuePair = pr
		if lines != nil {
			pairs[i].line = lines[i]
		}
	}

	version := ""
	for _, pr := range pairs {
		if pr.Tag == "SPDXVersion" {
			version = pr.Value
			break
		}
	}
	if err := spdx2CheckVersion(version, SPDXTagValue); err != nil {
		return nil, "", err
	}
	pairs = p.spdx2RepairTagValue(pairs)

	plain := make([]tvreader.TagValuePair, len(pairs))
	for i := range pairs {
		plain[i] = pairs[i].TagValuePair
	}
	parse := func(pp []tvreader.TagValuePair) (any, error) {
		switch version {
		case "SPDX-2.1":
			return tv21.ParseTagValues(pp)
		case "SPDX-2.2":
			return tv22.ParseTagValues(pp)
		default:
			return tv23.ParseTagValues(pp)
		}
	}
	data, err := parse(plain)
	if err != nil {
		// tools-golang parses the pairs in order and stops at the first
		// bad one, so the shortest prefix that fails with the same
		// message ends at the offending pair.
		msg := err.Error()
		n := sort.Search(len(plain), func(k int) bool {
			_, e := parse(plain[:k+1])
			return e != nil && e.Error() == msg
		})
		if n < len(pairs) && pairs[n].line > 0 {
			return nil, "", fmt.Errorf("SPDX tag-value line %d: %w", pairs[n].line, err)
		}
		return nil, "", fmt.Errorf("SPDX tag-value: %w", err)
	}
	doc := &spdx.Document{}
	if err := convert.Document(data, doc); err != nil {
		return nil, "", fmt.Errorf("SPDX tag-value: converting %s to the SPDX 2.3 model: %w", version, err)
	}
	return doc, version, nil
}

// spdx2TVPair is a tag-value pair with the line it starts on (0 if unknown).
type spdx2TVPair struct {
	tvreader.TagValuePair
	line int
}

func (t spdx2TVPair) at() string {
	if t.line > 0 {
		return fmt.Sprintf("line %d", t.line)
	}
	return ""
}

// spdx2TVHeader lists the document tags tools-golang's tag-value parser
// accepts only before the creation information (Creator, Created, ...).
var spdx2TVHeader = map[string]bool{
	"SPDXVersion": true, "DataLicense": true, "SPDXID": true, "DocumentName": true,
	"DocumentNamespace": true, "ExternalDocumentRef": true, "DocumentComment": true,
}

// spdx2TVSection lists the tags that open a new section in tag-value.
var spdx2TVSection = map[string]bool{
	"PackageName": true, "FileName": true, "SnippetSPDXID": true, "LicenseID": true, "Reviewer": true,
}

// spdx2RepairTagValue works around three places where tools-golang's
// tag-value parser rejects a whole document over something bomrank does
// not need, each with a warning:
//
//   - a Creator that is not "Person: ...", "Organization: ..." or
//     "Tool: ..." (FreeRTOS: "Creator: Amazon Web Services") is read as an
//     organisation;
//   - document header tags (SPDXID, DocumentName, ExternalDocumentRef, ...)
//     written after Creator/Created (ScanCode, Zephyr west spdx) are moved
//     before them; their order carries no meaning;
//   - a snippet that does not follow a file (the SPDX specification's own
//     examples put one after the last package) is dropped: tools-golang
//     reads snippets only inside a file's section, and snippets are not
//     components.
func (p *parser) spdx2RepairTagValue(pairs []spdx2TVPair) []spdx2TVPair {
	for i := range pairs {
		if pairs[i].Tag != "Creator" {
			continue
		}
		kind, _, ok := strings.Cut(pairs[i].Value, ":")
		switch strings.TrimSpace(kind) {
		case "Person", "Organization", "Tool":
			if ok {
				continue
			}
		}
		p.warn("spdx-creator", pairs[i].at(), "Creator %q is not of the form \"Person: ...\", \"Organization: ...\" or \"Tool: ...\"; read as an organisation", pairs[i].Value)
		pairs[i].Value = "Organization: " + pairs[i].Value
	}

	// Header tags after the creation information, before the first
	// section. This mirrors tools-golang's states: any other tag moves
	// it from "start" to "creation info"; DocumentComment moves it back.
	end := len(pairs)
	for i, pr := range pairs {
		if spdx2TVSection[pr.Tag] {
			end = i
			break
		}
	}
	inCreation, misplaced := false, -1
	for i, pr := range pairs[:end] {
		switch {
		case pr.Tag == "DocumentComment":
			inCreation = false
		case spdx2TVHeader[pr.Tag]:
			if inCreation && misplaced < 0 {
				misplaced = i
			}
		default:
			inCreation = true
		}
	}
	if misplaced >= 0 {
		p.warn("spdx-tag-order", pairs[misplaced].at(), "document tag %s follows the creation information (Creator, Created); the document tags were read first", pairs[misplaced].Tag)
		head := make([]spdx2TVPair, 0, end)
		var rest []spdx2TVPair
		for _, pr := range pairs[:end] {
			if spdx2TVHeader[pr.Tag] {
				head = append(head, pr)
			} else {
				rest = append(rest, pr)
			}
		}
		pairs = append(append(head, rest...), pairs[end:]...)
	}

	// Snippets outside a file's section.
	out := pairs[:0:0]
	lastSection, dropping := "", false
	for _, pr := range pairs {
		if spdx2TVSection[pr.Tag] {
			dropping = false
			if pr.Tag == "SnippetSPDXID" && lastSection != "FileName" && lastSection != "SnippetSPDXID" {
				// The spec allows this (the 2.2 and 2.3 examples
				// do it); only tools-golang does not. Snippets are
				// not components, so it is dropped without a warning.
				dropping = true
				continue
			}
			lastSection = pr.Tag
		}
		if dropping && (strings.HasPrefix(pr.Tag, "Snippet") || pr.Tag == "LicenseInfoInSnippet") {
			continue
		}
		out = append(out, pr)
	}
	return out
}

// spdx2TVMaxLine is the longest line tools-golang's tag-value tokeniser accepts
// (the bufio.Scanner default).
const spdx2TVMaxLine = 64 * 1024

// spdx2TVPairLines returns the line on which each tag-value pair starts,
// following the rules of tools-golang's tokeniser (tagvalue/reader), which
// does not record them. It only locates pairs; tools-golang does the
// reading. The error, if any, is the one the tokeniser will report, with
// its line.
func spdx2TVPairLines(b []byte) ([]int, error) {
	var lines []int
	midtext, start := false, 0
	n := 0
	for len(b) > 0 {
		n++
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		if len(line) >= spdx2TVMaxLine {
			return lines, fmt.Errorf("SPDX tag-value line %d: line longer than %d bytes", n, spdx2TVMaxLine)
		}
		if midtext {
			if bytes.Contains(line, []byte("</text>")) {
				midtext = false
				lines = append(lines, start)
			}
			continue
		}
		l := bytes.TrimLeftFunc(line, unicode.IsSpace)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		_, value, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			return lines, fmt.Errorf("SPDX tag-value line %d: no colon in %q", n, bytes.TrimRight(line, "\r"))
		}
		if _, rest, ok := bytes.Cut(value, []byte("<text>")); ok && !bytes.Contains(rest, []byte("</text>")) {
			midtext, start = true, n
			continue
		}
		lines = append(lines, n)
	}
	if midtext {
		return lines, fmt.Errorf("SPDX tag-value line %d: <text> is not closed by </text>", start)
	}
	return lines, nil
}

// spdx2Fill fills p.dev from the parsed document. hints (RDF only, else
// nil) supplies what tools-golang's RDF reader dropped.
func (p *parser) spdx2Fill(doc *spdx.Document, hints *spdx2RDFHints) {
	d := p.dev
	d.DocumentName = strings.TrimSpace(doc.DocumentName)
	if ns := strings.TrimSpace(doc.DocumentNamespace); ns != "" {
		d.Identifiers = append(d.Identifiers, Identifier{Type: "spdx-document-namespace", Value: ns})
	}
	pkgs, byID := p.spdx2Packages(doc.Packages)
	described := spdx2Described(doc)
	if hints != nil {
		hints.sort(pkgs, doc.Relationships)
		for _, id := range hints.describes {
			described.add(id)
		}
		for _, pkg := range pkgs {
			if pkg.PrimaryPackagePurpose == "" {
				pkg.PrimaryPackagePurpose = hints.purposes[spdx2ID(pkg.PackageSPDXIdentifier)]
			}
		}
	}
	device := p.spdx2Device(described.list, pkgs, byID)
	deviceID := ""
	if device != nil {
		d.Component = *spdx2Component(device)
		deviceID = d.Ref
		d.Manufacturer = spdx2Manufacturer(device)
	}
	parent := p.spdx2Parents(doc.Relationships, byID, deviceID)
	for _, pkg := range pkgs {
		if pkg == device {
			continue
		}
		c := spdx2Component(pkg)
		c.Parent = parent[c.Ref]
		p.keep(componentCost(c))
		d.Components = append(d.Components, c)
	}
	d.Dependencies = spdx2Dependencies(doc.Relationships, byID)
}

// spdx2PackageIDs holds the packages of a document by id.
type spdx2PackageIDs map[string]*spdx.Package

// local returns the id of e when it is a package of this document.
func (byID spdx2PackageIDs) local(e common.DocElementID) (string, bool) {
	if e.DocumentRefID != "" || e.SpecialID != "" {
		return "", false
	}
	id := spdx2DocElementID(e)
	return id, byID[id] != nil
}

// spdx2Packages lists the packages once each, in document order, and by
// id. The RDF reader lists a described package twice (same pointer).
func (p *parser) spdx2Packages(all []*spdx.Package) ([]*spdx.Package, spdx2PackageIDs) {
	var pkgs []*spdx.Package
	byID := spdx2PackageIDs{}
	for _, pkg := range all {
		if pkg == nil {
			continue
		}
		id := spdx2ID(pkg.PackageSPDXIdentifier)
		if prev, dup := byID[id]; dup {
			if prev != pkg {
				p.warn("spdx-duplicate-id", id, "two packages have the id %s; the second (%q) is ignored", id, pkg.PackageName)
			}
			continue
		}
		if id != "" {
			byID[id] = pkg
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs, byID
}

// spdx2IDList is a list of ids without repeats, in the order first added.
type spdx2IDList struct {
	list []string
	seen map[string]bool
}

func (l *spdx2IDList) add(id string) {
	if id == "" || l.seen[id] {
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[id] = true
	l.list = append(l.list, id)
}

// spdx2Described lists the elements the document describes: by DESCRIBES
// and DESCRIBED_BY relationships (tools-golang folds JSON/YAML
// documentDescribes into DESCRIBES). The RDF describesPackage comes from
// the hints.
func spdx2Described(doc *spdx.Document) *spdx2IDList {
	// The document's own id. The RDF reader stores it with its
	// "SPDXRef-" prefix, the others without.
	docID := strings.TrimPrefix(string(doc.SPDXIdentifier), "SPDXRef-")
	if docID == "" {
		docID = "DOCUMENT"
	}
	isDoc := func(e common.DocElementID) bool {
		return e.DocumentRefID == "" && e.SpecialID == "" && strings.TrimPrefix(string(e.ElementRefID), "SPDXRef-") == docID
	}
	described := &spdx2IDList{}
	for _, rel := range doc.Relationships {
		if rel == nil {
			continue
		}
		switch spdx2RelType(rel.Relationship) {
		case "DESCRIBES":
			if isDoc(rel.RefA) {
				described.add(spdx2DocElementID(rel.RefB))
			}
		case "DESCRIBEDBY":
			if isDoc(rel.RefB) {
				described.add(spdx2DocElementID(rel.RefA))
			}
		}
	}
	return described
}

// spdx2Device picks the device: a described package, by purpose, else the
// only package; it sets DeviceSource to say which (or the device's name to
// the document's when there is none).
func (p *parser) spdx2Device(described []string, pkgs []*spdx.Package, byID spdx2PackageIDs) *spdx.Package {
	d := p.dev
	var device *spdx.Package
	rank := len(spdx2DevicePurposes)
	for _, id := range described {
		pkg := byID[id]
		if pkg == nil {
			continue
		}
		r := len(spdx2DevicePurposes)
		for i, purpose := range spdx2DevicePurposes {
			if spdx2Purpose(pkg.PrimaryPackagePurpose) == purpose {
				r = i
			}
		}
		if device == nil || r < rank {
			device, rank = pkg, r
		}
	}
	switch {
	case device != nil:
		d.DeviceSource = "described package"
	case len(described) == 0 && len(pkgs) == 1:
		// SPDX 2.2 tag-value documents with a single package often omit
		// the DESCRIBES relationship (the FreeRTOS and ScanCode SBOMs
		// do); that package is what the document is about.
		// Not a schema violation, so not a warning: DeviceSource says
		// how the device was found.
		device = pkgs[0]
		d.DeviceSource = "only package"
	default:
		// Nothing described, a file described, or a described id that
		// is not in the document.
		// DeviceSource stays empty.
		d.Name = d.DocumentName
	}
	return device
}

// spdx2Parents reads the parents of packages from CONTAINS / CONTAINED_BY
// between packages of this document. The device has none.
func (p *parser) spdx2Parents(rels []*spdx.Relationship, byID spdx2PackageIDs, deviceID string) map[string]string {
	parent := map[string]string{}
	trees := newSpdx2Forest()
	for _, rel := range rels {
		if rel == nil {
			continue
		}
		var outer, inner common.DocElementID
		switch spdx2RelType(rel.Relationship) {
		case "CONTAINS":
			outer, inner = rel.RefA, rel.RefB
		case "CONTAINEDBY":
			outer, inner = rel.RefB, rel.RefA
		default:
			continue
		}
		o, ok1 := byID.local(outer)
		in, ok2 := byID.local(inner)
		if !ok1 || !ok2 || o == in || in == deviceID || parent[in] != "" {
			continue
		}
		// Refuse a cycle (A contains B contains A): Parent chains
		// must end. in has no parent yet, so it is the top of its
		// tree, and o under it would close a loop exactly when o's
		// tree has in at the top.
		if trees.top(o) == in {
			p.warn("spdx-contains-cycle", in, "%s and %s contain each other; the CONTAINS from %s is ignored", o, in, o)
			continue
		}
		parent[in] = o
		trees.join(in, o)
	}
	return parent
}

// spdx2Dependencies reads the dependencies between packages of this
// document and elements of external documents (kept as written,
// DocumentRef-x:SPDXRef-y), once each, grouped by the dependent element in
// the order first seen.
func spdx2Dependencies(rels []*spdx.Relationship, byID spdx2PackageIDs) []Dependency {
	end := func(e common.DocElementID) (string, bool) {
		if e.SpecialID != "" {
			return "", false
		}
		if e.DocumentRefID != "" {
			return common.RenderDocElementID(e), e.ElementRefID != ""
		}
		return byID.local(e)
	}
	var deps []Dependency
	index := map[string]int{}
	have := map[[2]string]bool{}
	for _, rel := range rels {
		if rel == nil {
			continue
		}
		dir, ok := spdx2DependencyTypes[spdx2RelType(rel.Relationship)]
		if !ok {
			continue
		}
		from, to := rel.RefA, rel.RefB
		if dir < 0 {
			from, to = to, from
		}
		a, ok1 := end(from)
		b, ok2 := end(to)
		if !ok1 || !ok2 || a == b || have[[2]string{a, b}] {
			continue
		}
		have[[2]string{a, b}] = true
		i, ok := index[a]
		if !ok {
			i = len(deps)
			index[a] = i
			deps = append(deps, Dependency{Ref: a})
		}
		deps[i].DependsOn = append(deps[i].DependsOn, b)
	}
	return deps
}

// spdx2Forest tracks which tree of the Parent forest each package is in,
// and the tree's top, with union-find, so that a CONTAINS that would close
// a loop is found without walking Parent chains (which, on a long chain,
// would make the parse quadratic).
type spdx2Forest struct {
	up   map[string]string // union-find links; absent: a set of its own
	size map[string]int    // set sizes, at the representatives
	tops map[string]string // tree tops, at the representatives
}

func newSpdx2Forest() *spdx2Forest {
	return &spdx2Forest{up: map[string]string{}, size: map[string]int{}, tops: map[string]string{}}
}

func (f *spdx2Forest) find(x string) string {
	r := x
	for {
		u, ok := f.up[r]
		if !ok {
			break
		}
		r = u
	}
	for x != r { // path compression
		next := f.up[x]
		f.up[x] = r
		x = next
	}
	return r
}

// top returns the top of x's tree.
func (f *spdx2Forest) top(x string) string {
	if t, ok := f.tops[f.find(x)]; ok {
		return t
	}
	return f.find(x)
}

// join records that child (a tree top) now hangs under parent.
func (f *spdx2Forest) join(child, parent string) {
	t := f.top(parent)
	a, b := f.find(child), f.find(parent)
	if a == b {
		return
	}
	sa, sb := f.size[a]+1, f.size[b]+1
	if sa > sb {
		a, b = b, a
	}
	f.up[a] = b
	f.size[b] = sa + sb - 1
	f.tops[b] = t
	delete(f.tops, a)
	delete(f.size, a)
}

// spdx2DevicePurposes ranks the primary package purposes that make a
// described package the device, best first.
var spdx2DevicePurposes = []string{"DEVICE", "FIRMWARE", "OPERATING-SYSTEM"}

// spdx2DependencyTypes maps a relationship type (as normalised by spdx2RelType)
// to the direction of the dependency: +1 when A depends on B, -1 when B
// depends on A. Linking and prerequisites are dependencies too.
var spdx2DependencyTypes = map[string]int{
	"DEPENDSON":            +1,
	"DYNAMICLINK":          +1,
	"STATICLINK":           +1,
	"HASPREREQUISITE":      +1,
	"DEPENDENCYOF":         -1,
	"BUILDDEPENDENCYOF":    -1,
	"DEVDEPENDENCYOF":      -1,
	"OPTIONALDEPENDENCYOF": -1,
	"PROVIDEDDEPENDENCYOF": -1,
	"TESTDEPENDENCYOF":     -1,
	"RUNTIMEDEPENDENCYOF":  -1,
	"PREREQUISITEFOR":      -1,
}

// spdx2RelType normalises a relationship type so that the tag-value/JSON form
// (DEPENDS_ON) and the RDF form tools-golang leaves as is (dependsOn)
// compare equal: "DEPENDSON".
func spdx2RelType(s string) string {
	return strings.ToUpper(spdx2RelTypeReplacer.Replace(s))
}

var spdx2RelTypeReplacer = strings.NewReplacer("_", "", "-", "", " ", "", "\t", "")

// spdx2ID renders a package id as written in the document.
func spdx2ID(id common.ElementID) string {
	s := strings.TrimSpace(string(id))
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "SPDXRef-") {
		return s
	}
	return common.RenderElementID(common.ElementID(s))
}

// spdx2DocElementID renders a local element id as written ("" for NONE or
// NOASSERTION).
func spdx2DocElementID(e common.DocElementID) string {
	if e.SpecialID != "" {
		return ""
	}
	if e.DocumentRefID != "" {
		return common.RenderDocElementID(e)
	}
	switch string(e.ElementRefID) {
	case "", "NONE", "NOASSERTION":
		// The RDF reader keeps these as element ids.
		return ""
	}
	return spdx2ID(e.ElementRefID)
}

// spdx2Purpose normalises a primary package purpose to the 2.3 form, e.g.
// "OPERATING-SYSTEM".
func spdx2Purpose(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"))
}

// spdx2Component converts one package.
func spdx2Component(pkg *spdx.Package) *Component {
	c := &Component{
		Ref:          spdx2ID(pkg.PackageSPDXIdentifier),
		Type:         strings.ToLower(spdx2Purpose(pkg.PrimaryPackagePurpose)),
		Name:         strings.TrimSpace(pkg.PackageName),
		Version:      strings.TrimSpace(pkg.PackageVersion),
		EndOfSupport: strings.TrimSpace(pkg.ValidUntilDate),
	}
	for _, ref := range pkg.PackageExternalReferences {
		if ref == nil {
			continue
		}
		category := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(ref.Category), "_", "-"))
		// The RDF reader leaves the type as a URI
		// (http://spdx.org/rdf/references/cpe23Type).
		typ := strings.TrimSpace(ref.RefType)
		if i := strings.LastIndexAny(typ, "/#"); i >= 0 {
			typ = typ[i+1:]
		}
		locator := strings.TrimSpace(ref.Locator)
		if locator == "" {
			continue
		}
		switch {
		case category == "PACKAGE-MANAGER" && strings.EqualFold(typ, "purl"):
			if c.PURL == "" {
				c.PURL = locator
			}
		case category == "SECURITY" && (strings.EqualFold(typ, "cpe22Type") || strings.EqualFold(typ, "cpe23Type")):
			c.CPEs = append(c.CPEs, locator)
		}
	}
	for _, ck := range pkg.PackageChecksums {
		v := strings.ToLower(strings.TrimSpace(ck.Value))
		if v == "" {
			continue
		}
		c.Hashes = append(c.Hashes, Hash{Algorithm: spdx2HashAlgorithm(string(ck.Algorithm)), Value: v})
	}
	c.Supplier = spdx2Party(spdx2Supplier(pkg))
	if c.Supplier == "" {
		c.Supplier = spdx2Party(spdx2Originator(pkg))
	}
	return c
}

// spdx2Manufacturer is the device package's supplier when that is an
// organisation, else its originator, else its (personal) supplier.
func spdx2Manufacturer(pkg *spdx.Package) string {
	supplier := spdx2Party(spdx2Supplier(pkg))
	if supplier != "" && pkg.PackageSupplier.SupplierType != "Person" {
		return supplier
	}
	if o := spdx2Party(spdx2Originator(pkg)); o != "" {
		return o
	}
	return supplier
}

func spdx2Supplier(pkg *spdx.Package) string {
	if pkg.PackageSupplier == nil {
		return ""
	}
	return pkg.PackageSupplier.Supplier
}

func spdx2Originator(pkg *spdx.Package) string {
	if pkg.PackageOriginator == nil {
		return ""
	}
	return pkg.PackageOriginator.Originator
}

// spdx2Party cleans a supplier or originator name (tools-golang has already
// split off "Organization: " or "Person: "): it drops a trailing
// "(email)" and NOASSERTION.
func spdx2Party(s string) string {
	s = strings.TrimSpace(s)
	for _, prefix := range []string{"Organization:", "Person:"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			s = strings.TrimSpace(rest)
		}
	}
	if strings.EqualFold(s, "NOASSERTION") || strings.EqualFold(s, "NONE") {
		return ""
	}
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i >= 0 {
			inner := s[i+1 : len(s)-1]
			if strings.TrimSpace(inner) == "" || strings.Contains(inner, "@") {
				s = strings.TrimSpace(s[:i])
			}
		}
	}
	return s
}

// spdx2HashAlgorithm normalises an SPDX checksum algorithm to bomrank's
// spelling (the one the CycloneDX and SPDX 3 readers use): SHA1 -> SHA-1,
// SHA256 -> SHA-256, SHA3-256 and MD5 unchanged, BLAKE2b-256 with a small b.
func spdx2HashAlgorithm(a string) string {
	a = strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(a)), "_", "-")
	if rest, ok := strings.CutPrefix(a, "SHA"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" && rest != "3" {
		return "SHA-" + rest
	}
	if rest, ok := strings.CutPrefix(a, "BLAKE2B"); ok {
		return "BLAKE2b" + rest
	}
	return a
}
