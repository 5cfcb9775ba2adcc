package advcodec

import "github.com/bomrank/bomrank/advisory"

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
	docs   map[*advisory.Document]int
	list   []*advisory.Document
	tables []*prodTable // product table of each document
	local  prodTable    // of a record without a document
	strs   map[string]int
}

// NewEncoder returns an Encoder with an empty document table.
func NewEncoder() *Encoder {
	return &Encoder{docs: map[*advisory.Document]int{}, local: prodTable{m: map[*advisory.Product]int{}}, strs: map[string]int{}}
}

// prodTable numbers products: the products of one document (CSAF product
// tree, VEX document), written once with the document, or of one record
// without a document, written in the record.
type prodTable struct {
	m    map[*advisory.Product]int
	list []*advisory.Product
}

// ref returns p's number plus one (adding it), 0 for nil.
func (t *prodTable) ref(p *advisory.Product) int {
	if p == nil {
		return 0
	}
	n, ok := t.m[p]
	if !ok {
		n = len(t.list)
		t.m[p] = n
		t.list = append(t.list, p)
	}
	return n + 1
}

// close adds every product the table's products reach (relationship
// parts, subcomponents): breadth first over the table as it grows, so
// no recursion whatever the depth.
func (t *prodTable) close() {
	for i := 0; i < len(t.list); i++ {
		p := t.list[i]
		if r := p.Relationship; r != nil {
			t.ref(r.Component)
			t.ref(r.Target)
		}
		for _, s := range p.Subcomponents {
			t.ref(s)
		}
	}
}

// append writes the table (closed first).
func (t *prodTable) append(b []byte) []byte {
	t.close()
	b = AppendUvarint(b, uint64(len(t.list)))
	for _, p := range t.list {
		b = t.appendProduct(b, p)
	}
	return b
}

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
	b = AppendUvarint(b, uint64(e.docRef(a.Document)))
	b = e.appendStatuses(b, a)
	b = AppendSliceLen(b, len(a.Configurations), a.Configurations == nil)
	for i := range a.Configurations {
		b = appendConfiguration(b, &a.Configurations[i])
	}
	b = AppendSliceLen(b, len(a.Threats), a.Threats == nil)
	for _, t := range a.Threats {
		b = AppendString(AppendString(AppendString(b, t.Category), t.Details), t.Date)
		b = AppendStrings(b, t.ProductIDs)
	}
	return b
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
		e.tables = append(e.tables, &prodTable{m: map[*advisory.Product]int{}})
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

// appendStatuses writes a's product statuses, which refer to products by
// number: in the table of a's document, or in a table written here, in
// the record, when a has no document.
func (e *Encoder) appendStatuses(b []byte, a *advisory.Advisory) []byte {
	t := &e.local
	if a.Document != nil {
		t = e.tables[e.docs[a.Document]]
	} else {
		clear(t.m)
		t.list = t.list[:0]
		for i := range a.Products {
			t.ref(a.Products[i].Product)
		}
		b = t.append(b)
	}
	st := a.Products
	b = AppendSliceLen(b, len(st), st == nil)
	clear(e.strs)
	for i := range st {
		s := &st[i]
		b = AppendUvarint(b, uint64(t.ref(s.Product)))
		for _, v := range []string{s.Status, s.List, s.Justification, s.Impact, s.Action} {
			b = e.appendShared(b, v)
		}
		b = AppendSliceLen(b, len(s.Remediations), s.Remediations == nil)
		for _, r := range s.Remediations {
			for _, v := range []string{r.Category, r.Details, r.URL, r.Date} {
				b = e.appendShared(b, v)
			}
		}
	}
	return b
}

// appendShared writes a string of a product status. A CSAF record repeats
// the same texts for every product (a remediation's details and URL, the
// impact statement, the status list): each distinct string is written
// once per record and then as its number. Measured on the records of
// ../shared (mostly CISA CSAF): the form is a third of its size without
// it. 0 is the empty string, 2n a new string of n bytes, 2k+1 the k-th
// string written before.
func (e *Encoder) appendShared(b []byte, s string) []byte {
	if s == "" {
		return append(b, 0)
	}
	if k, ok := e.strs[s]; ok {
		return AppendUvarint(b, uint64(2*k+1))
	}
	e.strs[s] = len(e.strs)
	b = AppendUvarint(b, 2*uint64(len(s)))
	return append(b, s...)
}

func (t *prodTable) appendProduct(b []byte, p *advisory.Product) []byte {
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
		b = AppendUvarint(AppendUvarint(b, uint64(t.ref(r.Component))), uint64(t.ref(r.Target)))
	}
	b = AppendSliceLen(b, len(p.Subcomponents), p.Subcomponents == nil)
	for _, s := range p.Subcomponents {
		b = AppendUvarint(b, uint64(t.ref(s)))
	}
	return b
}

// AppendDocuments appends the document table: the documents of the
// records appended so far, in the order first met, each with its product
// table. Records decode with DecodeDocuments' result.
func (e *Encoder) AppendDocuments(b []byte) []byte {
	b = AppendUvarint(b, uint64(len(e.list)))
	var table []byte
	for i, d := range e.list {
		for _, s := range []string{d.ID, d.Title, d.Category, d.Publisher, d.Namespace, d.Version, d.Released, d.Updated} {
			b = AppendString(b, s)
		}
		table = e.tables[i].append(table[:0])
		b = AppendUvarint(b, uint64(len(table)))
		b = append(b, table...)
	}
	return b
}
