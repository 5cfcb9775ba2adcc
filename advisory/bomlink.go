package advisory

import (
	"strconv"
	"strings"
)

// BOMLink is a CycloneDX BOM-Link "urn:cdx:<serial>/<version>#<ref>"
// taken apart.
type BOMLink struct {
	// Serial is the BOM's serial number, a lower-case UUID without
	// "urn:uuid:".
	Serial string
	// Version is the BOM's version; 0 when the link gives none (or one
	// that is not a positive number): such a link names no version.
	Version int
	// Ref is the bom-ref inside the BOM, "" for a link to the whole BOM.
	Ref string
}

// SplitBOMLink parses a CycloneDX BOM-Link. Unlike ParseBOMLink it keeps
// the version: a BOM-Link names one version of one BOM, and a VEX about
// version 7 says nothing about version 1.
func SplitBOMLink(s string) (BOMLink, bool) {
	rest, found := strings.CutPrefix(s, "urn:cdx:")
	if !found {
		return BOMLink{}, false
	}
	rest, ref, _ := strings.Cut(rest, "#")
	serial, version, _ := strings.Cut(rest, "/")
	if serial == "" {
		return BOMLink{}, false
	}
	l := BOMLink{Serial: strings.ToLower(serial), Ref: ref}
	if n, err := strconv.Atoi(version); err == nil && n > 0 {
		l.Version = n
	}
	return l, true
}
