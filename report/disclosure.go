package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/ssvc"
)

// This file turns the manufacturer's disclosure of a device (its MDS2
// form and hardening guide, match.Disclosure) and who can install each
// fix (ssvc.Decision.Responsibility) into what the reports show: the JSON
// fields mds2, hardening_guide and actor, and the responsibility view of
// the human formats (responsibilityOfDevice).

// mds2JSON is a device's MDS2 form in the scan JSON (since schema 1.4).
type mds2JSON struct {
	// Path is the form's file: the inventory's mds2 path, else the file
	// the form was read from.
	Path         string `json:"path"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Version      string `json:"version"`
	Date         string `json:"date"`
	// Via is "inventory" (the inventory's mds2 column) or "match" (a
	// --mds2 form whose manufacturer and model are the device's).
	Via string `json:"via"`
	// Answers holds every question of the form by its normalised ID with
	// its value (yes, no, na or unknown), except the DOC items that hold
	// text (the identification above).
	Answers map[string]string `json:"answers"`
	// Warnings says what was read with doubt (mds2.Form.Warnings).
	Warnings []string `json:"warnings"`
}

// guideJSON is a device's hardening guide in the scan JSON (since schema
// 1.4).
type guideJSON struct {
	Ref     string `json:"ref"`
	Version string `json:"version"`
	Review  string `json:"review"`
}

// toMDS2JSON is the form of d, nil when none is attached.
func toMDS2JSON(d *match.Disclosure) *mds2JSON {
	f := d.MDS2
	if f == nil {
		return nil
	}
	path := d.MDS2Path
	if path == "" {
		path = f.Path
	}
	mj := &mds2JSON{Path: path, Manufacturer: f.Manufacturer, Model: f.Model, Version: f.Version, Date: f.Date,
		Via: d.MDS2Via, Answers: make(map[string]string, len(f.Answers)), Warnings: strs(f.Warnings)}
	for id, a := range f.Answers {
		if strings.HasPrefix(id, "DOC-") && a.Value == mds2.Unknown && a.Text != "" {
			continue
		}
		mj.Answers[id] = string(a.Value)
	}
	return mj
}

// FindingActor says who can install the fix of a finding that counts
// (affected, not accepted in the ignore file), from its decision's
// Responsibility (the device's MDS2 form): ssvc.ActorHospital,
// ActorManufacturer, ActorBoth, or ActorUnknown when the device has no
// form, the form leaves it blank or the finding was not ranked. It is ""
// for a finding that does not count.
func FindingActor(f *match.Finding) ssvc.Actor {
	if !f.Counts() {
		return ""
	}
	if resp := responsibilityOf(f); resp != nil && resp.Actor != "" {
		return resp.Actor
	}
	return ssvc.ActorUnknown
}

// DeviceActor says who acts for the device's findings that count, in one
// word for the table's WHO ACTS column: the one actor they all have
// (hospital, manufacturer, both, unknown); "both" when the hospital and
// the manufacturer each have some; "mixed" when some are known and some
// unknown (--details, Markdown and HTML say which); "" when no finding
// counts.
func DeviceActor(r *match.DeviceResult) string {
	seen := map[ssvc.Actor]bool{}
	for _, f := range r.Findings {
		if a := FindingActor(f); a != "" {
			seen[a] = true
		}
	}
	known := seen[ssvc.ActorHospital] || seen[ssvc.ActorManufacturer] || seen[ssvc.ActorBoth]
	switch {
	case len(seen) == 0:
		return ""
	case known && seen[ssvc.ActorUnknown]:
		return "mixed"
	case len(seen) == 1:
		for a := range seen {
			return string(a)
		}
	}
	return string(ssvc.ActorBoth)
}

// responsibilityOf is the finding's Responsibility, nil for none.
func responsibilityOf(f *match.Finding) *ssvc.Responsibility {
	if f.Decision == nil {
		return nil
	}
	return f.Decision.Responsibility
}

// respView is the responsibility view of one device: its form, what the
// hospital can do now, what it must ask the manufacturer for, the
// manufacturer's commitments, the hardening guide, and the disclosure's
// warnings. Its text comes from the inputs: the formats make it safe.
type respView struct {
	// Form names the device's MDS2 form, or says there is none.
	Form     string
	Sections []respSection
	// Warnings is match.Disclosure.Warnings, less those already among
	// the device's reasons.
	Warnings []string
}

// respSection is one part of the view, such as "the hospital can do
// now"; commitments marks the manufacturer's commitments, which only
// Markdown and HTML show.
type respSection struct {
	Title       string
	Lines       []respLine
	commitments bool
}

// respLine is one thing to do (or one commitment, or the guide) and the
// answers behind it, one line each.
type respLine struct {
	Text     string
	Evidence []string
}

// Titles of the view's sections.
const (
	respHospital     = "the hospital can do now"
	respManufacturer = "ask the manufacturer"
	respCommitments  = "the manufacturer's commitments (MDS2)"
	respGuide        = "hardening guide"
)

// respIDs is the number of finding ids a line of the view names.
const respIDs = 6

// responsibilityOfDevice is the device's responsibility view, nil when it
// has no disclosure (no MDS2 form, no hardening guide) and none of its
// findings says who acts.
func responsibilityOfDevice(r *match.DeviceResult) *respView {
	d := r.Disclosure
	if d == nil && !slices.ContainsFunc(r.Findings, func(f *match.Finding) bool { return f.Counts() && responsibilityOf(f) != nil }) {
		return nil
	}
	groups := actorGroups(r)
	if d == nil {
		d = &match.Disclosure{}
	}
	v := &respView{Form: formLine(d)}
	var hospital, ask []respLine
	for _, g := range groups {
		ids := idList(g.ids)
		switch g.actor {
		case ssvc.ActorHospital, ssvc.ActorBoth:
			hospital = append(hospital, respLine{Text: "patch " + ids + ": " + g.resp.Action, Evidence: g.resp.Evidence})
		}
		switch g.actor {
		case ssvc.ActorManufacturer:
			ask = append(ask, respLine{Text: ids + ": " + g.resp.Action, Evidence: g.resp.Evidence})
		case ssvc.ActorBoth: // the answers are under the hospital's line
			ask = append(ask, respLine{Text: ids + ": " + g.resp.Action})
		case ssvc.ActorUnknown:
			ask = append(ask, unknownLine(ids, g.resp, d.MDS2 != nil))
		}
	}
	hospital = append(hospital, mitigateLines(r, d.MDS2)...)
	v.add(respSection{Title: respHospital, Lines: hospital})
	v.add(respSection{Title: respManufacturer, Lines: ask})
	if d.MDS2 != nil {
		v.add(respSection{Title: respCommitments, Lines: commitmentLines(d.MDS2), commitments: true})
	}
	if g := d.Guide; g != nil {
		line := respLine{Text: g.Ref}
		if g.Version != "" {
			line.Text += " (for version " + g.Version + ")"
		}
		if g.Review != "" {
			line.Evidence = []string{g.Review}
		}
		v.add(respSection{Title: respGuide, Lines: []respLine{line}})
	}
	for _, w := range d.Warnings {
		if !slices.Contains(r.Reasons, w) {
			v.Warnings = append(v.Warnings, w)
		}
	}
	return v
}

// add appends s unless it has no line.
func (v *respView) add(s respSection) {
	if len(s.Lines) > 0 {
		v.Sections = append(v.Sections, s)
	}
}

// actorGroup is the findings of a device that share who acts and why.
type actorGroup struct {
	actor ssvc.Actor
	resp  *ssvc.Responsibility // nil: no form said
	// ids are the findings' ids, "CVE-... (no fix yet)" for one without
	// a manufacturer update or an upstream fix.
	ids []string
}

// actorGroups groups the device's findings that count by actor and
// action, in order of their most urgent finding.
func actorGroups(r *match.DeviceResult) []*actorGroup {
	var groups []*actorGroup
	byKey := map[string]*actorGroup{}
	for _, f := range UrgencyOrder(r.Findings) {
		actor := FindingActor(f)
		if actor == "" {
			continue
		}
		resp := responsibilityOf(f)
		key := string(actor)
		if resp != nil {
			key += "\x00" + resp.Action
		}
		g := byKey[key]
		if g == nil {
			g = &actorGroup{actor: actor, resp: resp}
			byKey[key] = g
			groups = append(groups, g)
		}
		id := f.ID
		if actionOf(f) != ssvc.ActionPatch && len(f.Fixed) == 0 {
			id += " (no fix yet)"
		}
		if !slices.Contains(g.ids, id) {
			g.ids = append(g.ids, id)
		}
	}
	for _, g := range groups {
		if g.resp == nil {
			g.resp = &ssvc.Responsibility{Actor: g.actor}
		}
	}
	return groups
}

// formLine names the disclosure's form, or says there is none.
func formLine(d *match.Disclosure) string {
	f := d.MDS2
	switch {
	case f == nil && d.MDS2Path != "":
		return "MDS2 form " + d.MDS2Path + " could not be read: who can install updates is unknown"
	case f == nil:
		return "no MDS2 form attached: who can install updates is unknown"
	}
	path := d.MDS2Path
	if path == "" {
		path = f.Path
	}
	s := "MDS2 form " + path
	var ident []string
	if id := strings.TrimSpace(strings.Join([]string{f.Manufacturer, f.Model, f.Version}, " ")); id != "" {
		ident = append(ident, strings.Join(strings.Fields(id), " "))
	}
	if f.Date != "" {
		ident = append(ident, f.Date)
	}
	switch d.MDS2Via {
	case "inventory":
		ident = append(ident, "named by the inventory")
	case "match":
		ident = append(ident, "matched by manufacturer and model")
	}
	if len(ident) > 0 {
		s += " (" + strings.Join(ident, ", ") + ")"
	}
	return s
}

// unknownLine is the line of findings nobody disclosed the installer of:
// the form's own words when it has a form, else that there is none.
func unknownLine(ids string, resp *ssvc.Responsibility, hasForm bool) respLine {
	if resp.Action != "" {
		return respLine{Text: "who installs the fix of " + ids + ": " + resp.Action, Evidence: resp.Evidence}
	}
	why := "no MDS2 form"
	if hasForm {
		why = "the MDS2 form does not say"
	}
	return respLine{Text: "who installs the fix of " + ids + " is unknown (" + why + "): ask the manufacturer", Evidence: resp.Evidence}
}

// mitigateLines is what the hospital can do now besides patching: check
// the controls the form says are in place, and segment the network when
// the device is reachable from outside by design.
func mitigateLines(r *match.DeviceResult, f *mds2.Form) []respLine {
	if f == nil {
		return nil
	}
	var out []respLine
	if cs := f.Controls(); len(cs) > 0 {
		line := respLine{Text: "mitigate: check that the controls the form lists are configured"}
		for _, c := range cs {
			line.Evidence = append(line.Evidence, c.String())
		}
		out = append(out, line)
	}
	if c := r.Context; c != nil {
		if src := c.Source("exposure"); src.Kind == ssvc.SourceMDS2 && c.Exposure != ssvc.ExposureSmall {
			return append(out, respLine{Text: "segment: " + src.Detail + "; limit what reaches the device"})
		}
	}
	if x, because, ok := f.Exposure(); ok && x != ssvc.ExposureSmall {
		out = append(out, respLine{Text: "segment: exposure " + string(x) + " by design (" + because.String() + "); limit what reaches the device"})
	}
	return out
}

// commitmentLines is the form's patch-process commitments (their words
// say the answer), each with its note.
func commitmentLines(f *mds2.Form) []respLine {
	var out []respLine
	for _, it := range f.Commitments() {
		line := respLine{Text: it.String()}
		if it.Note != "" {
			line.Evidence = []string{"note: " + it.Note}
		}
		out = append(out, line)
	}
	return out
}

// idList names up to respIDs ids, then how many more.
func idList(ids []string) string {
	s := strings.Join(ids[:min(len(ids), respIDs)], ", ")
	if len(ids) > respIDs {
		s += " (+" + strconv.Itoa(len(ids)-respIDs) + " more)"
	}
	return s
}

// viewLine is one line of the view as the table and Markdown write it
// under the form's line: its nesting depth (1 a section, 2 a thing to
// do, 3 the answers behind it) and its text.
type viewLine struct {
	depth int
	text  string
}

// lines flattens the view; commitments says whether the manufacturer's
// commitments are written (Markdown, HTML), warnings are last at depth 1
// as "warning: ...".
func (v *respView) lines(commitments bool) []viewLine {
	var out []viewLine
	for _, s := range v.Sections {
		if s.commitments && !commitments {
			continue
		}
		out = append(out, viewLine{1, s.Title + ":"})
		for _, l := range s.Lines {
			out = append(out, viewLine{2, l.Text})
			for _, e := range l.Evidence {
				out = append(out, viewLine{3, e})
			}
		}
	}
	for _, w := range v.Warnings {
		out = append(out, viewLine{1, "warning: " + w})
	}
	return out
}
