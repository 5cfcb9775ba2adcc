package mds2

import (
	"strings"
	"sync"

	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/ssvc"
)

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

// numClasses is the number of classes (ClassUnknown included).
const numClasses = int(OtherSoftware) + 1

// classWords holds each class's CSUP question and words: its name, what
// the section question asks it to contain, and its updates.
var classWords = [numClasses]struct{ section, name, contains, patches string }{
	ClassUnknown:    {"CSUP-6", "other software components", "no other software components", "patches of other software components"},
	OperatingSystem: {"CSUP-2", "operating system", "no operating system", "operating-system patches"},
	DriversFirmware: {"CSUP-3", "drivers and firmware", "no drivers or firmware", "driver and firmware updates"},
	AntiMalware:     {"CSUP-4", "anti-malware software", "no anti-malware software", "anti-malware updates"},
	OffTheShelf:     {"CSUP-5", "off-the-shelf components", "no non-operating-system off-the-shelf components", "patches of off-the-shelf components"},
	OtherSoftware:   {"CSUP-6", "other software components", "no other software components", "patches of other software components"},
}

func (c Class) words() (section, name, contains, patches string) {
	if c < 0 || int(c) >= numClasses {
		c = ClassUnknown
	}
	w := classWords[c]
	return w.section, w.name, w.contains, w.patches
}

// Section returns the class's CSUP question, such as "CSUP-2".
// ClassUnknown (and a value outside the classes) is CSUP-6.
func (c Class) Section() string { s, _, _, _ := c.words(); return s }

// String returns the class in words, such as "operating system";
// ClassUnknown reads as OtherSoftware, whose answers apply to it.
func (c Class) String() string { _, n, _, _ := c.words(); return n }

// ClassOf returns the class of a component from its SBOM type (the
// CycloneDX component type, such as "operating-system", "firmware",
// "device-driver", "library", or "" when the format has none) and its
// name (anti-malware is known by name).
//
// operating-system is OperatingSystem; firmware, device-driver and
// device (a device-level finding is in the device's own firmware and
// software) are DriversFirmware; a name of anti-malware (a small table:
// Defender, McAfee, Trellix, Symantec, Sophos, ClamAV, CrowdStrike, Trend
// Micro, Carbon Black, ...) is AntiMalware whatever the other type; a
// component without a type whose name is an operating system's (Linux,
// Windows, FreeRTOS, VxWorks, QNX, ...) is OperatingSystem; library,
// application, framework, container, platform, file and no type are
// OffTheShelf; any other type (data, machine-learning-model, ...) is
// ClassUnknown. See Form.ClassOfComponent for the manufacturer's own
// components.
func ClassOf(componentType, name string) Class {
	t := strings.ToLower(strings.TrimSpace(componentType))
	switch t {
	case "operating-system", "operating_system":
		return OperatingSystem
	case "firmware", "device-driver", "device":
		return DriversFirmware
	}
	words := " " + strings.Join(names.NameTokens(name), " ") + " "
	if containsAny(words, antiMalwareNames) {
		return AntiMalware
	}
	switch t {
	case "":
		if isOSName(words) {
			return OperatingSystem
		}
		return OffTheShelf
	case "library", "application", "framework", "container", "platform", "file", "install", "archive", "source":
		return OffTheShelf
	}
	return ClassUnknown
}

// antiMalwareNames are words of anti-malware product names, matched as
// whole words of the component's name.
var antiMalwareNames = []string{
	"defender", "bitdefender", "mcafee", "trellix", "symantec", "norton", "sophos", "clamav", "libclamav",
	"crowdstrike", "trend micro", "trendmicro", "apex one", "deep security", "carbon black", "cb defense",
	"sentinelone", "cylance", "eset", "kaspersky", "malwarebytes", "cortex xdr", "cisco secure endpoint",
	"amp for endpoints", "anti malware", "antimalware", "antivirus", "anti virus",
}

// osNames are operating systems' names, matched at the start of the name
// of a component without a type.
var osNames = []string{
	"linux", "linux kernel", "windows", "microsoft windows", "freertos", "vxworks", "qnx", "zephyr", "threadx",
	"azure rtos", "green hills integrity", "debian", "ubuntu", "red hat enterprise linux", "rhel", "centos", "alpine linux",
	"android", "embedded linux", "yocto", "wind river linux", "mbed os", "nucleus rtos", "rtems",
}

func containsAny(words string, names []string) bool {
	for _, n := range names {
		if strings.Contains(words, " "+n+" ") {
			return true
		}
	}
	return false
}

// isOSName reports whether words (folded, between spaces) name an
// operating system: one of osNames alone, or followed by a version or a
// word of an OS's name ("Windows 10 IoT", "Debian GNU/Linux"), not by any
// word ("linux-firmware" is firmware, "integrity-check" no OS).
func isOSName(words string) bool {
	for _, n := range osNames {
		rest, ok := strings.CutPrefix(words, " "+n+" ")
		if !ok {
			continue
		}
		next, _, _ := strings.Cut(rest, " ")
		if next == "" || next[0] >= '0' && next[0] <= '9' || osNameWords[next] {
			return true
		}
	}
	return false
}

// osNameWords may follow an operating system's name.
var osNameWords = map[string]bool{
	"kernel": true, "gnu": true, "linux": true, "server": true, "embedded": true, "iot": true, "enterprise": true,
	"rtos": true, "os": true, "ltsc": true, "ltsb": true, "professional": true, "pro": true, "neutrino": true,
}

// ClassOfComponent is ClassOf, except that a component the form's own
// manufacturer supplies (supplier names the form's manufacturer, compared
// as CSAF vendors are: names.Vendor, without case, accents, punctuation
// and legal suffixes such as Inc. or GmbH) that
// ClassOf puts among the off-the-shelf components or in no class is
// OtherSoftware (CSUP-6): the manufacturer's own application software is
// not off-the-shelf, and HN 1-2019 has no other class for it. Its
// operating system, drivers and firmware keep their class. A nil form is
// ClassOf.
func (f *Form) ClassOfComponent(componentType, name, supplier string) Class {
	c := ClassOf(componentType, name)
	if f == nil || (c != OffTheShelf && c != ClassUnknown) {
		return c
	}
	if v := names.Vendor(supplier); v != "" && v == names.Vendor(f.Manufacturer) {
		return OtherSoftware
	}
	return c
}

// Item is one answer of the form that the ranking or a report uses, in
// words.
type Item struct {
	// ID is the question, such as "MLDP-2".
	ID string
	// Value is the answer.
	Value Value
	// Words says what the answer means for the device, such as
	// "supports anti-malware software".
	Words string
	// Note is the manufacturer's note on the question, if any.
	Note string
}

// String returns the item as a reason line: "MDS2 MLDP-2: supports
// anti-malware software".
func (it Item) String() string { return "MDS2 " + it.ID + ": " + it.Words }

// effects caches what a form read by Parse says for the ranking, made
// once: the forms are shared by every device they are attached to, and
// the devices are ranked in parallel.
type effects struct {
	once     sync.Once
	patching [numClasses]patching
}

// patching is who installs the updates of one class and the device's
// reason line saying it.
type patching struct {
	r      *ssvc.Responsibility
	reason string
}

// patchingOf returns the form's patching of class c: from the form's
// cache when Parse read it, else made anew.
func (f *Form) patchingOf(c Class) patching {
	if c < 0 || int(c) >= numClasses {
		c = ClassUnknown
	}
	if f.fx == nil {
		return f.decidePatching(c)
	}
	f.fx.once.Do(func() {
		for i := range f.fx.patching {
			f.fx.patching[i] = f.decidePatching(Class(i))
		}
	})
	return f.fx.patching[c]
}

// unknownNoForm is the responsibility without a form.
var unknownNoForm = &ssvc.Responsibility{Actor: ssvc.ActorUnknown, Action: "ask the manufacturer who installs updates (no MDS2 form)"}

// Patching returns who can install updates of software of class c on the
// device, from the CSUP answers for that class (CSUP-2 for the operating
// system ... CSUP-6 for other software, ClassUnknown included), where .1
// is "owner installation documented", .2 "vendor service required" and
// .4 "third-party security updates without the manufacturer's approval":
//
//	.2 yes, .4 yes                 both (third-party security updates by
//	                               the hospital, the rest by service)
//	.2 yes                         manufacturer
//	.2 no, .1 or .4 yes            hospital
//	.2 no, neither                 both (no service needed, installation
//	                               undocumented: ask for instructions)
//	.2 blank or N/A, .1 or .4 yes  hospital
//	otherwise                      unknown
//
// Evidence has one line for each of .2, .1 and .4 (the decisive first),
// and one more when the class's own question (CSUP-2 "does the device
// contain an operating system?") is answered no: Patching is asked for a
// class a finding is in, so the form then contradicts the SBOM. A nil
// form gives ActorUnknown. The value is shared by every call for the same
// form and class (for forms read by Parse): treat it as read-only.
func (f *Form) Patching(c Class) *ssvc.Responsibility {
	if f == nil {
		return unknownNoForm
	}
	return f.patchingOf(c).r
}

// PatchingReason returns the device's reason line saying who installs
// updates of class c, naming the questions that decided, such as "MDS2
// CSUP-2.2: operating-system patches need manufacturer service"; "" for a
// nil form.
func (f *Form) PatchingReason(c Class) string {
	if f == nil {
		return ""
	}
	return f.patchingOf(c).reason
}

// decidePatching applies the rules of Patching.
func (f *Form) decidePatching(c Class) patching {
	sec, name, contains, what := c.words()
	q1, q2, q4 := sec+".1", sec+".2", sec+".4"
	a1, a2, a4 := f.Answer(q1).Value, f.Answer(q2).Value, f.Answer(q4).Value
	l1, l2, l4 := f.evidence(q1, a1, installWords(what)), f.evidence(q2, a2, serviceWords(what)), f.evidence(q4, a4, thirdPartyWords(name))
	var (
		r      = &ssvc.Responsibility{}
		reason string
	)
	switch {
	case a2 == Yes && a4 == Yes:
		r.Actor, r.Evidence = ssvc.ActorBoth, []string{l2, l4, l1}
		r.Action = "install third-party security updates (MDS2 " + q4 + "); request manufacturer service for the rest (MDS2 " + q2 + ")"
		reason = "MDS2 " + q2 + ", " + q4 + ": " + what + " need manufacturer service, but third-party security updates may be installed by the hospital without approval"
	case a2 == Yes:
		r.Actor, r.Evidence = ssvc.ActorManufacturer, []string{l2, l1, l4}
		r.Action = "request manufacturer service (MDS2 " + q2 + ")"
		reason = "MDS2 " + q2 + ": " + what + " need manufacturer service"
	case a1 == Yes || a4 == Yes:
		q, l, other := q1, l1, l4
		if a1 != Yes {
			q, l, other = q4, l4, l1
		}
		qs := "MDS2 " + q
		if a2 == No {
			qs = "MDS2 " + min(q, q2) + ", " + max(q, q2) // CSUP-x.1, CSUP-x.2 or CSUP-x.2, CSUP-x.4
		}
		r.Actor, r.Evidence = ssvc.ActorHospital, []string{l, l2, other}
		r.Action = "hospital can install the update (" + qs + ")"
		reason = qs + ": the hospital can install " + what
	case a2 == No:
		r.Actor, r.Evidence = ssvc.ActorBoth, []string{l1, l2, l4}
		r.Action = "ask the manufacturer for installation instructions: no service needed, none documented (MDS2 " + q1 + ", " + q2 + ")"
		reason = "MDS2 " + q1 + ", " + q2 + ": " + what + " need no manufacturer service, but owner installation is not documented: ask the manufacturer for instructions"
	default:
		r.Actor, r.Evidence = ssvc.ActorUnknown, []string{l2, l1, l4}
		r.Action = "ask the manufacturer who installs updates (MDS2 " + q1 + ", " + q2 + " not answered)"
		reason = "MDS2 " + q1 + ", " + q2 + ": the form does not say who installs " + what
	}
	if f.Is(sec, No) {
		r.Evidence = append(r.Evidence, "MDS2 "+sec+": the form says the device contains "+contains+", yet a finding is in one: the answers above may not apply")
		reason += " (" + sec + " says the device contains " + contains + ")"
	}
	return patching{r: r, reason: reason}
}

// evidence is the line of one answer: "MDS2 CSUP-2.2: " and the words of
// its value.
func (f *Form) evidence(id string, v Value, words [2]string) string {
	s := "MDS2 " + id + ": "
	switch v {
	case Yes:
		return s + words[0]
	case No:
		return s + words[1]
	case NA:
		return s + "answered N/A (" + words[0] + "?)"
	}
	return s + "not answered (" + words[0] + "?)"
}

func installWords(what string) [2]string {
	return [2]string{"owner installation of " + what + " is documented", "owner installation of " + what + " is not documented"}
}

func serviceWords(what string) [2]string {
	return [2]string{what + " need manufacturer service", what + " need no manufacturer service"}
}

func thirdPartyWords(name string) [2]string {
	return [2]string{"third-party security updates of the " + name + " may be installed without the manufacturer's approval",
		"third-party security updates of the " + name + " need the manufacturer's approval"}
}

// exposureItems are the answers of Exposure, in the order they decide:
// a yes to CONN-6 means open, a yes to the others controlled.
var exposureItems = []struct {
	id    string
	x     ssvc.Exposure
	words string
}{
	{"CONN-6", ssvc.ExposureOpen, "requires an internet connection for its intended use"},
	{"CONN-4", ssvc.ExposureControlled, "communicates with systems outside the customer environment"},
	{"RMOT-1", ssvc.ExposureControlled, "permits remote service connections"},
	{"MPII-3.7", ssvc.ExposureControlled, "transmits personal data over an external network"},
}

// Exposure returns the exposure the form implies by design, conservatively:
// CONN-6 yes (requires an internet connection) -> open; else CONN-4,
// RMOT-1 or MPII-3.7 yes -> controlled; else CONN-3 no (talks to no other
// system) -> small. ok is false when the answers imply nothing; because is
// the answer that decided.
func (f *Form) Exposure() (x ssvc.Exposure, because Item, ok bool) {
	if f == nil {
		return "", Item{}, false
	}
	for _, e := range exposureItems {
		if a := f.Answer(e.id); a.Value == Yes {
			return e.x, Item{ID: e.id, Value: Yes, Words: e.words, Note: a.Note}, true
		}
	}
	if a := f.Answer("CONN-3"); a.Value == No {
		return ssvc.ExposureSmall, Item{ID: "CONN-3", Value: No, Words: "communicates with no other system in the customer environment", Note: a.Note}, true
	}
	return "", Item{}, false
}

// controlItems are the answers of Controls, in question order, with the
// answer that says the control is in place.
var controlItems = []struct {
	id    string
	in    Value
	words string
}{
	{"MLDP-2", Yes, "supports anti-malware software"},
	{"MLDP-3", Yes, "compensating controls in place or available where anti-malware cannot be installed"},
	{"MLDP-4", Yes, "application allow-listing restricts what may run"},
	{"SAHD-1", Yes, "hardened in accordance with an industry standard"},
	{"SAHD-3", Yes, "software integrity checking"},
	{"SAHD-6", Yes, "system and user accounts restricted or disabled at delivery"},
	{"SAHD-7", Yes, "unneeded shared resources disabled"},
	{"SAHD-8", Yes, "unneeded ports and protocols disabled"},
	{"SAHD-9", Yes, "unneeded services disabled"},
	{"SAHD-10", Yes, "unneeded applications disabled"},
	{"SAHD-11", Yes, "can prohibit boot from removable media"},
	{"SAHD-12", No, "no software or hardware can be installed without physical tools"},
	{"SAHD-15", Yes, "can prevent access to the BIOS and boot loaders"},
	{"SAHD-16", Yes, "further hardening methods used"},
}

// Controls returns the compensating controls the form says are in place,
// in question order: MLDP-2 (anti-malware supported), MLDP-3 (compensating
// controls), MLDP-4 (application allow-listing) answered yes, and the SAHD
// hardening items that say a control is in place: SAHD-1, -3, -6 to -11,
// -15 and -16 answered yes, SAHD-12 (software can be installed without
// physical tools) answered no. SAHD items that ask for a capability the
// hospital would still have to use (SAHD-5, -14) or for documents
// (SAHD-2, -13) are not controls in place. A yes says the device has the
// control, not that this hospital configured it: the ranking lists them
// and does not lower a priority for them.
func (f *Form) Controls() []Item {
	if f == nil {
		return nil
	}
	var out []Item
	for _, c := range controlItems {
		if a := f.Answer(c.id); a.Value == c.in {
			out = append(out, Item{ID: c.id, Value: a.Value, Words: c.words, Note: a.Note})
		}
	}
	return out
}

// commitmentItems are the answers of Commitments: the words of a yes and
// of a no.
var commitmentItems = []struct{ id, yes, no string }{
	{"CSUP-7", "the manufacturer notifies customers when updates are approved for installation",
		"the manufacturer does not notify customers when updates are approved"},
	{"CSUP-11", "the manufacturer has a process to assess device vulnerabilities and updates",
		"the manufacturer has no process to assess device vulnerabilities and updates"},
	{"RDMP-3", "the manufacturer publishes software support dates and updates",
		"the manufacturer publishes no software support dates"},
	{"RDMP-4", "the manufacturer has a plan for third-party component end-of-life",
		"the manufacturer has no plan for third-party component end-of-life"},
}

// Commitments returns the manufacturer's patch-process commitments, in
// question order, whatever their answer: CSUP-7 (customer notified of
// approved updates), CSUP-11 (vulnerability assessment process), RDMP-3
// (published support dates), RDMP-4 (third-party end-of-life plan). An
// answer N/A or blank says so in Words. Nil for a nil form.
func (f *Form) Commitments() []Item {
	if f == nil {
		return nil
	}
	out := make([]Item, 0, len(commitmentItems))
	for _, c := range commitmentItems {
		a := f.Answer(c.id)
		it := Item{ID: c.id, Value: a.Value, Note: a.Note}
		switch a.Value {
		case Yes:
			it.Words = c.yes
		case No:
			it.Words = c.no
		case NA:
			it.Words = "answered N/A (" + c.yes + "?)"
		default:
			it.Words = "not answered (" + c.yes + "?)"
		}
		out = append(out, it)
	}
	return out
}
