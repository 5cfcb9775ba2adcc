package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
)

// The SARIF 2.1.0 subset bomrank writes. The types are our own rather
// than github.com/owenrumney/go-sarif's: that module brings a second JSON
// Schema library (gojsonschema) and UUIDs along, and we need a dozen
// plain structs whose output order we control; the test validates the
// result against the official SARIF 2.1.0 schema.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Artifacts   []sarifArtifact   `json:"artifacts,omitempty"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      *sarifMessage   `json:"fullDescription,omitempty"`
	HelpURI              string          `json:"helpUri,omitempty"`
	Help                 *sarifMessage   `json:"help,omitempty"`
	DefaultConfiguration *sarifRuleLevel `json:"defaultConfiguration,omitempty"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifRuleLevel struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
}

type sarifArtifactLocation struct {
	URI   string `json:"uri"`
	Index *int   `json:"index,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
	// Suppressions holds the finding's acceptance in the ignore file
	// (an "external" suppression, status "accepted").
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifMessage  `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

// SARIF writes a SARIF 2.1.0 log with one run: one rule per vulnerability
// and one result per affected finding. Unknown and under_investigation
// findings are results too, of level "note" (bomrank cannot tell they are
// safe); VEX not_affected and fixed findings are not results. Each result
// points at the SBOM file (physicalLocation) and names the device and the
// component (logicalLocations, the purl as fully qualified name). The
// level follows the highest CVSS base score (without a vector, the lowest
// score of the source's own rating: GHSA HIGH is 7.0, and the rule names
// its "rating_source"): error from 7.0, warning from 4.0, else note;
// rules carry GitHub code scanning's "security-severity".
// Inputs that could not be read are error notifications of the
// invocation. Message texts and logical location names are shown to
// people by SARIF viewers: they go through textsafe (no control or bidi
// character raw); identifiers (fully qualified names, URIs) stay exact.
func SARIF(w io.Writer, s *Scan, o Options) error {
	t := o.tool()
	rules, ruleIndex := sarifRules(s)
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: t.Name, Version: t.Version, InformationURI: t.URI, Rules: rules}},
		Invocations: []sarifInvocation{sarifInvocationOf(s)},
		Results:     []sarifResult{},
	}
	artifacts := map[string]int{}
	for _, r := range s.Results {
		uri := sarifURI(r.Device.Path)
		idx, ok := artifacts[uri]
		if !ok {
			idx = len(run.Artifacts)
			artifacts[uri] = idx
			run.Artifacts = append(run.Artifacts, sarifArtifact{Location: sarifArtifactLocation{URI: uri}})
		}
		for _, f := range r.Findings {
			if sarifReported(f) {
				run.Results = append(run.Results, sarifResultOf(r, f, uri, idx, ruleIndex[f.ID]))
			}
		}
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifInvocationOf is the run's invocation: inputs that could not be
// read are its error notifications.
func sarifInvocationOf(s *Scan) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, e := range s.SBOMErrors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: textsafe.Text(e.Error())}, Locations: []sarifLocation{{PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: sarifURI(e.Path)}}}}})
	}
	for _, e := range s.AdvisoryErrors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: textsafe.Text(e.Error())}})
	}
	for _, e := range s.InventoryErrors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: textsafe.Text(e.Error())}})
	}
	for _, e := range s.MDS2Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: textsafe.Text(e.Error())}})
	}
	for _, e := range s.MatchErrors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: textsafe.Text(e.Error())}, Locations: []sarifLocation{{PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: sarifURI(e.Path)}}}}})
	}
	// A scan without vulnerability data did not look at anything: an
	// error-level notification, so that a dashboard does not show it as
	// clean.
	for _, wn := range s.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: textsafe.Text(wn)}})
	}
	return inv
}

// sarifRules returns one rule per vulnerability id reported, sorted by
// id, each with the highest score seen for it, and the index of each id
// in the rules.
func sarifRules(s *Scan) ([]sarifRule, map[string]int) {
	type ruleInfo struct {
		f      *match.Finding
		score  Score
		has    bool
		source string
	}
	infos := map[string]*ruleInfo{}
	for _, r := range s.Results {
		for _, f := range r.Findings {
			if !sarifReported(f) {
				continue
			}
			ri := infos[f.ID]
			if ri == nil {
				ri = &ruleInfo{f: f}
				infos[f.ID] = ri
			}
			if sc, source, ok := sarifScore(f); ok && (!ri.has || sc.Base > ri.score.Base) {
				ri.score, ri.has, ri.source = sc, true, source
			}
		}
	}
	ids := slices.Sorted(maps.Keys(infos))
	rules := make([]sarifRule, 0, len(ids))
	ruleIndex := make(map[string]int, len(ids))
	for i, id := range ids {
		ri := infos[id]
		ruleIndex[id] = i
		rules = append(rules, sarifRuleOf(id, ri.f, ri.score, ri.has))
		if ri.has && ri.source != rank.RatingSourceCVSS {
			rules[i].Properties["rating_source"] = ri.source
		}
	}
	return rules, ruleIndex
}

// sarifScore is the finding's highest CVSS score, else a score standing
// for its source's own rating (rank.RatingFloor: GHSA HIGH is 7.0, which
// GitHub's security-severity reads as high); source is the rating's
// (rank.Rating.Source); ok is false for an unknown severity.
func sarifScore(f *match.Finding) (sc Score, source string, ok bool) {
	r := rank.FindingRating(f)
	switch r.Source {
	case rank.RatingSourceCVSS:
		return r.Score, r.Source, true
	case rank.RatingSourceNone:
		return sc, r.Source, false
	}
	return Score{Base: rank.RatingFloor(r.Rating), Rating: r.Rating}, r.Source, true
}

// sarifRuleOf is the rule of vulnerability id, described from finding f,
// with the highest score sc when has.
func sarifRuleOf(id string, f *match.Finding, sc Score, has bool) sarifRule {
	desc := f.Summary
	if desc == "" {
		desc = id
	}
	rule := sarifRule{
		ID:               id,
		ShortDescription: sarifMessage{Text: textsafe.Text(desc)},
		HelpURI:          helpURI(f),
		Help:             &sarifMessage{Text: textsafe.Text(ruleHelp(f))},
		Properties:       map[string]any{"tags": []string{"security", "vulnerability"}},
	}
	if len(f.Aliases) > 0 {
		rule.FullDescription = &sarifMessage{Text: textsafe.Text(desc + " (also known as " + strings.Join(f.Aliases, ", ") + ")")}
	}
	if has {
		rule.Properties["security-severity"] = strconv.FormatFloat(sc.Base, 'f', 1, 64)
		rule.DefaultConfiguration = &sarifRuleLevel{Level: sarifLevel(sc, true)}
	}
	return rule
}

// sarifResultOf is the result of finding f of device r, whose SBOM is the
// artifact uri at index artifact, for the rule at index rule.
func sarifResultOf(r *match.DeviceResult, f *match.Finding, uri string, artifact, rule int) sarifResult {
	sc, _, has := sarifScore(f)
	level := sarifLevel(sc, has)
	if f.Status != match.Affected {
		level = "note"
	}
	comp := componentLabel(f)
	msg := fmt.Sprintf("%s in %s is affected by %s; %s", comp, r.Device.Name, f.ID, fixText(f))
	if f.Status == match.Unknown {
		msg = fmt.Sprintf("%s in %s may be affected by %s: %s", comp, r.Device.Name, f.ID, f.Reason)
	} else if f.Status == match.UnderInvestigation {
		msg = fmt.Sprintf("%s in %s: %s is under investigation by the manufacturer", comp, r.Device.Name, f.ID)
	}
	loc := sarifLocation{
		PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: uri, Index: &artifact}},
		LogicalLocations: []sarifLogical{{Name: textsafe.Line(r.Device.Name), FullyQualifiedName: r.ID, Kind: "module"}},
	}
	if c := f.Component; c != nil && !isDeviceFinding(r, f) {
		fq := c.PURL
		if fq == "" {
			fq = comp
		}
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogical{Name: textsafe.Line(c.Name), FullyQualifiedName: fq, Kind: "package"})
	}
	props := map[string]any{
		"status": string(f.Status), "device": r.ID, "priority": r.Priority,
		"component": comp, "fixed": strs(f.Fixed),
	}
	if actor := FindingActor(f); actor != "" {
		props["actor"] = string(actor)
	}
	if has {
		props["severity"] = sc.Rating
		if sc.Vector != "" {
			props["cvss"] = sc.Vector
		}
	}
	return sarifResult{
		RuleID: f.ID, RuleIndex: rule, Level: level,
		Message:             sarifMessage{Text: textsafe.Text(msg)},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{"bomrank/v1": fingerprint(r.ID, componentKey(f), f.ID)},
		Properties:          props,
		Suppressions:        sarifSuppressions(f),
	}
}

// sarifReported: affected findings are results, and so are those bomrank
// or the manufacturer could not decide (unknown, under investigation):
// never read as safe. VEX not_affected and fixed are not problems.
func sarifReported(f *match.Finding) bool {
	return f.Status == match.Affected || f.Status == match.Unknown || f.Status == match.UnderInvestigation
}

func sarifLevel(sc Score, has bool) string {
	switch {
	case !has:
		return "warning"
	case sc.Base >= 7:
		return "error"
	case sc.Base >= 4:
		return "warning"
	}
	return "note"
}

// sarifURI turns a file path into a URI reference: relative paths stay
// relative (with forward slashes), absolute ones become file URIs.
func sarifURI(p string) string {
	slash := filepath.ToSlash(p)
	u := url.URL{Path: slash}
	if filepath.IsAbs(p) {
		u.Scheme = "file"
		if !strings.HasPrefix(slash, "/") {
			u.Path = "/" + slash
		}
	}
	return u.String()
}

func componentKey(f *match.Finding) string {
	if f.Component == nil {
		return ""
	}
	if f.Component.PURL != "" {
		return f.Component.PURL
	}
	return f.Component.Ref + "|" + f.Component.Name + "|" + f.Component.Version
}

func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:16])
}

// helpURI links to the vulnerability's public record.
func helpURI(f *match.Finding) string {
	id := f.ID
	switch {
	case strings.HasPrefix(id, "CVE-"):
		return "https://www.cve.org/CVERecord?id=" + url.QueryEscape(id)
	case strings.HasPrefix(id, "GHSA-"), strings.HasPrefix(id, "GO-"), strings.HasPrefix(id, "RUSTSEC-"),
		strings.HasPrefix(id, "PYSEC-"), strings.HasPrefix(id, "OSV-"):
		return "https://osv.dev/vulnerability/" + url.PathEscape(id)
	}
	return ""
}

func ruleHelp(f *match.Finding) string {
	var b strings.Builder
	b.WriteString(f.ID)
	if f.Summary != "" {
		b.WriteString(": " + f.Summary)
	}
	if len(f.Aliases) > 0 {
		b.WriteString(". Aliases: " + strings.Join(f.Aliases, ", "))
	}
	b.WriteString(".")
	return b.String()
}
