package sbom

import (
	"cmp"
	"strings"
	"sync"
	"unsafe"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// What the fast CycloneDX reader keeps, and how it is held. The reader
// takes the strings of a component as views of the document (no copy),
// and scratchComponent moves the component's strings that the device keeps,
// and only those, into a scratch text buffer, and the component itself
// into a scratch slice; at the end (or every so many components) settle
// moves both into allocations of exactly their size, one for the text and
// one for the components, and the scratch goes back to a pool for the next
// document. The document is a pooled buffer (Options.Parse's reader), so a
// view of it must never reach the device: own copies every string that
// points into it, and TestFastReaderOwnsItsStrings overwrites the document
// after a reading to prove it.
//
// Why, with the figures (200-SBOM benchmark workload, 100,000 components,
// 13 MB): before, each component's whole JSON text was copied as the
// arena of its strings (13 MB kept: keys, quotes and all, ~130 bytes a
// component, found by scanning each object twice) and the components
// came from slabs that grew by half (27 MB for 20.8 MB of components,
// plus the growing pointer slice); now 3.9 MB of text (a component's name
// and version are, as usual, shared with its purl; its type is a
// constant) and 21.6 MB of components and pointers, exactly:
// BenchmarkLoadFleet/fast allocates 27.2 MB a load against 41.3 MB, in
// 6,670 allocations against 111,258. Fresh heap is what costs on the
// benchmark machine (a page fault of about 11 us for each 4 KiB first
// touched: with GOGC=off, settle, which fills the components' memory, is
// two thirds of the reader's time). Copying the kept strings out of the
// document straight into the exact buffer, counted in a first pass over
// the scratch, measured slower than copying them twice.

// cdxScratch holds what the fast reader has read since the last settle.
type cdxScratch struct {
	// doc is the document the reader reads: a string that points into
	// it is a view, which own copies.
	doc []byte
	// comps are the components read since the last settle, in order.
	comps []Component
	// text holds the copied strings of comps. It never grows (so that
	// the strings taken from it stay put): own copies a string that
	// does not fit on its own.
	text []byte
}

// Scratch sizes: the text buffer is as large as the document, up to
// scratchText; past scratchComps components, or half the text buffer,
// the reader settles between two top-level components.
const (
	scratchText  = 1 << 20
	scratchComps = 4096
)

var scratches = sync.Pool{New: func() any { return new(cdxScratch) }}

// getScratch returns an empty scratch for reading doc.
func getScratch(doc []byte) *cdxScratch {
	s := scratches.Get().(*cdxScratch)
	s.doc = doc
	if want := min(len(doc), scratchText); cap(s.text) < want {
		s.text = make([]byte, 0, max(want, 64<<10))
	}
	return s
}

// release clears s (it must hold no view of a document) and returns it
// to the pool.
func (s *cdxScratch) release() {
	clear(s.comps)
	s.comps, s.text, s.doc = s.comps[:0], s.text[:0], nil
	if cap(s.comps) <= 2*scratchComps {
		scratches.Put(s)
	}
}

// full reports whether it is time to settle.
func (s *cdxScratch) full() bool {
	return len(s.comps) >= scratchComps || 2*len(s.text) > cap(s.text)
}

// inside reports whether the non-empty string v points into b.
func inside(v string, b []byte) bool {
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(v))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return start <= p && p < start+uintptr(len(b))
}

// own returns v, copied into the text buffer if it is a view of the
// document.
func (s *cdxScratch) own(v string) string {
	if v == "" {
		return ""
	}
	if !inside(v, s.doc) {
		return v
	}
	if len(s.text)+len(v) > cap(s.text) {
		return strings.Clone(v)
	}
	at := len(s.text)
	s.text = append(s.text, v...)
	return unsafe.String(&s.text[at], len(v))
}

// ownIn returns v as part of in (a string already owned) when in holds v
// at the end of its part before at, or right after at: a component's name
// and version, in its purl "pkg:type/namespace/name@version". Otherwise
// v is owned on its own.
func (s *cdxScratch) ownIn(v, in string, at int) string {
	switch {
	case v == "" || at < 0:
	case strings.HasSuffix(in[:at], v):
		return in[at-len(v) : at]
	case strings.HasPrefix(in[at+1:], v):
		return in[at+1 : at+1+len(v)]
	}
	return s.own(v)
}

// scratchComponent is cdxComponent for the fast reader: c, and depth
// first its nested components, into the scratch.
func (p *parser) scratchComponent(c *cdx.Component, parent string) {
	s := p.scratch
	// Made on the stack and copied once: filling a component in the
	// heap field by field costs a write barrier a field while the
	// collector runs.
	m := s.ownComponent(convertCDX(c, parent))
	s.comps = append(s.comps, m)
	p.keep(componentCost(&m))
	if c.Components == nil {
		return
	}
	ref := cmp.Or(m.Ref, m.Name)
	for i := range *c.Components {
		p.scratchComponent(&(*c.Components)[i], ref)
	}
}

// ownComponent returns m with strings of its own.
func (s *cdxScratch) ownComponent(m Component) Component {
	m.Ref = s.own(m.Ref)
	m.Type = s.own(componentType(m.Type))
	m.PURL = s.own(m.PURL)
	at := strings.LastIndexByte(m.PURL, '@')
	m.Name = s.ownIn(m.Name, m.PURL, at)
	m.Version = s.ownIn(m.Version, m.PURL, at)
	m.Group = s.own(m.Group)
	m.Supplier = s.own(m.Supplier)
	m.Parent = s.own(m.Parent)
	m.EndOfSupport = s.own(m.EndOfSupport)
	m.SupportLevel = s.own(m.SupportLevel)
	for i := range m.CPEs {
		m.CPEs[i] = s.own(m.CPEs[i])
	}
	for i := range m.Hashes {
		m.Hashes[i].Algorithm = s.own(m.Hashes[i].Algorithm)
		m.Hashes[i].Value = s.own(m.Hashes[i].Value)
	}
	return m
}

// componentType returns the CycloneDX component types as constants, so
// that the components share them.
func componentType(t string) string {
	switch t {
	case "library":
		return "library"
	case "application":
		return "application"
	case "framework":
		return "framework"
	case "container":
		return "container"
	case "operating-system":
		return "operating-system"
	case "device":
		return "device"
	case "firmware":
		return "firmware"
	case "file":
		return "file"
	case "platform":
		return "platform"
	case "device-driver":
		return "device-driver"
	case "machine-learning-model":
		return "machine-learning-model"
	case "data":
		return "data"
	case "cryptographic-asset":
		return "cryptographic-asset"
	}
	return t
}

// settle moves the components of the scratch, with the text of their
// strings, into allocations of their size and adds them to the device.
func (p *parser) settle() {
	s := p.scratch
	if len(s.comps) == 0 {
		return
	}
	text := make([]byte, len(s.text))
	copy(text, s.text)
	rebase := func(v string) string {
		if v == "" || !inside(v, s.text) {
			return v
		}
		return unsafe.String(&text[uintptr(unsafe.Pointer(unsafe.StringData(v)))-uintptr(unsafe.Pointer(unsafe.SliceData(s.text)))], len(v))
	}
	slab := make([]Component, len(s.comps))
	d := p.dev
	if d.Components == nil {
		d.Components = make([]*Component, 0, len(s.comps))
	}
	for i := range s.comps {
		m := s.comps[i] // a copy on the stack: no write barriers
		m.Ref, m.Type, m.Name, m.Group = rebase(m.Ref), rebase(m.Type), rebase(m.Name), rebase(m.Group)
		m.Version, m.PURL, m.Supplier, m.Parent = rebase(m.Version), rebase(m.PURL), rebase(m.Supplier), rebase(m.Parent)
		m.EndOfSupport, m.SupportLevel = rebase(m.EndOfSupport), rebase(m.SupportLevel)
		for j := range m.CPEs {
			m.CPEs[j] = rebase(m.CPEs[j])
		}
		for j := range m.Hashes {
			m.Hashes[j].Algorithm = rebase(m.Hashes[j].Algorithm)
			m.Hashes[j].Value = rebase(m.Hashes[j].Value)
		}
		slab[i] = m
		d.Components = append(d.Components, &slab[i])
	}
	// Not cleared (that was a twentieth of the reader's time, in write
	// barriers): the components left in the scratch hold the settled
	// ones' CPE and hash slices and the few strings not read as views,
	// until they are overwritten.
	s.comps, s.text = s.comps[:0], s.text[:0]
}
