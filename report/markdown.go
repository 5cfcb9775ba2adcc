package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// Markdown writes the report as GitHub-flavoured Markdown: a summary, the
// devices by priority, the patch order (with each device's asset id,
// location and next step), then each device with its inventory context,
// next step, all its reasons and its findings most urgent first (status,
// severity, KEV and EPSS, component, the action of an affected finding,
// else the VEX justification or reason; summaries clipped; the score of a
// not-affected or fixed finding in parentheses). Text from the inputs is
// escaped so that an SBOM cannot inject markup, links or HTML.
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
	if n := s.LimitNote(); n != "" {
		p("_%s._\n\n", md(n))
	}

	p("## Devices by priority\n\n| priority | devices |\n|---|---:|\n")
	for _, pc := range priorityCounts(s) {
		p("| %s | %d |\n", md(pc.Priority), pc.Devices)
	}

	labels := deviceLabels(s.Results)
	p("\n## Patch order\n\n| rank | priority | score | device | location | version | manufacturer | affected | unknown | next step | top reasons |\n|---:|---|---:|---|---|---|---|---:|---:|---|---|\n")
	for _, r := range s.Results {
		n := statusCounts(r)
		p("| %d | %s | %s | [%s](#%s) | %s | %s | %s | %d | %d | %s | %s |\n", r.Rank, md(string(r.Priority)), strconv.FormatFloat(r.Score, 'g', -1, 64),
			md(labels[r]), deviceAnchor(r), md(dash(location(r))), md(dash(r.Device.Version)), md(dash(r.Device.Manufacturer)), n[match.Affected], n[match.Unknown],
			md(dash(NextStep(r))), md(dash(topReasons(r, 2))))
	}

	p("\n## Devices\n")
	asOf := scanAsOf(s, o)
	for _, r := range s.Results {
		mdDevice(p, r, labels[r], asOf)
	}
	if msgs := skippedMessages(s); len(msgs) > 0 {
		p("\n## Inputs skipped\n\n")
		for _, m := range msgs {
			p("- %s\n", md(m))
		}
	}
	return ew.err
}

// mdDevice writes a device's section: its context, next step, reasons,
// and findings most urgent first.
func mdDevice(p func(string, ...any), r *match.DeviceResult, label string, asOf time.Time) {
	d := r.Device
	p("\n<a id=\"%s\"></a>\n### %d. %s %s\n\n", deviceAnchor(r), r.Rank, md(label), md(d.Version))
	p("- priority **%s**, score %s\n", md(string(r.Priority)), strconv.FormatFloat(r.Score, 'g', -1, 64))
	if step := NextStep(r); step != "" {
		p("- next step: **%s**\n", md(step))
	}
	if d.Manufacturer != "" {
		p("- manufacturer: %s\n", md(d.Manufacturer))
	}
	if c := r.Context; c != nil && c.AssetID != "" {
		p("- asset %s, location: %s; %s\n", mdCode(c.AssetID), md(dash(c.Location)), md(contextText(c)))
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
	if v := responsibilityOfDevice(r); v != nil {
		mdView(p, v)
	}
	if len(r.Findings) == 0 {
		p("\nNo findings.\n")
		return
	}
	p("\n| vulnerability | status | severity | KEV, EPSS | component | action, fix, justification or reason |\n|---|---|---|---|---|---|\n")
	where := componentPlaces(r)
	for _, f := range UrgencyOrder(r.Findings) {
		p("| %s | %s | %s | %s | %s | %s |\n", mdFindingID(f), md(statusLabel(f)), mdSeverity(f), md(dash(Exploitation(f, asOf))),
			md(componentWhere(f, where)), md(dash(findingNote(r, f))))
	}
}

// mdView writes the device's responsibility view: its form, then each
// section as a list, the answers behind each line nested under it, and
// the disclosure's warnings.
func mdView(p func(string, ...any), v *respView) {
	p("\n**Responsibility:** %s\n\n", md(v.Form))
	for _, l := range v.lines(true) {
		indent := strings.Repeat("  ", l.depth-1)
		switch {
		case l.depth == 1 && strings.HasPrefix(l.text, "warning: "):
			p("%s- **warning:** %s\n", indent, md(strings.TrimPrefix(l.text, "warning: ")))
		case l.depth == 1:
			p("%s- **%s**\n", indent, md(l.text))
		default:
			p("%s- %s\n", indent, md(l.text))
		}
	}
}

// mdFindingID is the vulnerability cell: the id (a link to its
// advisory), aliases and the summary, clipped.
func mdFindingID(f *match.Finding) string {
	id := md(f.ID)
	if u := helpURI(f); u != "" {
		id = "[" + id + "](" + u + ")"
	}
	if len(f.Aliases) > 0 {
		id += " (" + md(strings.Join(f.Aliases, ", ")) + ")"
	}
	if f.Summary != "" {
		id += ": " + md(clip(f.Summary, summaryClip))
	}
	return id
}

// mdSeverity is the severity cell; a finding that does not affect the
// device (not affected, fixed) has its score in parentheses and italics.
func mdSeverity(f *match.Finding) string {
	sev := SeverityLabel(f)
	if muted(f) {
		return "_(" + sev + ")_"
	}
	return sev
}

// muted reports whether the human formats show the finding muted: it
// does not affect the device (not affected, fixed) or it is accepted.
func muted(f *match.Finding) bool {
	return f.Status == match.NotAffected || f.Status == match.Fixed || f.Ignored != nil
}

// summaryClip is the length at which the Markdown report and the HTML's
// first line cut a finding's summary.
const summaryClip = 160

// clip cuts text to n runes with "…" (at a space when there is one in
// the last fifth).
func clip(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*4/5 {
		cut = cut[:i]
	}
	return cut + "…"
}

// componentWhere is the component's label, with its place in the SBOM
// when the device has several components of that name and version.
func componentWhere(f *match.Finding, where map[*sbom.Component]string) string {
	l := componentLabel(f)
	if p := where[f.Component]; p != "" {
		l += " (" + p + ")"
	}
	return l
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
	sum := summary{Devices: len(s.all()), Skipped: s.Skipped()}
	for _, r := range s.all() {
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
