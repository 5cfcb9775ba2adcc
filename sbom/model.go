package sbom

// Format names the serialisation a document was read from.
type Format string

// The formats bomrank reads. The string values appear in JSON output and are
// part of its contract.
const (
	CycloneDXJSON Format = "cyclonedx-json"
	CycloneDXXML  Format = "cyclonedx-xml"
	SPDXJSON      Format = "spdx-json"
	SPDXTagValue  Format = "spdx-tag-value"
	SPDXYAML      Format = "spdx-yaml"
	SPDXRDF       Format = "spdx-rdf"
	SPDX3JSONLD   Format = "spdx3-jsonld"
)

// Family reports "CycloneDX" or "SPDX".
func (f Format) Family() string {
	switch f {
	case CycloneDXJSON, CycloneDXXML:
		return "CycloneDX"
	case "":
		return ""
	}
	return "SPDX"
}

// IsSPDX reports whether the format is one of SPDX's.
func (f Format) IsSPDX() bool { return f.Family() == "SPDX" }

// Component is one piece of software or hardware inside a device.
type Component struct {
	// Ref is the element's identifier within its document: the CycloneDX
	// bom-ref or the SPDX/SPDX 3 element id. It may be empty in CycloneDX.
	Ref string
	// Type is the CycloneDX component type (library, firmware, ...) or the
	// SPDX primaryPackagePurpose / software_primaryPurpose, lower case.
	Type string
	// Name, Group and Version are as written in the SBOM. Group holds the
	// CycloneDX group (Maven groupId, npm scope, ...).
	Name    string
	Group   string
	Version string
	// PURL is the package URL as written (after trimming), not
	// checked: package purl parses and normalises it.
	PURL string
	// CPEs lists every CPE of the component (2.2 URIs and 2.3 strings), in
	// document order, without duplicates.
	CPEs []string
	// Hashes lists the component's checksums.
	Hashes []Hash
	// Supplier is the organisation that supplied the component (CycloneDX
	// supplier/manufacturer/author/publisher, SPDX supplier/originator with
	// the "Organization: " prefix removed).
	Supplier string
	// Parent is the Ref (or, where the parent has none, the name) of the
	// component this one is nested in, or contained in by an SPDX CONTAINS
	// relationship. Empty for top-level components.
	Parent string
	// EndOfSupport is the end-of-support date as written (normally an
	// RFC 3339 date or date-time), from CycloneDX properties such as
	// cdx:lifecycle:milestone:endOfSupport, SPDX 2.3 validUntilDate or
	// SPDX 3 validUntilTime. Empty when the SBOM does not say.
	EndOfSupport string
	// SupportLevel is the SPDX 3 supportLevel (e.g. "endOfSupport",
	// "limitedSupport") when present.
	SupportLevel string
}

// Hash is one checksum of a component.
type Hash struct {
	// Algorithm is normalised to upper case with dashes, e.g. "SHA-256".
	Algorithm string
	// Value is the hex digest, lower case.
	Value string
}

// Identifier is an identifier of the SBOM document or of the device, such as
// the CycloneDX serialNumber or the SPDX documentNamespace.
type Identifier struct {
	// Type says what the value is: "cyclonedx-serial-number",
	// "swid-tag-id" (the CycloneDX device's SWID tag),
	// "spdx-document-namespace" or "spdx3-id" (the SpdxDocument's
	// spdxId). Model numbers are in Device.ModelNumbers.
	Type  string
	Value string
}

// Dependency records that the element Ref depends on (or, for SPDX, has a
// DEPENDS_ON or similar relationship to) each element of DependsOn.
type Dependency struct {
	Ref       string
	DependsOn []string
}

// Device is the product one SBOM describes, with its components.
//
// The embedded Component holds the device element itself (CycloneDX
// metadata.component, the SPDX package the document DESCRIBES, the SPDX 3
// root element). Where the SBOM has no such element, the device is named
// after the document (or, failing that, the file) and DeviceSource says
// so; that is not a schema violation, so no Warning is added.
type Device struct {
	Component

	// Path is the file the SBOM was read from (as given to the parser).
	Path string
	// Format is the detected serialisation.
	Format Format
	// SpecVersion is the version of the format, e.g. "1.5" or "SPDX-2.3".
	SpecVersion string
	// Compressed reports whether the file was gzip-compressed.
	Compressed bool
	// DeviceSource says where the device identity came from:
	// "metadata.component" (CycloneDX), "top-level component" (a CycloneDX
	// SBOM without metadata.component whose single top-level or single
	// device/firmware component is taken), "described package" (SPDX),
	// "only package" (an SPDX document with one package and no
	// DESCRIBES), "root element" (SPDX 3); or, when the SBOM names no
	// device element, "document name" or "file name", saying what the
	// device is known by.
	DeviceSource string
	// SchemaChecked reports whether the document was checked against the
	// official schema of its format (see Options.MaxValidateBytes).
	SchemaChecked bool
	// DocumentName is the SPDX document name (the SPDX 3 SpdxDocument's
	// name, the CycloneDX metadata component's name), for display.
	DocumentName string
	// BOMVersion is the CycloneDX BOM's version (the top-level
	// "version"), 0 when the SBOM does not give one (CycloneDX then
	// means 1) or is not CycloneDX. A BOM-Link names one version.
	BOMVersion int
	// Manufacturer is the device manufacturer: CycloneDX
	// metadata.manufacturer, metadata.manufacture or the component's
	// manufacturer or supplier; the SPDX package's supplier (unless a
	// person) or originator; the SPDX 3 package's supplier.
	Manufacturer string
	// ModelNumbers lists model or part numbers found for the device.
	ModelNumbers []string
	// Identifiers lists document and device identifiers.
	Identifiers []Identifier
	// Components holds every component at every nesting depth exactly
	// once, in document order (depth first). The device element itself is
	// not included.
	Components []*Component
	// Dependencies is the dependency graph, in document order.
	Dependencies []Dependency
	// Warnings lists schema violations and other departures from the
	// specification found while parsing. Under Options.Strict they are
	// returned as an error instead.
	Warnings []Warning
}

// Warning is one departure from the format's specification that the parser
// could work around.
type Warning struct {
	// Rule names the violated rule, e.g. "schema" or "spec-version".
	Rule string
	// Location is where known a JSON pointer, an XPath-like path, a
	// line ("line 12") or the id of the element concerned.
	Location string
	// Message says what is wrong.
	Message string
}

// String formats the warning for people.
func (w Warning) String() string {
	s := w.Rule
	if w.Location != "" {
		s += " at " + w.Location
	}
	return s + ": " + w.Message
}
