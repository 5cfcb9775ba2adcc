package report

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/sbom"
)

// The JSON of `bomrank sbom` is a contract (see the README): fields may be
// added, never renamed or removed.
type sbomListJSON struct {
	Devices []sbomDeviceJSON `json:"devices"`
	Errors  []errorJSON      `json:"errors"`
	Ignored []errorJSON      `json:"ignored"`
}

type sbomDeviceJSON struct {
	SBOM          string               `json:"sbom"`
	Format        string               `json:"format"`
	SpecVersion   string               `json:"spec_version"`
	Compressed    bool                 `json:"compressed,omitempty"`
	Name          string               `json:"name"`
	Manufacturer  string               `json:"manufacturer"`
	Version       string               `json:"version"`
	DeviceSource  string               `json:"device_source"`
	Ref           string               `json:"ref,omitempty"`
	Type          string               `json:"type,omitempty"`
	PURL          string               `json:"purl,omitempty"`
	CPEs          []string             `json:"cpes"`
	ModelNumbers  []string             `json:"model_numbers,omitempty"`
	Identifiers   []sbomIdentifierJSON `json:"identifiers,omitempty"`
	EndOfSupport  string               `json:"end_of_support,omitempty"`
	SchemaChecked bool                 `json:"schema_checked"`
	Warnings      []string             `json:"warnings"`
	Components    []sbomComponentJSON  `json:"components"`
	Dependencies  []sbomDependencyJSON `json:"dependencies,omitempty"`
}

type sbomIdentifierJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type sbomComponentJSON struct {
	Ref          string         `json:"ref,omitempty"`
	Type         string         `json:"type,omitempty"`
	Group        string         `json:"group,omitempty"`
	Name         string         `json:"name"`
	Version      string         `json:"version"`
	PURL         string         `json:"purl"`
	CPEs         []string       `json:"cpes"`
	Hashes       []sbomHashJSON `json:"hashes,omitempty"`
	Supplier     string         `json:"supplier,omitempty"`
	Parent       string         `json:"parent"`
	EndOfSupport string         `json:"end_of_support,omitempty"`
}

type sbomHashJSON struct {
	Alg   string `json:"alg"`
	Value string `json:"value"`
}

type sbomDependencyJSON struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"depends_on"`
}

func toSBOMDeviceJSON(d *sbom.Device) sbomDeviceJSON {
	dj := sbomDeviceJSON{
		SBOM: d.Path, Format: string(d.Format), SpecVersion: d.SpecVersion, Compressed: d.Compressed,
		Name: d.Name, Manufacturer: d.Manufacturer, Version: d.Version, DeviceSource: d.DeviceSource,
		Ref: d.Ref, Type: d.Type, PURL: d.PURL, CPEs: strs(d.CPEs), ModelNumbers: d.ModelNumbers,
		EndOfSupport: d.EndOfSupport, SchemaChecked: d.SchemaChecked,
		Warnings: []string{}, Components: []sbomComponentJSON{},
	}
	for _, id := range d.Identifiers {
		dj.Identifiers = append(dj.Identifiers, sbomIdentifierJSON{Type: id.Type, Value: id.Value})
	}
	for _, w := range d.Warnings {
		dj.Warnings = append(dj.Warnings, w.String())
	}
	for _, c := range d.Components {
		cj := sbomComponentJSON{
			Ref: c.Ref, Type: c.Type, Group: c.Group, Name: c.Name, Version: c.Version, PURL: c.PURL,
			CPEs: strs(c.CPEs), Supplier: c.Supplier, Parent: c.Parent, EndOfSupport: c.EndOfSupport,
		}
		for _, h := range c.Hashes {
			cj.Hashes = append(cj.Hashes, sbomHashJSON{Alg: h.Algorithm, Value: h.Value})
		}
		dj.Components = append(dj.Components, cj)
	}
	for _, dep := range d.Dependencies {
		dj.Dependencies = append(dj.Dependencies, sbomDependencyJSON{Ref: dep.Ref, DependsOn: strs(dep.DependsOn)})
	}
	return dj
}

func errorsJSON(errs []*sbom.ParseError) []errorJSON {
	out := []errorJSON{}
	for _, e := range errs {
		out = append(out, newErrorJSON(e.Path, e))
	}
	return out
}

// SBOMJSON writes what sbom.Load read as the JSON of `bomrank sbom` (see
// the README): every device with every component, and every input that
// was skipped or ignored.
func SBOMJSON(w io.Writer, res *sbom.Result) error {
	out := sbomListJSON{Devices: []sbomDeviceJSON{}, Errors: errorsJSON(res.Errors), Ignored: errorsJSON(res.Ignored)}
	for _, d := range res.Devices {
		out.Devices = append(out.Devices, toSBOMDeviceJSON(d))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// SBOMTable writes what sbom.Load read for a terminal: each device, its
// component counts, and its components. Text from the SBOMs goes through
// textsafe.Line, as in the scan table: it cannot drive the terminal.
func SBOMTable(w io.Writer, res *sbom.Result) error {
	for i, d := range res.Devices {
		if i > 0 {
			fmt.Fprintln(w)
		}
		noVersion, noID := 0, 0
		for _, c := range d.Components {
			if c.Version == "" {
				noVersion++
			}
			if c.PURL == "" && len(c.CPEs) == 0 {
				noID++
			}
		}
		mfr := d.Manufacturer
		if mfr == "" {
			mfr = "manufacturer unknown"
		}
		fmt.Fprintf(w, "%s (%s %s)\n", textsafe.Line(d.Path), d.Format, textsafe.Line(d.SpecVersion))
		fmt.Fprintf(w, "  device: %s %s (%s)\n", textsafe.Line(d.Name), textsafe.Line(dash(d.Version)), textsafe.Line(mfr))
		fmt.Fprintf(w, "  components: %d, %d without version, %d without purl or CPE (kept; matched by name)\n", len(d.Components), noVersion, noID)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range d.Components {
			id := c.PURL
			if id == "" && len(c.CPEs) > 0 {
				id = c.CPEs[0]
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", textsafe.Line(c.Name), textsafe.Line(dash(c.Version)), textsafe.Line(dash(id)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(w, "\n%d file(s) in the given directories are not SBOMs and were ignored\n", len(res.Ignored))
	}
	return nil
}
