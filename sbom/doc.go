// Package sbom reads device SBOMs into one model.
//
// A medical-device manufacturer ships an SBOM with each product version.
// It arrives as CycloneDX (JSON or XML, spec 1.2 to 1.6, and leniently 1.0,
// 1.1 and 1.7), SPDX 2.2/2.3 (JSON, YAML, tag-value or RDF/XML; 2.1 too,
// except in RDF/XML) or SPDX 3.0 JSON-LD, possibly gzip-compressed. The
// format is detected from the content, never from the file name.
//
// Every document becomes one [Device]: the product the SBOM describes (its
// manufacturer, name, version, model numbers, identifiers, purl and CPEs)
// holding a flat list of [Component] values, one per component at every
// nesting depth, each pointing at its parent, plus the dependency graph.
// Nothing that has a name is dropped: components without a purl, a CPE or a
// version are kept, and later matching falls back to CPEs or names.
//
// Parsing is lenient wherever the meaning is clear. Departures from the
// official schemas are reported as [Warning] values on the device, naming the
// rule; [Options.Strict] turns them into errors. A document that cannot be
// read gives a [ParseError] naming the file and the format; a syntax error
// names the line and column of the file as written.
//
// [ParseFile] and [Parse] read one document; [Load] walks files and
// directories concurrently and returns devices in a deterministic order,
// with one [ParseError] per input that could not be read.
package sbom
