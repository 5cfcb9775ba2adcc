package ssvc

import "strings"

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
	// Disclosed lists one line per value taken from the manufacturer's
	// disclosure (the device's MDS2 form) because the inventory left it
	// empty, e.g. "exposure open (MDS2 CONN-6: requires an internet
	// connection)"; such a value is not in Defaulted.
	Disclosed []string
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
// device. Package rank gives findings decided from the same inputs one
// shared value (match.Finding.Decision): it is read only, its Reasons
// too; replace it with a changed copy to change it.
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
	// Sources says where the finding's own decision points came from:
	// Exploitation, Automatable and Exposure. The device's safety and
	// mission impact come from its Context (see Context.Source). Findings
	// of a device with the same sources share one value (816,060 findings
	// of the 600k benchmark hold 78 MB less than with a value each): treat
	// it as read-only, and replace it to change it. Nil when not decided.
	Sources *Sources
	// Responsibility says who can install the fix, from the device's MDS2
	// form; shared and read-only like Sources. Nil when the device has no
	// form (the actor is then unknown).
	Responsibility *Responsibility
}

// Sources names where each decision point of a Decision came from.
type Sources struct {
	// Exploitation is a KEV entry (SourceKEV, Detail its dateAdded), a
	// CSAF exploit_status threat (SourceCSAF, Detail its text), a CVSS
	// exploit maturity metric (SourceCVSS, Detail the vector) or nothing
	// (SourceNone).
	Exploitation Source
	// Automatable is a CVSS vector (SourceCVSS, Detail the vector that
	// decided, or the first one read when none is automatable) or, for a
	// finding without a vector, SourceDefault.
	Automatable Source
	// Exposure is the device's (Context.Source), or SourceCVSS when every
	// vector needs local or physical access (Detail the vector).
	Exposure Source
}

// Source is where the value of one decision point came from.
type Source struct {
	// Kind is SourceKEV, SourceCSAF, SourceCVSS, SourceInventory,
	// SourceContext, SourceDefault, SourceMDS2 or SourceNone.
	Kind string
	// Detail names the evidence: a date, a text, a vector, an inventory
	// column, the default taken. It may be empty.
	Detail string
}

// The kinds of Source.
const (
	// SourceKEV is a CISA KEV entry known on the ranking's date.
	SourceKEV = "kev"
	// SourceCSAF is a CSAF exploit_status threat.
	SourceCSAF = "csaf"
	// SourceCVSS is a CVSS vector.
	SourceCVSS = "cvss"
	// SourceInventory is a column of the hospital's inventory.
	SourceInventory = "inventory"
	// SourceContext is a value a library caller set in a Context that no
	// inventory row gave (no AssetID).
	SourceContext = "context"
	// SourceDefault is a default taken for a value nobody gave.
	SourceDefault = "default"
	// SourceMDS2 is an answer of the manufacturer's MDS2 form (Detail
	// names the question), taken because the inventory left the value
	// empty.
	SourceMDS2 = "mds2"
	// SourceNone says no evidence was found (exploitation none).
	SourceNone = "none"
)

// Source says where the context's value of one decision point came from:
// point is "exposure", "safety impact" or "mission impact" (the labels
// of Defaulted). A value listed in Defaulted is SourceDefault (Detail the
// line); else SourceInventory (Detail the inventory column) for a context
// an inventory row gave (AssetID set), SourceContext otherwise.
func (c *Context) Source(point string) Source {
	for _, d := range c.Disclosed {
		if len(d) > len(point) && d[:len(point)] == point && d[len(point)] == ' ' {
			return Source{Kind: SourceMDS2, Detail: d}
		}
	}
	for _, d := range c.Defaulted {
		if len(d) > len(point) && d[:len(point)] == point && d[len(point)] == ' ' {
			return Source{Kind: SourceDefault, Detail: d}
		}
	}
	if c.AssetID == "" {
		return Source{Kind: SourceContext}
	}
	return Source{Kind: SourceInventory, Detail: strings.ReplaceAll(point, " ", "_")}
}
