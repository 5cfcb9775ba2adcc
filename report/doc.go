// Package report writes the results of a scan for people and pipelines.
//
// One file per output format, each a function over the same Scan value:
// JSON (the contract scripts rely on; fields are added, never renamed or
// removed) and a table for terminals. Output is deterministic: the same
// scan gives the same bytes.
package report
