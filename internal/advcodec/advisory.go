package advcodec

import (
	"fmt"

	"github.com/bomrank/bomrank/advisory"
)

// Encoder writes advisories, numbering the documents they point to in one
// table (see Documents) so that every record of a document refers to one
// entry. An Encoder is not safe for concurrent use.
//
// Measured against encoding/gob on the records of ../shared and
// testdata/feeds (BenchmarkCodec, BenchmarkGob; 2-core machine, numbers
// in codec_bench_test.go's comment): the codec's form is smaller and
// decodes several times faster, and, unlike a gob stream, each record
// decodes on its own.
type Encoder struct {
	docs  map[*advisory.Document]int
	list  []*advisory.Document
	prods map[*advisory.Product]int
	plist []*advisory.Product
}

// NewEncoder returns an Encoder with an empty document table.
func NewEncoder() *Encoder {
	return &Encoder{docs: map[*advisory.Document]int{}, prods: map[*advisory.Product]int{}}
}

// Documents returns the document table: the documents of the records
// appended so far, in the order first met. Write it with AppendDocuments
// and give DecodeDocuments' result to DecodeAdvisory.
func (e *Encoder) Documents() []*advisory.Document { return e.list }

// AppendAdvisory appends a's binary form to b. a must not be nil.
func (e *Encoder) AppendAdvisory(b []byte, a *advisory.Advisory) []byte {
	b = AppendString(b, a.ID) // first: see PeekID
	b = AppendStrings(b, a.Aliases)
	b = AppendStrings(b, a.Related)
	for _, s := range []string{a.Summary, a.Published, a.Modified, a.Withdrawn, a.SchemaVersion, a.Source, a.Format, a.Informational} {
		b = AppendString(b, s)
	}
	b = appendSeverities(b, a.Severity)
	b = AppendSliceLen(b, len(a.Affected), a.Affected == nil)
	for i := range a.Affected {
		b = appendAffected(b, &a.Affected[i])
	}
	b = AppendSliceLen(b, len(a.References), a.References == nil)
	for _, r := range a.References {
		b = AppendString(AppendString(b, r.Type), r.URL)
	}
	b = AppendStrings(b, a.CWEs)
	b = e.appendProducts(b, a.Products)
	b = AppendSliceLen(b, len(a.Configurations), a.Configurations == nil)
	for i := range a.Configurations {
		b = appendConfiguration(b, &a.Configurations[i])
	}
	b = AppendSliceLen(b, len(a.Threats), a.Threats == nil)
	for _, t := range a.Threats {
		b = AppendString(AppendString(AppendString(b, t.Category), t.Details), t.Date)
		b = AppendStrings(b, t.ProductIDs)
	}
	return AppendUvarint(b, uint64(e.docRef(a.Document)))
}

// docRef returns d's number in the document table plus one, 0 for nil.
func (e *Encoder) docRef(d *advisory.Document) int {
	if d == nil {
		return 0
	}
	n, ok := e.docs[d]
	if !ok {
		n = len(e.list)
		e.docs[d] = n
		e.list = append(e.list, d)
	}
	return n + 1
}

func appendSeverities(b []byte, s []advisory.Severity) []byte {
	b = AppendSliceLen(b, len(s), s == nil)
	for _, v := range s {
		b = AppendString(AppendString(b, v.Type), v.Score)
	}
	return b
}

// Event field bits: which of an Event's fields are written.
const (
	evIntroduced = 1 << iota
	evFixed
	evLastAffected
	evLimit
	evAll = evIntroduced | evFixed | evLastAffected | evLimit
)

func appendAffected(b []byte, af *advisory.Affected) []byte {
	b = AppendString(AppendString(AppendString(b, af.Ecosystem), af.Name), af.PURL)
	b = AppendSliceLen(b, len(af.Ranges), af.Ranges == nil)
	for _, r := range af.Ranges {
		b = AppendString(AppendString(b, r.Type), r.Repo)
		b = AppendSliceLen(b, len(r.Events), r.Events == nil)
		for _, ev := range r.Events {
			var mask byte
			for i, s := range [...]string{ev.Introduced, ev.Fixed, ev.LastAffected, ev.Limit} {
				if s != "" {
					mask |= 1 << i
				}
			}
			b = append(b, mask)
			for i, s := range [...]string{ev.Introduced, ev.Fixed, ev.LastAffected, ev.Limit} {
				if mask&(1<<i) != 0 {
					b = AppendString(b, s)
				}
			}
		}
	}
	b = AppendStrings(b, af.Versions)
	return appendSeverities(b, af.Severity)
}

func appendConfiguration(b []byte, c *advisory.Configuration) []byte {
	b = AppendBool(AppendString(b, c.Operator), c.Negate)
	b = AppendSliceLen(b, len(c.Nodes), c.Nodes == nil)
	for _, n := range c.Nodes {
		b = AppendBool(AppendString(b, n.Operator), n.Negate)
		b = AppendSliceLen(b, len(n.Matches), n.Matches == nil)
		for _, m := range n.Matches {
			b = AppendString(AppendBool(b, m.Vulnerable), m.Criteria)
			b = AppendString(AppendString(b, m.VersionStartIncluding), m.VersionStartExcluding)
			b = AppendString(AppendString(b, m.VersionEndIncluding), m.VersionEndExcluding)
		}
	}
	return b
}

// appendProducts writes the record's product table (every product its
// statuses reach, each once) and then the statuses, which refer to the
// table by number.
func (e *Encoder) appendProducts(b []byte, st []advisory.ProductStatus) []byte {
	clear(e.prods)
	e.plist = e.plist[:0]
	for i := range st {
		e.prodRef(st[i].Product)
	}
	// Breadth first over the table as it grows: no recursion, whatever
	// the depth of relationships and subcomponents.
	for i := 0; i < len(e.plist); i++ {
		p := e.plist[i]
		if r := p.Relationship; r != nil {
			e.prodRef(r.Component)
			e.prodRef(r.Target)
		}
		for _, s := range p.Subcomponents {
			e.prodRef(s)
		}
	}
	b = AppendUvarint(b, uint64(len(e.plist)))
	for _, p := range e.plist {
		b = e.appendProduct(b, p)
	}
	b = AppendSliceLen(b, len(st), st == nil)
	for i := range st {
		s := &st[i]
		b = AppendUvarint(b, uint64(e.prodRef(s.Product)))
		for _, v := range []string{s.Status, s.List, s.Justification, s.Impact, s.Action} {
			b = AppendString(b, v)
		}
		b = AppendSliceLen(b, len(s.Remediations), s.Remediations == nil)
		for _, r := range s.Remediations {
			b = AppendString(AppendString(AppendString(AppendString(b, r.Category), r.Details), r.URL), r.Date)
		}
	}
	return b
}

// prodRef returns p's number in the record's product table plus one
// (adding it), 0 for nil.
func (e *Encoder) prodRef(p *advisory.Product) int {
	if p == nil {
		return 0
	}
	n, ok := e.prods[p]
	if !ok {
		n = len(e.plist)
		e.prods[p] = n
		e.plist = append(e.plist, p)
	}
	return n + 1
}

func (e *Encoder) appendProduct(b []byte, p *advisory.Product) []byte {
	for _, s := range []string{p.ID, p.Name, p.Vendor, p.Family, p.ProductName, p.Version, p.VersionRange} {
		b = AppendString(b, s)
	}
	for _, l := range [][]string{p.PURLs, p.CPEs, p.ModelNumbers, p.SerialNumbers, p.SKUs, p.GenericURIs, p.Hashes, p.Groups} {
		b = AppendStrings(b, l)
	}
	if r := p.Relationship; r == nil {
		b = append(b, 0)
	} else {
		b = AppendString(append(b, 1), r.Category)
		b = AppendUvarint(AppendUvarint(b, uint64(e.prodRef(r.Component))), uint64(e.prodRef(r.Target)))
	}
	b = AppendSliceLen(b, len(p.Subcomponents), p.Subcomponents == nil)
	for _, s := range p.Subcomponents {
		b = AppendUvarint(b, uint64(e.prodRef(s)))
	}
	return b
}

// AppendDocuments appends a document table (Encoder.Documents).
func AppendDocuments(b []byte, docs []*advisory.Document) []byte {
	b = AppendUvarint(b, uint64(len(docs)))
	for _, d := range docs {
		for _, s := range []string{d.ID, d.Title, d.Category, d.Publisher, d.Namespace, d.Version, d.Released, d.Updated} {
			b = AppendString(b, s)
		}
	}
	return b
}

// DecodeDocuments reads a document table written by AppendDocuments; the
// whole of data must be the table.
func DecodeDocuments(data []byte) ([]*advisory.Document, error) {
	d := NewDecoder(string(data))
	n := d.Count()
	docs := make([]advisory.Document, n)
	out := make([]*advisory.Document, n)
	for i := range docs {
		doc := &docs[i]
		for _, p := range []*string{&doc.ID, &doc.Title, &doc.Category, &doc.Publisher, &doc.Namespace, &doc.Version, &doc.Released, &doc.Updated} {
			*p = d.String()
		}
		out[i] = doc
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("advisory documents: %w", err)
	}
	return out, nil
}
