package sbom

import (
	"path/filepath"
	"strings"
)

// finish tidies a parsed device: it names a device that the SBOM does not
// (after the document, else the file) and removes empty and repeated model
// numbers and CPEs.
func (p *parser) finish() {
	d := p.dev
	if d.DeviceSource == "" {
		// No device element: the device is known by the document's
		// name, or failing that the file's, and DeviceSource says so.
		switch {
		case d.Name == "" && d.DocumentName != "":
			d.Name = d.DocumentName
			d.DeviceSource = "document name"
		case d.Name != "" && d.Name == d.DocumentName:
			d.DeviceSource = "document name"
		case d.Name == "":
			base := filepath.Base(d.Path)
			for _, ext := range []string{".gz", ".json", ".xml", ".spdx", ".yaml", ".yml", ".rdf"} {
				base = strings.TrimSuffix(base, ext)
			}
			d.Name = base
			d.DeviceSource = "file name"
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
