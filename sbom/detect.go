package sbom

import (
	"bytes"
	"fmt"
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
		switch {
		case hasJSONKey(trimmed, "bomFormat"), hasJSONKey(trimmed, "specVersion") && (hasJSONKey(trimmed, "components") || hasJSONKey(trimmed, "metadata")):
			return CycloneDXJSON, nil
		case hasJSONKey(trimmed, "spdxVersion"):
			return SPDXJSON, nil
		case hasJSONKey(trimmed, "@context") && bytes.Contains(trimmed, []byte("spdx.org/rdf/3")):
			return SPDX3JSONLD, nil
		}
		return "", fmt.Errorf("%w: JSON object has neither \"bomFormat\" (CycloneDX), \"spdxVersion\" (SPDX 2) nor an SPDX 3 \"@context\"", ErrNotSBOM)
	case '[':
		return "", fmt.Errorf("%w: a JSON array, not an SBOM object", ErrNotSBOM)
	case '<':
		switch {
		case bytes.Contains(trimmed, []byte("cyclonedx.org/schema/bom")):
			return CycloneDXXML, nil
		case bytes.Contains(trimmed, []byte("spdx.org/rdf/terms")):
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

// hasJSONKey reports whether `"key"` followed by optional space and a colon
// occurs in b. It is a sniff, not a parse: the parser that follows reports
// any real syntax error.
func hasJSONKey(b []byte, key string) bool {
	q := []byte(`"` + key + `"`)
	for {
		i := bytes.Index(b, q)
		if i < 0 {
			return false
		}
		rest := bytes.TrimLeft(b[i+len(q):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return true
		}
		b = b[i+len(q):]
	}
}
