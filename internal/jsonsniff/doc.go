// Package jsonsniff looks for member names in the raw bytes of a JSON
// document without parsing it: how bomrank's SBOM and advisory loaders
// tell one format from another before choosing a parser. A sniff can be
// fooled (a key inside a string value matches too); the parser that
// follows reports any real error.
package jsonsniff
