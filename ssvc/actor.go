package ssvc

// Actor says who must act to fix a finding on a device: the hospital can
// install the update itself, only the manufacturer (or its service) can,
// both have a part, or nobody disclosed it.
type Actor string

// The actors of a finding.
const (
	// ActorHospital: the hospital can install the update itself (for
	// instance MDS2 CSUP-2.1 yes and CSUP-2.2 no).
	ActorHospital Actor = "hospital"
	// ActorManufacturer: the update needs the manufacturer's service (for
	// instance MDS2 CSUP-2.2 yes).
	ActorManufacturer Actor = "manufacturer"
	// ActorBoth: each has a part (third-party security updates allowed
	// without approval, other patches through the manufacturer's
	// service; or no service needed but no documented installation).
	ActorBoth Actor = "both"
	// ActorUnknown: nothing disclosed says who can install the update
	// (no MDS2 form, or the form leaves the questions blank).
	ActorUnknown Actor = "unknown"
)

// Responsibility is who can install the fix of a finding and why: what
// the manufacturer's disclosure (the MDS2 form's CSUP section) says for
// the class of software the finding is in. Findings of a device in the
// same class share one value: treat it as read-only.
type Responsibility struct {
	// Actor is who acts.
	Actor Actor
	// Action says it in words, naming the question behind it: "hospital
	// can install the update (MDS2 CSUP-2.1, CSUP-2.2)" or "request
	// manufacturer service (MDS2 CSUP-2.2)".
	Action string
	// Evidence lists one line per answer used, each naming its question:
	// "MDS2 CSUP-2.2: operating-system patches need manufacturer
	// service".
	Evidence []string
}
