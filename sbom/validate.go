package sbom

import "github.com/bomrank/bomrank/internal/schemacheck"

// validateJSON checks doc against the official JSON schema of its format and
// version and records each violation as a warning.
func (p *parser) validateJSON(family, version string, doc []byte) {
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
