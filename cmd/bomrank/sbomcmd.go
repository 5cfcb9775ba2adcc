package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/bomrank/bomrank/sbom"
	"github.com/spf13/cobra"
)

func newSBOMCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		format     string
		strict     bool
		noValidate bool
	)
	cmd := &cobra.Command{
		Use:   "sbom [flags] PATH...",
		Short: "List each device and its components, as read from SBOM files and directories",
		Long: `List each device and its components. PATH may be a file or a directory (walked
recursively; files that are not SBOMs are ignored there). The format is detected
from the content: CycloneDX JSON/XML 1.2-1.6, SPDX 2.2/2.3 JSON, YAML, tag-value
and RDF, SPDX 3.0 JSON-LD, each possibly gzip-compressed.

Exit status: 0 all inputs read; 2 usage error or nothing readable; 3 some inputs
skipped (each named on stderr and in "errors").`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("sbom: no PATH given")
			}
			if format != "table" && format != "json" {
				return usageErr("sbom: --format must be table or json, not %q", format)
			}
			opts := sbom.Options{Strict: strict, NoValidate: noValidate}
			res := opts.Load(cmd.Context(), args...)
			reportLoad(stderr, res)
			var err error
			if format == "json" {
				err = writeSBOMJSON(stdout, res)
			} else {
				err = writeSBOMTable(stdout, res)
			}
			if err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			return loadExit(res)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "table", "output format: table or json")
	f.BoolVar(&strict, "strict", false, "treat schema warnings as errors (the file is skipped, exit 3)")
	f.BoolVar(&noValidate, "no-validate", false, "skip the schema checks")
	return cmd
}

// reportLoad names every skipped file and every warning on stderr.
func reportLoad(w io.Writer, res *sbom.Result) {
	const maxWarnings = 10
	for _, d := range res.Devices {
		for i, wn := range d.Warnings {
			if i == maxWarnings {
				fmt.Fprintf(w, "warning: %s: ... and %d more warnings\n", d.Path, len(d.Warnings)-maxWarnings)
				break
			}
			fmt.Fprintf(w, "warning: %s: %s\n", d.Path, wn)
		}
	}
	for _, e := range res.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	if len(res.Errors) > 0 {
		fmt.Fprintf(w, "bomrank: %d SBOM(s) read, %d input(s) skipped\n", len(res.Devices), len(res.Errors))
	}
}

// loadExit turns a load result into the documented exit status.
func loadExit(res *sbom.Result) error {
	switch {
	case len(res.Devices) == 0 && len(res.Errors) == 0:
		return &exitError{code: exitUsage, msg: "no SBOM found in the given paths"}
	case len(res.Devices) == 0:
		return &exitError{code: exitUsage, msg: "no input could be read"}
	case len(res.Errors) > 0:
		return &exitError{code: exitPartial}
	}
	return nil
}

// The JSON of `bomrank sbom` is a contract (see the README): fields may be
// added, never renamed or removed.
type sbomJSON struct {
	Devices []deviceJSON `json:"devices"`
	Errors  []errorJSON  `json:"errors"`
	Ignored []errorJSON  `json:"ignored"`
}

type deviceJSON struct {
	SBOM          string           `json:"sbom"`
	Format        string           `json:"format"`
	SpecVersion   string           `json:"spec_version"`
	Compressed    bool             `json:"compressed,omitempty"`
	Name          string           `json:"name"`
	Manufacturer  string           `json:"manufacturer"`
	Version       string           `json:"version"`
	DeviceSource  string           `json:"device_source"`
	Ref           string           `json:"ref,omitempty"`
	Type          string           `json:"type,omitempty"`
	PURL          string           `json:"purl,omitempty"`
	CPEs          []string         `json:"cpes"`
	ModelNumbers  []string         `json:"model_numbers,omitempty"`
	Identifiers   []identifierJSON `json:"identifiers,omitempty"`
	EndOfSupport  string           `json:"end_of_support,omitempty"`
	SchemaChecked bool             `json:"schema_checked"`
	Warnings      []string         `json:"warnings"`
	Components    []componentJSON  `json:"components"`
	Dependencies  []dependencyJSON `json:"dependencies,omitempty"`
}

type identifierJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type componentJSON struct {
	Ref          string     `json:"ref,omitempty"`
	Type         string     `json:"type,omitempty"`
	Group        string     `json:"group,omitempty"`
	Name         string     `json:"name"`
	Version      string     `json:"version"`
	PURL         string     `json:"purl"`
	CPEs         []string   `json:"cpes"`
	Hashes       []hashJSON `json:"hashes,omitempty"`
	Supplier     string     `json:"supplier,omitempty"`
	Parent       string     `json:"parent"`
	EndOfSupport string     `json:"end_of_support,omitempty"`
}

type hashJSON struct {
	Alg   string `json:"alg"`
	Value string `json:"value"`
}

type dependencyJSON struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"depends_on"`
}

type errorJSON struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toDeviceJSON(d *sbom.Device) deviceJSON {
	dj := deviceJSON{
		SBOM: d.Path, Format: string(d.Format), SpecVersion: d.SpecVersion, Compressed: d.Compressed,
		Name: d.Name, Manufacturer: d.Manufacturer, Version: d.Version, DeviceSource: d.DeviceSource,
		Ref: d.Ref, Type: d.Type, PURL: d.PURL, CPEs: nonNil(d.CPEs), ModelNumbers: d.ModelNumbers,
		EndOfSupport: d.EndOfSupport, SchemaChecked: d.SchemaChecked,
		Warnings: []string{}, Components: []componentJSON{},
	}
	for _, id := range d.Identifiers {
		dj.Identifiers = append(dj.Identifiers, identifierJSON{Type: id.Type, Value: id.Value})
	}
	for _, w := range d.Warnings {
		dj.Warnings = append(dj.Warnings, w.String())
	}
	for _, c := range d.Components {
		cj := componentJSON{
			Ref: c.Ref, Type: c.Type, Group: c.Group, Name: c.Name, Version: c.Version, PURL: c.PURL,
			CPEs: nonNil(c.CPEs), Supplier: c.Supplier, Parent: c.Parent, EndOfSupport: c.EndOfSupport,
		}
		for _, h := range c.Hashes {
			cj.Hashes = append(cj.Hashes, hashJSON{Alg: h.Algorithm, Value: h.Value})
		}
		dj.Components = append(dj.Components, cj)
	}
	for _, dep := range d.Dependencies {
		dj.Dependencies = append(dj.Dependencies, dependencyJSON{Ref: dep.Ref, DependsOn: nonNil(dep.DependsOn)})
	}
	return dj
}

func errorsJSON(errs []*sbom.ParseError) []errorJSON {
	out := []errorJSON{}
	for _, e := range errs {
		msg := e.Error()
		// The path is its own field; do not repeat it in the message.
		msg = strings.TrimPrefix(msg, e.Path+": ")
		out = append(out, errorJSON{Path: e.Path, Error: msg})
	}
	return out
}

func writeSBOMJSON(w io.Writer, res *sbom.Result) error {
	out := sbomJSON{Devices: []deviceJSON{}, Errors: errorsJSON(res.Errors), Ignored: errorsJSON(res.Ignored)}
	for _, d := range res.Devices {
		out.Devices = append(out.Devices, toDeviceJSON(d))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeSBOMTable(w io.Writer, res *sbom.Result) error {
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
		fmt.Fprintf(w, "%s (%s %s)\n", d.Path, d.Format, d.SpecVersion)
		fmt.Fprintf(w, "  device: %s %s (%s)\n", d.Name, orDash(d.Version), mfr)
		fmt.Fprintf(w, "  components: %d, %d without version, %d without purl or CPE (kept; matched by name)\n", len(d.Components), noVersion, noID)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range d.Components {
			id := c.PURL
			if id == "" && len(c.CPEs) > 0 {
				id = c.CPEs[0]
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\n", c.Name, orDash(c.Version), orDash(id))
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

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
