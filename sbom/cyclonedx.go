package sbom

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/bomrank/bomrank/internal/xmlguard"
)

// CycloneDX is read with cyclonedx-go's types, but not with its whole-BOM
// decoder: a device SBOM can be hundreds of megabytes, so the top level is
// walked as a token stream and each top-level component (with its nested
// components) is decoded on its own. Memory is then bounded by the model
// we keep plus the largest single component, not by the document.

// cdxVersions are the CycloneDX specification versions bomrank reads. 1.0
// and 1.1 exist only as XML; 1.7 is read leniently with the 1.7 schema.
var cdxVersions = map[string]bool{"1.0": true, "1.1": true, "1.2": true, "1.3": true, "1.4": true, "1.5": true, "1.6": true, "1.7": true}

// buffered reads up to the validation limit. When the whole document fits,
// doc holds it and src reads from it; otherwise doc is nil and src streams,
// and the chunks already read are released as the parser consumes them.
// A document already whole in the detection buffer (p.whole, at most a
// chunk: readChunks would read it whole too) is taken from there, not
// copied: the first chunk was a fresh mebibyte for each document.
func (p *parser) buffered(r io.Reader) (src io.Reader, doc []byte, err error) {
	if p.opts.NoValidate {
		return r, nil, nil
	}
	if p.whole != nil {
		return bytes.NewReader(p.whole), p.whole, nil
	}
	chunks, total, done, err := readChunks(r, p.opts.maxValidateBytes(), nil)
	if err != nil {
		return nil, nil, err
	}
	if done {
		doc = joinChunks(chunks, total)
		return bytes.NewReader(doc), doc, nil
	}
	readers := make([]io.Reader, 0, len(chunks)+1)
	for _, c := range chunks {
		readers = append(readers, bytes.NewReader(c))
	}
	return io.MultiReader(append(readers, r)...), nil, nil
}

func (p *parser) cyclonedxJSON(r *bufio.Reader) error {
	src, doc, err := p.buffered(r)
	if err != nil {
		return err
	}
	rd := &cdxJSONReader{p: p, streamed: doc == nil}
	whole := doc
	if whole == nil && !p.opts.slowCDX {
		whole = p.whole
	}
	if whole == nil || p.opts.slowCDX || !rd.fast(whole) {
		rd.dec = newJSONStream(src)
		defer rd.dec.sq.release()
		if err := rd.object(); err != nil {
			return err
		}
	}
	d := p.dev
	if rd.bomFormat != "CycloneDX" {
		p.warn("schema:bomFormat", "/bomFormat", "bomFormat is %q, want \"CycloneDX\"", rd.bomFormat)
	}
	if d.SpecVersion == "" {
		return fmt.Errorf("%w: CycloneDX document has no specVersion", ErrUnsupportedVersion)
	}
	if d.SpecVersion == "1.0" || d.SpecVersion == "1.1" {
		p.warn("spec-version", "/specVersion", "CycloneDX %s was defined for XML only; reading the JSON leniently", d.SpecVersion)
	}
	p.cdxDevice()
	if doc != nil {
		p.validateJSON("CycloneDX", d.SpecVersion, doc)
	}
	return nil
}

// cdxJSONReader reads the top-level object of a CycloneDX JSON document.
type cdxJSONReader struct {
	p         *parser
	dec       *jsonStream
	streamed  bool // too large to validate: the schema check does not run
	bomFormat string
}

// object reads the BOM object, member by member, and checks that nothing
// follows it.
func (rd *cdxJSONReader) object() error {
	dec := rd.dec
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		dec.sq.forget(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return jsonErr(dec, err)
		}
		key, _ := tok.(string)
		if err := rd.member(key); err != nil {
			return err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return err
	}
	at := dec.next()
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return fmt.Errorf("data after the end of the BOM object at %s", at)
		}
		return jsonErr(dec, err)
	}
	return nil
}

// member reads the value of the top-level member key.
func (rd *cdxJSONReader) member(key string) error {
	dec, d := rd.dec, rd.p.dev
	var err error
	switch key {
	case "bomFormat":
		err = dec.decode(&rd.bomFormat)
	case "specVersion":
		if err = dec.decode(&d.SpecVersion); err == nil && !cdxVersions[d.SpecVersion] {
			return fmt.Errorf("%w: CycloneDX specVersion %q (bomrank reads 1.2 to 1.6, and 1.0, 1.1, 1.7 leniently)", ErrUnsupportedVersion, d.SpecVersion)
		}
	case "serialNumber":
		var s string
		if err = dec.decode(&s); err == nil && s != "" {
			d.Identifiers = append(d.Identifiers, Identifier{Type: "cyclonedx-serial-number", Value: s})
		}
	case "version":
		// The BOM's version, for BOM-Links; a value that is not a
		// number is left out (the schema check reports it).
		var v json.RawMessage
		if err = dec.decode(&v); err == nil {
			if n, perr := strconv.Atoi(string(v)); perr == nil && n > 0 {
				d.BOMVersion = n
			}
		}
	case "metadata":
		err = rd.metadata()
	case "components":
		return rd.components()
	case "dependencies":
		var deps []cdx.Dependency
		if err = dec.decode(&deps); err == nil {
			rd.p.cdxDependencies(deps)
		}
	default:
		// Skip values bomrank does not use (vulnerabilities,
		// services, annotations, ...) without decoding them.
		err = skipValue(dec)
	}
	if err != nil {
		return jsonErr(dec, fmt.Errorf("%s: %w", key, err))
	}
	return nil
}

// lenient notes that a part that cyclonedx-go's types reject is read
// leniently. When the schema check runs it reports the real violation;
// otherwise say that the lenient path was taken.
func (rd *cdxJSONReader) lenient(loc, what string, err error) {
	if rd.streamed {
		rd.p.warn("lenient", loc, "%s does not fit the CycloneDX model (%v); reading what is clear", what, err)
	}
}

// metadata reads the metadata object.
func (rd *cdxJSONReader) metadata() error {
	var raw json.RawMessage
	if err := rd.dec.Decode(&raw); err != nil {
		return err
	}
	rd.metadataFrom(raw)
	return nil
}

// metadataFrom takes the metadata object raw.
func (rd *cdxJSONReader) metadataFrom(raw []byte) {
	var md cdx.Metadata
	if err := json.Unmarshal(raw, &md); err != nil {
		rd.lenient("/metadata", "metadata", err)
		md = leanMetadata(raw)
	}
	rd.p.cdxMetadata(&md)
}

// components reads the components array one component at a time.
func (rd *cdxJSONReader) components() error {
	dec := rd.dec
	if err := expectDelim(dec, '['); err != nil {
		return fmt.Errorf("components: %w", err)
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonErr(dec, fmt.Errorf("components[%d]: %w", i, err))
		}
		rd.componentFrom(raw, i)
		dec.sq.forget(dec.InputOffset())
	}
	return expectDelim(dec, ']')
}

// componentFrom takes component number i, raw, decoded by encoding/json
// (leniently if its types reject it).
func (rd *cdxJSONReader) componentFrom(raw []byte, i int) {
	var c cdx.Component
	if err := json.Unmarshal(raw, &c); err != nil {
		rd.lenient(fmt.Sprintf("/components/%d", i), "component", err)
		c = leanComponent(raw)
	}
	rd.p.cdxComponent(&c, "")
}

// cdxMetadata takes the device element and its manufacturer from metadata.
func (p *parser) cdxMetadata(md *cdx.Metadata) {
	d := p.dev
	if md.Component != nil {
		c := convertCDX(md.Component, "")
		d.Component = c
		d.DeviceSource = "metadata.component"
		d.DocumentName = c.Name
		if md.Component.Components != nil {
			ref := c.Ref
			if ref == "" {
				ref = c.Name
			}
			for i := range *md.Component.Components {
				p.cdxComponent(&(*md.Component.Components)[i], ref)
			}
		}
		d.ModelNumbers = append(d.ModelNumbers, modelNumbers(md.Component.Properties)...)
		if md.Component.SWID != nil && md.Component.SWID.TagID != "" {
			d.Identifiers = append(d.Identifiers, Identifier{Type: "swid-tag-id", Value: md.Component.SWID.TagID})
		}
	}
	for _, org := range []*cdx.OrganizationalEntity{md.Manufacturer, md.Manufacture} {
		if d.Manufacturer == "" && org != nil {
			d.Manufacturer = strings.TrimSpace(org.Name)
		}
	}
	if d.Manufacturer == "" && md.Component != nil {
		for _, org := range []*cdx.OrganizationalEntity{md.Component.Manufacturer, md.Component.Supplier} {
			if d.Manufacturer == "" && org != nil {
				d.Manufacturer = strings.TrimSpace(org.Name)
			}
		}
	}
	if d.Manufacturer == "" && md.Supplier != nil {
		d.Manufacturer = strings.TrimSpace(md.Supplier.Name)
	}
	d.ModelNumbers = append(d.ModelNumbers, modelNumbers(md.Properties)...)
	if d.EndOfSupport == "" {
		d.EndOfSupport = endOfSupport(md.Properties)
	}
}

// cdxDevice settles the device identity when there is no metadata.component:
// a single top-level component, or the one top-level component of type
// device (or else firmware), stands for the device. It stays in Components,
// because it is one in the document.
func (p *parser) cdxDevice() {
	d := p.dev
	if d.DeviceSource != "" {
		return
	}
	var top []*Component
	for _, c := range d.Components {
		if c.Parent == "" {
			top = append(top, c)
		}
	}
	pick := func(types ...string) *Component {
		for _, t := range types {
			var found *Component
			n := 0
			for _, c := range top {
				if c.Type == t {
					found, n = c, n+1
				}
			}
			if n == 1 {
				return found
			}
		}
		return nil
	}
	var c *Component
	switch {
	case len(top) == 1 && (top[0].Type == "device" || top[0].Type == "firmware" || len(top[0].Name) > 0 && hasChildren(d.Components, top[0])):
		c = top[0]
	default:
		c = pick("device", "firmware")
	}
	if c == nil {
		return
	}
	// Copy the identity, not the slices' backing arrays.
	d.Component = *c
	d.Component.CPEs = append([]string(nil), c.CPEs...)
	d.Component.Hashes = append([]Hash(nil), c.Hashes...)
	if d.Manufacturer == "" {
		d.Manufacturer = c.Supplier
	}
	d.DeviceSource = "top-level component"
}

func hasChildren(all []*Component, c *Component) bool {
	ref := c.Ref
	if ref == "" {
		ref = c.Name
	}
	for _, o := range all {
		if o.Parent == ref {
			return true
		}
	}
	return false
}

// cdxComponent adds c and, depth first, its nested components.
func (p *parser) cdxComponent(c *cdx.Component, parent string) {
	if p.scratch != nil {
		p.scratchComponent(c, parent)
		return
	}
	m := p.newComponent()
	*m = convertCDX(c, parent)
	p.keep(componentCost(m))
	p.dev.Components = append(p.dev.Components, m)
	if c.Components == nil {
		return
	}
	ref := cmp.Or(m.Ref, m.Name)
	for i := range *c.Components {
		p.cdxComponent(&(*c.Components)[i], ref)
	}
}

// convertCDX makes the model's component of c. It returns it by value:
// filling one in the heap field by field costs a write barrier a field
// while the collector runs.
func convertCDX(c *cdx.Component, parent string) Component {
	m := Component{
		Ref:     strings.TrimSpace(c.BOMRef),
		Type:    strings.ToLower(strings.TrimSpace(string(c.Type))),
		Name:    strings.TrimSpace(c.Name),
		Group:   strings.TrimSpace(c.Group),
		Version: strings.TrimSpace(c.Version),
		PURL:    strings.TrimSpace(c.PackageURL),
		Parent:  parent,
	}
	if c.CPE != "" {
		m.CPEs = append(m.CPEs, strings.TrimSpace(c.CPE))
	}
	if c.Properties != nil {
		for _, pr := range *c.Properties {
			// syft and others list further CPE candidates as properties.
			v := strings.TrimSpace(pr.Value)
			if strings.HasPrefix(v, "cpe:") && strings.Contains(strings.ToLower(pr.Name), "cpe") {
				m.CPEs = append(m.CPEs, v)
			}
		}
	}
	if c.Hashes != nil {
		for _, h := range *c.Hashes {
			m.Hashes = append(m.Hashes, Hash{Algorithm: normHashAlg(string(h.Algorithm)), Value: strings.ToLower(strings.TrimSpace(h.Value))})
		}
	}
	for _, org := range []*cdx.OrganizationalEntity{c.Supplier, c.Manufacturer} {
		if m.Supplier == "" && org != nil {
			m.Supplier = strings.TrimSpace(org.Name)
		}
	}
	if m.Supplier == "" {
		m.Supplier = strings.TrimSpace(c.Publisher)
	}
	if m.Supplier == "" {
		m.Supplier = strings.TrimSpace(c.Author)
	}
	m.EndOfSupport = endOfSupport(c.Properties)
	return m
}

// endOfSupport finds an end-of-support (or, failing that, end-of-life) date
// among CycloneDX properties: the cdx:lifecycle:milestone taxonomy and the
// spellings found in the wild.
func endOfSupport(props *[]cdx.Property) string {
	if props == nil {
		return ""
	}
	var eol string
	var buf [64]byte
	for _, pr := range *props {
		n := propName(pr.Name, buf[:0])
		v := strings.TrimSpace(pr.Value)
		switch {
		case bytes.HasSuffix(n, []byte("endofsupport")):
			return v
		case bytes.HasSuffix(n, []byte("endoflife")), bytes.HasSuffix(n, []byte(":eol")), string(n) == "eol":
			if eol == "" {
				eol = v
			}
		}
	}
	return eol
}

// propNameSquash removes what propName removes.
var propNameSquash = strings.NewReplacer("-", "", "_", "", " ", "")

// propName appends to buf the property name n as the property rules
// compare it: lower case, without "-", "_" and " ". An ASCII name is
// done in place, without allocating: a replacer made for each property,
// and the lower-casing, were 39% of reading the shared real CycloneDX
// SBOMs (their components have many properties).
func propName(n string, buf []byte) []byte {
	for i := 0; i < len(n); i++ {
		switch c := n[i]; {
		case c >= utf8.RuneSelf:
			return append(buf[:0], propNameSquash.Replace(strings.ToLower(n))...)
		case c == '-' || c == '_' || c == ' ':
		case 'A' <= c && c <= 'Z':
			buf = append(buf, c+'a'-'A')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// modelNumbers finds model or part numbers among properties.
func modelNumbers(props *[]cdx.Property) []string {
	if props == nil {
		return nil
	}
	var out []string
	var buf [64]byte
	for _, pr := range *props {
		n := propName(pr.Name, buf[:0])
		if bytes.HasSuffix(n, []byte("modelnumber")) || bytes.HasSuffix(n, []byte("model")) || bytes.HasSuffix(n, []byte("partnumber")) {
			if v := strings.TrimSpace(pr.Value); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func (p *parser) cdxDependencies(deps []cdx.Dependency) {
	for _, dep := range deps {
		if dep.Ref == "" {
			continue
		}
		var on []string
		if dep.Dependencies != nil {
			on = append(on, *dep.Dependencies...)
		}
		d := Dependency{Ref: dep.Ref, DependsOn: on}
		p.keep(dependencyCost(&d))
		p.dev.Dependencies = append(p.dev.Dependencies, d)
	}
}

// normHashAlg spells hash algorithms one way: "SHA-256", "SHA3-512",
// "BLAKE2b-256", "MD5".
func normHashAlg(a string) string {
	u := strings.ToUpper(strings.TrimSpace(a))
	u = strings.ReplaceAll(u, "_", "-")
	switch u {
	case "SHA1", "SHA-1":
		return "SHA-1"
	case "SHA224", "SHA-224":
		return "SHA-224"
	case "SHA256", "SHA-256":
		return "SHA-256"
	case "SHA384", "SHA-384":
		return "SHA-384"
	case "SHA512", "SHA-512":
		return "SHA-512"
	case "MD2", "MD4", "MD5", "MD6":
		return u
	}
	if strings.HasPrefix(u, "BLAKE2B") {
		return "BLAKE2b" + strings.TrimPrefix(u, "BLAKE2B")
	}
	return u
}

// leanComponent reads what is clear from a component that cyclonedx-go's
// types reject (a number where a string belongs, an object for an array):
// a hospital still needs the scan of a slightly broken SBOM.
func leanComponent(raw json.RawMessage) cdx.Component {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return leanFromMap(m)
}

func leanFromMap(m map[string]any) cdx.Component {
	str := func(k string) string {
		switch v := m[k].(type) {
		case string:
			return v
		case float64:
			return fmt.Sprint(v)
		}
		return ""
	}
	c := cdx.Component{
		BOMRef:     str("bom-ref"),
		Type:       cdx.ComponentType(str("type")),
		Name:       str("name"),
		Group:      str("group"),
		Version:    str("version"),
		PackageURL: str("purl"),
		CPE:        str("cpe"),
		Publisher:  str("publisher"),
		Author:     str("author"),
	}
	if sub, ok := m["components"].([]any); ok {
		var cs []cdx.Component
		for _, s := range sub {
			if sm, ok := s.(map[string]any); ok {
				cs = append(cs, leanFromMap(sm))
			}
		}
		c.Components = &cs
	}
	return c
}

func leanMetadata(raw json.RawMessage) cdx.Metadata {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	var md cdx.Metadata
	if cm, ok := m["component"].(map[string]any); ok {
		c := leanFromMap(cm)
		md.Component = &c
	}
	for k, dst := range map[string]**cdx.OrganizationalEntity{"manufacturer": &md.Manufacturer, "manufacture": &md.Manufacture, "supplier": &md.Supplier} {
		if om, ok := m[k].(map[string]any); ok {
			if n, ok := om["name"].(string); ok {
				*dst = &cdx.OrganizationalEntity{Name: n}
			}
		}
	}
	return md
}

func expectDelim(dec *jsonStream, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonErr(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return jsonErr(dec, fmt.Errorf("expected %q, found %v", want, tok))
	}
	return nil
}

// skipValue consumes one JSON value without building it.
func skipValue(dec *jsonStream) error {
	depth, n := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > maxDepth {
				return fmt.Errorf("nested more than %d levels deep", maxDepth)
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
		if n++; n%1024 == 0 {
			dec.sq.forget(dec.InputOffset())
		}
	}
}

// maxDepth bounds nesting, as encoding/json does for Decode.
const maxDepth = 10000

// jsonErr names the place in the document as written of a syntax or type
// error, and says "truncated" when the document ends early.
func jsonErr(dec *jsonStream, err error) error {
	at, ok := dec.errorPlace(err)
	if !ok {
		return err
	}
	if truncated(err) {
		return fmt.Errorf("JSON ends early (truncated?) at %s", at)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at %s: %v", at, se)
	}
	return fmt.Errorf("invalid JSON at %s: %v", at, err)
}

func (p *parser) cyclonedxXML(r *bufio.Reader) error {
	src, doc, err := p.buffered(r)
	if err != nil {
		return err
	}
	dec := xmlguard.NewDecoder(src)
	d := p.dev
	// Find the root <bom> element.
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			return xmlErr(dec, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	if root.Name.Local != "bom" {
		return fmt.Errorf("%w: XML root element is <%s>, not <bom>", ErrNotSBOM, root.Name.Local)
	}
	const nsPrefix = "http://cyclonedx.org/schema/bom/"
	if !strings.HasPrefix(root.Name.Space, nsPrefix) {
		return fmt.Errorf("%w: <bom> is in namespace %q, not %s<version>", ErrNotSBOM, root.Name.Space, nsPrefix)
	}
	d.SpecVersion = strings.TrimPrefix(root.Name.Space, nsPrefix)
	if !cdxVersions[d.SpecVersion] {
		return fmt.Errorf("%w: CycloneDX XML namespace version %q (bomrank reads 1.0 to 1.7)", ErrUnsupportedVersion, d.SpecVersion)
	}
	for _, a := range root.Attr {
		if a.Name.Local == "serialNumber" && a.Value != "" {
			d.Identifiers = append(d.Identifiers, Identifier{Type: "cyclonedx-serial-number", Value: a.Value})
		}
		if a.Name.Local == "version" && a.Name.Space == "" {
			if n, err := strconv.Atoi(strings.TrimSpace(a.Value)); err == nil && n > 0 {
				d.BOMVersion = n
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return xmlErr(dec, err)
		}
		if _, ok := tok.(xml.EndElement); ok {
			break // </bom>
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "metadata":
			var md cdx.Metadata
			if err := dec.DecodeElement(&md, &se); err != nil {
				return xmlErr(dec, fmt.Errorf("metadata: %w", err))
			}
			p.cdxMetadata(&md)
		case "components":
			if err := p.cdxXMLComponents(dec); err != nil {
				return err
			}
		case "dependencies":
			var deps struct {
				Deps []cdx.Dependency `xml:"dependency"`
			}
			if err := dec.DecodeElement(&deps, &se); err != nil {
				return xmlErr(dec, fmt.Errorf("dependencies: %w", err))
			}
			p.cdxDependencies(deps.Deps)
		default:
			if err := dec.Skip(); err != nil {
				return xmlErr(dec, err)
			}
		}
	}
	p.cdxDevice()
	if doc != nil {
		p.validateCycloneDXXML(d.SpecVersion, doc)
	}
	return nil
}

// cdxXMLComponents reads the content of the <components> element, up to
// its end.
func (p *parser) cdxXMLComponents(dec *xmlguard.Decoder) error {
	for i := 0; ; i++ {
		tok, err := dec.Token()
		if err != nil {
			return xmlErr(dec, err)
		}
		if _, ok := tok.(xml.EndElement); ok {
			return nil
		}
		ce, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if ce.Name.Local != "component" {
			if err := dec.Skip(); err != nil {
				return xmlErr(dec, err)
			}
			continue
		}
		var c cdx.Component
		if err := dec.DecodeElement(&c, &ce); err != nil {
			return xmlErr(dec, fmt.Errorf("component %d: %w", i+1, err))
		}
		p.cdxComponent(&c, "")
	}
}

// xmlErr names the line of an XML error and says "truncated" for an early
// end.
func xmlErr(dec *xmlguard.Decoder, err error) error {
	if errors.Is(err, xmlguard.ErrTooDeep) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		line, _ := dec.InputPos()
		return fmt.Errorf("XML ends early (truncated?) at line %d", line)
	}
	line, col := dec.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid XML at line %d, column %d: %s", line, col, se.Msg)
	}
	return fmt.Errorf("XML near line %d: %w", line, err)
}
