package ssvc

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

// HumanImpactOf returns the SSVC human impact of a safety and a mission
// impact (the human impact table), or "" when either is not one of their
// values.
func HumanImpactOf(safety Safety, mission Mission) HumanImpact {
	s, m := safety.Level(), mission.Level()
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

// OutcomeOf returns the SSVC deployer outcome of the four decision points
// (the outcome table), or "" when a value is not one of its type's.
func OutcomeOf(exploitation Exploitation, exposure Exposure, automatable bool, human HumanImpact) Outcome {
	e, x, h := exploitation.Level(), exposure.Level(), human.Level()
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
