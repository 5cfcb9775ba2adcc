package advcodec

import (
	"fmt"
	"sync/atomic"

	"github.com/bomrank/bomrank/advisory"
)

// Documents is a decoded document table (Encoder.AppendDocuments): the
// documents, read at once, and their product tables, each decoded when a
// record of the document is first decoded. Safe for concurrent use.
type Documents struct {
	docs   []*advisory.Document
	tables []string // encoded product table of each document
	prods  []atomic.Pointer[products]
}

// products is a decoded product table, or the error decoding it gave.
type products struct {
	p   []advisory.Product
	err error
}

// DecodeDocuments reads a document table written by
// Encoder.AppendDocuments; the whole of data must be the table. The
// result shares no memory with a byte slice; a string's it shares.
func DecodeDocuments[T Bytes](data T) (*Documents, error) {
	d := NewDecoder(string(data))
	n := d.Count()
	docs := make([]advisory.Document, n)
	t := &Documents{docs: make([]*advisory.Document, n), tables: make([]string, n), prods: make([]atomic.Pointer[products], n)}
	for i := range docs {
		doc := &docs[i]
		for _, p := range []*string{&doc.ID, &doc.Title, &doc.Category, &doc.Publisher, &doc.Namespace, &doc.Version, &doc.Released, &doc.Updated} {
			*p = d.String()
		}
		t.docs[i] = doc
		t.tables[i] = d.Raw(d.Count())
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("advisory documents: %w", err)
	}
	return t, nil
}

// Len returns the number of documents.
func (t *Documents) Len() int {
	if t == nil {
		return 0
	}
	return len(t.docs)
}

// products returns document i's product table, decoding it the first
// time (concurrent first calls may both decode it; every caller gets the
// one stored first).
func (t *Documents) products(i int) ([]advisory.Product, error) {
	p := &t.prods[i]
	if v := p.Load(); v != nil {
		return v.p, v.err
	}
	d := NewDecoder(t.tables[i])
	v := &products{p: decodeProductTable(d)}
	if v.err = d.Done(); v.err != nil {
		v.p = nil
		v.err = fmt.Errorf("products of document %d: %w", i, v.err)
	}
	if !p.CompareAndSwap(nil, v) {
		v = p.Load()
	}
	return v.p, v.err
}

// decodeProductTable reads a table written by prodTable.append.
func decodeProductTable(d *dec) []advisory.Product {
	prods := make([]advisory.Product, d.Count())
	for i := range prods {
		decodeProduct(d, &prods[i], func() *advisory.Product { return prodRef(d, prods) })
	}
	return prods
}

// prodRef reads a product number written by prodTable.ref.
func prodRef(d *dec, prods []advisory.Product) *advisory.Product {
	if n := d.Int(len(prods)); n > 0 {
		return &prods[n-1]
	}
	return nil
}
