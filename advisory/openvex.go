package advisory

import "errors"

// looksLikeOpenVEX reports whether data is meant to be a OpenVEX document.
// Not yet written: see the issue that adds it.
func looksLikeOpenVEX(data []byte) bool { return false }

// decodeOpenVEX reads a OpenVEX document.
func decodeOpenVEX(data []byte, source string) (*Feed, error) {
	return nil, errors.New("OpenVEX is not read yet")
}
