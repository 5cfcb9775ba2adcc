// Package xmlguard bounds the element nesting of XML read by bomrank.
//
// encoding/xml keeps a stack entry (and namespace bookkeeping) for every
// open element, including the unknown elements Decoder.Skip and
// Unmarshal pass over, and has no depth limit of its own for them: nine
// million nested elements, 61 KB gzipped, took 8 GB. Every XML reader in
// bomrank goes through this package, which counts depth on raw tokens
// (RawToken keeps no stack) and refuses a document nested more than
// MaxDepth elements deep, as the JSON readers refuse JSON nested more than
// 10,000 levels.
package xmlguard
