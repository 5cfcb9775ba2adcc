// Package report writes the results of a scan for people and pipelines.
//
// One file per output format, each a function over the same Scan value:
// JSON (the contract scripts rely on; fields are added, never renamed or
// removed) and a table for terminals, for scans (JSON, Table) and for the
// SBOM listing of `bomrank sbom` (SBOMJSON, SBOMTable). Output is deterministic: the same
// scan gives the same bytes.
package report
