// Package advcodec is the compact binary form of the advisory model
// (advisory.Advisory with everything it points to, advisory.KEV,
// advisory.EPSS) that a compiled database stores, and the primitive
// encoders and decoders the index's own tables are written with.
//
// Why a hand-written codec and not encoding/gob: a database decodes one
// record at a time, only the records a scan finds; a gob stream carries
// its type descriptions once per stream, so one record cannot be decoded
// alone, and gob allocates per field. Measured on this machine (2 cores
// shared with other jobs, BenchmarkCodec against BenchmarkGob, the 1,575
// records of testdata/feeds and ../shared, mostly CISA CSAF): the codec's
// form is 2.1 MB against gob's 7.4 MB, and decoding all of it takes 30 ms,
// 7.8 MB and 19,000 allocations against gob's 54 ms, 23.5 MB and 218,000.
//
// The form: every integer an unsigned varint, every string its length
// then its bytes, every slice its length plus one then its elements (0
// is a nil slice, 1 an empty one, so that decoding gives back exactly what
// was encoded, reflect.DeepEqual included), every optional pointer 0 for
// nil or a table number plus one. Records refer to their Document by
// number in a document table shared by all the records of an encoder
// (one entry per document, not per record), and each document carries
// the table of its products (a CSAF product tree, the products of a VEX
// document), so that a product named by many statuses of many records,
// or as a relationship's component, is written once and decodes to one
// shared *advisory.Product; a record without a document carries its own
// product table.
//
// Decoding never panics: every count is checked against the bytes left
// (every element takes at least one byte), every table number against
// its table, and truncated or trailing data is an error.
package advcodec
