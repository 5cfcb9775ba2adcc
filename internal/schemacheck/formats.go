package schemacheck

// Format assertions.
//
// The CycloneDX schemas are JSON Schema draft-07, for which
// santhosh-tekuri/jsonschema asserts every format it knows by default; the
// SPDX 2.3 schema is draft 2019-09, for which formats are annotations only
// (and it declares none). Most CycloneDX "format" keywords are best read as
// annotations: validators disagree on them (idn-email and idn-hostname are
// not even implemented by this library, iri-reference checking differs
// between libraries) and real SBOMs routinely carry URLs with spaces and
// the like that bomrank should read, not flag. So we assert only the formats
// that the CycloneDX specification's own test files depend on, and register
// a no-op validator for every other format the library would assert:
//
//   - "date-time": invalid-metadata-timestamp-1.x.json (1.2 … 1.7) is invalid
//     only because metadata.timestamp is not an RFC 3339 date-time.
//   - "uri": the JSF signature schema (jsf-0.82) describes "algorithm" as
//     oneOf [an enum of JWA names, a string with format "uri"]. Without the
//     uri assertion a valid name such as "ES256" matches both branches and
//     the oneOf fails, so valid-signatures-1.4 … 1.7, valid-attestation-1.6/1.7
//     and valid-standard-1.6/1.7 would be reported as invalid.
//
// Every other invalid-*.json of the suite is caught by structural keywords
// (required, enum, pattern, type, additionalProperties, oneOf, ...).
var assertedFormats = map[string]bool{
	"date-time": true,
	"uri":       true,
}

// neutralFormats are the formats built into jsonschema v6 (see its
// format.go) minus assertedFormats; each is replaced by a validator that
// accepts everything.
var neutralFormats = func() []string {
	var out []string
	for _, f := range []string{
		"json-pointer", "relative-json-pointer", "uuid", "duration", "period",
		"ipv4", "ipv6", "hostname", "email", "date", "time", "date-time",
		"uri", "iri", "uri-reference", "iri-reference", "uri-template", "semver",
	} {
		if !assertedFormats[f] {
			out = append(out, f)
		}
	}
	return out
}()
