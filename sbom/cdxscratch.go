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
// and scratchComponent makes the component, once, in its place in a
// chunk of components, with the strings the device keeps, and only
// those, copied into a chunk of text. The chunks belong to a scratch
// that goes back to a pool after each document and is taken by the next
// one: what one document leaves free in its chunks the next one fills,
// and a chunk is never moved or grown, so the strings and components
// taken from it stay put. The document is a pooled buffer (Options.Parse's
// reader), so a view of it must never reach the device: own copies every
// string that points into it, and TestFastReaderOwnsItsStrings
// overwrites the document after a reading to prove it.
//
// Why, with the figures (200-SBOM benchmark workload, 100,000 components,
// 13 MB): at first each component's whole JSON text was copied as the
// arena of its strings (13 MB kept) and the components came from slabs
// that grew by half (27 MB for 20.8 MB of components). Then the
// components and their text were gathered in a pooled scratch and, at the
// end of each document, copied into allocations of exactly their size,
// each string rebased: 3.9 MB of text and 21.6 MB of components and
// pointers, but the copy and the rebasing (settle) were half of the
// reader's CPU in the scan's profile (0.047 of 0.087 s a run). Now each
// component is written once, where it stays: BenchmarkLoadFleetCPU (one
// worker, GC percent 400 as the scan sets it, 3 interleaved runs of 20
// loads, same minutes, machine shared) 80.1 -> 71.5 ms of CPU a load
// (medians), 27.0 -> 26.3 MB allocated. The price is what the chunks hold unused: at most a chunk
// of each kind a scratch dropped from the pool (a collection drops
// them), and the tail of a text chunk too short for the next string.

// cdxScratch holds the chunks the fast reader makes components and text
// in, and what it has read from the current document.
type cdxScratch struct {
	// doc is the document the reader reads: a string that points into
	// it is a view, which own copies.
	doc []byte
	// comps is the unused rest of the current chunk of components.
	comps []Component
	// text is the current chunk of text: its length is what has been
	// taken. It never grows (so that the strings taken from it stay
	// put): own starts a new chunk when a string does not fit.
	text []byte
	// read lists the components read from the current document, in
	// order.
	read []*Component
}

// Chunk sizes: chunks are sized to the document (a component for about
// every 128 bytes of it, text a quarter of it), between the bounds here,
// and rounded up to whole pages of the allocator (a chunk of 256
// components, 53,248 bytes, took 57,344); a string over an eighth of a
// text chunk is copied on its own.
const (
	chunkComps    = 512 // 106,496 bytes, 13 pages
	minChunkComps = 8
	chunkText     = 64 << 10
	minChunkText  = 8 << 10
	allocPage     = 8 << 10
)

// chunkLen is how many elements of size bytes to allocate for n or more:
// as many as whole allocator pages hold.
func chunkLen(n int, size uintptr) int {
	return (n*int(size) + allocPage - 1) &^ (allocPage - 1) / int(size)
}

var scratches = sync.Pool{New: func() any { return new(cdxScratch) }}

// getScratch returns a scratch for reading doc.
func getScratch(doc []byte) *cdxScratch {
	s := scratches.Get().(*cdxScratch)
	s.doc = doc
	return s
}

// release forgets the document (s must hold no view of it) and what was
// read from it, and returns s to the pool. Its chunks go with it: their
// used parts belong to the devices read.
func (s *cdxScratch) release() {
	clear(s.read)
	s.read, s.doc = s.read[:0], nil
	if cap(s.read) > 1<<16 {
		s.read = nil
	}
	scratches.Put(s)
}

// newComponent returns a zero component in the current chunk.
func (s *cdxScratch) newComponent() *Component {
	if len(s.comps) == 0 {
		n := min(max(len(s.doc)/128, minChunkComps), chunkComps)
		s.comps = make([]Component, chunkLen(n, unsafe.Sizeof(Component{})))
	}
	c := &s.comps[0]
	s.comps = s.comps[1:]
	return c
}

// inside reports whether the non-empty string v points into b.
func inside(v string, b []byte) bool {
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(v))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return start <= p && p < start+uintptr(len(b))
}

// own returns v, copied into the text chunk if it is a view of the
// document.
func (s *cdxScratch) own(v string) string {
	if v == "" {
		return ""
	}
	if !inside(v, s.doc) {
		return v
	}
	if len(s.text)+len(v) > cap(s.text) {
		size := chunkLen(min(max(len(s.doc)/4, minChunkText), chunkText), 1)
		if len(v) > size/8 {
			return strings.Clone(v)
		}
		s.text = make([]byte, 0, size)
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
	m := s.newComponent()
	// Made on the stack and copied once: filling a component in the
	// heap field by field costs a write barrier a field while the
	// collector runs.
	*m = s.ownComponent(convertCDX(c, parent))
	s.read = append(s.read, m)
	p.keep(componentCost(m))
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
