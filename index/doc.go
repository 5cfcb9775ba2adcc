// Package index is where the matcher looks advisories up. A scan asks it,
// for each component and device, which records name this package (by
// ecosystem and name, or by purl), which NVD configurations have a
// criterion of this CPE's vendor and product, which CSAF products carry
// this model number, vendor and product name, purl, CPE or hash, and which
// VEX statements name this product. Which records describe the same
// vulnerability is decided by the matcher, per component, from the
// records' IDs and aliases (package match).
//
// [Reader] is that small interface: the matcher reads through it and
// nothing else. [New] builds the in-memory implementation, [Memory], from
// records read by package advisory; a compiled database implements the
// same interface over a file. Every lookup is a direct access by key, so a
// scan costs what the fleet's packages have, not the size of the feeds.
//
// [Memory.AppendBinary] writes an index as built (its records and every
// lookup table) for a compiled database, and [Decode] reads it back
// cheaply: the tables are read at once, each record is decoded when a
// lookup first returns it. Both forms answer through the same code: the
// tables hold record numbers, resolved through a store that holds the
// records in memory (New) or decodes them on first use (Decode).
//
// Package names are compared as their ecosystems compare them
// ([NormalizeName]); vendor and product names, model numbers and hashes
// with the rules of package internal/names, which the matcher shares.
package index
