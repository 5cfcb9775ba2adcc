package report

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
)

//go:embed assets/report.html.tmpl
var htmlTemplateText string

//go:embed assets/report.css
var htmlCSS string

// htmlTemplate is parsed once; html/template escapes every value from the
// inputs for its context (text, attribute, URL), so an SBOM cannot inject
// markup or script. Text from the inputs is written with u (untrusted).
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"css":  func() template.CSS { return template.CSS(htmlCSS) },
	"u":    htmlUntrusted,
	"purl": htmlBreakable,
}).Parse(htmlTemplateText))

// htmlUntrusted writes text from the inputs isolated in <bdi>, so that
// its direction cannot reorder the text around it (an RTL name before a
// version), with control and bidi characters escaped visibly
// (textsafe.Text: an unterminated U+202E shows as \u202e instead of
// reversing the heading) and markup escaped.
func htmlUntrusted(s string) template.HTML {
	if s == "" {
		return ""
	}
	return template.HTML("<bdi>" + htmlEscaper.Replace(textsafe.Text(s)) + "</bdi>")
}

// htmlBreakable is htmlUntrusted for a purl or path: the browser may
// break the line after each '/' and before each '@' (<wbr>), so that a
// long purl wraps between its parts instead of mid-token.
func htmlBreakable(s string) template.HTML {
	if s == "" {
		return ""
	}
	t := htmlEscaper.Replace(textsafe.Text(s))
	t = strings.NewReplacer("/", "/<wbr>", "@", "<wbr>@").Replace(t)
	return template.HTML("<bdi>" + t + "</bdi>")
}

// htmlEscaper escapes text as html/template does in a text context
// (textsafe has already replaced NUL).
var htmlEscaper = strings.NewReplacer(`"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

type htmlView struct {
	Title      string
	AsOf       string
	DataAge    string // dataAgeLine, escaped by the template
	Tool       Tool
	Summary    summary
	Advisories int
	Chart      htmlChart
	Devices    []htmlDevice
	Errors     []string
	Warnings   []string
	// Limit is Scan.LimitNote.
	Limit string
}

type htmlChart struct {
	Width, Height int
	Bars          []htmlBar
}

type htmlBar struct {
	Priority    string
	Class       string
	Devices     int
	Y, W, TextX int
}

type htmlDevice struct {
	Anchor, Rank, Name, Version, Manufacturer, SBOM, ID, Priority, Class, Score string
	// Label is the name with the asset id (deviceLabels), Location the
	// inventory's, Context the inventory context (ContextLine's values)
	// and NextStep the device's next step.
	Label, AssetID, Location, Context, NextStep string
	Affected, Unknown, Other                    int
	Reasons                                     []string
	// Resp is the device's responsibility view (its MDS2 form, who acts,
	// the manufacturer's commitments, the hardening guide), nil when it
	// has none.
	Resp     *respView
	Findings []htmlFinding
	// More lists the findings after the htmlFullFindings most urgent
	// ones as aligned plain text, one line each (id, status, severity,
	// component, action or note), shown in a <pre> inside a closed
	// <details>; MoreCount is their number.
	More      string
	MoreCount int
}

// htmlFullFindings is the number of a device's findings the HTML shows in
// full; the less urgent ones follow as preformatted lines in a closed
// <details> (one text node instead of a table row of elements each), so
// that a fleet of 200 devices and 80,000 findings opens in seconds.
const htmlFullFindings = 25

type htmlFinding struct {
	ID, URL, Aliases, Status, StatusClass, Severity, SeverityClass, Component, PURL string
	Fix, Justification, Impact, Reason, Summary                                     string
	// Accepted is the finding's acceptance (Accepted), "" for none: the
	// row is shown muted.
	Accepted string
	Sources  []string
	// Action is an affected finding's action (FindingAction),
	// Exploitation its KEV and EPSS (Exploitation), Short the summary
	// clipped when it is long (the full text opens in <details>), Muted
	// set for a finding shown muted (not affected, fixed, accepted).
	Action, Exploitation, Short string
	Muted                       bool
}

// HTML writes a self-contained HTML report (no external assets, no
// script; it works offline and from a file): a summary, a chart of the
// devices by priority (inline SVG), the ranked device list, and each
// device with its reasons and findings, each with its severity, fix,
// VEX justification and impact, and sources.
func HTML(w io.Writer, s *Scan, o Options) error {
	v := htmlView{Title: "bomrank scan report", Tool: o.tool(), Summary: summarize(s), Advisories: s.Advisories,
		DataAge: dataAgeLine(s, textsafe.Text)}
	if !o.AsOf.IsZero() {
		v.AsOf = o.AsOf.UTC().Format("2006-01-02")
	}
	counts := priorityCounts(s)
	maxN := 1
	for _, pc := range counts {
		maxN = max(maxN, pc.Devices)
	}
	const labelW, barW, rowH = 110, 360, 28
	v.Chart = htmlChart{Width: labelW + barW + 50, Height: len(counts)*rowH + 8}
	for i, pc := range counts {
		wd := pc.Devices * barW / maxN
		if pc.Devices > 0 && wd < 3 {
			wd = 3
		}
		v.Chart.Bars = append(v.Chart.Bars, htmlBar{Priority: pc.Priority, Class: cssClass(pc.Priority), Devices: pc.Devices,
			Y: 4 + i*rowH, W: wd, TextX: labelW + wd + 6})
	}
	labels := deviceLabels(s.Results)
	asOf := scanAsOf(s, o)
	for _, r := range s.Results {
		v.Devices = append(v.Devices, newHTMLDevice(r, labels[r], asOf))
	}
	v.Errors = skippedMessages(s)
	v.Warnings = s.Warnings
	v.Limit = s.LimitNote()
	return htmlTemplate.Execute(w, v)
}

func newHTMLDevice(r *match.DeviceResult, label string, asOf time.Time) htmlDevice {
	d := r.Device
	n := statusCounts(r)
	hd := htmlDevice{Anchor: deviceAnchor(r), Rank: strconv.Itoa(r.Rank), Name: d.Name, Version: d.Version,
		Manufacturer: d.Manufacturer, SBOM: d.Path, Priority: string(r.Priority), Class: cssClass(string(r.Priority)),
		Score: strconv.FormatFloat(r.Score, 'g', -1, 64), Affected: n[match.Affected], Unknown: n[match.Unknown],
		Other: len(r.Findings) - n[match.Affected] - n[match.Unknown], Reasons: r.Reasons,
		Label: label, Location: location(r), NextStep: NextStep(r)}
	if r.ID != d.Path {
		hd.ID = r.ID
	}
	hd.Resp = responsibilityOfDevice(r)
	if c := r.Context; c != nil && c.AssetID != "" {
		hd.AssetID = c.AssetID
		hd.Context = contextText(c)
	}
	where := componentPlaces(r)
	fs := UrgencyOrder(r.Findings)
	for _, f := range fs[:min(len(fs), htmlFullFindings)] {
		hd.Findings = append(hd.Findings, newHTMLFinding(r, f, where, asOf))
	}
	if len(fs) > htmlFullFindings {
		hd.More, hd.MoreCount = compactFindings(r, fs[htmlFullFindings:], where), len(fs)-htmlFullFindings
	}
	return hd
}

// compactFindings lists findings as aligned lines of safe text: id,
// status, severity, component, action or note.
func compactFindings(r *match.DeviceResult, fs []*match.Finding, where map[*sbom.Component]string) string {
	rows := make([][]cell, len(fs))
	for i, f := range fs {
		rows[i] = []cell{{text: f.ID}, {text: string(f.Status)}, {text: SeverityLabel(f)},
			{text: componentWhere(f, where)}, {text: dash(findingNote(r, f))}}
	}
	widths := columnWidths(rows)
	var b strings.Builder
	ew := &errWriter{w: &b}
	for _, row := range rows {
		writeRow(ew, row, widths, nil, false, false)
	}
	return b.String()
}

func newHTMLFinding(r *match.DeviceResult, f *match.Finding, where map[*sbom.Component]string, asOf time.Time) htmlFinding {
	hf := htmlFinding{ID: f.ID, URL: helpURI(f), Aliases: strings.Join(f.Aliases, ", "), Status: strings.ReplaceAll(string(f.Status), "_", " "),
		StatusClass: cssClass(string(f.Status)), Component: componentWhere(f, where), Fix: htmlFix(f),
		Justification: strings.ReplaceAll(f.Justification, "_", " "), Impact: f.Impact, Reason: f.Reason, Summary: f.Summary,
		Accepted: Accepted(f), Action: FindingAction(r, f), Exploitation: Exploitation(f, asOf), Muted: muted(f)}
	if hf.Action != "" && len(f.Remediations) == 0 {
		hf.Fix = "" // the action names the upstream fix already
	}
	if c := clip(f.Summary, summaryClip); c != f.Summary {
		hf.Short = c
	}
	if f.Component != nil {
		hf.PURL = f.Component.PURL
	}
	hf.Severity, hf.SeverityClass = SeverityLabel(f), "small"
	if r := rank.FindingRating(f); r.Rating != rank.RatingUnknown {
		hf.SeverityClass = "sev-" + r.Rating
	}
	if hf.Muted {
		hf.SeverityClass = "sev-muted"
	}
	for _, src := range f.Sources {
		hf.Sources = append(hf.Sources, src.Format+" "+src.ID)
	}
	return hf
}

// cssClass turns a priority or status into a class name: letters, digits
// and dashes only, whatever the input.
func cssClass(s string) string {
	var b strings.Builder
	b.WriteString("p-")
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// htmlFix is the fix column: what fixes an affected or undecided finding;
// for not_affected and fixed only the remediations a source gave.
func htmlFix(f *match.Finding) string {
	if (f.Status == match.NotAffected || f.Status == match.Fixed) && len(f.Remediations) == 0 {
		return ""
	}
	return fixText(f)
}
