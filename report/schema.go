package report

import _ "embed"

// SchemaVersion is the version of the scan JSON contract, written as its
// "schema" field. The minor number grows when fields are added; the major
// number would only change with a breaking change, which the contract
// rules out.
const SchemaVersion = "1.4"

//go:embed schema/scan.schema.json
var scanSchema []byte

// ScanSchema returns the JSON Schema (draft 2020-12) of the JSON that JSON
// writes, as published in the repository at report/schema/scan.schema.json.
// Its $id is ScanSchemaID.
func ScanSchema() []byte { return append([]byte(nil), scanSchema...) }

// ScanSchemaID is the $id of ScanSchema.
const ScanSchemaID = "https://github.com/bomrank/bomrank/report/schema/scan.schema.json"
