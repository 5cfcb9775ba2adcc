package report

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Options tune the output formats; each format reads only the fields it
// needs, and the zero value is usable by all but CSAF (which needs AsOf).
type Options struct {
	// Details lists the findings under each device (table; markdown and
	// HTML always do).
	Details bool
	// Color marks priorities and statuses with ANSI colours (table).
	Color bool
	// Width is the number of columns the table fits (the terminal's):
	// long names are shortened in the middle, the reasons cut with "…"
	// and the findings' notes wrapped. 0 is no limit.
	Width int
	// AsOf is the date of the documents that carry one (CycloneDX,
	// OpenVEX, CSAF). The library never reads the clock: callers pass
	// the date, so the same inputs give the same bytes. A zero AsOf is
	// left out where the format allows it and is an error for CSAF.
	AsOf time.Time
	// Device selects the one device a CSAF document describes, by its
	// ID, SBOM path or name; it may be empty when the scan has one
	// device. The other formats ignore it.
	Device string
	// Tool names the program that produced the report (SARIF driver,
	// CycloneDX tools, CSAF generator, OpenVEX tooling). Empty fields
	// default to "bomrank" and no version.
	Tool Tool
	// Publisher is the issuer of the VEX documents (CSAF publisher,
	// OpenVEX author). Empty fields take documented defaults.
	Publisher Publisher
}

// Tool identifies the producer of a report.
type Tool struct {
	Name    string
	Version string
	// URI is the tool's home page.
	URI string
}

func (o Options) tool() Tool {
	t := o.Tool
	if t.Name == "" {
		t.Name = "bomrank"
	}
	if t.URI == "" {
		t.URI = "https://github.com/bomrank/bomrank"
	}
	return t
}

// Publisher is the issuer of a VEX document.
type Publisher struct {
	// Name is the publishing organisation; default "bomrank".
	Name string
	// Namespace is a URL of the publisher's (CSAF publisher.namespace);
	// default the bomrank home page.
	Namespace string
	// Category is the CSAF publisher category ("vendor", "coordinator",
	// "user", "other", ...); default "other".
	Category string
}

func (o Options) publisher() Publisher {
	p := o.Publisher
	if p.Name == "" {
		p.Name = "bomrank"
	}
	if p.Namespace == "" {
		p.Namespace = o.tool().URI
	}
	if p.Category == "" {
		p.Category = "other"
	}
	return p
}

// A Formatter writes a scan in one output format. It is the one interface
// every format implements (one file per format), so a caller can pick a
// format by name and a new format is one more entry in the table.
type Formatter interface {
	Format(w io.Writer, s *Scan, o Options) error
}

// FormatFunc adapts a function to a Formatter.
type FormatFunc func(w io.Writer, s *Scan, o Options) error

// Format calls f.
func (f FormatFunc) Format(w io.Writer, s *Scan, o Options) error { return f(w, s, o) }

// formats lists the formats in the order the help text shows them.
var formats = []struct {
	name string
	f    Formatter
}{
	{"table", FormatFunc(func(w io.Writer, s *Scan, o Options) error { return TableWith(w, s, o) })},
	{"json", FormatFunc(func(w io.Writer, s *Scan, _ Options) error { return JSON(w, s) })},
	{"csv", FormatFunc(func(w io.Writer, s *Scan, _ Options) error { return CSV(w, s) })},
	{"sarif", FormatFunc(SARIF)},
	{"markdown", FormatFunc(Markdown)},
	{"html", FormatFunc(HTML)},
	{"cyclonedx", FormatFunc(CycloneDX)},
	{"openvex", FormatFunc(OpenVEX)},
	{"csaf", FormatFunc(CSAF)},
}

// FormatNames lists the names Lookup accepts, in display order.
func FormatNames() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// Lookup returns the format of the given name (see FormatNames).
func Lookup(name string) (Formatter, error) {
	for _, f := range formats {
		if f.name == name {
			return f.f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(FormatNames(), ", "))
}

// Write writes the scan in the named format.
func Write(w io.Writer, format string, s *Scan, o Options) error {
	f, err := Lookup(format)
	if err != nil {
		return err
	}
	return f.Format(w, s, o)
}
