package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
)

// Statuses lists the finding statuses in the order the reports show them.
var Statuses = []match.Status{match.Affected, match.UnderInvestigation, match.Unknown, match.Fixed, match.NotAffected}

// fixText says in one line what fixes the finding: the remediations the
// sources give (a manufacturer's vendor_fix first), then the upstream
// fixed versions.
func fixText(f *match.Finding) string {
	var parts []string
	for _, r := range f.Remediations {
		p := strings.ReplaceAll(r.Category, "_", " ")
		if r.Details != "" {
			p += ": " + r.Details
		}
		if u := textsafe.URL(r.URL); u != "" {
			p += " (" + u + ")"
		}
		parts = append(parts, p)
	}
	if len(f.Fixed) > 0 {
		parts = append(parts, "fixed in "+strings.Join(f.Fixed, ", "))
	}
	if len(parts) == 0 {
		return "no fix known"
	}
	return strings.Join(parts, "; ")
}

// note is the one-line explanation of a finding's status: the reason of
// an unknown, the VEX justification and impact, else what fixes it.
func note(f *match.Finding) string {
	n := statusNote(f)
	if a := Accepted(f); a != "" {
		if n == "" {
			return a
		}
		return a + "; " + n
	}
	return n
}

// statusNote is note without the acceptance.
func statusNote(f *match.Finding) string {
	switch f.Status {
	case match.Unknown:
		return f.Reason
	case match.NotAffected, match.Fixed, match.UnderInvestigation:
		var parts []string
		if f.Justification != "" {
			parts = append(parts, strings.ReplaceAll(f.Justification, "_", " "))
		}
		if f.Impact != "" {
			parts = append(parts, f.Impact)
		}
		if f.Reason != "" {
			parts = append(parts, f.Reason)
		}
		if len(parts) == 0 && f.Status == match.Fixed {
			return fixText(f)
		}
		return strings.Join(parts, "; ")
	}
	return fixText(f)
}

// statusCounts counts a device's findings by status.
func statusCounts(r *match.DeviceResult) map[match.Status]int {
	n := map[match.Status]int{}
	for _, f := range r.Findings {
		n[f.Status]++
	}
	return n
}

// topReasons joins the first n reasons, saying how many more there are.
func topReasons(r *match.DeviceResult, n int) string {
	if len(r.Reasons) == 0 {
		return ""
	}
	k := min(n, len(r.Reasons))
	s := strings.Join(r.Reasons[:k], "; ")
	if len(r.Reasons) > k {
		s += fmt.Sprintf(" (+%d more)", len(r.Reasons)-k)
	}
	return s
}

// priorityCount is the number of devices at one priority.
type priorityCount struct {
	Priority string
	Devices  int
}

// priorityCounts counts the devices by priority, in the order of
// Priorities (with the retired unassessed row, see chartPriorities), with
// every known priority present; unknown priorities follow in order of
// appearance.
func priorityCounts(s *Scan) []priorityCount {
	out := make([]priorityCount, len(chartPriorities))
	for i, p := range chartPriorities {
		out[i].Priority = string(p)
	}
	for _, r := range s.all() {
		i := slices.Index(chartPriorities, r.Priority)
		if i < 0 {
			found := false
			for j := len(chartPriorities); j < len(out); j++ {
				if out[j].Priority == string(r.Priority) {
					out[j].Devices++
					found = true
				}
			}
			if !found {
				out = append(out, priorityCount{string(r.Priority), 1})
			}
			continue
		}
		out[i].Devices++
	}
	return out
}

// vexJustification maps a finding's justification, in whatever vocabulary
// its source used (CSAF flag labels and OpenVEX share one; CycloneDX has
// its own), to the CSAF/OpenVEX label. ok is false when the text is not
// one of the known labels (free text, which then goes into the impact
// statement).
//
// CycloneDX -> CSAF/OpenVEX follows the correspondence the CISA "Minimum
// Requirements for VEX" document draws: code not present/reachable map to
// the vulnerable-code labels, requirements on the environment,
// configuration or a dependency mean the adversary cannot control the
// code, protections mean inline mitigations.
func vexJustification(j string) (label string, ok bool) {
	k := strings.ToLower(strings.TrimSpace(j))
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	switch k {
	case "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
		"vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist":
		return k, true
	case "code_not_present":
		return "vulnerable_code_not_present", true
	case "code_not_reachable":
		return "vulnerable_code_not_in_execute_path", true
	case "requires_configuration", "requires_dependency", "requires_environment":
		return "vulnerable_code_cannot_be_controlled_by_adversary", true
	case "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control":
		return "inline_mitigations_already_exist", true
	}
	return "", false
}

// cdxJustification maps a justification to the CycloneDX
// analysis.justification vocabulary (the inverse of vexJustification).
func cdxJustification(j string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(j))
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	switch k {
	case "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
		"requires_environment", "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
		"protected_by_mitigating_control":
		return k, true
	}
	label, ok := vexJustification(k)
	if !ok {
		return "", false
	}
	switch label {
	case "component_not_present", "vulnerable_code_not_present":
		return "code_not_present", true
	case "vulnerable_code_not_in_execute_path":
		return "code_not_reachable", true
	case "vulnerable_code_cannot_be_controlled_by_adversary":
		return "requires_environment", true
	}
	return "protected_by_mitigating_control", true
}

// isDeviceFinding reports whether the finding is about the device element
// itself rather than one of its components.
func isDeviceFinding(r *match.DeviceResult, f *match.Finding) bool {
	return f.Component == nil || f.Component == &r.Device.Component
}

// componentLabel is "name version" of a finding's component.
func componentLabel(f *match.Finding) string {
	if f.Component == nil {
		return ""
	}
	return strings.TrimSpace(f.Component.Name + " " + f.Component.Version)
}
