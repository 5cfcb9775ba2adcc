package ssvc

// Context is what the hospital knows about one device: the SSVC decision
// points that come from the deployment, not from the vulnerability.
type Context struct {
	// AssetID and Location come from the inventory.
	AssetID, Location string
	// Exposure is how reachable the device is.
	Exposure Exposure
	// Safety and Mission are what the device's failure means for
	// patients and for the hospital.
	Safety  Safety
	Mission Mission
	// Units is the number of physical devices the entry stands for (at
	// least 1).
	Units int
	// Defaulted lists one line per value that was not given and took its
	// default, e.g. "safety impact critical (default: not in the
	// inventory)".
	Defaulted []string
}

// Defaults of the device context, used for values an inventory leaves
// empty and for devices without an inventory. Safety and mission default
// to a cautious middle (a medical device whose role nobody wrote down is
// assumed to matter) and say so in the reasons.
const (
	DefaultExposure = ExposureControlled
	DefaultSafety   = SafetyCritical
	DefaultMission  = MissionCrippled
)

// DefaultContext returns the context of a device nobody described: every
// value defaulted, one unit.
func DefaultContext() *Context {
	return &Context{
		Exposure: DefaultExposure, Safety: DefaultSafety, Mission: DefaultMission, Units: 1,
		Defaulted: []string{
			"exposure " + string(DefaultExposure) + " (default: no inventory)",
			"safety impact " + string(DefaultSafety) + " (default: no inventory)",
			"mission impact " + string(DefaultMission) + " (default: no inventory)",
		},
	}
}

// Decision is the SSVC deployer decision for one affected finding on one
// device.
type Decision struct {
	// Exploitation is what is known of attacks (KEV, CSAF threats, CVSS
	// exploit maturity).
	Exploitation Exploitation
	// Automatable is the SSVC Automatable decision point.
	Automatable bool
	// Exposure is the device's exposure, capped at small when the
	// vulnerability needs local or physical access.
	Exposure Exposure
	// HumanImpact is the join of the device's safety and mission impact.
	HumanImpact HumanImpact
	// Outcome is the deployer outcome of the four decision points.
	Outcome Outcome
	// Action is what to do.
	Action Action
	// Score is 0-100 within the outcome's band (see package rank).
	Score float64
	// Reasons lists one line per rule that fired.
	Reasons []string
}
