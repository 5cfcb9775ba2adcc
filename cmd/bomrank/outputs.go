package main

import (
	"fmt"
	"github.com/bomrank/bomrank/internal/ignore"
	"github.com/bomrank/bomrank/internal/textsafe"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bomrank/bomrank/report"
)

// output is one report a scan writes: a format to a file, or to standard
// output when path is "".
type output struct {
	format, path string
}

// parseOutputs reads the -f and -o flags into the reports to write.
// Each -f is FORMAT (at most one: written to -o FILE, else standard
// output) or FORMAT=FILE, as grype's -o json=out.json ("-" for standard
// output). formatSet says -f was given: without it, an -o that names a
// format ("-o json", grype's and trivy's habit) is refused with a hint
// rather than writing a table to a file named json.
func parseOutputs(formats []string, outFile string, formatSet bool) ([]output, error) {
	if !formatSet && isFormatSpec(outFile) {
		return nil, fmt.Errorf("--output %q: -o names the file to write, and this is a format: use -f %s (with -o FILE to write it to a file, or -f %s=FILE; a file of that name: -o ./%s)",
			outFile, outFile, strings.SplitN(outFile, "=", 2)[0], outFile)
	}
	var outs []output
	var plain []string
	for _, spec := range formats {
		name, path, hasFile := strings.Cut(spec, "=")
		if _, err := report.Lookup(name); err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		if hasFile {
			if path == "" {
				return nil, fmt.Errorf("--format %q: no file after %s=", spec, name)
			}
			if path == "-" {
				path = ""
			}
			outs = append(outs, output{format: name, path: path})
			continue
		}
		plain = append(plain, name)
		outs = append(outs, output{format: name, path: outFile})
	}
	switch {
	case len(plain) > 1:
		return nil, fmt.Errorf("--format given %d times without a file (%s): one format goes to -o or standard output; write the others with -f FORMAT=FILE, e.g. -f json=out.json -f sarif=out.sarif",
			len(plain), strings.Join(plain, ", "))
	case len(plain) == 0 && outFile != "":
		return nil, fmt.Errorf("--output %s: every --format names its own file (FORMAT=FILE): give -o only with a plain -f FORMAT", outFile)
	}
	return outs, checkDistinct(outs)
}

// isFormatSpec reports whether s is a format name, or FORMAT=FILE.
func isFormatSpec(s string) bool {
	name, _, _ := strings.Cut(s, "=")
	_, err := report.Lookup(name)
	return s != "" && err == nil
}

// checkDistinct refuses two reports to one destination.
func checkDistinct(outs []output) error {
	seen := map[string]string{}
	for _, o := range outs {
		key := "standard output"
		if o.path != "" {
			key = filepath.Clean(o.path)
		}
		if prev, ok := seen[key]; ok {
			return fmt.Errorf("--format: %s and %s both written to %s", prev, o.format, key)
		}
		seen[key] = o.format
	}
	return nil
}

// stdin is what "-" as an SBOM path reads (a variable for the tests).
var stdin io.Reader = os.Stdin

// checkArgs takes "-" out of the SBOM paths: the SBOM on standard input
// (at most once).
func (sf *scanFlags) checkArgs() error {
	n := 0
	args := sf.args[:0:0]
	for _, a := range sf.args {
		if a == "-" {
			n++
			continue
		}
		args = append(args, a)
	}
	if n > 1 {
		return usageErr("scan: \"-\" (standard input) given %d times", n)
	}
	sf.args, sf.stdin = args, n == 1
	return nil
}

// locateIgnore is the ignore file to read: --ignore (--ignore "" for
// none), else DefaultName in the working directory when it is there, else
// none ("").
func (sf *scanFlags) locateIgnore() string {
	if sf.ignorePath != "" || sf.ignoreSet {
		return sf.ignorePath
	}
	if st, err := os.Stat(ignore.DefaultName); err == nil && st.Mode().IsRegular() {
		if !sf.quiet {
			fmt.Fprintf(sf.stderr, "note: reading the accepted findings of %s (--ignore to name another file)\n", ignore.DefaultName)
		}
		return ignore.DefaultName
	}
	return ""
}

// staleNotes lists on w the ignore file's entries that matched nothing.
func staleNotes(w io.Writer, stale []report.IgnoreEntry) {
	for _, e := range stale {
		what := e.ID
		if e.Device != "" {
			what += " on " + e.Device
		}
		if e.Component != "" {
			what += " in " + e.Component
		}
		fmt.Fprintf(w, "warning: %s\n", textsafe.Message(fmt.Sprintf("stale ignore entry %d of %s (%s): it matches no finding", e.N, e.File, what)))
	}
}
