package mds2

import "github.com/bomrank/bomrank/ssvc"

// Class is a class of software on a device as the form's CSUP section
// sorts them: each class has its own questions on who installs updates.
type Class int

// The classes of software, each with its CSUP question.
const (
	// ClassUnknown is software of no known class: the form's answers for
	// other software components (CSUP-6) apply.
	ClassUnknown Class = iota
	// OperatingSystem is CSUP-2.
	OperatingSystem
	// DriversFirmware is CSUP-3 (drivers and firmware).
	DriversFirmware
	// AntiMalware is CSUP-4.
	AntiMalware
	// OffTheShelf is CSUP-5: non-operating-system commercial (and
	// open-source) off-the-shelf components.
	OffTheShelf
	// OtherSoftware is CSUP-6 (other software components).
	OtherSoftware
)

// Section returns the class's CSUP question, such as "CSUP-2".
func (c Class) Section() string {
	panic("mds2: Class.Section: not yet written (issue 18, room E)")
}

// String returns the class in words, such as "operating system".
func (c Class) String() string {
	panic("mds2: Class.String: not yet written (issue 18, room E)")
}

// ClassOf returns the class of a component from its SBOM type (the
// CycloneDX component type, such as "operating-system", "firmware",
// "device-driver", "library", or "" when the format has none) and its
// name (anti-malware is known by name).
func ClassOf(componentType, name string) Class {
	panic("mds2: ClassOf: not yet written (issue 18, room E)")
}

// Item is one answer of the form that the ranking or a report uses, in
// words.
type Item struct {
	// ID is the question, such as "MLDP-2".
	ID string
	// Value is the answer.
	Value Value
	// Words says what the answer means for the device, such as
	// "anti-malware software installed".
	Words string
	// Note is the manufacturer's note on the question, if any.
	Note string
}

// String returns the item as a reason line: "MDS2 MLDP-2: anti-malware
// software installed".
func (it Item) String() string { return "MDS2 " + it.ID + ": " + it.Words }

// Patching returns who can install updates of software of class c on the
// device, from the CSUP answers for that class: .1 owner installation
// documented and .2 no vendor service required -> the hospital; .2 yes ->
// the manufacturer; .4 third-party security updates without approval ->
// the hospital too. A nil form, or blank answers, give ActorUnknown.
func (f *Form) Patching(c Class) *ssvc.Responsibility {
	panic("mds2: Form.Patching: not yet written (issue 18, room E)")
}

// Exposure returns the exposure the form implies by design, conservatively:
// CONN-6 yes (requires an internet connection) -> open; else CONN-4,
// RMOT-1 or MPII-3.7 yes -> controlled; else CONN-3 no (talks to no other
// system) -> small. ok is false when the answers imply nothing; because is
// the answer that decided.
func (f *Form) Exposure() (x ssvc.Exposure, because Item, ok bool) {
	panic("mds2: Form.Exposure: not yet written (issue 18, room E)")
}

// Controls returns the compensating controls the form says are in place,
// in question order: MLDP-2 (anti-malware), MLDP-3 (compensating controls),
// MLDP-4 (application allow-listing) and the SAHD hardening items answered
// yes.
func (f *Form) Controls() []Item {
	panic("mds2: Form.Controls: not yet written (issue 18, room E)")
}

// Commitments returns the manufacturer's patch-process commitments, in
// question order, whatever their answer: CSUP-7 (customer notified of
// approved updates), CSUP-11 (vulnerability assessment process), RDMP-3
// (published support dates), RDMP-4 (third-party end-of-life plan).
func (f *Form) Commitments() []Item {
	panic("mds2: Form.Commitments: not yet written (issue 18, room E)")
}
