package main

import (
	"fmt"
	"io"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/report"
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
				err = report.SBOMJSON(stdout, res)
			} else {
				err = report.SBOMTable(stdout, res)
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
// Everything printed on stderr from the inputs (file names, SBOM text,
// error messages quoting them) goes through textsafe.Message: it cannot
// drive the terminal, reorder the line or forge a line of its own.
func reportLoad(w io.Writer, res *sbom.Result) {
	const maxWarnings = 10
	for _, d := range res.Devices {
		for i, wn := range d.Warnings {
			if i == maxWarnings {
				fmt.Fprintf(w, "warning: %s: ... and %d more warnings\n", textsafe.Line(d.Path), len(d.Warnings)-maxWarnings)
				break
			}
			fmt.Fprintf(w, "warning: %s: %s\n", textsafe.Line(d.Path), textsafe.Message(wn.String()))
		}
	}
	for _, e := range res.Errors {
		fmt.Fprintf(w, "error: %s\n", textsafe.Message(e.Error()))
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
