package report

import (
	"bufio"
	"bytes"
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

// toSBOMDeviceJSON converts d, without its components (see
// toSBOMComponentJSON): SBOMJSON writes them one at a time.
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
	for _, dep := range d.Dependencies {
		dj.Dependencies = append(dj.Dependencies, sbomDependencyJSON{Ref: dep.Ref, DependsOn: strs(dep.DependsOn)})
	}
	return dj
}

func toSBOMComponentJSON(c *sbom.Component) sbomComponentJSON {
	cj := sbomComponentJSON{
		Ref: c.Ref, Type: c.Type, Group: c.Group, Name: c.Name, Version: c.Version, PURL: c.PURL,
		CPEs: strs(c.CPEs), Supplier: c.Supplier, Parent: c.Parent, EndOfSupport: c.EndOfSupport,
	}
	for _, h := range c.Hashes {
		cj.Hashes = append(cj.Hashes, sbomHashJSON{Alg: h.Algorithm, Value: h.Value})
	}
	return cj
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
//
// The listing is written as it is made, a component at a time, in the
// bytes json.Encoder with a two-space indent would write for the whole
// (sbomListJSON; TestSBOMJSONStream compares them): encoding the whole
// listing held it twice (the JSON values and the encoder's buffer), 1.9 GB
// for a million components (issue 14); written this way it costs a
// component's JSON at a time beyond what sbom.Load holds.
func SBOMJSON(w io.Writer, res *sbom.Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n  \"devices\": [")
	for i, d := range res.Devices {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		if err := writeSBOMDevice(bw, d); err != nil {
			return err
		}
	}
	if len(res.Devices) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"errors\": ")
	if err := writeIndented(bw, errorsJSON(res.Errors), "  "); err != nil {
		return err
	}
	bw.WriteString(",\n  \"ignored\": ")
	if err := writeIndented(bw, errorsJSON(res.Ignored), "  "); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// sbomComponentsKey is how the empty component list of a device appears
// in its JSON, indented as a member of the listing's devices (a string
// value cannot hold it: its quotes would be escaped).
const sbomComponentsKey = "\n      \"components\": []"

// writeSBOMDevice writes one device of the listing: its members, with its
// components written one at a time in place of the empty list.
func writeSBOMDevice(w *bufio.Writer, d *sbom.Device) error {
	head, err := json.MarshalIndent(toSBOMDeviceJSON(d), "    ", "  ")
	if err != nil {
		return err
	}
	at := bytes.Index(head, []byte(sbomComponentsKey))
	if at < 0 || len(d.Components) == 0 {
		_, err := w.Write(head)
		return err
	}
	at += len(sbomComponentsKey) - 1 // before the closing bracket
	w.Write(head[:at])
	for i, c := range d.Components {
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n        ")
		if err := writeIndented(w, toSBOMComponentJSON(c), "        "); err != nil {
			return err
		}
	}
	w.WriteString("\n      ")
	_, err = w.Write(head[at:])
	return err
}

// writeIndented writes v as json.MarshalIndent does with prefix and a
// two-space indent.
func writeIndented(w *bufio.Writer, v any, prefix string) error {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
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
