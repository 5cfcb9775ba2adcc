package sbom

import (
	"bytes"

	"github.com/bomrank/bomrank/internal/schemacheck"
)

// MaxValidateNodes caps the number of JSON objects and arrays of a
// document that is schema-checked. The checker holds the whole document as
// a generic tree of about a kilobyte per node: a million empty components
// ({} repeated, 3 MB, a few kilobytes gzipped) took 1.1 GB on top of the
// parse. Larger documents are read but not checked (Device.SchemaChecked
// false), as documents over MaxValidateBytes are; real SBOMs stay far
// below it (500 components: about 5,000 nodes).
const MaxValidateNodes = 250_000

// validateJSON checks doc against the official JSON schema of its format and
// version and records each violation as a warning.
func (p *parser) validateJSON(family, version string, doc []byte) {
	if jsonNodes(doc) > MaxValidateNodes {
		return
	}
	vs, err := schemacheck.CheckJSON(family, version, doc)
	p.record(vs, err)
}

// validateCycloneDXXML checks a CycloneDX XML document against the rules of
// the XSD of its version.
func (p *parser) validateCycloneDXXML(version string, doc []byte) {
	vs, err := schemacheck.CheckCycloneDXXML(version, doc)
	p.record(vs, err)
}

func (p *parser) record(vs []schemacheck.Violation, err error) {
	if err != nil {
		// The document parsed, so a checker error means it could not
		// judge (an unknown version, say): say so, once.
		p.warn("schema", "", "not checked against the schema: %v", err)
		return
	}
	p.dev.SchemaChecked = true
	for _, v := range vs {
		p.warn(v.Rule, v.Location, "%s", v.Message)
	}
}

// jsonNodes counts the objects and arrays of a JSON document, brackets in
// strings included: an upper bound, at memchr speed.
func jsonNodes(doc []byte) int {
	return bytes.Count(doc, []byte{'{'}) + bytes.Count(doc, []byte{'['})
}
