package ssvc

import (
	"fmt"
	"testing"
)

// TestHumanImpactTable checks every cell of the human impact table
// (rows safety, columns mission degraded, crippled, mef-failure,
// mission-failure).
func TestHumanImpactTable(t *testing.T) {
	want := map[Safety][4]HumanImpact{
		SafetyNegligible:   {HumanLow, HumanLow, HumanMedium, HumanVeryHigh},
		SafetyMarginal:     {HumanLow, HumanLow, HumanMedium, HumanVeryHigh},
		SafetyCritical:     {HumanMedium, HumanHigh, HumanHigh, HumanVeryHigh},
		SafetyCatastrophic: {HumanVeryHigh, HumanVeryHigh, HumanVeryHigh, HumanVeryHigh},
	}
	mission := []Mission{MissionDegraded, MissionCrippled, MissionMEF, MissionFailure}
	n := 0
	for safety, row := range want {
		for i, m := range mission {
			t.Run(string(safety)+"/"+string(m), func(t *testing.T) {
				if got := HumanImpactOf(safety, m); got != row[i] {
					t.Errorf("HumanImpactOf(%s, %s) = %q, want %q", safety, m, got, row[i])
				}
			})
			n++
		}
	}
	if n != 16 {
		t.Fatalf("%d cells checked, want 16", n)
	}
	if HumanImpactOf("severe", MissionFailure) != "" || HumanImpactOf(SafetyCritical, "mef-support-crippled") != "" {
		t.Error("values outside the vocabulary must give \"\"")
	}
}

// TestOutcomeTable checks every cell of the outcome table: 3
// exploitation x 3 exposure x 2 automatable rows, 4 human impact columns.
func TestOutcomeTable(t *testing.T) {
	rows := []struct {
		exploitation Exploitation
		exposure     Exposure
		automatable  bool
		cells        string // human impact low, medium, high, very high
	}{
		{"none", "small", false, "DDSS"}, {"none", "small", true, "DSSS"},
		{"none", "controlled", false, "DSSS"}, {"none", "controlled", true, "SSSS"},
		{"none", "open", false, "DSSS"}, {"none", "open", true, "SSSO"},
		{"poc", "small", false, "DSSS"}, {"poc", "small", true, "SSSS"},
		{"poc", "controlled", false, "DSSS"}, {"poc", "controlled", true, "SSSO"},
		{"poc", "open", false, "SSSO"}, {"poc", "open", true, "SSOO"},
		{"active", "small", false, "SSOO"}, {"active", "small", true, "SOOO"},
		{"active", "controlled", false, "SSOO"}, {"active", "controlled", true, "OOOO"},
		{"active", "open", false, "SOOI"}, {"active", "open", true, "OOII"},
	}
	letter := map[byte]Outcome{'D': "defer", 'S': "scheduled", 'O': "out-of-cycle", 'I': "immediate"}
	human := []HumanImpact{"low", "medium", "high", "very high"}
	n := 0
	for _, r := range rows {
		for i, h := range human {
			name := fmt.Sprintf("%s/%s/%v/%s", r.exploitation, r.exposure, r.automatable, h)
			t.Run(name, func(t *testing.T) {
				if got, want := OutcomeOf(r.exploitation, r.exposure, r.automatable, h), letter[r.cells[i]]; got != want {
					t.Errorf("OutcomeOf = %q, want %q", got, want)
				}
			})
			n++
		}
	}
	if n != 72 {
		t.Fatalf("%d cells checked, want 72", n)
	}
	if OutcomeOf("weaponized", "open", true, "high") != "" || OutcomeOf("active", "internet", true, "high") != "" || OutcomeOf("active", "open", true, "VH") != "" {
		t.Error("values outside the vocabulary must give \"\"")
	}
}
