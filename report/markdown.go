package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
)

// Markdown writes the report as GitHub-flavoured Markdown: a summary, the
// devices by priority, the patch order, then each device with its
// reasons and findings (status, severity, component, fix or VEX
// justification). Text from the inputs is escaped so that an SBOM cannot
// inject markup, links or HTML.
func Markdown(w io.Writer, s *Scan, o Options) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { ew.str(fmt.Sprintf(format, args...)) }
	sum := summarize(s)
	p("# bomrank scan report\n\n")
	if !o.AsOf.IsZero() {
		p("As of %s. ", o.AsOf.UTC().Format("2006-01-02"))
	}
	p("%d device(s), %d with affected findings; %d finding(s), %d unknown; %d advisories read; %d input(s) skipped.\n\n",
		sum.Devices, sum.Affected, sum.Findings, sum.Unknown, s.Advisories, sum.Skipped)
	if line := dataAgeLine(s, md); line != "" {
		p("%s.\n\n", line)
	}
	for _, wn := range s.Warnings {
		p("> **Warning:** %s\n\n", md(wn))
	}

	p("## Devices by priority\n\n| priority | devices |\n|---|---:|\n")
	for _, pc := range priorityCounts(s) {
		p("| %s | %d |\n", md(pc.Priority), pc.Devices)
	}

	p("\n## Patch order\n\n| rank | priority | score | device | version | manufacturer | affected | unknown | top reasons |\n|---:|---|---:|---|---|---|---:|---:|---|\n")
	for _, r := range s.Results {
		n := statusCounts(r)
		p("| %d | %s | %s | [%s](#%s) | %s | %s | %d | %d | %s |\n", r.Rank, md(string(r.Priority)), strconv.FormatFloat(r.Score, 'g', -1, 64),
			md(r.Device.Name), deviceAnchor(r), md(dash(r.Device.Version)), md(dash(r.Device.Manufacturer)), n[match.Affected], n[match.Unknown], md(dash(topReasons(r, 2))))
	}

	p("\n## Devices\n")
	for _, r := range s.Results {
		d := r.Device
		p("\n<a id=\"%s\"></a>\n### %d. %s %s\n\n", deviceAnchor(r), r.Rank, md(d.Name), md(d.Version))
		p("- priority **%s**, score %s\n", md(string(r.Priority)), strconv.FormatFloat(r.Score, 'g', -1, 64))
		if d.Manufacturer != "" {
			p("- manufacturer: %s\n", md(d.Manufacturer))
		}
		p("- SBOM: %s\n", mdCode(d.Path))
		if r.ID != d.Path {
			p("- id: %s\n", mdCode(r.ID))
		}
		if len(r.Reasons) > 0 {
			p("\nReasons:\n\n")
			for _, reason := range r.Reasons {
				p("- %s\n", md(reason))
			}
		}
		if len(r.Findings) == 0 {
			p("\nNo findings.\n")
			continue
		}
		p("\n| vulnerability | status | severity | component | fix, justification or reason |\n|---|---|---|---|---|\n")
		for _, f := range r.Findings {
			sev := SeverityLabel(f)
			id := md(f.ID)
			if u := helpURI(f); u != "" {
				id = "[" + id + "](" + u + ")"
			}
			if len(f.Aliases) > 0 {
				id += " (" + md(strings.Join(f.Aliases, ", ")) + ")"
			}
			if f.Summary != "" {
				id += ": " + md(f.Summary)
			}
			p("| %s | %s | %s | %s | %s |\n", id, md(statusLabel(f)), sev, md(componentLabel(f)), md(dash(note(f))))
		}
	}
	if len(s.SBOMErrors)+len(s.AdvisoryErrors) > 0 {
		p("\n## Inputs skipped\n\n")
		for _, e := range s.SBOMErrors {
			p("- %s\n", md(e.Error()))
		}
		for _, e := range s.AdvisoryErrors {
			p("- %s\n", md(e.Error()))
		}
	}
	return ew.err
}

// mdEscaper escapes the characters that start Markdown or HTML markup in
// running text and table cells; newlines become spaces so a cell stays
// one row.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`, "#", `\#`,
	"!", `\!`, "&", "&amp;", "<", "&lt;", ">", "&gt;", "\r\n", " ", "\n", " ", "\r", " ",
)

// mdNewlines turns line breaks into spaces so a cell stays one row.
var mdNewlines = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// md escapes text from the inputs for Markdown; textsafe first, so that
// no control or bidi character reaches the reader raw (tabs stay).
func md(s string) string { return mdEscaper.Replace(textsafe.Text(mdNewlines.Replace(s))) }

// mdCode writes s as a code span, with a fence longer than any run of
// backticks inside it.
func mdCode(s string) string {
	s = textsafe.Text(mdNewlines.Replace(s))
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// deviceAnchor is a stable HTML id for the device's section.
func deviceAnchor(r *match.DeviceResult) string {
	return fmt.Sprintf("device-%d", r.Rank)
}

// summary counts what the scan found, as the JSON summary does.
type summary struct {
	Devices, Affected, Findings, Unknown, Skipped int
}

func summarize(s *Scan) summary {
	sum := summary{Devices: len(s.Results), Skipped: s.Skipped()}
	for _, r := range s.Results {
		sum.Findings += len(r.Findings)
		for _, f := range r.Findings {
			if f.Status == match.Unknown {
				sum.Unknown++
			}
		}
		if r.Affected() > 0 {
			sum.Affected++
		}
	}
	return sum
}
