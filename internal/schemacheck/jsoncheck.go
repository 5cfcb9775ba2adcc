package schemacheck

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

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
	"http://cyclonedx.org/schema/bom-1.2.schema.json":           "bom-1.2.schema.json",
	"http://cyclonedx.org/schema/bom-1.3.schema.json":           "bom-1.3.schema.json",
	"http://cyclonedx.org/schema/bom-1.4.schema.json":           "bom-1.4.schema.json",
	"http://cyclonedx.org/schema/bom-1.5.schema.json":           "bom-1.5.schema.json",
	"http://cyclonedx.org/schema/bom-1.6.schema.json":           "bom-1.6.schema.json",
	"http://cyclonedx.org/schema/bom-1.7.schema.json":           "bom-1.7.schema.json",
	"http://cyclonedx.org/schema/spdx.schema.json":              "spdx.schema.json",
	"http://cyclonedx.org/schema/jsf-0.82.schema.json":          "jsf-0.82.schema.json",
	"http://cyclonedx.org/schema/cryptography-defs.schema.json": "cryptography-defs.schema.json",
	"http://spdx.org/rdf/terms/2.3":                             "spdx-2.3.schema.json",
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

// configureFormats limits format assertions to assertedFormats (see
// formats.go) by replacing every other built-in format with a no-op.
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
// are checked with the SPDX 2.3 schema (see resolve for why that is sound
// for 2.2).
//
// The error is non-nil only when the check could not be made: an unknown
// family or version, or doc is not a single well-formed JSON value.
func CheckJSON(family, version string, doc []byte) ([]Violation, error) {
	key, early, err := resolve(family, version)
	if err != nil {
		return nil, err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("schemacheck: document is not valid JSON: %w", err)
	}
	if early != nil {
		return early, nil
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
	return finish(vs), nil
}

// resolve maps (family, version) to a roots key. early is a non-nil result
// to return at once (a version that has no JSON schema).
//
// SPDX 2.2 documents are checked with the SPDX 2.3 schema. SPDX 2.3 only
// added to 2.2 (new optional fields such as primaryPackagePurpose and
// releaseDate, more checksum algorithms, relationship types and external
// reference categories, and it made several package fields optional), so a
// valid 2.2 document is a valid 2.3 document as far as the schema goes. We
// checked this on the 2.2 spec example (SPDXJSONExample-v2.2.spdx.json) and
// every SPDX 2.2 JSON document of spdx/spdx-examples: the 2.3 schema reports
// nothing for any of them, so no 2.3 rule needs to be filtered for 2.2 (the
// tests keep it that way).
func resolve(family, version string) (key string, early []Violation, err error) {
	version = strings.TrimSpace(version)
	switch {
	case strings.EqualFold(strings.TrimSpace(family), FamilyCycloneDX):
		switch version {
		case "1.0", "1.1":
			return "", []Violation{{
				Rule:    RuleUnsupportedVersion,
				Message: fmt.Sprintf("CycloneDX %s has no JSON format (JSON was introduced in CycloneDX 1.2); only XML is defined for this version", version),
			}}, nil
		}
		key = FamilyCycloneDX + "/" + version
		if _, ok := roots[key]; !ok {
			return "", nil, fmt.Errorf("schemacheck: unsupported CycloneDX version %q (want 1.2 to 1.7)", version)
		}
		return key, nil, nil
	case strings.EqualFold(strings.TrimSpace(family), FamilySPDX):
		v := strings.TrimPrefix(strings.TrimPrefix(version, "SPDX-"), "spdx-")
		switch v {
		case "2.2", "2.3":
			return "SPDX/2.3", nil, nil
		}
		return "", nil, fmt.Errorf("schemacheck: unsupported SPDX version %q (want SPDX-2.2 or SPDX-2.3)", version)
	}
	return "", nil, fmt.Errorf("schemacheck: unknown SBOM family %q (want %s or %s)", family, FamilyCycloneDX, FamilySPDX)
}

var printer = message.NewPrinter(language.English)

// flatten collects the leaves of a jsonschema error tree as violations.
// Inner nodes (allOf, $ref, groups) only group their causes, so the leaves
// carry the specific rule. A oneOf that failed because several branches
// matched has no causes and is a leaf.
//
// When no branch of a oneOf/anyOf matched, every branch reports errors, but
// usually only one branch is the one the document meant: a licence entry
// with a bad SPDX id fails the {"license": …} branch on the id and the
// {"expression": …} branch on its very shape. Reporting both would bury the
// real problem, so only the most relevant branches are kept: those whose
// errors reach deepest into the document (a branch that got further matched
// more of it), and among those the ones with the fewest errors. Ties are all
// kept (a licence with neither id nor name reports both as missing).
func flatten(e *jsonschema.ValidationError, out *[]Violation) {
	if len(e.Causes) > 0 {
		causes := e.Causes
		switch e.ErrorKind.(type) {
		case *kind.OneOf, *kind.AnyOf:
			causes = bestBranches(causes)
		}
		for _, c := range causes {
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
		// Located at the offending property itself, not at its object.
		for _, p := range k.Properties {
			*out = append(*out, Violation{Rule: "schema:additionalProperties", Location: loc + "/" + escapeToken(p),
				Message: fmt.Sprintf("property %q is not allowed here", p)})
		}
	case *kind.Enum:
		*out = append(*out, Violation{Rule: "schema:enum", Location: loc, Message: enumMessage(k)})
	default:
		*out = append(*out, Violation{Rule: "schema:" + ruleName(e.ErrorKind), Location: loc,
			Message: shorten(e.ErrorKind.LocalizedString(printer))})
	}
}

// maxEnumListed is how many allowed values an enum message lists in full.
const maxEnumListed = 16

// enumMessage names the rejected value and the allowed ones; long lists
// (the SPDX licence list has 800+ entries) are summarised.
func enumMessage(k *kind.Enum) string {
	want := make([]string, 0, min(len(k.Want), maxEnumListed))
	for i, w := range k.Want {
		if i == maxEnumListed {
			break
		}
		want = append(want, jsonText(w))
	}
	got := shortenTo(jsonText(k.Got), 80)
	if len(k.Want) > maxEnumListed {
		return fmt.Sprintf("value %s is not one of the %d allowed values (%s, …)", got, len(k.Want), strings.Join(want[:5], ", "))
	}
	return fmt.Sprintf("value %s is not one of %s", got, strings.Join(want, ", "))
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// shorten caps messages at a readable length.
func shorten(s string) string { return shortenTo(s, 300) }

func shortenTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// bestBranches picks the most relevant failed branches of a oneOf/anyOf; see
// flatten.
func bestBranches(branches []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	type score struct{ depth, leaves int }
	scores := make([]score, len(branches))
	best := score{depth: -1}
	for i, b := range branches {
		scores[i] = score{depth: -1}
		leafStats(b, &scores[i].depth, &scores[i].leaves)
		s := scores[i]
		if s.depth > best.depth || (s.depth == best.depth && s.leaves < best.leaves) {
			best = s
		}
	}
	var out []*jsonschema.ValidationError
	for i, b := range branches {
		if scores[i] == best {
			out = append(out, b)
		}
	}
	return out
}

// leafStats records the deepest instance location and the number of leaves
// below e, looking through nested oneOf/anyOf the way flatten does.
func leafStats(e *jsonschema.ValidationError, depth, leaves *int) {
	if len(e.Causes) == 0 {
		*leaves++
		if d := len(e.InstanceLocation); d > *depth {
			*depth = d
		}
		return
	}
	causes := e.Causes
	switch e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		causes = bestBranches(causes)
	}
	for _, c := range causes {
		leafStats(c, depth, leaves)
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
