package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/ssvc"
)

// This file says in plain words who acts and how: each affected finding's
// action (FindingAction), the device's next step (NextStep), and what is
// known of attacks on a finding (Exploitation). The human formats (table
// --details, Markdown, HTML, CSV) show them.

// FindingAction says in plain words what to do about an affected finding,
// from its SSVC action (match.Finding.Decision, else read from its
// remediations as the ranking does): "install manufacturer update 4.3.0
// (CSAF ICSMA-24-001-01)", "no fix: ask Acme Medical Inc. (fixed upstream
// in requests 2.20.0)", "mitigate: <the workaround's text>", "isolate or
// replace: past end of support 2024-12-31". When the device's MDS2 form
// says who installs the update (the decision's Responsibility), an
// update or an ask says it too: "install manufacturer update 4.3.0;
// hospital can install the update (MDS2 CSUP-2.1, CSUP-2.2)", "no fix
// known: ask Acme Medical Inc.; request manufacturer service (MDS2
// CSUP-2.2)". It is "" for a finding that is not affected. The text
// comes from the inputs: the formats make it safe.
func FindingAction(r *match.DeviceResult, f *match.Finding) string {
	if f.Status != match.Affected {
		return ""
	}
	switch actionOf(f) {
	case ssvc.ActionPatch:
		return withInstaller(updateText(r, f), f)
	case ssvc.ActionMitigate:
		if rem, ok := remediation(f, "workaround", "mitigation"); ok && rem.Details != "" {
			return "mitigate: " + trimStop(rem.Details)
		}
		return "mitigate: apply the published workaround"
	case ssvc.ActionIsolateReplace:
		return isolateText(f)
	}
	return withInstaller(askText(r, f), f)
}

// withInstaller adds to the action of a finding with an update (or one to
// come) who can install it, from the device's MDS2 form
// (ssvc.Responsibility.Action): "...; request manufacturer service (MDS2
// CSUP-2.2)". A finding without a form's answer keeps its action as is.
func withInstaller(action string, f *match.Finding) string {
	if resp := responsibilityOf(f); resp != nil && resp.Action != "" {
		return action + "; " + resp.Action
	}
	return action
}

// actionOf is the finding's SSVC action: the ranking's decision, else the
// same rule read from the remediations (a scan that was not ranked).
func actionOf(f *match.Finding) ssvc.Action {
	if f.Decision != nil && f.Decision.Action != "" {
		return f.Decision.Action
	}
	switch {
	case hasCategory(f, "vendor_fix"):
		return ssvc.ActionPatch
	case hasCategory(f, "no_fix_planned"):
		return ssvc.ActionIsolateReplace
	case hasCategory(f, "workaround"), hasCategory(f, "mitigation"):
		return ssvc.ActionMitigate
	}
	return ssvc.ActionAskManufacturer
}

func hasCategory(f *match.Finding, category string) bool {
	_, ok := remediation(f, category)
	return ok
}

// remediation is the finding's first remediation of one of the
// categories, in that order of preference.
func remediation(f *match.Finding, categories ...string) (advisory.Remediation, bool) {
	for _, c := range categories {
		for _, r := range f.Remediations {
			if r.Category == c {
				return r, true
			}
		}
	}
	return advisory.Remediation{}, false
}

// updateText is the action of a finding with a manufacturer fix: the
// version to install when the finding is about the device itself (its
// fixed version is the device's), and the CSAF advisory that gives it.
func updateText(r *match.DeviceResult, f *match.Finding) string {
	s := "install manufacturer update"
	rem, _ := remediation(f, "vendor_fix")
	if isDeviceFinding(r, f) && len(f.Fixed) > 0 {
		s += " " + strings.Join(f.Fixed, ", ")
	} else if rem.Details != "" {
		s += ": " + trimStop(rem.Details)
	}
	var refs []string
	if id := csafSource(f); id != "" {
		refs = append(refs, "CSAF "+id)
	}
	if u := textsafe.URL(rem.URL); u != "" {
		refs = append(refs, u)
	}
	if len(refs) > 0 {
		s += " (" + strings.Join(refs, ", ") + ")"
	}
	return s
}

// csafSource is the id of the finding's first CSAF source, "" for none.
func csafSource(f *match.Finding) string {
	for _, src := range f.Sources {
		if src.Format == "csaf" {
			return strings.TrimSuffix(src.ID, "/"+f.ID)
		}
	}
	return ""
}

// askText is the action of a finding without a manufacturer fix: ask the
// manufacturer, naming the upstream fix when there is one.
func askText(r *match.DeviceResult, f *match.Finding) string {
	who := r.Device.Manufacturer
	if who == "" {
		who = "the manufacturer"
	}
	if len(f.Fixed) > 0 && !isDeviceFinding(r, f) {
		return fmt.Sprintf("no fix: ask %s (fixed upstream in %s %s)", who, f.Component.Name, strings.Join(f.Fixed, ", "))
	}
	return "no fix known: ask " + who
}

// isolateText is the action of a finding without a fix to come: no fix
// planned, or a component past its end of support.
func isolateText(f *match.Finding) string {
	if rem, ok := remediation(f, "no_fix_planned"); ok {
		if rem.Details != "" {
			return "isolate or replace: no fix planned (" + trimStop(rem.Details) + ")"
		}
		return "isolate or replace: no fix planned"
	}
	if f.Component != nil && f.Component.EndOfSupport != "" {
		return "isolate or replace: past end of support " + dateOnly(f.Component.EndOfSupport)
	}
	return "isolate or replace"
}

// trimStop drops a final full stop, so that the text reads inside a
// sentence.
func trimStop(s string) string {
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

// dateOnly is the YYYY-MM-DD of a date or date-time as written.
func dateOnly(s string) string {
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return s
}

// NextStep is the device's next step in plain words: the best
// manufacturer fix among its affected findings (a firmware update for the
// device itself first), named even when the most urgent finding has none;
// else the action of its most urgent affected finding; when every
// affected finding was accepted in the ignore file, says so; "" when
// nothing is affected.
func NextStep(r *match.DeviceResult) string {
	var fix, worst *match.Finding
	for _, f := range UrgencyOrder(r.Findings) {
		if !f.Counts() {
			continue
		}
		if worst == nil {
			worst = f
		}
		if actionOf(f) == ssvc.ActionPatch && (fix == nil || isDeviceFinding(r, f) && !isDeviceFinding(r, fix)) {
			fix = f
		}
	}
	switch {
	case fix != nil:
		return FindingAction(r, fix)
	case worst != nil:
		return FindingAction(r, worst)
	}
	if n := accepted(r); n > 0 {
		return fmt.Sprintf("none: %d affected finding(s) accepted in the ignore file", n)
	}
	return ""
}

// accepted counts r's affected findings accepted in the ignore file.
func accepted(r *match.DeviceResult) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == match.Affected && !f.Counts() {
			n++
		}
	}
	return n
}

// UrgencyOrder returns the findings most urgent first (a new slice; the
// findings are shared): affected findings that count, then accepted ones,
// then the other statuses in the order of Statuses; within a status by
// the ranking's decision score, then KEV, EPSS and CVSS base score, then
// in their original order.
func UrgencyOrder(fs []*match.Finding) []*match.Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b *match.Finding) int {
		if c := cmp.Compare(statusRank(a), statusRank(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(decisionScore(b), decisionScore(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(b2i(b.KEV != nil), b2i(a.KEV != nil)); c != 0 {
			return c
		}
		if c := cmp.Compare(epssScore(b), epssScore(a)); c != 0 {
			return c
		}
		return cmp.Compare(baseScore(b), baseScore(a))
	})
	return out
}

func statusRank(f *match.Finding) int {
	if f.Status == match.Affected {
		return b2i(f.Ignored != nil)
	}
	return 2 + slices.Index(Statuses[1:], f.Status)
}

func decisionScore(f *match.Finding) float64 {
	if f.Decision == nil {
		return -1
	}
	return f.Decision.Score
}

func epssScore(f *match.Finding) float64 {
	if f.EPSS == nil {
		return -1
	}
	return f.EPSS.Score
}

func baseScore(f *match.Finding) float64 {
	if s, ok := FindingScore(f); ok {
		return s.Base
	}
	return -1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Exploitation says what is known of attacks on the finding, as of the
// date (zero: any date): "KEV since 2021-12-10, ransomware; EPSS 94% (top
// 0.1%)". A KEV entry added or an EPSS score dated after asOf is not
// shown: it was not known then. "" when nothing is known.
func Exploitation(f *match.Finding, asOf time.Time) string {
	var parts []string
	if k := KEVText(f, asOf); k != "" {
		parts = append(parts, k)
	}
	if e := EPSSText(f, asOf); e != "" {
		parts = append(parts, e)
	}
	return strings.Join(parts, "; ")
}

// KEVText is "KEV since 2021-12-10" (", ransomware" when the catalog
// knows of ransomware use), "" when the finding has no KEV entry known on
// asOf.
func KEVText(f *match.Finding, asOf time.Time) string {
	if f.KEV == nil || after(f.KEV.DateAdded, asOf) {
		return ""
	}
	s := "KEV since " + dateOnly(f.KEV.DateAdded)
	if f.KEV.Ransomware {
		s += ", ransomware"
	}
	return s
}

// EPSSText is "EPSS 94% (top 0.1%)": the probability of exploitation in
// the next 30 days and the share of scored CVEs at or above it; "" when
// the finding has no score known on asOf.
func EPSSText(f *match.Finding, asOf time.Time) string {
	if f.EPSS == nil || after(f.EPSS.Date, asOf) {
		return ""
	}
	return rank.EPSSWords(f.EPSS)
}

// after reports whether the date as written lies after asOf (false for a
// zero asOf or a date that does not parse).
func after(date string, asOf time.Time) bool {
	if asOf.IsZero() {
		return false
	}
	t, err := time.Parse("2006-01-02", dateOnly(date))
	return err == nil && t.After(asOf)
}

// scanAsOf is the date of the scan, else of the options.
func scanAsOf(s *Scan, o Options) time.Time {
	if !s.AsOf.IsZero() {
		return s.AsOf
	}
	return o.AsOf
}

// ContextLine is the device's inventory context in one line: "asset
// ICU-PUMP-01 · ICU · exposure controlled, safety catastrophic, mission
// mission-failure, 12 unit(s)"; "" without an inventory.
func ContextLine(r *match.DeviceResult) string {
	var parts []string
	c := r.Context
	if c != nil && c.AssetID != "" {
		parts = append(parts, "asset "+c.AssetID)
	}
	if c != nil && c.Location != "" {
		parts = append(parts, c.Location)
	}
	if c != nil && c.AssetID != "" {
		parts = append(parts, contextText(c))
	}
	return strings.Join(parts, " · ")
}

// contextText is a device's inventory context as the human formats print
// it: "exposure: controlled, patient safety: catastrophic, mission:
// mission-failure, 12 unit(s)" (the values as the inventory gives them).
func contextText(c *ssvc.Context) string {
	return fmt.Sprintf("exposure: %s, patient safety: %s, mission: %s, %d unit(s)", c.Exposure, c.Safety, c.Mission, max(c.Units, 1))
}
