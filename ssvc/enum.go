package ssvc

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Exploitation is the SSVC decision point Exploitation: what is known of
// attacks on the vulnerability.
type Exploitation string

// The values of Exploitation, least first.
const (
	ExploitationNone   Exploitation = "none"
	ExploitationPoC    Exploitation = "poc"
	ExploitationActive Exploitation = "active"
)

// Exposure is the SSVC decision point System Exposure: how reachable the
// device is.
type Exposure string

// The values of Exposure, least first.
const (
	ExposureSmall      Exposure = "small"
	ExposureControlled Exposure = "controlled"
	ExposureOpen       Exposure = "open"
)

// Safety is the SSVC decision point Safety Impact (after IEC 61508): what
// the device's failure means for patients.
type Safety string

// The values of Safety, least first.
const (
	SafetyNegligible   Safety = "negligible"
	SafetyMarginal     Safety = "marginal"
	SafetyCritical     Safety = "critical"
	SafetyCatastrophic Safety = "catastrophic"
)

// Mission is the SSVC decision point Mission Impact: what the device's
// failure means for the hospital's work. SSVC 2 writes the second value
// "MEF Support Crippled", which ParseMission also reads.
type Mission string

// The values of Mission, least first.
const (
	MissionDegraded Mission = "degraded"
	MissionCrippled Mission = "crippled"
	MissionMEF      Mission = "mef-failure"
	MissionFailure  Mission = "mission-failure"
)

// HumanImpact is the SSVC decision point Human Impact, the join of Safety
// and Mission (see HumanImpactOf).
type HumanImpact string

// The values of HumanImpact, least first.
const (
	HumanLow      HumanImpact = "low"
	HumanMedium   HumanImpact = "medium"
	HumanHigh     HumanImpact = "high"
	HumanVeryHigh HumanImpact = "very high"
)

// Outcome is an outcome of the deployer tree (see OutcomeOf).
type Outcome string

// The outcomes, least urgent first.
const (
	OutcomeDefer      Outcome = "defer"
	OutcomeScheduled  Outcome = "scheduled"
	OutcomeOutOfCycle Outcome = "out-of-cycle"
	OutcomeImmediate  Outcome = "immediate"
)

// Priority is a device's patch priority: the most urgent Outcome of its
// affected findings, or PriorityNone when it has none.
type Priority string

// The priorities, least urgent first.
const (
	// PriorityNone: nothing on the device is affected.
	PriorityNone       Priority = "none"
	PriorityDefer      Priority = Priority(OutcomeDefer)
	PriorityScheduled  Priority = Priority(OutcomeScheduled)
	PriorityOutOfCycle Priority = Priority(OutcomeOutOfCycle)
	PriorityImmediate  Priority = Priority(OutcomeImmediate)
)

// Action is what to do about an affected finding.
type Action string

// The actions.
const (
	// ActionPatch: the manufacturer ships a fix (CSAF vendor_fix).
	ActionPatch Action = "patch"
	// ActionMitigate: only a workaround or mitigation is published.
	ActionMitigate Action = "mitigate"
	// ActionAskManufacturer: no manufacturer fix is known, but the
	// component is fixed upstream (or nothing is known yet).
	ActionAskManufacturer Action = "ask-manufacturer"
	// ActionIsolateReplace: no fix is planned, or the component is past
	// its end of support.
	ActionIsolateReplace Action = "isolate-replace"
)

// The orders, written once: least first.
var (
	exploitations = []Exploitation{ExploitationNone, ExploitationPoC, ExploitationActive}
	exposures     = []Exposure{ExposureSmall, ExposureControlled, ExposureOpen}
	safeties      = []Safety{SafetyNegligible, SafetyMarginal, SafetyCritical, SafetyCatastrophic}
	missions      = []Mission{MissionDegraded, MissionCrippled, MissionMEF, MissionFailure}
	humans        = []HumanImpact{HumanLow, HumanMedium, HumanHigh, HumanVeryHigh}
	outcomes      = []Outcome{OutcomeDefer, OutcomeScheduled, OutcomeOutOfCycle, OutcomeImmediate}
	priorities    = []Priority{PriorityNone, PriorityDefer, PriorityScheduled, PriorityOutOfCycle, PriorityImmediate}
	actions       = []Action{ActionPatch, ActionMitigate, ActionAskManufacturer, ActionIsolateReplace}
)

// Exploitations returns the values of Exploitation, least first.
func Exploitations() []Exploitation { return slices.Clone(exploitations) }

// Exposures returns the values of Exposure, least first.
func Exposures() []Exposure { return slices.Clone(exposures) }

// Safeties returns the values of Safety, least first.
func Safeties() []Safety { return slices.Clone(safeties) }

// Missions returns the values of Mission, least first.
func Missions() []Mission { return slices.Clone(missions) }

// HumanImpacts returns the values of HumanImpact, least first.
func HumanImpacts() []HumanImpact { return slices.Clone(humans) }

// Outcomes returns the outcomes, least urgent first.
func Outcomes() []Outcome { return slices.Clone(outcomes) }

// Priorities returns the priorities, least urgent first (PriorityNone,
// then the outcomes).
func Priorities() []Priority { return slices.Clone(priorities) }

// Actions returns the actions.
func Actions() []Action { return slices.Clone(actions) }

// Level is e's place in the order, none 0 to active 2; -1 when e is not a
// value of Exploitation.
func (e Exploitation) Level() int { return slices.Index(exploitations, e) }

// Compare returns -1, 0 or +1 as e is less, as much or more than f, by
// Level.
func (e Exploitation) Compare(f Exploitation) int { return cmp.Compare(e.Level(), f.Level()) }

// Level is x's place in the order, small 0 to open 2; -1 when x is not a
// value of Exposure.
func (x Exposure) Level() int { return slices.Index(exposures, x) }

// Compare returns -1, 0 or +1 as x is less, as much or more exposed than
// y, by Level.
func (x Exposure) Compare(y Exposure) int { return cmp.Compare(x.Level(), y.Level()) }

// Level is s's place in the order, negligible 0 to catastrophic 3; -1
// when s is not a value of Safety.
func (s Safety) Level() int { return slices.Index(safeties, s) }

// Compare returns -1, 0 or +1 as s is less, as much or more than t, by
// Level.
func (s Safety) Compare(t Safety) int { return cmp.Compare(s.Level(), t.Level()) }

// Level is m's place in the order, degraded 0 to mission-failure 3; -1
// when m is not a value of Mission.
func (m Mission) Level() int { return slices.Index(missions, m) }

// Compare returns -1, 0 or +1 as m is less, as much or more than n, by
// Level.
func (m Mission) Compare(n Mission) int { return cmp.Compare(m.Level(), n.Level()) }

// Level is h's place in the order, low 0 to very high 3; -1 when h is
// not a value of HumanImpact.
func (h HumanImpact) Level() int { return slices.Index(humans, h) }

// Compare returns -1, 0 or +1 as h is less, as much or more than i, by
// Level.
func (h HumanImpact) Compare(i HumanImpact) int { return cmp.Compare(h.Level(), i.Level()) }

// Level is o's place in the order, defer 0 to immediate 3; -1 when o is
// not an outcome.
func (o Outcome) Level() int { return slices.Index(outcomes, o) }

// Compare returns -1, 0 or +1 as o is less, as much or more urgent than
// p, by Level.
func (o Outcome) Compare(p Outcome) int { return cmp.Compare(o.Level(), p.Level()) }

// Priority is the device priority of the outcome (the same string).
func (o Outcome) Priority() Priority { return Priority(o) }

// Level is p's place in the order, none 0, defer 1 to immediate 4; -1
// when p is not a priority (it sorts below none).
func (p Priority) Level() int { return slices.Index(priorities, p) }

// Compare returns -1, 0 or +1 as p is less, as much or more urgent than
// q, by Level.
func (p Priority) Compare(q Priority) int { return cmp.Compare(p.Level(), q.Level()) }

// Valid reports whether a is one of the actions.
func (a Action) Valid() bool { return slices.Contains(actions, a) }

// ParseExploitation reads an Exploitation value.
func ParseExploitation(s string) (Exploitation, error) {
	return parse("exploitation", exploitations, s, nil)
}

// ParseExposure reads an Exposure value.
func ParseExposure(s string) (Exposure, error) { return parse("exposure", exposures, s, nil) }

// ParseSafety reads a Safety value.
func ParseSafety(s string) (Safety, error) { return parse("safety impact", safeties, s, nil) }

// ParseMission reads a Mission value; SSVC 2's "MEF Support Crippled" is
// MissionCrippled.
func ParseMission(s string) (Mission, error) {
	return parse("mission impact", missions, s, map[string]Mission{"mef-support-crippled": MissionCrippled})
}

// ParseHumanImpact reads a HumanImpact value ("very high", "very-high").
func ParseHumanImpact(s string) (HumanImpact, error) {
	return parse("human impact", humans, s, nil)
}

// ParseOutcome reads an Outcome.
func ParseOutcome(s string) (Outcome, error) { return parse("outcome", outcomes, s, nil) }

// ParsePriority reads a Priority.
func ParsePriority(s string) (Priority, error) { return parse("priority", priorities, s, nil) }

// ParseAction reads an Action.
func ParseAction(s string) (Action, error) { return parse("action", actions, s, nil) }

// fold is the form values are compared in: lower case, spaces and
// underscores as dashes.
func fold(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(strings.TrimSpace(s)))
}

// parse finds s among values (or aliases, keyed in folded form).
func parse[T ~string](kind string, values []T, s string, aliases map[string]T) (T, error) {
	f := fold(s)
	for _, v := range values {
		if fold(string(v)) == f {
			return v, nil
		}
	}
	if v, ok := aliases[f]; ok {
		return v, nil
	}
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return "", fmt.Errorf("ssvc: %s %q: want one of %s", kind, s, strings.Join(names, ", "))
}
