package report

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
)

//go:embed assets/report.html.tmpl
var htmlTemplateText string

//go:embed assets/report.css
var htmlCSS string

// htmlTemplate is parsed once; html/template escapes every value from the
// inputs for its context (text, attribute, URL), so an SBOM cannot inject
// markup or script. Text from the inputs is written with u (untrusted).
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"css": func() template.CSS { return template.CSS(htmlCSS) },
	"u":   htmlUntrusted,
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
	Affected, Unknown, Other                                                    int
	Reasons                                                                     []string
	Findings                                                                    []htmlFinding
}

type htmlFinding struct {
	ID, URL, Aliases, Status, StatusClass, Severity, SeverityClass, Component, PURL string
	Fix, Justification, Impact, Reason, Summary                                     string
	// Accepted is the finding's acceptance (Accepted), "" for none: the
	// row is shown muted.
	Accepted string
	Sources  []string
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
	for _, r := range s.Results {
		d := r.Device
		n := statusCounts(r)
		hd := htmlDevice{Anchor: deviceAnchor(r), Rank: strconv.Itoa(r.Rank), Name: d.Name, Version: d.Version,
			Manufacturer: d.Manufacturer, SBOM: d.Path, Priority: string(r.Priority), Class: cssClass(string(r.Priority)),
			Score: strconv.FormatFloat(r.Score, 'g', -1, 64), Affected: n[match.Affected], Unknown: n[match.Unknown],
			Other: len(r.Findings) - n[match.Affected] - n[match.Unknown], Reasons: r.Reasons}
		if r.ID != d.Path {
			hd.ID = r.ID
		}
		for _, f := range r.Findings {
			hf := htmlFinding{ID: f.ID, URL: helpURI(f), Aliases: strings.Join(f.Aliases, ", "), Status: strings.ReplaceAll(string(f.Status), "_", " "),
				StatusClass: cssClass(string(f.Status)), Component: componentLabel(f), Fix: htmlFix(f),
				Justification: strings.ReplaceAll(f.Justification, "_", " "), Impact: f.Impact, Reason: f.Reason, Summary: f.Summary,
				Accepted: Accepted(f)}
			if f.Component != nil {
				hf.PURL = f.Component.PURL
			}
			hf.Severity, hf.SeverityClass = SeverityLabel(f), "small"
			if r := rank.FindingRating(f); r.Rating != rank.RatingUnknown {
				hf.SeverityClass = "sev-" + r.Rating
			}
			for _, src := range f.Sources {
				hf.Sources = append(hf.Sources, src.Format+" "+src.ID)
			}
			hd.Findings = append(hd.Findings, hf)
		}
		v.Devices = append(v.Devices, hd)
	}
	v.Errors = skippedMessages(s)
	v.Warnings = s.Warnings
	return htmlTemplate.Execute(w, v)
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
