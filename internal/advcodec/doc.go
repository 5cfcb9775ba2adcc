// Package advcodec is the compact binary form of the advisory model
// (advisory.Advisory with everything it points to, advisory.KEV,
// advisory.EPSS) that a compiled database stores, and the primitive
// encoders and decoders the index's own tables are written with.
//
// Why a hand-written codec and not encoding/gob: a database must decode
// one record at a time, only the records a scan finds, each in well under
// a microsecond; gob streams carry their type descriptions once per
// stream, so decoding one record alone means decoding the type
// description first, and gob allocates per field. Measured on this
// machine (BenchmarkCodec against BenchmarkGob, the 303-record OSV slice
// plus the CSAF, NVD and VEX records of testdata/feeds and ../shared; see
// codec_bench_test.go): see the numbers quoted beside Encoder.
//
// The form: every integer an unsigned varint, every string its length
// then its bytes, every slice its length plus one then its elements (0
// is a nil slice, 1 an empty one, so that decoding gives back exactly what
// was encoded, reflect.DeepEqual included), every optional pointer 0 for
// nil or a table number plus one. Records refer to their Document by
// number in a document table shared by all the records of an encoder
// (one entry per document, not per record), and a record's products form
// one table per record, so that a product named by many statuses, or as
// a relationship's component, is written once and decodes to one shared
// *advisory.Product.
//
// Decoding never panics: every count is checked against the bytes left
// (every element takes at least one byte), every table number against
// its table, and truncated or trailing data is an error.
package advcodec
