package schemacheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bomrank/bomrank/internal/xmlguard"
)

// cdxNamespacePrefix + "1.x" is the target namespace of bom-1.x.xsd.
const cdxNamespacePrefix = "http://cyclonedx.org/schema/bom/"

// CheckCycloneDXXML checks a CycloneDX XML document of the given version
// ("1.0" … "1.7") against the rules of that version's XSD that this package
// implements, and returns the violations in document order (deduplicated, at
// most [MaxViolations]); a document that breaks none of them gives nil.
//
// There is no well-kept pure-Go XSD validator, so this is not full XSD
// validation: it enforces a table of rules taken from the XSDs (see
// xmlrules.go) — the document namespace, the enumerations of component
// type, hash algorithm, scope, issue and patch type, data flow, text
// encoding and licence acknowledgement, the hashValue, urnUuid and
// xs:dateTime lexical forms, SPDX licence ids, required elements and
// attributes, the licence, version and citation choices, bom-ref uniqueness
// and non-empty references, and the allowed children of bom, metadata,
// component, service and license. It does not check element order, most
// simple types (xs:anyURI, xs:boolean, …) or types outside those rules.
//
// The error is non-nil only when the check could not be made: an unknown
// version, or doc is not well-formed XML.
func CheckCycloneDXXML(version string, doc []byte) ([]Violation, error) {
	minor, err := parseCDXVersion(version)
	if err != nil {
		return nil, err
	}
	c := &xmlChecker{
		minor:   minor,
		wantNS:  cdxNamespacePrefix + "1." + strconv.Itoa(minor),
		t:       tablesFor(minor),
		bomRefs: make(map[string]*frame),
	}
	if err := c.run(doc); err != nil {
		return nil, err
	}
	return finish(c.out), nil
}

func parseCDXVersion(v string) (int, error) {
	v = strings.TrimSpace(v)
	if minor, ok := strings.CutPrefix(v, "1."); ok {
		if n, err := strconv.Atoi(minor); err == nil && n >= minMinor && n <= maxMinor && strconv.Itoa(n) == minor {
			return n, nil
		}
	}
	return 0, fmt.Errorf("schemacheck: unsupported CycloneDX XML version %q (want 1.0 to 1.7)", v)
}

// elemPattern is a parsed element pattern of the rule tables: "*" (any
// element), a suffix of element names ("dependency/provides") or an
// absolute path ("/bom/metadata").
type elemPattern struct {
	raw  string
	any  bool
	abs  bool
	segs []string
}

func parsePattern(p string) elemPattern {
	if p == "*" {
		return elemPattern{raw: p, any: true}
	}
	return elemPattern{raw: p, abs: strings.HasPrefix(p, "/"), segs: strings.Split(strings.TrimPrefix(p, "/"), "/")}
}

// xmlTables are the rule tables resolved for one CycloneDX version.
type xmlTables struct {
	attrs    []xmlAttrRule
	texts    []xmlTextRule
	children []xmlChildRule
	allowed  []xmlAllowed
	dateTime map[string]bool
	hasText  map[string]bool // last segments of text-rule patterns
}

type xmlAttrRule struct {
	attrRule
	pat  elemPattern
	enum map[string]bool
}

type xmlTextRule struct {
	textRule
	pat  elemPattern
	enum map[string]bool
}

type xmlChildRule struct {
	childRule
	pat elemPattern
}

type xmlAllowed struct {
	pat    elemPattern
	names  map[string]bool
	others bool
}

var (
	tablesOnce [maxMinor + 1]sync.Once
	tables     [maxMinor + 1]*xmlTables
)

// tablesFor builds the tables of a version once; they are read-only after.
func tablesFor(minor int) *xmlTables {
	tablesOnce[minor].Do(func() {
		t := &xmlTables{dateTime: dateTimeElements.at(minor), hasText: map[string]bool{}}
		for _, r := range attrRules {
			if minor >= r.since && minor <= r.until {
				t.attrs = append(t.attrs, xmlAttrRule{attrRule: r, pat: parsePattern(r.elem), enum: r.enum.at(minor)})
			}
		}
		for _, r := range textRules {
			if minor >= r.since && minor <= r.until {
				p := parsePattern(r.elem)
				t.texts = append(t.texts, xmlTextRule{textRule: r, pat: p, enum: r.enum.at(minor)})
				t.hasText[p.segs[len(p.segs)-1]] = true
			}
		}
		for _, r := range childRules {
			if minor >= r.since && minor <= r.until {
				t.children = append(t.children, xmlChildRule{childRule: r, pat: parsePattern(r.elem)})
			}
		}
		pats := make([]string, 0, len(allowedChildren))
		for p := range allowedChildren {
			pats = append(pats, p)
		}
		sort.Strings(pats)
		for _, p := range pats {
			if names, others, ok := allowedAt(allowedChildren[p], minor); ok {
				t.allowed = append(t.allowed, xmlAllowed{pat: parsePattern(p), names: names, others: others})
			}
		}
		tables[minor] = t
	})
	return tables[minor]
}

// xmlChecker streams the document's tokens, keeping one frame per open
// element.
type xmlChecker struct {
	minor   int
	wantNS  string
	t       *xmlTables
	docNS   string // namespace of the root element
	stack   []*frame
	bomRefs map[string]*frame // bom-ref value -> element of first use
	out     []Violation
}

type frame struct {
	local  string
	parent *frame
	index  int // 1-based position among the parent's children of this name
	line   int
	// cdx: the element is in the document's CycloneDX namespace and not
	// inside foreign (lax, unchecked) content.
	cdx      bool
	attrs    []xml.Attr
	children childCounts    // CycloneDX-namespace children by local name
	position map[string]int // all children by (qualified) name, for paths
	text     *strings.Builder
	pathMemo string
}

// path is the element's location, "/bom/components[1]/component[2]".
func (f *frame) path() string {
	if f.pathMemo == "" {
		if f.parent == nil {
			f.pathMemo = "/" + f.local
		} else {
			f.pathMemo = f.parent.path() + "/" + f.local + "[" + strconv.Itoa(f.index) + "]"
		}
	}
	return f.pathMemo
}

func (c *xmlChecker) run(doc []byte) error {
	d := xmlguard.NewDecoder(bytes.NewReader(doc))
	d.Raw.CharsetReader = charsetReader
	sawRoot := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("schemacheck: document is not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := d.InputPos()
			if len(c.stack) == 0 {
				if sawRoot {
					return errors.New("schemacheck: document is not well-formed XML: more than one root element")
				}
				sawRoot = true
				c.startRoot(t)
			}
			c.start(t, line)
		case xml.EndElement:
			c.end()
		case xml.CharData:
			if n := len(c.stack); n > 0 && c.stack[n-1].text != nil {
				c.stack[n-1].text.Write(t)
			}
		}
	}
	if !sawRoot {
		return errors.New("schemacheck: document is not well-formed XML: no root element")
	}
	return nil
}

func (c *xmlChecker) add(f *frame, rule, loc, msg string) {
	if f != nil && f.line > 0 {
		msg = fmt.Sprintf("%s (line %d)", msg, f.line)
	}
	c.out = append(c.out, Violation{Rule: rule, Location: loc, Message: msg})
}

// startRoot checks the document element: <xs:element name="bom"> in the
// target namespace http://cyclonedx.org/schema/bom/1.x.
func (c *xmlChecker) startRoot(t xml.StartElement) {
	c.docNS = t.Name.Space
	if t.Name.Local != "bom" {
		c.out = append(c.out, Violation{Rule: "xsd:root", Location: "/" + t.Name.Local,
			Message: fmt.Sprintf("the document element is <%s>; a CycloneDX document's is <bom>", t.Name.Local)})
	}
	if t.Name.Space != c.wantNS {
		got := t.Name.Space
		if got == "" {
			got = "no namespace"
		}
		c.out = append(c.out, Violation{Rule: "xsd:namespace", Location: "/" + t.Name.Local,
			Message: fmt.Sprintf("the document element is in %s; CycloneDX 1.%d XML must use the namespace %s",
				got, c.minor, c.wantNS)})
	}
}

func (c *xmlChecker) start(t xml.StartElement, line int) {
	var parent *frame
	if n := len(c.stack); n > 0 {
		parent = c.stack[n-1]
	}
	f := &frame{local: t.Name.Local, parent: parent, line: line, attrs: t.Attr}
	inDocNS := t.Name.Space == c.docNS
	f.cdx = inDocNS && (parent == nil || parent.cdx)
	if parent != nil {
		key := t.Name.Local
		if !inDocNS {
			key = "{" + t.Name.Space + "}" + key
		}
		if parent.position == nil {
			parent.position = make(map[string]int)
		}
		parent.position[key]++
		f.index = parent.position[key]
		if f.cdx {
			if parent.children == nil {
				parent.children = make(childCounts)
			}
			parent.children[t.Name.Local]++
		}
	}
	c.stack = append(c.stack, f)
	top := len(c.stack) - 1

	// bom-ref uniqueness: <xs:unique name="bom-ref"><xs:selector xpath=".//*"/>
	// <xs:field xpath="@bom-ref"/></xs:unique> on bom (1.1+) covers every
	// element, whatever its namespace.
	if v, ok := attr(t.Attr, "bom-ref"); ok {
		if c.minor >= 1 {
			if first, dup := c.bomRefs[v]; dup {
				c.add(f, "xsd:unique:bom-ref", f.path()+"/@bom-ref",
					fmt.Sprintf("bom-ref %q is not unique: it is also used at %s", v, first.path()))
			} else {
				c.bomRefs[v] = f
			}
		}
		// <xs:simpleType name="refType"> has <xs:minLength value="1"/> from 1.5.
		if c.minor >= 5 && f.cdx && v == "" {
			c.add(f, "xsd:minLength:refType", f.path()+"/@bom-ref", "bom-ref must not be empty (minLength 1)")
		}
	}

	// Allowed children of the parent.
	if parent != nil && parent.cdx {
		for _, a := range c.t.allowed {
			if !c.matchAt(a.pat, top-1) {
				continue
			}
			switch {
			case inDocNS && !a.names[f.local]:
				c.add(f, "xsd:unexpected:"+strings.TrimPrefix(a.pat.raw, "/")+"/"+f.local, f.path(),
					fmt.Sprintf("<%s> is not allowed in <%s> in CycloneDX 1.%d", f.local, parent.local, c.minor))
			case !inDocNS && !a.others:
				c.add(f, "xsd:unexpected:"+strings.TrimPrefix(a.pat.raw, "/")+"/"+f.local, f.path(),
					fmt.Sprintf("<%s> of namespace %q is not allowed in <%s> in CycloneDX 1.%d", f.local, t.Name.Space, parent.local, c.minor))
			}
		}
	}
	if !f.cdx {
		return
	}

	// Attribute rules.
	for i := range c.t.attrs {
		r := &c.t.attrs[i]
		if !c.matchAt(r.pat, top) {
			continue
		}
		v, present := attr(t.Attr, r.attr)
		if !present {
			if r.required {
				c.add(f, "xsd:required:"+f.local+"/@"+r.attr, f.path()+"/@"+r.attr,
					fmt.Sprintf("required attribute %q is missing on <%s>", r.attr, f.local))
			}
			continue
		}
		if r.enum != nil {
			if p := enumProblem(r.enum, v); p != "" {
				c.add(f, "xsd:enum:"+r.enumName, f.path()+"/@"+r.attr, p)
			}
		}
		if r.check != nil {
			if p := r.check(v); p != "" {
				c.add(f, r.checkName, f.path()+"/@"+r.attr, p)
			}
		}
	}

	// Collect the text of elements that text rules look at.
	if c.t.dateTime[f.local] || c.t.hasText[f.local] {
		f.text = new(strings.Builder)
	}
}

func (c *xmlChecker) end() {
	n := len(c.stack)
	if n == 0 {
		return
	}
	top := n - 1
	f := c.stack[top]
	defer func() { c.stack = c.stack[:top] }()
	if !f.cdx {
		return
	}
	if f.text != nil {
		text := f.text.String()
		if c.t.dateTime[f.local] && !validDateTime(text) {
			c.add(f, "xsd:dateTime", f.path(),
				fmt.Sprintf("<%s> %q is not an xs:dateTime (YYYY-MM-DDThh:mm:ss with optional fraction and zone)", f.local, abbreviate(text)))
		}
		for i := range c.t.texts {
			r := &c.t.texts[i]
			if !c.matchAt(r.pat, top) {
				continue
			}
			if r.enum != nil {
				if p := enumProblem(r.enum, text); p != "" {
					c.add(f, r.rule, f.path(), p)
				}
			}
			if r.check != nil {
				if p := r.check(text); p != "" {
					c.add(f, r.rule, f.path(), p)
				}
			}
		}
	}
	for i := range c.t.children {
		r := &c.t.children[i]
		if c.matchAt(r.pat, top) {
			for _, p := range r.check(f.children) {
				c.add(f, p.rule, f.path(), p.msg)
			}
		}
	}
	// bom-1.7.xsd, component: <xs:assert id="versionRange_requires_isExternal_eq_true"
	// test="if (versionRange) then (@isExternal eq 'true') else true()">.
	// An XSD 1.1 assertion, which XSD 1.0 validators skip ("informal").
	if c.minor >= 7 && f.local == "component" && f.children["versionRange"] > 0 {
		if v, _ := attr(f.attrs, "isExternal"); collapse(v) != "true" && collapse(v) != "1" {
			c.add(f, "xsd:assert:versionRange_requires_isExternal_eq_true", f.path(),
				"a component with a versionRange must have isExternal=\"true\"")
		}
	}
}

// matchAt reports whether the open element at stack index top matches p.
// All elements a pattern names must be CycloneDX elements.
func (c *xmlChecker) matchAt(p elemPattern, top int) bool {
	if top < 0 {
		return false
	}
	if p.any {
		return c.stack[top].cdx
	}
	n := len(p.segs)
	if n > top+1 || (p.abs && n != top+1) {
		return false
	}
	for i, seg := range p.segs {
		f := c.stack[top-n+1+i]
		if !f.cdx || f.local != seg {
			return false
		}
	}
	return true
}

func attr(attrs []xml.Attr, local string) (string, bool) {
	for _, a := range attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func joinSorted(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// charsetReader lets documents declare ISO-8859-1 or US-ASCII as well as
// UTF-8 (which encoding/xml handles itself).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b)+len(b)/8)
		for _, x := range b {
			out = utf8.AppendRune(out, rune(x))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported character encoding %q", label)
}
