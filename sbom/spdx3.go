package sbom

// SPDX 3.0 JSON-LD reader.
//
// No Go library reads SPDX 3: spdx/tools-golang (used for SPDX 2) stops at
// 2.3, and there is no Go JSON-LD processor that knows the SPDX 3 model. So
// this is a hand-written reader on encoding/json. It is not a general
// JSON-LD processor: it never fetches or applies the @context. It reads the
// compact form that the SPDX 3.0 context defines (which is what SPDX 3
// tools write: "type", "spdxId", "software_Package",
// "software_packageVersion", enumeration values such as "dependsOn"), and
// also, where that is cheap, the "spdx:"-prefixed and full-IRI spellings of
// property names, class names and enumeration values
// ("https://spdx.org/rdf/3.0.1/terms/Software/Package"), "@type"/"@id" for
// "type"/"spdxId", single values where the context allows arrays, JSON-LD
// value objects ({"@value": ...}, {"@id": ...}), and elements embedded
// where a reference is expected.
//
// The document is decoded as a stream: the @graph array is read one element
// at a time and only the facts bomrank needs are kept (packages, agent names,
// the contains/dependsOn/describes relationships and the collections' root
// elements). References are resolved when the whole graph has been read,
// because SPDX 3 puts no order on elements.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// spdx3MaxEmbed bounds how deeply elements embedded in other elements are
// followed (an embedded CreationInfo, an inline Organization as suppliedBy).
const spdx3MaxEmbed = 8

// spdx3Package is what is kept of one software_Package (or subclass).
type spdx3Package struct {
	id         string // spdxId as written; "" for an anonymous embedded node
	key        string // id, or a synthetic key for an anonymous node
	name       string
	version    string
	purl       string
	cpes       []string
	hashes     []Hash
	supplier   string   // key of the suppliedBy agent
	originator []string // keys of the originatedBy agents
	purpose    string   // primaryPurpose, dash-case
	additional []string // additionalPurpose, dash-case
	support    []string // supportLevel values
	validUntil string
	topLevel   bool // the document's top-level object itself
}

// spdx3Collection is an SpdxDocument, software_Sbom, Bom or Bundle.
type spdx3Collection struct {
	id    string
	name  string
	roots []string
}

// spdx3Rel is a relationship bomrank uses.
type spdx3Rel struct {
	typ  string // "contains", "dependsOn" or "describes"
	from string
	to   []string
}

// spdx3Reader holds the state of one SPDX 3 parse.
type spdx3Reader struct {
	p          *parser
	err        error // fatal error found inside an element (spec version)
	ctxVersion string
	version    string
	inline     int

	pkgs     map[string]*spdx3Package
	pkgOrder []*spdx3Package
	agents   map[string]string
	colls    map[string][]string // any collection's key -> root elements
	docs     []spdx3Collection
	boms     []spdx3Collection
	rels     []spdx3Rel
}

// spdx3 reads one SPDX 3.0 JSON-LD document from r (already bounded by
// Options.MaxBytes) into p.dev.
func (p *parser) spdx3(r *bufio.Reader) error {
	st := &spdx3Reader{
		p:      p,
		pkgs:   map[string]*spdx3Package{},
		agents: map[string]string{},
		colls:  map[string][]string{},
	}
	if err := st.read(r); err != nil {
		return err
	}
	return st.build()
}

// spdx3JSONErr turns a decoder error into a message that names the place
// in the document as written and says "truncated" when the input ends
// early.
func spdx3JSONErr(dec *jsonStream, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	at, ok := dec.errorPlace(err)
	if !ok {
		return fmt.Errorf("invalid JSON near %s: %w", dec.sq.place(dec.InputOffset()), err)
	}
	if truncated(err) {
		return fmt.Errorf("JSON ends early (truncated?) at %s", at)
	}
	return fmt.Errorf("invalid JSON at %s: %v", at, err)
}

// read decodes the top-level object, streaming its @graph.
func (st *spdx3Reader) read(r io.Reader) error {
	// Squeezed: json.Decoder rescans pending whitespace on every refill.
	dec := newJSONStream(r)
	defer dec.sq.release()
	tok, err := dec.Token()
	if err != nil {
		return spdx3JSONErr(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("SPDX 3 JSON-LD: the document is not a JSON object")
	}
	top := map[string]json.RawMessage{}
	for dec.More() {
		dec.sq.forget(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return spdx3JSONErr(dec, err)
		}
		key, _ := tok.(string)
		switch key {
		case "@graph":
			if err := st.readGraph(dec); err != nil {
				return err
			}
		case "@context":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return spdx3JSONErr(dec, err)
			}
			if m := spdx3CtxVersion.FindSubmatch(raw); m != nil {
				st.ctxVersion = string(m[1])
			}
		default:
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return spdx3JSONErr(dec, err)
			}
			top[key] = raw
		}
		if st.err != nil {
			return st.err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return spdx3JSONErr(dec, err)
	}
	at := dec.next()
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return spdx3JSONErr(dec, err)
		}
		return fmt.Errorf("invalid JSON: unexpected data after the document at %s", at)
	}
	// A document may be a single element object with the @context beside
	// its properties instead of a @graph.
	if len(top) > 0 {
		top = spdx3Normalize(top)
		if spdx3TypeOf(top) != "" {
			st.element(top, "", 0, true)
		}
	}
	return st.err
}

var spdx3CtxVersion = regexp.MustCompile(`spdx\.org/rdf/(3(?:\.[0-9]+)*)`)

// readGraph reads the value of @graph: normally an array of element objects.
func (st *spdx3Reader) readGraph(dec *jsonStream) error {
	tok, err := dec.Token()
	if err != nil {
		return spdx3JSONErr(dec, err)
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			// JSON-LD allows a single node object here; SPDX 3
			// serialisation asks for an array.
			st.p.warn("schema:@graph", "/@graph", "@graph is an object, not an array; read as a single element")
			m, err := spdx3ObjectAfterBrace(dec)
			if err != nil {
				return err
			}
			st.element(spdx3Normalize(m), "/@graph", 0, false)
			return nil
		}
		// '[' (']' and '}' cannot follow a key)
	case nil:
		st.p.warn("schema:@graph", "/@graph", "@graph is null; the document has no elements")
		return nil
	default:
		return fmt.Errorf("SPDX 3 JSON-LD: @graph is a %T, not an array of elements", v)
	}
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return spdx3JSONErr(dec, err)
		}
		// What the reader keeps of an element (its members, in maps
		// and structs) is counted at a few hundred bytes and its text.
		st.p.use(spdx3ElementCost + int64(len(raw)))
		loc := fmt.Sprintf("/@graph/%d", i)
		if len(raw) == 0 || raw[0] != '{' {
			st.p.warn("schema:@graph", loc, "@graph item is not an object; ignored")
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			st.p.warn("schema:@graph", loc, "unreadable element: %v", err)
			continue
		}
		st.element(spdx3Normalize(m), loc, 0, false)
		if st.err != nil {
			return st.err
		}
		dec.sq.forget(dec.InputOffset())
	}
	if _, err := dec.Token(); err != nil { // ']'
		return spdx3JSONErr(dec, err)
	}
	return nil
}

// spdx3ElementCost is what an element costs the reader besides its text:
// a map of its members, a package or relationship struct and the keys of
// the maps that index them.
const spdx3ElementCost = 512

// spdx3ObjectAfterBrace reads the members of an object whose '{' has been
// consumed, and its closing '}'.
func spdx3ObjectAfterBrace(dec *jsonStream) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, spdx3JSONErr(dec, err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, spdx3JSONErr(dec, err)
		}
		m[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, spdx3JSONErr(dec, err)
	}
	return m, nil
}

// element records one element and returns its key (its spdxId, or a
// synthetic key for an anonymous embedded node that bomrank keeps).
func (st *spdx3Reader) element(m map[string]json.RawMessage, loc string, depth int, topLevel bool) string {
	id := spdx3Str(m["spdxId"])
	if id == "" {
		id = spdx3Str(m["@id"])
	}
	kind := spdx3TypeOf(m)
	if kind == "" {
		if id == "" || len(m) > 1 {
			st.p.warn("schema:type", loc, "element %s has no type; ignored", spdx3Quote(id))
		}
		return id
	}
	key := id
	if key == "" && (spdx3IsPackage(kind) || spdx3IsAgent(kind)) {
		st.inline++
		key = fmt.Sprintf("_:bomrank-anonymous-%d", st.inline)
	}
	// An embedded CreationInfo carries the spec version.
	if ci := m["creationInfo"]; depth < spdx3MaxEmbed && len(ci) > 0 && ci[0] == '{' {
		var cm map[string]json.RawMessage
		if json.Unmarshal(ci, &cm) == nil {
			cm = spdx3Normalize(cm)
			if spdx3TypeOf(cm) == "" {
				cm["type"] = json.RawMessage(`"CreationInfo"`)
			}
			st.element(cm, loc+"/creationInfo", depth+1, false)
		}
	}
	switch {
	case kind == "CreationInfo":
		st.creationInfo(m, loc)
	case spdx3IsPackage(kind):
		st.pkg(m, id, key, loc, depth, topLevel)
	case spdx3IsAgent(kind):
		if _, dup := st.agents[key]; !dup {
			st.agents[key] = spdx3Str(m["name"])
		}
	case kind == "SpdxDocument", kind == "software_Sbom", kind == "Bom", kind == "Bundle", kind == "ElementCollection":
		c := spdx3Collection{
			id:    id,
			name:  spdx3Str(m["name"]),
			roots: st.refs(m["rootElement"], loc+"/rootElement", depth),
		}
		// Register elements embedded in the element list; the ids
		// themselves are not needed.
		if bytes.IndexByte(m["element"], '{') >= 0 {
			st.refs(m["element"], loc+"/element", depth)
		}
		if id != "" {
			if _, dup := st.colls[id]; !dup {
				st.colls[id] = c.roots
			}
		}
		switch kind {
		case "SpdxDocument":
			st.docs = append(st.docs, c)
		case "software_Sbom", "Bom":
			st.boms = append(st.boms, c)
		}
	case kind == "Relationship" || strings.HasSuffix(kind, "Relationship"):
		st.relationship(m, id, loc, depth)
	}
	return key
}

// creationInfo takes the spec version. A major version other than 3 stops
// the parse.
func (st *spdx3Reader) creationInfo(m map[string]json.RawMessage, loc string) {
	v := spdx3Str(m["specVersion"])
	if v == "" {
		st.p.warn("schema:specVersion", loc, "CreationInfo has no specVersion")
		return
	}
	if st.version == "" {
		if err := spdx3CheckVersion(v); err != nil {
			st.err = err
			return
		}
		st.version = v
		return
	}
	if v != st.version {
		st.p.warn("spec-version", loc, "CreationInfo declares specVersion %q; the document's first declares %q", v, st.version)
		if err := spdx3CheckVersion(v); err != nil {
			st.err = err
		}
	}
}

// spdx3CheckVersion accepts 3.x versions.
func spdx3CheckVersion(v string) error {
	s := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(v), "SPDX-"), "spdx-")
	major, _, _ := strings.Cut(s, ".")
	if major != "3" {
		return fmt.Errorf("%w: SPDX 3 JSON-LD document declares specVersion %q (bomrank reads 3.x)", ErrUnsupportedVersion, v)
	}
	return nil
}

// pkg records a software_Package (or subclass).
func (st *spdx3Reader) pkg(m map[string]json.RawMessage, id, key, loc string, depth int, topLevel bool) {
	if _, dup := st.pkgs[key]; dup {
		st.p.warn("schema:spdxId", loc, "package %s is defined more than once; the first definition is kept", spdx3Quote(id))
		return
	}
	pk := &spdx3Package{
		id:         id,
		key:        key,
		name:       spdx3Str(m["name"]),
		version:    spdx3Str(m["software_packageVersion"]),
		purl:       spdx3Str(m["software_packageUrl"]),
		purpose:    spdx3Dash(spdx3Enum(spdx3Str(m["software_primaryPurpose"]))),
		validUntil: spdx3Str(m["validUntilTime"]),
		topLevel:   topLevel,
	}
	for _, a := range spdx3Strs(m["software_additionalPurpose"]) {
		pk.additional = append(pk.additional, spdx3Dash(spdx3Enum(a)))
	}
	for _, s := range spdx3Strs(m["supportLevel"]) {
		pk.support = append(pk.support, spdx3Enum(s))
	}
	for i, x := range spdx3Objects(m["externalIdentifier"]) {
		t := spdx3EnumKey(spdx3Str(x["externalIdentifierType"]))
		v := spdx3Str(x["identifier"])
		if v == "" {
			if t != "" {
				st.p.warn("schema:externalIdentifier", fmt.Sprintf("%s/externalIdentifier/%d", loc, i), "externalIdentifier of type %q has no identifier", t)
			}
			continue
		}
		switch t {
		case "cpe22", "cpe23":
			pk.cpes = append(pk.cpes, v)
		case "packageurl":
			if pk.purl == "" {
				pk.purl = v
			}
		}
	}
	for i, h := range spdx3Objects(m["verifiedUsing"]) {
		if t := spdx3TypeOf(h); t != "" && t != "Hash" {
			continue // PackageVerificationCode and future methods
		}
		alg, val := spdx3Str(h["algorithm"]), spdx3Str(h["hashValue"])
		if alg == "" || val == "" {
			st.p.warn("schema:verifiedUsing", fmt.Sprintf("%s/verifiedUsing/%d", loc, i), "Hash lacks algorithm or hashValue; ignored")
			continue
		}
		if spdx3IsHex(val) {
			val = strings.ToLower(val)
		} else {
			st.p.warn("schema:verifiedUsing", fmt.Sprintf("%s/verifiedUsing/%d", loc, i), "hashValue %q is not hexadecimal", val)
		}
		pk.hashes = append(pk.hashes, Hash{Algorithm: spdx3HashAlg(alg), Value: val})
	}
	if sup := st.refs(m["suppliedBy"], loc+"/suppliedBy", depth); len(sup) > 0 {
		pk.supplier = sup[0]
	}
	pk.originator = st.refs(m["originatedBy"], loc+"/originatedBy", depth)
	st.pkgs[key] = pk
	st.pkgOrder = append(st.pkgOrder, pk)
}

// relationship records a contains, dependsOn or describes relationship
// (Relationship or a subclass such as LifecycleScopedRelationship) and
// warns about one that lacks a required property.
func (st *spdx3Reader) relationship(m map[string]json.RawMessage, id, loc string, depth int) {
	from := st.refs(m["from"], loc+"/from", depth)
	to := st.refs(m["to"], loc+"/to", depth)
	typ := spdx3Enum(spdx3Str(m["relationshipType"]))
	var missing []string
	if len(from) == 0 {
		missing = append(missing, "from")
	}
	if len(to) == 0 {
		missing = append(missing, "to")
	}
	if typ == "" {
		missing = append(missing, "relationshipType")
	}
	if len(missing) > 0 {
		st.p.warn("schema:relationship", loc, "relationship %s lacks %s; ignored", spdx3Quote(id), strings.Join(missing, ", "))
		return
	}
	if len(from) > 1 {
		st.p.warn("schema:relationship", loc, "relationship %s has %d \"from\" elements; the first is used", spdx3Quote(id), len(from))
	}
	switch spdx3EnumKey(typ) {
	case "contains":
		typ = "contains"
	case "dependson":
		typ = "dependsOn"
	case "describes":
		typ = "describes"
	default:
		return
	}
	st.rels = append(st.rels, spdx3Rel{typ: typ, from: from[0], to: to})
}

// refs reads a reference or a list of references. An embedded element
// object is recorded (so that an inline Organization resolves) and its key
// returned.
func (st *spdx3Reader) refs(raw json.RawMessage, loc string, depth int) []string {
	items := spdx3OneOrMany(raw)
	var out []string
	for i, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) == 0 {
			continue
		}
		var key string
		if it[0] == '{' {
			var m map[string]json.RawMessage
			if json.Unmarshal(it, &m) != nil {
				continue
			}
			m = spdx3Normalize(m)
			if spdx3TypeOf(m) != "" && depth < spdx3MaxEmbed {
				key = st.element(m, fmt.Sprintf("%s/%d", loc, i), depth+1, false)
			} else if key = spdx3Str(m["spdxId"]); key == "" {
				key = spdx3Str(m["@id"])
			}
		} else {
			key = spdx3Str(it)
		}
		if key != "" {
			out = append(out, key)
		}
	}
	return out
}

// build fills the device from what was read.
func (st *spdx3Reader) build() error {
	st.specVersion()
	st.document()
	d := st.p.dev
	dev := st.pickDevice()
	if dev != nil {
		d.Component = *st.component(dev)
		d.DeviceSource = "root element"
		d.Manufacturer = d.Supplier
		if d.Name == "" {
			st.p.warn("device", "", "the device package %s has no name", spdx3Quote(dev.id))
		}
	} else {
		// Not a schema violation: DeviceSource stays empty and the
		// device is known by the document's name.
		d.Name = d.DocumentName
	}
	parent := st.parents()
	for _, pk := range st.pkgOrder {
		if pk == dev {
			continue
		}
		c := st.component(pk)
		c.Parent = parent[pk.key]
		st.p.keep(componentCost(c))
		d.Components = append(d.Components, c)
	}
	d.Dependencies = st.dependencies()
	return nil
}

// specVersion takes the spec version from CreationInfo, else from the
// @context.
func (st *spdx3Reader) specVersion() {
	switch {
	case st.version != "":
		st.p.dev.SpecVersion = st.version
	case st.ctxVersion != "":
		st.p.dev.SpecVersion = st.ctxVersion
		st.p.warn("spec-version", "", "no CreationInfo gives a specVersion; using %s from the @context", st.ctxVersion)
	default:
		st.p.warn("spec-version", "", "no CreationInfo gives a specVersion")
	}
}

// document takes the document's name and id from the SpdxDocument element,
// else from a software_Sbom.
func (st *spdx3Reader) document() {
	var doc *spdx3Collection
	switch {
	case len(st.docs) > 0:
		doc = &st.docs[0]
		if len(st.docs) > 1 {
			st.p.warn("schema:SpdxDocument", "", "%d SpdxDocument elements; the first is used", len(st.docs))
		}
	case len(st.boms) > 0:
		doc = &st.boms[0]
		st.p.warn("schema:SpdxDocument", "", "no SpdxDocument element; the software_Sbom %s stands in for it", spdx3Quote(doc.id))
	default:
		st.p.warn("schema:SpdxDocument", "", "no SpdxDocument element")
	}
	if doc != nil {
		d := st.p.dev
		d.DocumentName = doc.name
		if doc.id != "" {
			d.Identifiers = append(d.Identifiers, Identifier{Type: "spdx3-id", Value: doc.id})
		}
	}
}

// parents maps each package's key to the Ref of the first package that
// contains it.
func (st *spdx3Reader) parents() map[string]string {
	parent := map[string]string{}
	for _, r := range st.rels {
		if r.typ != "contains" {
			continue
		}
		from, ok := st.pkgs[r.from]
		if !ok {
			continue
		}
		for _, to := range r.to {
			if _, isPkg := st.pkgs[to]; !isPkg || to == r.from {
				continue
			}
			if _, seen := parent[to]; !seen {
				parent[to] = from.ref()
			}
		}
	}
	return parent
}

// dependencies reads the dependsOn relationships, grouped by "from" in
// first-seen order, each pair once.
func (st *spdx3Reader) dependencies() []Dependency {
	var deps []Dependency
	index := map[string]int{}
	seen := map[[2]string]bool{}
	for _, r := range st.rels {
		if r.typ != "dependsOn" {
			continue
		}
		from := st.refName(r.from)
		i, ok := index[from]
		if !ok {
			i = len(deps)
			index[from] = i
			deps = append(deps, Dependency{Ref: from})
		}
		for _, to := range r.to {
			if spdx3Special(to) {
				continue
			}
			to = st.refName(to)
			if seen[[2]string{from, to}] {
				continue
			}
			seen[[2]string{from, to}] = true
			deps[i].DependsOn = append(deps[i].DependsOn, to)
		}
	}
	return deps
}

// ref is the package's Ref: its spdxId, empty for an anonymous node.
func (pk *spdx3Package) ref() string { return pk.id }

// refName maps a key to what appears in Dependencies: the spdxId, or for an
// anonymous package its name.
func (st *spdx3Reader) refName(key string) string {
	if pk, ok := st.pkgs[key]; ok && pk.id == "" {
		return pk.name
	}
	return key
}

// pickDevice chooses the device package: a package among the roots of the
// software_Sbom (or Bom) elements, else among the SpdxDocument's roots, else
// among the targets of describes relationships. Within the first of these
// tiers that has a package, one whose primary (then additional) purpose is
// device, firmware or operating system wins; otherwise the first.
func (st *spdx3Reader) pickDevice() *spdx3Package {
	var t1, t2, t3 []*spdx3Package
	for _, b := range st.boms {
		t1 = st.expand(b.roots, t1, map[string]bool{})
	}
	for _, doc := range st.docs {
		t2 = st.expand(doc.roots, t2, map[string]bool{})
	}
	for _, r := range st.rels {
		if r.typ == "describes" {
			if _, isPkg := st.pkgs[r.from]; isPkg {
				continue // a package describing something is not the document
			}
			for _, to := range r.to {
				if pk, ok := st.pkgs[to]; ok {
					t3 = append(t3, pk)
				}
			}
		}
	}
	tiers := [][]*spdx3Package{t1, t2, t3}
	// A document that is a single top-level package is about that package.
	if len(st.docs) == 0 && len(st.boms) == 0 {
		for _, pk := range st.pkgOrder {
			if pk.topLevel {
				tiers = append(tiers, []*spdx3Package{pk})
			}
		}
	}
	for _, t := range tiers {
		if len(t) == 0 {
			continue
		}
		for _, pk := range t {
			if spdx3DeviceLike(pk.purpose) {
				return pk
			}
		}
		for _, pk := range t {
			for _, a := range pk.additional {
				if spdx3DeviceLike(a) {
					return pk
				}
			}
		}
		return t[0]
	}
	return nil
}

// expand appends the packages among ids to out, following root elements of
// collections (an SpdxDocument whose root is a software_Sbom).
func (st *spdx3Reader) expand(ids []string, out []*spdx3Package, visited map[string]bool) []*spdx3Package {
	for _, id := range ids {
		if visited[id] {
			continue
		}
		visited[id] = true
		if pk, ok := st.pkgs[id]; ok {
			out = append(out, pk)
		} else if roots, ok := st.colls[id]; ok {
			out = st.expand(roots, out, visited)
		}
	}
	return out
}

// spdx3DeviceLike reports whether a (dash-case) purpose marks a device.
func spdx3DeviceLike(purpose string) bool {
	switch purpose {
	case "device", "firmware", "operating-system":
		return true
	}
	return false
}

// component converts a package.
func (st *spdx3Reader) component(pk *spdx3Package) *Component {
	c := &Component{
		Ref:          pk.id,
		Type:         pk.purpose,
		Name:         pk.name,
		Version:      pk.version,
		PURL:         pk.purl,
		CPEs:         append([]string(nil), pk.cpes...),
		Hashes:       pk.hashes,
		EndOfSupport: pk.validUntil,
	}
	// The supplier, else the first originator with a name.
	if pk.supplier != "" {
		c.Supplier = st.agentName(pk.supplier)
	}
	for _, o := range pk.originator {
		if c.Supplier != "" {
			break
		}
		c.Supplier = st.agentName(o)
	}
	// An end of support outranks other support levels.
	for _, s := range pk.support {
		if c.SupportLevel == "" || s == "endOfSupport" || (s == "noSupport" && c.SupportLevel != "endOfSupport") {
			c.SupportLevel = s
		}
	}
	return c
}

// agentName resolves an agent key to its name.
func (st *spdx3Reader) agentName(key string) string {
	n := st.agents[key]
	n = strings.TrimPrefix(n, "Organization: ")
	n = strings.TrimPrefix(n, "Person: ")
	return strings.TrimSpace(n)
}

// spdx3Normalize rewrites prefixed and full-IRI property names to their
// compact form ("spdx:Software/packageVersion" ->
// "software_packageVersion") and "@type" to "type". A map already in
// compact form is returned as is.
func spdx3Normalize(m map[string]json.RawMessage) map[string]json.RawMessage {
	needs := false
	for k := range m {
		if k == "@type" || strings.HasPrefix(k, "spdx:") || strings.Contains(k, "spdx.org/rdf/3") {
			needs = true
			break
		}
	}
	if !needs {
		return m
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		if k != "@type" && !strings.HasPrefix(k, "spdx:") && !strings.Contains(k, "spdx.org/rdf/3") {
			out[k] = v
		}
	}
	for k, v := range m {
		nk := k
		if k == "@type" {
			nk = "type"
		} else if strings.HasPrefix(k, "spdx:") || strings.Contains(k, "spdx.org/rdf/3") {
			nk = spdx3Term(k)
		} else {
			continue
		}
		if _, exists := out[nk]; !exists {
			out[nk] = v
		}
	}
	return out
}

// spdx3Term maps an "spdx:"-prefixed or full SPDX 3 IRI to its compact term:
// Core names lose their namespace ("Core/name" -> "name"), others gain a
// lower-case prefix ("Software/Package" -> "software_Package"), and
// enumeration members keep only their last segment
// ("Core/RelationshipType/contains" -> "contains").
func spdx3Term(s string) string {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "spdx:")
	if !ok {
		i := strings.Index(s, "spdx.org/rdf/3")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "/terms/")
		if j < 0 {
			return s
		}
		rest = s[i+j+len("/terms/"):]
	}
	parts := strings.Split(rest, "/")
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		if parts[0] == "Core" {
			return parts[1]
		}
		return strings.ToLower(parts[0]) + "_" + parts[1]
	}
	return parts[len(parts)-1]
}

// spdx3Enum returns an enumeration value in its compact form.
func spdx3Enum(s string) string {
	v := spdx3Term(s)
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// spdx3EnumKey folds an enumeration value for comparison, so that
// "dependsOn", "DEPENDS_ON" and "depends-on" compare equal.
func spdx3EnumKey(s string) string {
	v := strings.ToLower(spdx3Enum(s))
	return strings.NewReplacer("_", "", "-", "").Replace(v)
}

// spdx3TypeOf returns the compact class name of an element. When "type" is
// a list, the first class bomrank knows wins.
func spdx3TypeOf(m map[string]json.RawMessage) string {
	raw, ok := m["type"]
	if !ok {
		raw = m["@type"]
	}
	types := spdx3Strs(raw)
	for _, t := range types {
		t = spdx3Term(t)
		if spdx3IsPackage(t) || spdx3IsAgent(t) || t == "CreationInfo" || t == "SpdxDocument" || t == "software_Sbom" || strings.HasSuffix(t, "Relationship") {
			return t
		}
	}
	if len(types) > 0 {
		return spdx3Term(types[0])
	}
	return ""
}

// spdx3IsPackage reports whether the class is software_Package or one of
// its subclasses (an AI model, a data set).
func spdx3IsPackage(kind string) bool {
	switch kind {
	case "software_Package", "ai_AIPackage", "dataset_DatasetPackage":
		return true
	}
	return false
}

// spdx3IsAgent reports whether the class has a name bomrank may show as a
// supplier or originator (Agent and its subclasses, and Tool).
func spdx3IsAgent(kind string) bool {
	switch kind {
	case "Agent", "Person", "Organization", "SoftwareAgent", "Tool":
		return true
	}
	return false
}

// spdx3Special reports whether id names the NoneElement or
// NoAssertionElement individuals (no target / unknown target).
func spdx3Special(id string) bool {
	t := spdx3Term(id)
	return t == "NoneElement" || t == "NoAssertionElement"
}

// spdx3Str reads a string from a JSON string, a JSON-LD value or node
// object ({"@value": ...}, {"@id": ...}), the first usable item of an
// array, or a number. Anything else gives "".
func spdx3Str(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return ""
		}
		for _, k := range []string{"@value", "@id", "spdxId"} {
			if v := bytes.TrimSpace(m[k]); len(v) > 0 && v[0] != '{' && v[0] != '[' {
				return spdx3Str(v)
			}
		}
	case '[':
		var a []json.RawMessage
		if json.Unmarshal(raw, &a) != nil {
			return ""
		}
		for _, v := range a {
			if v = bytes.TrimSpace(v); len(v) > 0 && v[0] != '[' {
				if s := spdx3Str(v); s != "" {
					return s
				}
			}
		}
	case 't', 'f', 'n':
		return ""
	default:
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
	}
	return ""
}

// spdx3Strs reads a list of strings; a single value is a list of one.
func spdx3Strs(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] != '[' {
		if s := spdx3Str(raw); s != "" {
			return []string{s}
		}
		return nil
	}
	var a []json.RawMessage
	if json.Unmarshal(raw, &a) != nil {
		return nil
	}
	var out []string
	for _, v := range a {
		if v = bytes.TrimSpace(v); len(v) > 0 && v[0] != '[' {
			if s := spdx3Str(v); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// spdx3OneOrMany splits a JSON-LD value that may be a single item or an
// array of items (JSON-LD allows both wherever a list is meant).
func spdx3OneOrMany(raw json.RawMessage) []json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] != '[' {
		return []json.RawMessage{raw}
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}
	return items
}

// spdx3Objects reads an object or a list of objects, normalised.
func spdx3Objects(raw json.RawMessage) []map[string]json.RawMessage {
	items := spdx3OneOrMany(raw)
	var out []map[string]json.RawMessage
	for _, it := range items {
		var m map[string]json.RawMessage
		if it = bytes.TrimSpace(it); len(it) > 0 && it[0] == '{' && json.Unmarshal(it, &m) == nil {
			out = append(out, spdx3Normalize(m))
		}
	}
	return out
}

// spdx3HashAlg normalises an SPDX 3 HashAlgorithm ("sha256", "sha3_256",
// "blake2b256") to bomrank's spelling ("SHA-256", "SHA3-256",
// "BLAKE2b-256").
func spdx3HashAlg(a string) string {
	a = spdx3Enum(a)
	k := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(a))
	switch k {
	case "sha1", "sha224", "sha256", "sha384", "sha512":
		return "SHA-" + k[3:]
	case "sha3224", "sha3256", "sha3384", "sha3512":
		return "SHA3-" + k[4:]
	case "blake2b256", "blake2b384", "blake2b512":
		return "BLAKE2b-" + k[7:]
	case "md2", "md4", "md5", "md6", "blake3", "adler32":
		return strings.ToUpper(k)
	}
	return strings.ToUpper(strings.ReplaceAll(a, "_", "-"))
}

// spdx3IsHex reports whether s is a non-empty hex string.
func spdx3IsHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// spdx3Dash turns a camelCase enumeration value into bomrank's lower-case
// dash-case ("operatingSystem" -> "operating-system"). An all-capitals
// value ("OPERATING_SYSTEM") is lower-cased with dashes for underscores.
func spdx3Dash(s string) string {
	if s == "" {
		return ""
	}
	if strings.ToUpper(s) == s {
		return strings.ReplaceAll(strings.ToLower(s), "_", "-")
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' || r == ' ':
			b.WriteByte('-')
		case 'A' <= r && r <= 'Z':
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// spdx3Quote quotes an id for a message, or says it has none.
func spdx3Quote(id string) string {
	if id == "" {
		return "(without spdxId)"
	}
	return fmt.Sprintf("%q", id)
}
