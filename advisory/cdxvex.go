package advisory

import "errors"

// looksLikeCycloneDXVEX reports whether data is meant to be a CycloneDXVEX document.
// Not yet written: see the issue that adds it.
func looksLikeCycloneDXVEX(data []byte) bool { return false }

// decodeCycloneDXVEX reads a CycloneDXVEX document.
func decodeCycloneDXVEX(data []byte, source string) (*Feed, error) {
	return nil, errors.New("CycloneDXVEX is not read yet")
}
