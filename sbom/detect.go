package sbom

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/internal/jsonsniff"
)

// detect names the format of a document from its first bytes (at most
// peekSize). Detection is by content only: the markers each format's
// specification requires near the top of a document.
func detect(head []byte) (Format, error) {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return "", fmt.Errorf("%w: the file is empty", ErrNotSBOM)
	}
	if bytes.IndexByte(head[:min(len(head), 8192)], 0) >= 0 {
		return "", fmt.Errorf("%w: binary content", ErrNotSBOM)
	}
	switch trimmed[0] {
	case '{':
		// The key must carry a string: a JSON schema of these formats
		// has the same keys with objects as values.
		bomFormat, hasBOMFormat := jsonStringValue(trimmed, "bomFormat")
		// Each look scans up to the whole window when the key is absent
		// (a 1 MB CycloneDX SBOM has no spdxVersion): only the looks
		// needed are made.
		cdxVersion := func() bool {
			specVersion, hasSpecVersion := jsonStringValue(trimmed, "specVersion")
			return hasSpecVersion && strings.HasPrefix(specVersion, "1.")
		}
		switch {
		case hasBOMFormat && strings.EqualFold(bomFormat, "CycloneDX"),
			!hasBOMFormat && cdxVersion() && (jsonsniff.HasKey(trimmed, "components") || jsonsniff.HasKey(trimmed, "metadata")):
			return CycloneDXJSON, nil
		case jsonScalarKey(trimmed, "spdxVersion"):
			return SPDXJSON, nil
		case jsonsniff.HasKey(trimmed, "@context") && bytes.Contains(trimmed, []byte("spdx.org/rdf/3")):
			return SPDX3JSONLD, nil
		}
		return "", fmt.Errorf("%w: JSON object has neither \"bomFormat\" (CycloneDX), \"spdxVersion\" (SPDX 2) nor an SPDX 3 \"@context\"", ErrNotSBOM)
	case '[':
		return "", fmt.Errorf("%w: a JSON array, not an SBOM object", ErrNotSBOM)
	case '<':
		root := xmlRootName(trimmed)
		switch {
		case root == "bom" && bytes.Contains(trimmed, []byte("cyclonedx.org/schema/bom")):
			return CycloneDXXML, nil
		case (root == "RDF" || root == "SpdxDocument") && bytes.Contains(trimmed, []byte("spdx.org/rdf/terms")):
			return SPDXRDF, nil
		}
		return "", fmt.Errorf("%w: XML document is neither CycloneDX (namespace http://cyclonedx.org/schema/bom/...) nor SPDX RDF", ErrNotSBOM)
	}
	// Line-oriented formats: SPDX tag-value and YAML. Look at the first
	// significant lines for the version tag.
	for _, line := range bytes.SplitN(trimmed, []byte("\n"), 200) {
		line = bytes.TrimSpace(line)
		switch {
		case len(line) == 0, line[0] == '#', bytes.Equal(line, []byte("---")):
			continue
		case bytes.HasPrefix(line, []byte("SPDXVersion:")):
			return SPDXTagValue, nil
		case bytes.HasPrefix(line, []byte("spdxVersion:")), bytes.HasPrefix(line, []byte("\"spdxVersion\":")):
			return SPDXYAML, nil
		}
	}
	// YAML key order is free: accept a spdxVersion key at line start
	// anywhere in the window.
	if bytes.Contains(trimmed, []byte("\nspdxVersion:")) {
		return SPDXYAML, nil
	}
	if bytes.Contains(trimmed, []byte("\nSPDXVersion:")) {
		return SPDXTagValue, nil
	}
	return "", fmt.Errorf("%w: unrecognised content", ErrNotSBOM)
}

// jsonScalarKey reports whether key occurs in b with a scalar value (not an
// object or array): a broken version number still marks the format, a
// schema's property definition does not.
func jsonScalarKey(b []byte, key string) bool {
	for v := range jsonsniff.Values(b, key) {
		if len(v) > 0 && v[0] != '{' && v[0] != '[' {
			return true
		}
	}
	return false
}

// jsonStringValue returns the first string value of key in b (escapes left
// as written).
func jsonStringValue(b []byte, key string) (string, bool) {
	for v := range jsonsniff.Values(b, key) {
		if len(v) == 0 || v[0] != '"' {
			continue
		}
		v = v[1:]
		for j := 0; j < len(v); j++ {
			switch v[j] {
			case '\\':
				j++
			case '"':
				return string(v[:j]), true
			}
		}
		return "", false
	}
	return "", false
}

// xmlRootName returns the local name of the first element of an XML
// document, passing over the declaration, comments, processing
// instructions and a DOCTYPE.
func xmlRootName(b []byte) string {
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 || i+1 >= len(b) {
			return ""
		}
		b = b[i+1:]
		switch {
		case bytes.HasPrefix(b, []byte("?")):
			if j := bytes.Index(b, []byte("?>")); j >= 0 {
				b = b[j+2:]
				continue
			}
			return ""
		case bytes.HasPrefix(b, []byte("!--")):
			if j := bytes.Index(b, []byte("-->")); j >= 0 {
				b = b[j+3:]
				continue
			}
			return ""
		case bytes.HasPrefix(b, []byte("!")):
			if j := bytes.IndexByte(b, '>'); j >= 0 {
				b = b[j+1:]
				continue
			}
			return ""
		}
		end := bytes.IndexAny(b, " \t\r\n/>")
		if end < 0 {
			return ""
		}
		name := string(b[:end])
		if k := strings.LastIndexByte(name, ':'); k >= 0 {
			name = name[k+1:]
		}
		return name
	}
}
