package ssvc_test

import (
	"fmt"

	"github.com/bomrank/bomrank/ssvc"
)

// The deployer tree for an infusion pump on a segmented network: the
// human impact table joins safety and mission, the outcome table gives
// the outcome, and outcomes order devices.
func ExampleOutcomeOf() {
	human := ssvc.HumanImpactOf(ssvc.SafetyCatastrophic, ssvc.MissionCrippled)
	o := ssvc.OutcomeOf(ssvc.ExploitationActive, ssvc.ExposureControlled, true, human)
	fmt.Println(human, o, o.Compare(ssvc.OutcomeScheduled) > 0)
	// Output:
	// very high out-of-cycle true
}

func ExampleParseMission() {
	m, _ := ssvc.ParseMission("MEF Support Crippled")
	fmt.Println(m, m.Level())
	_, err := ssvc.ParseMission("fine")
	fmt.Println(err)
	// Output:
	// crippled 1
	// ssvc: mission impact "fine": want one of degraded, crippled, mef-failure, mission-failure
}
