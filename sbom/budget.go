package sbom

import (
	"fmt"
	"io"
	"unsafe"

	"github.com/bomrank/bomrank/internal/membudget"
)

// MaxKeptBytes caps the memory one document's result may take: its
// components, dependencies and warnings, counted as they are added (a
// component costs its struct and its strings, about 300 bytes when
// empty). A real SBOM takes far less (a 10,000-component CycloneDX
// document about 6 MB); a gzip bomb of a gibibyte of empty components
// would take 80 GB. A document over the cap is refused: eight refused or
// capped at once hold at most 8*96 MiB.
const MaxKeptBytes = 96 << 20

// Why memory is counted by the readers and not estimated from the size:
// three bytes of JSON ("{},") make a 300-byte component, and the SPDX 2
// readers hold the whole document and tools-golang's structs of it
// besides. Issue 14 measured a megabyte of gzip taking more than 3 GB in
// every reader but SPDX YAML and RDF (which have caps of their own), and
// eight at once more than that (TestBombMemory). What a reader holds
// while it reads (the document's bytes, tools-golang's structs, SPDX 3
// elements) goes through membudget.DefaultLane; what it keeps also
// counts against MaxKeptBytes.

// budgetExceeded carries a document's over-budget error from deep inside a
// reader up to Options.Parse, which recovers it (as encoding/json does
// with its own errors): every reader that adds a component or a warning
// would otherwise need an error path of its own.
type budgetExceeded struct{ err error }

// use counts n bytes the document holds while it is read.
func (p *parser) use(n int64) {
	if p.meter == nil {
		p.meter = membudget.DefaultLane.Meter("the document")
	}
	if err := p.meter.Add(n); err != nil {
		panic(budgetExceeded{err})
	}
}

// keep counts n bytes of the document's result.
func (p *parser) keep(n int64) {
	p.kept += n
	if p.kept > MaxKeptBytes {
		panic(budgetExceeded{fmt.Errorf("the document holds more than %d MiB of components, dependencies and warnings (%d components so far); bomrank's limit is %d MiB", MaxKeptBytes>>20, p.components(), MaxKeptBytes>>20)})
	}
	p.use(n)
}

// components is the number of components read so far.
func (p *parser) components() int {
	n := len(p.dev.Components)
	if p.scratch != nil {
		n += len(p.scratch.comps)
	}
	return n
}

// release gives back what the document held through the lane.
func (p *parser) release() {
	if p.meter != nil {
		p.meter.Release()
	}
}

// componentCost is what c takes in memory.
func componentCost(c *Component) int64 {
	n := int64(unsafe.Sizeof(*c)) + 8 + int64(len(c.Ref)+len(c.Type)+len(c.Name)+len(c.Group)+len(c.Version)+
		len(c.PURL)+len(c.Supplier)+len(c.Parent)+len(c.EndOfSupport)+len(c.SupportLevel))
	for _, s := range c.CPEs {
		n += 16 + int64(len(s))
	}
	for _, h := range c.Hashes {
		n += int64(unsafe.Sizeof(h)) + int64(len(h.Algorithm)+len(h.Value))
	}
	return n
}

// dependencyCost is what d takes in memory.
func dependencyCost(d *Dependency) int64 {
	n := int64(unsafe.Sizeof(*d)) + int64(len(d.Ref))
	for _, s := range d.DependsOn {
		n += 16 + int64(len(s))
	}
	return n
}

// readAllCounted reads the rest of r, which is already bounded by the
// limitReader, counting what it holds: in chunks, so that the document is
// never held twice while its buffer grows.
func (p *parser) readAllCounted(r io.Reader) ([]byte, error) {
	chunks, total, _, err := readChunks(r, -1, p.use)
	if err != nil {
		return nil, err
	}
	p.use(total)
	return joinChunks(chunks, total), nil
}
