// Package schemacheck validates SBOM documents against the official
// CycloneDX and SPDX schemas and reports every schema violation as a
// [Violation] that names the rule that failed.
//
// bomrank parses medical-device SBOMs leniently: a document that breaks its
// schema is still read as far as possible. This package supplies the other
// half of that contract — it tells the caller precisely which schema rules
// the document breaks, so that each one can be surfaced as a warning
// instead of being silently accepted or causing the whole document to be
// rejected.
//
// Two entry points exist:
//
//   - [CheckJSON] validates CycloneDX 1.2–1.7 JSON and SPDX 2.2/2.3 JSON with
//     the official JSON schemas, which are embedded in the binary (see
//     schemas/README.md for their provenance). The schemas are compiled
//     lazily, once each, and cached; no schema resource is ever fetched
//     from the network.
//   - [CheckCycloneDXXML] validates CycloneDX 1.0–1.7 XML. No well-kept
//     pure-Go XSD validator exists, so instead of the XSDs it applies a
//     table of hand-written rules, each taken from a named XSD element or
//     type, which cover the constraints exercised by the CycloneDX
//     specification's own test files (enumerations, hash patterns, required
//     elements, bom-ref uniqueness, non-empty dependency references, serial numbers,
//     licence choice and so on). It is a subset of XSD validation, not a
//     replacement for it.
//
// The package is self-contained: it depends on no other bomrank package, so
// parsers, the CLI and tests can all use it.
package schemacheck
