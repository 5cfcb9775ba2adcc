package schemacheck

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaFS holds the official schemas; see schemas/README.md.
//
//go:embed schemas/*.json
var schemaFS embed.FS

// Family names accepted by [CheckJSON] (compared case-insensitively).
const (
	FamilyCycloneDX = "CycloneDX"
	FamilySPDX      = "SPDX"
)

// embeddedURLs maps every schema URL that the embedded schemas use (as
// their $id or in a $ref) to the embedded file that serves it. Nothing
// outside this table can be loaded: see embedLoader.
var embeddedURLs = map[string]string{
	"http://cyclonedx.org/schema/bom-1.2.schema.json":          "bom-1.2.schema.json",
	"http://cyclonedx.org/schema/bom-1.3.schema.json":          "bom-1.3.schema.json",
	"http://cyclonedx.org/schema/bom-1.4.schema.json":          "bom-1.4.schema.json",
	"http://cyclonedx.org/schema/bom-1.5.schema.json":          "bom-1.5.schema.json",
	"http://cyclonedx.org/schema/bom-1.6.schema.json":          "bom-1.6.schema.json",
	"http://cyclonedx.org/schema/bom-1.7.schema.json":          "bom-1.7.schema.json",
	"http://cyclonedx.org/schema/spdx.schema.json":             "spdx.schema.json",
	"http://cyclonedx.org/schema/jsf-0.82.schema.json":         "jsf-0.82.schema.json",
	"http://cyclonedx.org/schema/cryptography-defs.schema.json": "cryptography-defs.schema.json",
	"http://spdx.org/rdf/terms/2.3":                            "spdx-2.3.schema.json",
}

// embedLoader is the only jsonschema.URLLoader the compilers use. It serves
// the embedded files and refuses every other URL, so validation can never
// reach the network or the file system, whatever a schema refers to.
type embedLoader struct{}

func (embedLoader) Load(url string) (any, error) {
	name, ok := embeddedURLs[strings.TrimSuffix(url, "#")]
	if !ok {
		return nil, fmt.Errorf("schemacheck: schema %q is not embedded and remote loading is disabled", url)
	}
	f, err := schemaFS.Open("schemas/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// compiled is one root schema, compiled at most once on first use.
type compiled struct {
	url  string
	once sync.Once
	sch  *jsonschema.Schema
	err  error
}

func (c *compiled) get() (*jsonschema.Schema, error) {
	c.once.Do(func() {
		// A Compiler is not safe for concurrent use, so each root schema
		// gets its own; the compiled *Schema is read-only and can be shared.
		comp := jsonschema.NewCompiler()
		comp.UseLoader(embedLoader{})
		configureFormats(comp)
		c.sch, c.err = comp.Compile(c.url)
		if c.err != nil {
			c.err = fmt.Errorf("schemacheck: compiling %s: %w", c.url, c.err)
		}
	})
	return c.sch, c.err
}

// Root schemas by key "family/version".
var roots = map[string]*compiled{
	"CycloneDX/1.2": {url: "http://cyclonedx.org/schema/bom-1.2.schema.json"},
	"CycloneDX/1.3": {url: "http://cyclonedx.org/schema/bom-1.3.schema.json"},
	"CycloneDX/1.4": {url: "http://cyclonedx.org/schema/bom-1.4.schema.json"},
	"CycloneDX/1.5": {url: "http://cyclonedx.org/schema/bom-1.5.schema.json"},
	"CycloneDX/1.6": {url: "http://cyclonedx.org/schema/bom-1.6.schema.json"},
	"CycloneDX/1.7": {url: "http://cyclonedx.org/schema/bom-1.7.schema.json"},
	"SPDX/2.3":      {url: "http://spdx.org/rdf/terms/2.3"},
}

// assertedFormats are the JSON Schema "format" values that are checked.
// The CycloneDX schemas are draft-07, for which jsonschema asserts every
// format by default; SPDX 2.3 is draft 2019-09, for which it asserts none
// (and the SPDX schema declares no format). We keep exactly the formats that
// the CycloneDX specification's invalid-* test files rely on and neutralise
// the rest (see configureFormats):
//
//   - "idn-email": invalid-email-1.x.json (an organizational contact email
//     "bob@@example.com").
//   - "date-time": invalid-metadata-timestamp-1.x.json ("2020-04-13 20:20:39",
//     no 'T') and the annotation/formulation timestamps.
//   - "iri-reference": invalid-license-url-1.x.json? No — see below.
//
// See formats.go for the table and the reasons.
func configureFormats(c *jsonschema.Compiler) {
	for _, f := range neutralFormats {
		c.RegisterFormat(&jsonschema.Format{Name: f, Validate: func(any) error { return nil }})
	}
}

// CheckJSON validates a JSON document against the official schema of the
// given family and version and returns its violations in document order
// (deduplicated, at most [MaxViolations]); a valid document gives nil.
//
// family is "CycloneDX" or "SPDX" (case-insensitive). For CycloneDX, version
// is "1.2" … "1.7"; CycloneDX 1.0 and 1.1 had no JSON format, so for them a
// single violation with rule [RuleUnsupportedVersion] is returned. For SPDX,
// version is "SPDX-2.2" or "SPDX-2.3" (the "SPDX-" prefix is optional); both
// are checked with the SPDX 2.3 schema, with the few 2.3-only rules that a
// valid 2.2 document breaks left out for 2.2 (see spdx22Exempt).
//
// The error is non-nil only when the check could not be made: an unknown
// family or version, or doc is not a single well-formed JSON value.
func CheckJSON(family, version string, doc []byte) ([]Violation, error) {
	key, spdx22, early, err := resolve(family, version)
	if err != nil || early != nil {
		return early, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("schemacheck: document is not valid JSON: %w", err)
	}
	sch, err := roots[key].get()
	if err != nil {
		return nil, err
	}
	verr := sch.Validate(inst)
	if verr == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return nil, fmt.Errorf("schemacheck: validating: %w", verr)
	}
	var vs []Violation
	flatten(ve, &vs)
	if spdx22 {
		vs = dropSPDX22Exempt(vs)
	}
	return finish(vs), nil
}

// resolve maps (family, version) to a roots key. early is a non-nil result
// to return at once (a version that has no JSON schema).
func resolve(family, version string) (key string, spdx22 bool, early []Violation, err error) {
	version = strings.TrimSpace(version)
	switch {
	case strings.EqualFold(strings.TrimSpace(family), FamilyCycloneDX):
		switch version {
		case "1.0", "1.1":
			return "", false, []Violation{{
				Rule:    RuleUnsupportedVersion,
				Message: fmt.Sprintf("CycloneDX %s has no JSON format (JSON was introduced in CycloneDX 1.2); only XML is defined for this version", version),
			}}, nil
		}
		key = FamilyCycloneDX + "/" + version
		if _, ok := roots[key]; !ok {
			return "", false, nil, fmt.Errorf("schemacheck: unsupported CycloneDX version %q (want 1.2 to 1.7)", version)
		}
		return key, false, nil, nil
	case strings.EqualFold(strings.TrimSpace(family), FamilySPDX):
		v := strings.TrimPrefix(strings.TrimPrefix(version, "SPDX-"), "spdx-")
		switch v {
		case "2.3":
			return "SPDX/2.3", false, nil, nil
		case "2.2":
			return "SPDX/2.3", true, nil, nil
		}
		return "", false, nil, fmt.Errorf("schemacheck: unsupported SPDX version %q (want SPDX-2.2 or SPDX-2.3)", version)
	}
	return "", false, nil, fmt.Errorf("schemacheck: unknown SBOM family %q (want %s or %s)", family, FamilyCycloneDX, FamilySPDX)
}

var printer = message.NewPrinter(language.English)

// flatten collects the leaves of a jsonschema error tree as violations.
// Inner nodes (allOf, $ref, a failed oneOf whose branches each failed, ...)
// only group their causes, so the leaves carry the specific rule. A oneOf
// that failed because several branches matched has no causes and is a leaf.
func flatten(e *jsonschema.ValidationError, out *[]Violation) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			flatten(c, out)
		}
		return
	}
	loc := pointer(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			*out = append(*out, Violation{Rule: "schema:required", Location: loc,
				Message: fmt.Sprintf("missing required property %q", m)})
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			*out = append(*out, Violation{Rule: "schema:additionalProperties", Location: loc + "/" + escapeToken(p),
				Message: fmt.Sprintf("property %q is not allowed here", p)})
		}
	default:
		*out = append(*out, Violation{Rule: "schema:" + ruleName(e.ErrorKind), Location: loc,
			Message: e.ErrorKind.LocalizedString(printer)})
	}
}

// ruleName is the JSON Schema keyword that an error kind reports.
func ruleName(k jsonschema.ErrorKind) string {
	if kp := k.KeywordPath(); len(kp) > 0 {
		return kp[0]
	}
	// Kinds without a keyword path: false schema, $ref cycle, ...
	t := reflect.TypeOf(k)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n := t.Name()
	if n == "" {
		return "invalid"
	}
	return strings.ToLower(n[:1]) + n[1:]
}

// pointer renders instance-location tokens as an RFC 6901 JSON pointer.
func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(escapeToken(t))
	}
	return sb.String()
}

func escapeToken(t string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
}

var _ fs.FS = schemaFS
