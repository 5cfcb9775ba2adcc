package advcodec

import (
	"errors"
	"fmt"

	"github.com/bomrank/bomrank/advisory"
)

// dec is the decoder records are read with: over one string made from
// the record, so that all of a record's strings share one allocation.
type dec = Decoder[string]

// DecodeAdvisory reads one record written by Encoder.AppendAdvisory; rec
// must be exactly the record. docs is the encoder's document table (see
// DecodeDocuments; nil when empty): records of one document share its
// *advisory.Document and its products. The result shares no memory with
// rec (its strings share one copy of it: see DecodeAdvisoryString).
func DecodeAdvisory(rec []byte, docs *Documents) (*advisory.Advisory, error) {
	return DecodeAdvisoryString(string(rec), docs)
}

// DecodeAdvisoryString is DecodeAdvisory over a string: the record's
// strings are substrings of rec, with no copy. A database read whole into
// memory decodes its records this way: copying each record's text out
// cost a fifth of the CPU of the 100k workload's scan and 25 MB of its
// 117 MB of decoded records.
func DecodeAdvisoryString(rec string, docs *Documents) (*advisory.Advisory, error) {
	d := NewDecoder(rec)
	b := new(block)
	a := decodeAdvisory(d, docs, &b.adv, newAlloc(b))
	if err := d.Done(); err != nil {
		return nil, err
	}
	return a, nil
}

// Scratch is room to decode records into, one after the other (see
// DecodeAdvisoryInto). The zero value is ready to use; it is not safe for
// concurrent use.
type Scratch struct{ b block }

// DecodeAdvisoryInto is DecodeAdvisoryString decoding into s: the result
// is valid until the next call with s, and costs no allocation for a
// record that fits the room of a small OSV record (see block). A scan
// folds a matching record into its findings (which copy what they keep)
// and needs it no longer: on the 600k workload keeping every matching
// record decoded held 188 MB.
func DecodeAdvisoryInto(rec string, docs *Documents, s *Scratch) (*advisory.Advisory, error) {
	s.b = block{}
	d := NewDecoder(rec)
	a := decodeAdvisory(d, docs, &s.b.adv, newAlloc(&s.b))
	if err := d.Done(); err != nil {
		return nil, err
	}
	return a, nil
}

// PeekID returns the ID of the record rec without decoding the rest.
func PeekID[T Bytes](rec T) (string, error) {
	d := NewDecoder(rec)
	n := d.Count()
	id := d.Raw(n)
	return string(id), d.Err()
}

// DecodeAffected reads only the affected package sub of the record rec
// (see DecodeAdvisoryString; its strings are substrings of rec), skipping
// the fields before it, and not reading the rest. Matching needs only
// that: on the 100k workload a scan looks at nearly every record's
// affected package, and decoding whole records for it (768 bytes and
// every field) was a quarter of the scan's CPU, though only the third of
// the records that match are reported.
func DecodeAffected(rec string, sub int) (*advisory.Affected, error) {
	b := new(affBlock)
	if err := decodeAffectedOf(rec, sub, b); err != nil {
		return nil, err
	}
	return &b.aff, nil
}

// AffectedScratch is room to decode affected packages into, one after
// the other (see DecodeAffectedInto). The zero value is ready to use; it
// is not safe for concurrent use.
type AffectedScratch struct{ b affBlock }

// DecodeAffectedInto is DecodeAffected decoding into s: the result is
// valid until the next call with s (its strings, substrings of rec, stay
// valid), and costs no allocation for the commonest entry (see affBlock).
// A matcher that compiles an entry's ranges once needs the decoded
// package no longer: on the 100k workload keeping each one decoded was
// 25 MB of fresh memory a scan (256 bytes an entry), on the 600k one
// 150 MB.
func DecodeAffectedInto(rec string, sub int, s *AffectedScratch) (*advisory.Affected, error) {
	s.b = affBlock{}
	if err := decodeAffectedOf(rec, sub, &s.b); err != nil {
		return nil, err
	}
	return &s.b.aff, nil
}

// decodeAffectedOf decodes the affected package sub of rec into b.
func decodeAffectedOf(rec string, sub int, b *affBlock) error {
	d := NewDecoder(rec)
	skipString(d) // ID
	skipStrings(d)
	skipStrings(d)
	for range 8 {
		skipString(d)
	}
	for range max(d.SliceLen(), 0) {
		skipString(d)
		skipString(d)
	}
	n := d.SliceLen()
	if d.Err() == nil && sub >= n {
		return fmt.Errorf("affected package %d of %d", sub, max(n, 0))
	}
	for range sub {
		skipAffected(d)
	}
	decodeAffected(d, &b.aff, &alloc{strs: b.strs[:], rng: b.rng[:], ev: b.ev[:]})
	return d.Err()
}

func skipString(d *dec) { d.Raw(d.Count()) }

func skipStrings(d *dec) {
	for range max(d.SliceLen(), 0) {
		skipString(d)
	}
}

// skipAffected reads past one affected package (what decodeAffected
// reads).
func skipAffected(d *dec) {
	for range 3 {
		skipString(d)
	}
	for range max(d.SliceLen(), 0) {
		skipString(d)
		skipString(d)
		for range max(d.SliceLen(), 0) {
			mask := d.Byte()
			if mask&^evAll != 0 {
				d.Fail(fmt.Errorf("bad event mask %#x at offset %d", mask, d.Offset()-1))
				return
			}
			for i := range 4 {
				if mask&(1<<i) != 0 {
					skipString(d)
				}
			}
		}
	}
	skipStrings(d)
	for range max(d.SliceLen(), 0) {
		skipString(d)
		skipString(d)
	}
}

func decodeAdvisory(d *dec, docs *Documents, a *advisory.Advisory, al *alloc) *advisory.Advisory {
	a.ID = d.String()
	a.Aliases = strs(d, al)
	a.Related = strs(d, al)
	for _, p := range []*string{&a.Summary, &a.Published, &a.Modified, &a.Withdrawn, &a.SchemaVersion, &a.Source, &a.Format, &a.Informational} {
		*p = d.String()
	}
	a.Severity = decodeSeverities(d, al)
	if n := d.SliceLen(); n >= 0 {
		a.Affected = al.affected(n)
		for i := range a.Affected {
			decodeAffected(d, &a.Affected[i], al)
		}
	}
	if n := d.SliceLen(); n >= 0 {
		a.References = al.references(n)
		for i := range a.References {
			a.References[i] = advisory.Reference{Type: d.String(), URL: d.String()}
		}
	}
	a.CWEs = strs(d, al)
	doc := d.Int(docs.Len()) - 1
	if doc >= 0 {
		a.Document = docs.docs[doc]
	}
	a.Products = decodeStatuses(d, docs, doc)
	if n := d.SliceLen(); n >= 0 {
		a.Configurations = make([]advisory.Configuration, n)
		for i := range a.Configurations {
			decodeConfiguration(d, &a.Configurations[i])
		}
	}
	if n := d.SliceLen(); n >= 0 {
		a.Threats = make([]advisory.Threat, n)
		for i := range a.Threats {
			t := &a.Threats[i]
			t.Category, t.Details, t.Date = d.String(), d.String(), d.String()
			t.ProductIDs = d.Strings()
		}
	}
	return a
}

// strs is Decoder.Strings with the room of al.
func strs(d *dec, al *alloc) []string {
	n := d.SliceLen()
	if n < 0 {
		return nil
	}
	s := al.strings(n)
	for i := range s {
		s[i] = d.String()
	}
	return s
}

func decodeSeverities(d *dec, al *alloc) []advisory.Severity {
	n := d.SliceLen()
	if n < 0 {
		return nil
	}
	s := al.severities(n)
	for i := range s {
		s[i] = advisory.Severity{Type: d.String(), Score: d.String()}
	}
	return s
}

func decodeAffected(d *dec, af *advisory.Affected, al *alloc) {
	af.Ecosystem, af.Name, af.PURL = d.String(), d.String(), d.String()
	if n := d.SliceLen(); n >= 0 {
		af.Ranges = al.ranges(n)
		for i := range af.Ranges {
			r := &af.Ranges[i]
			r.Type, r.Repo = d.String(), d.String()
			if n := d.SliceLen(); n >= 0 {
				r.Events = al.events(n)
				for j := range r.Events {
					decodeEvent(d, &r.Events[j])
				}
			}
		}
	}
	af.Versions = strs(d, al)
	af.Severity = decodeSeverities(d, al)
}

func decodeEvent(d *dec, ev *advisory.Event) {
	mask := d.Byte()
	if mask&^evAll != 0 {
		d.Fail(fmt.Errorf("bad event mask %#x at offset %d", mask, d.Offset()-1))
		return
	}
	for i, p := range [...]*string{&ev.Introduced, &ev.Fixed, &ev.LastAffected, &ev.Limit} {
		if mask&(1<<i) != 0 {
			*p = d.String()
		}
	}
}

func decodeConfiguration(d *dec, c *advisory.Configuration) {
	c.Operator, c.Negate = d.String(), d.Bool()
	n := d.SliceLen()
	if n < 0 {
		return
	}
	c.Nodes = make([]advisory.Node, n)
	for i := range c.Nodes {
		nd := &c.Nodes[i]
		nd.Operator, nd.Negate = d.String(), d.Bool()
		if n := d.SliceLen(); n >= 0 {
			nd.Matches = make([]advisory.CPEMatch, n)
			for j := range nd.Matches {
				m := &nd.Matches[j]
				m.Vulnerable, m.Criteria = d.Bool(), d.String()
				m.VersionStartIncluding, m.VersionStartExcluding = d.String(), d.String()
				m.VersionEndIncluding, m.VersionEndExcluding = d.String(), d.String()
			}
		}
	}
}

// decodeStatuses reads a record's product statuses: their products are
// in the table of document doc, or, for a record without one (doc < 0),
// in a table in the record.
func decodeStatuses(d *dec, docs *Documents, doc int) []advisory.ProductStatus {
	var prods []advisory.Product
	if doc >= 0 {
		var err error
		if prods, err = docs.products(doc); err != nil {
			d.Fail(err)
			return nil
		}
	} else {
		prods = decodeProductTable(d)
	}
	n := d.SliceLen()
	if n < 0 {
		return nil
	}
	st := make([]advisory.ProductStatus, n)
	var seen []string
	for i := range st {
		s := &st[i]
		s.Product = prodRef(d, prods)
		for _, p := range []*string{&s.Status, &s.List, &s.Justification, &s.Impact, &s.Action} {
			*p = shared(d, &seen)
		}
		if n := d.SliceLen(); n >= 0 {
			s.Remediations = make([]advisory.Remediation, n)
			for j := range s.Remediations {
				r := &s.Remediations[j]
				for _, p := range []*string{&r.Category, &r.Details, &r.URL, &r.Date} {
					*p = shared(d, &seen)
				}
			}
		}
	}
	return st
}

// shared reads a string written by Encoder.appendShared; seen holds the
// strings read before.
func shared(d *dec, seen *[]string) string {
	v := d.Uvarint()
	switch {
	case v == 0:
		return ""
	case v%2 == 1:
		if k := v / 2; k < uint64(len(*seen)) {
			return (*seen)[k]
		}
		d.Fail(fmt.Errorf("string %d of %d at offset %d", v/2, len(*seen), d.Offset()))
		return ""
	case v/2 > uint64(d.Len()):
		d.Fail(fmt.Errorf("string of %d bytes at offset %d: %w", v/2, d.Offset(), ErrTruncated))
		return ""
	}
	s := string(d.Raw(int(v / 2)))
	*seen = append(*seen, s)
	return s
}

var errBadRelationship = errors.New("bad relationship flag")

func decodeProduct(d *dec, p *advisory.Product, ref func() *advisory.Product) {
	for _, s := range []*string{&p.ID, &p.Name, &p.Vendor, &p.Family, &p.ProductName, &p.Version, &p.VersionRange} {
		*s = d.String()
	}
	for _, l := range []*[]string{&p.PURLs, &p.CPEs, &p.ModelNumbers, &p.SerialNumbers, &p.SKUs, &p.GenericURIs, &p.Hashes, &p.Groups} {
		*l = d.Strings()
	}
	switch d.Byte() {
	case 0:
	case 1:
		p.Relationship = &advisory.Relationship{Category: d.String()}
		p.Relationship.Component = ref()
		p.Relationship.Target = ref()
	default:
		d.Fail(fmt.Errorf("%w at offset %d", errBadRelationship, d.Offset()-1))
	}
	if n := d.SliceLen(); n >= 0 {
		p.Subcomponents = make([]*advisory.Product, n)
		for i := range p.Subcomponents {
			p.Subcomponents[i] = ref()
		}
	}
}

// AppendAdvisories appends advs as one self-contained block: the document
// table, then each record with its length.
func AppendAdvisories(b []byte, advs []*advisory.Advisory) []byte {
	e := NewEncoder()
	var recs, rec []byte
	for _, a := range advs {
		rec = e.AppendAdvisory(rec[:0], a)
		recs = AppendUvarint(recs, uint64(len(rec)))
		recs = append(recs, rec...)
	}
	docs := e.AppendDocuments(nil)
	b = AppendUvarint(b, uint64(len(docs)))
	b = append(b, docs...)
	b = AppendUvarint(b, uint64(len(advs)))
	return append(b, recs...)
}

// DecodeAdvisories reads a block written by AppendAdvisories; records of
// one document share its *advisory.Document.
func DecodeAdvisories(data []byte) ([]*advisory.Advisory, error) {
	d := NewDecoder(data)
	table := d.Raw(d.Count())
	if d.Err() != nil {
		return nil, fmt.Errorf("advisories: %w", d.Err())
	}
	docs, err := DecodeDocuments(table)
	if err != nil {
		return nil, err
	}
	out := make([]*advisory.Advisory, d.Count())
	for i := range out {
		rec := d.Raw(d.Count())
		if d.Err() != nil {
			break
		}
		a, err := DecodeAdvisory(rec, docs)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		out[i] = a
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("advisories: %w", err)
	}
	return out, nil
}
