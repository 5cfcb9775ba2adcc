package match

// This file holds the SSVC deployer model (CERT/CC Stakeholder-Specific
// Vulnerability Categorization, "deployer patch application priority"):
// its decision points and the two tables the issue sets out. The values
// are the strings written in JSON output.

// Exploitation values (SSVC decision point Exploitation).
const (
	ExploitationNone   = "none"
	ExploitationPoC    = "poc"
	ExploitationActive = "active"
)

// Exposure values (SSVC decision point System Exposure).
const (
	ExposureSmall      = "small"
	ExposureControlled = "controlled"
	ExposureOpen       = "open"
)

// Safety impact values (SSVC Safety Impact, after IEC 61508).
const (
	SafetyNegligible   = "negligible"
	SafetyMarginal     = "marginal"
	SafetyCritical     = "critical"
	SafetyCatastrophic = "catastrophic"
)

// Mission impact values (SSVC Mission Impact; SSVC 2 writes the second
// one "MEF Support Crippled", which the inventory also accepts).
const (
	MissionDegraded = "degraded"
	MissionCrippled = "crippled"
	MissionMEF      = "mef-failure"
	MissionFailure  = "mission-failure"
)

// Human impact values (SSVC Human Impact: low, medium, high, very high).
const (
	HumanLow      = "low"
	HumanMedium   = "medium"
	HumanHigh     = "high"
	HumanVeryHigh = "very high"
)

// Outcomes of the deployer tree, from the least to the most urgent; they
// are the device priorities.
const (
	OutcomeDefer      = "defer"
	OutcomeScheduled  = "scheduled"
	OutcomeOutOfCycle = "out-of-cycle"
	OutcomeImmediate  = "immediate"
)

var (
	exploitations = []string{ExploitationNone, ExploitationPoC, ExploitationActive}
	exposures     = []string{ExposureSmall, ExposureControlled, ExposureOpen}
	safeties      = []string{SafetyNegligible, SafetyMarginal, SafetyCritical, SafetyCatastrophic}
	missions      = []string{MissionDegraded, MissionCrippled, MissionMEF, MissionFailure}
	humans        = []string{HumanLow, HumanMedium, HumanHigh, HumanVeryHigh}
	outcomes      = []string{OutcomeDefer, OutcomeScheduled, OutcomeOutOfCycle, OutcomeImmediate}
)

// humanTable is the human impact table: rows safety (negligible, marginal,
// critical, catastrophic), columns mission (degraded, crippled,
// mef-failure, mission-failure); L M H V for low, medium, high, very high.
var humanTable = [4]string{
	"LLMV", // negligible
	"LLMV", // marginal
	"MHHV", // critical
	"VVVV", // catastrophic
}

// outcomeTable is the outcome table: per exploitation (none, poc, active),
// per exposure (small, controlled, open), per automatable (no, yes), the
// outcomes for human impact low, medium, high, very high; D defer, S
// scheduled, O out-of-cycle, I immediate.
var outcomeTable = [3][3][2]string{
	{{"DDSS", "DSSS"}, {"DSSS", "SSSS"}, {"DSSS", "SSSO"}}, // none
	{{"DSSS", "SSSS"}, {"DSSS", "SSSO"}, {"SSSO", "SSOO"}}, // poc
	{{"SSOO", "SOOO"}, {"SSOO", "OOOO"}, {"SOOI", "OOII"}}, // active
}

func indexOf(list []string, v string) int {
	for i, s := range list {
		if s == v {
			return i
		}
	}
	return -1
}

// HumanImpact returns the SSVC human impact of a safety and a mission
// impact, or "" when either is not one of the values above.
func HumanImpact(safety, mission string) string {
	s, m := indexOf(safeties, safety), indexOf(missions, mission)
	if s < 0 || m < 0 {
		return ""
	}
	switch humanTable[s][m] {
	case 'L':
		return HumanLow
	case 'M':
		return HumanMedium
	case 'H':
		return HumanHigh
	}
	return HumanVeryHigh
}

// Outcome returns the SSVC deployer outcome of the four decision points,
// or "" when a value is not one of the constants above.
func Outcome(exploitation, exposure string, automatable bool, human string) string {
	e, x, h := indexOf(exploitations, exploitation), indexOf(exposures, exposure), indexOf(humans, human)
	if e < 0 || x < 0 || h < 0 {
		return ""
	}
	a := 0
	if automatable {
		a = 1
	}
	switch outcomeTable[e][x][a][h] {
	case 'D':
		return OutcomeDefer
	case 'S':
		return OutcomeScheduled
	case 'O':
		return OutcomeOutOfCycle
	}
	return OutcomeImmediate
}

// outcomeLevel orders outcomes: -1 for none (no affected finding), then
// defer 0 .. immediate 3.
func outcomeLevel(o string) int { return indexOf(outcomes, o) }
