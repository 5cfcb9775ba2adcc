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
	"unicode/utf8"
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
// attributes, the licence and version choices, bom-ref uniqueness and
// non-empty references, and the allowed children of bom, metadata,
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
		minor:    minor,
		wantNS:   cdxNamespacePrefix + "1." + strconv.Itoa(minor),
		bomRefs:  make(map[string]string),
		dateTime: dateTimeElements.at(minor),
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

// xmlChecker streams the document's tokens, keeping one frame per open
// element.
type xmlChecker struct {
	minor    int
	wantNS   string
	docNS    string // namespace of the root element
	stack    []*frame
	bomRefs  map[string]string // bom-ref value -> location of first use
	dateTime map[string]bool
	out      []Violation
}

type frame struct {
	local string
	path  string
	line  int
	// cdx: the element is in the document's CycloneDX namespace and not
	// inside foreign (lax, unchecked) content.
	cdx      bool
	attrs    []xml.Attr
	children childCounts    // CycloneDX-namespace children by local name
	position map[string]int // all children by local name, for paths
	text     *strings.Builder
}

func (c *xmlChecker) run(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
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
			Message: fmt.Sprintf("the document element is in %s; CycloneDX %s XML must use the namespace %s",
				got, "1."+strconv.Itoa(c.minor), c.wantNS)})
	}
}

func (c *xmlChecker) start(t xml.StartElement, line int) {
	var parent *frame
	if n := len(c.stack); n > 0 {
		parent = c.stack[n-1]
	}
	f := &frame{local: t.Name.Local, line: line, attrs: t.Attr}
	inDocNS := t.Name.Space == c.docNS
	f.cdx = inDocNS && (parent == nil || parent.cdx)
	if parent == nil {
		f.path = "/" + t.Name.Local
	} else {
		key := t.Name.Local
		if !inDocNS {
			key = "{" + t.Name.Space + "}" + key
		}
		parent.position[key]++
		f.path = fmt.Sprintf("%s/%s[%d]", parent.path, t.Name.Local, parent.position[key])
		if f.cdx {
			parent.children[t.Name.Local]++
		}
	}
	f.children = make(childCounts)
	f.position = make(map[string]int)
	c.stack = append(c.stack, f)

	// bom-ref uniqueness: <xs:unique name="bom-ref"><xs:selector xpath=".//*"/>
	// <xs:field xpath="@bom-ref"/></xs:unique> on bom (1.1+) covers every
	// element, whatever its namespace.
	for _, a := range t.Attr {
		if a.Name.Space != "" || a.Name.Local != "bom-ref" {
			continue
		}
		if c.minor >= 1 {
			if first, dup := c.bomRefs[a.Value]; dup {
				c.add(f, "xsd:unique:bom-ref", f.path+"/@bom-ref",
					fmt.Sprintf("bom-ref %q is not unique: it is also used at %s", a.Value, first))
			} else {
				c.bomRefs[a.Value] = f.path
			}
		}
		// <xs:simpleType name="refType"> has <xs:minLength value="1"/> from 1.5.
		if c.minor >= 5 && f.cdx && a.Value == "" {
			c.add(f, "xsd:minLength:refType", f.path+"/@bom-ref", "bom-ref must not be empty (minLength 1)")
		}
	}
	// Allowed children of the parent.
	if parent != nil && parent.cdx {
		for pat, steps := range allowedChildren {
			if !c.matchAt(pat, len(c.stack)-2) {
				continue
			}
			allowed, others, ok := allowedAt(steps, c.minor)
			switch {
			case !ok:
			case inDocNS && !allowed[f.local]:
				c.add(f, "xsd:unexpected:"+strings.TrimPrefix(pat, "/")+"/"+f.local, f.path,
					fmt.Sprintf("<%s> is not allowed in <%s> in CycloneDX 1.%d", f.local, parent.local, c.minor))
			case !inDocNS && !others:
				c.add(f, "xsd:unexpected:"+strings.TrimPrefix(pat, "/")+"/"+f.local, f.path,
					fmt.Sprintf("<%s> of namespace %q is not allowed in <%s> in CycloneDX 1.%d", f.local, t.Name.Space, parent.local, c.minor))
			}
		}
	}
	if !f.cdx {
		return
	}

	// Attribute rules.
	for _, r := range attrRules {
		if c.minor < r.since || c.minor > r.until || !c.matchSelf(r.elem) {
			continue
		}
		v, present := attr(t.Attr, r.attr)
		loc := f.path + "/@" + r.attr
		if !present {
			if r.required {
				c.add(f, "xsd:required:"+f.local+"/@"+r.attr, loc,
					fmt.Sprintf("required attribute %q is missing on <%s>", r.attr, f.local))
			}
			continue
		}
		if r.enum != nil {
			if p := enumProblem(r.enum.at(c.minor), v); p != "" {
				c.add(f, "xsd:enum:"+r.enumName, loc, p)
			}
		}
		if r.check != nil {
			if p := r.check(v); p != "" {
				c.add(f, r.checkName, loc, p)
			}
		}
	}

	// Collect the text of elements that text rules look at.
	if c.dateTime[f.local] {
		f.text = new(strings.Builder)
	} else {
		for _, r := range textRules {
			if c.minor >= r.since && c.minor <= r.until && c.matchSelf(r.elem) {
				f.text = new(strings.Builder)
				break
			}
		}
	}
}

func (c *xmlChecker) end() {
	n := len(c.stack)
	if n == 0 {
		return
	}
	f := c.stack[n-1]
	defer func() { c.stack = c.stack[:n-1] }()
	if !f.cdx {
		return
	}
	if f.text != nil {
		text := f.text.String()
		if c.dateTime[f.local] && !validDateTime(text) {
			c.add(f, "xsd:dateTime", f.path,
				fmt.Sprintf("<%s> %q is not an xs:dateTime (YYYY-MM-DDThh:mm:ss with optional fraction and zone)", f.local, abbreviate(text)))
		}
		for _, r := range textRules {
			if c.minor >= r.since && c.minor <= r.until && c.matchSelf(r.elem) {
				if p := r.check(c.minor, text); p != "" {
					c.add(f, r.rule, f.path, p)
				}
			}
		}
	}
	for _, r := range childRules {
		if c.minor >= r.since && c.minor <= r.until && c.matchSelf(r.elem) {
			for _, p := range r.check(f.children) {
				c.add(f, p.rule, f.path, p.msg)
			}
		}
	}
	// bom-1.7.xsd, component: <xs:assert id="versionRange_requires_isExternal_eq_true"
	// test="if (versionRange) then (@isExternal eq 'true') else true()">.
	// An XSD 1.1 assertion, which XSD 1.0 validators skip ("informal").
	if c.minor >= 7 && f.local == "component" && f.children["versionRange"] > 0 {
		if v, _ := attr(f.attrs, "isExternal"); collapse(v) != "true" && collapse(v) != "1" {
			c.add(f, "xsd:assert:versionRange_requires_isExternal_eq_true", f.path,
				"a component with a versionRange must have isExternal=\"true\"")
		}
	}
}

// matchSelf reports whether the innermost open element matches pat: "*"
// (any element), a suffix of element names ("dependency/provides"), or an
// absolute path ("/bom/metadata"). All matched elements must be CycloneDX
// elements.
func (c *xmlChecker) matchSelf(pat string) bool {
	return c.matchAt(pat, len(c.stack)-1)
}

func (c *xmlChecker) matchAt(pat string, top int) bool {
	if top < 0 {
		return false
	}
	if pat == "*" {
		return c.stack[top].cdx
	}
	abs := strings.HasPrefix(pat, "/")
	segs := strings.Split(strings.TrimPrefix(pat, "/"), "/")
	if len(segs) > top+1 || (abs && len(segs) != top+1) {
		return false
	}
	for i := range segs {
		f := c.stack[top-len(segs)+1+i]
		if !f.cdx || f.local != segs[i] {
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
