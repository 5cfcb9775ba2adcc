package advisory

import "errors"

// looksLikeEPSS reports whether data is meant to be a EPSS document.
// Not yet written: see the issue that adds it.
func looksLikeEPSS(data []byte) bool { return false }

// decodeEPSS reads a EPSS document.
func decodeEPSS(data []byte, source string) (*Feed, error) {
	return nil, errors.New("EPSS is not read yet")
}
