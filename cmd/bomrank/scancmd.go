package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/report"
	"github.com/bomrank/bomrank/sbom"
	"github.com/spf13/cobra"
)

func newScanCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		feeds    []string
		format   string
		output   string
		details  bool
		strict   bool
		validate bool
	)
	cmd := &cobra.Command{
		Use:   "scan [flags] [SBOM_PATH...]",
		Short: "Match device SBOMs against advisory feeds and rank the devices for patching",
		Long: `Match the components of device SBOMs against advisories and rank the devices.

SBOM_PATH and --advisories take files, directories (walked recursively) and, for
advisories, zip archives such as osv.dev's per-ecosystem all.zip. Every kind is
detected from the content. Feeds read so far: OSV (JSON, YAML, zip).

Exit status: 0 all inputs read; 2 usage error or no SBOM readable; 3 some inputs
skipped (each named on stderr and in "errors").`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("scan: no SBOM_PATH given")
			}
			if format != "table" && format != "json" {
				return usageErr("scan: --format must be table or json, not %q", format)
			}
			ctx := cmd.Context()
			// Feeds and SBOMs are read at the same time: reading the
			// feed is mostly waiting on the file system.
			var ares *advisory.LoadResult
			var ix *advisory.Index
			feedsDone := make(chan struct{})
			go func() {
				defer close(feedsDone)
				ares = advisory.Load(ctx, feeds...)
				ix = advisory.NewIndex(ares.Advisories)
			}()
			// Schema checks cost more than the parse itself; a scan
			// skips them unless asked (bomrank sbom always checks).
			sres := sbom.Options{Strict: strict, NoValidate: !validate && !strict}.Load(ctx, args...)
			<-feedsDone
			reportLoad(stderr, sres)
			for _, e := range ares.Errors {
				fmt.Fprintf(stderr, "error: %s\n", e)
			}
			if len(feeds) == 0 {
				fmt.Fprintln(stderr, "bomrank: no --advisories given: devices are listed without findings")
			}
			m := &match.Matcher{Index: ix}
			scan := &report.Scan{
				Results:        m.Scan(ctx, sres.Devices),
				SBOMErrors:     sres.Errors,
				AdvisoryErrors: ares.Errors,
				Advisories:     len(ares.Advisories),
			}
			if err := writeOutput(output, stdout, func(w io.Writer) error {
				if format == "json" {
					return report.JSON(w, scan)
				}
				return report.Table(w, scan, details)
			}); err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			if len(ares.Errors) > 0 && len(sres.Devices) > 0 {
				return &exitError{code: exitPartial}
			}
			return loadExit(sres)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&feeds, "advisories", "a", nil, "advisory feed: file, directory or zip (repeatable)")
	f.StringVarP(&format, "format", "f", "table", "output format: table or json")
	f.StringVarP(&output, "output", "o", "", "write the report to FILE instead of standard output")
	f.BoolVar(&details, "details", false, "table: list the findings under each device")
	f.BoolVar(&validate, "validate", false, "check SBOMs against their schemas and print the warnings (bomrank sbom always does)")
	f.BoolVar(&strict, "strict", false, "check SBOM schemas and skip files with warnings (exit 3); implies --validate")
	return cmd
}

// writeOutput writes through fn to the named file, or to stdout when name
// is empty.
func writeOutput(name string, stdout io.Writer, fn func(io.Writer) error) error {
	if name == "" {
		bw := bufio.NewWriter(stdout)
		if err := fn(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := fn(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
