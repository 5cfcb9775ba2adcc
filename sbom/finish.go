package sbom

import (
	"path/filepath"
	"strings"
)

// finish tidies a parsed device: it removes duplicate CPEs and identifiers.
func (p *parser) finish() {
	d := p.dev
	if d.Name == "" {
		// No device element: fall back to the document's name, then the
		// file's. DeviceSource stays empty so callers can tell.
		d.Name = d.DocumentName
		if d.Name == "" {
			d.Name = strings.TrimSuffix(filepath.Base(d.Path), filepath.Ext(d.Path))
		}
	}
	d.ModelNumbers = dedupe(d.ModelNumbers)
	d.CPEs = dedupe(d.CPEs)
	for _, c := range d.Components {
		c.CPEs = dedupe(c.CPEs)
	}
}

// dedupe removes empty strings and repeats, keeping first-seen order.
func dedupe(s []string) []string {
	if len(s) < 2 {
		if len(s) == 1 && s[0] == "" {
			return nil
		}
		return s
	}
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, v := range s {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	return out
}
