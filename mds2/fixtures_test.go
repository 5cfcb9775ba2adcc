package mds2

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// go test ./mds2 -run TestWriteFixtures -fixtures rewrites testdata/mds2.
var writeFixtures = flag.Bool("fixtures", false, "rewrite the MDS2 fixtures in testdata/mds2")

const fixtureDir = "../testdata/mds2"

// question is one row of the HN 1-2019 form (its ID and question text).
type question struct{ id, text string }

// catalogue is the part of HN 1-2019 the fixtures hold: every section,
// with the items later rooms use (CSUP-2..6 .1/.2/.4, CONN-3/4/6, RMOT-1,
// MPII-3.7, MLDP-2/3/4, CSUP-7/11, RDMP-3/4) and their neighbours.
var catalogue = func() []question {
	q := []question{
		{"DOC-1", "Manufacturer Name"}, {"DOC-2", "Device Description"}, {"DOC-3", "Device Model"},
		{"DOC-4", "Document ID"}, {"DOC-5", "Manufacturer Contact Information"},
		{"DOC-6", "Intended use of device in network-connected environment:"},
		{"DOC-7", "Document Release Date"},
		{"DOC-8", "Coordinated Vulnerability Disclosure: Does the manufacturer have a vulnerability disclosure program for this device?"},
		{"DOC-9", "ISAO: Is the manufacturer part of an Information Sharing and Analysis Organization?"},
		{"DOC-10", "Diagram: Is a network or data flow diagram available that indicates connections to other system components or expected external resources?"},
		{"DOC-11", "SaMD: Is the device Software as a Medical Device (i.e. software-only, no hardware)?"},
		{"MPII-1", "Can this device display, transmit, store, or modify personally identifiable information (e.g. electronic Protected Health Information (ePHI))?"},
		{"MPII-2", "Does the device maintain personally identifiable information?"},
		{"MPII-3", "Does the device have mechanisms used for the transmitting, importing/exporting of personally identifiable information?"},
		{"MPII-3.1", "Does the device display personally identifiable information (e.g., video display, etc.)?"},
		{"MPII-3.5", "Does the device transmit/receive personally identifiable information via a wired network connection (e.g., RJ45, fiber optic, etc.)?"},
		{"MPII-3.6", "Does the device transmit/receive personally identifiable information via a wireless network connection (e.g., WiFi, Bluetooth, NFC, infrared, cellular, etc.)?"},
		{"MPII-3.7", "Does the device transmit/receive personally identifiable information over an external network (e.g., Internet)?"},
		{"ALOF-1", "Can the device be configured to force reauthorization of logged-in user(s) after a predetermined length of inactivity (e.g., auto-logoff, session lock, password protected screen saver)?"},
		{"AUDT-1", "Can the medical device create additional audit logs or reports beyond standard operating system logs?"},
		{"AUTH-1", "Does the device prevent access to unauthorized users through user login requirements or other mechanism?"},
	}
	for n, what := range []string{"", "an Operating System", "Drivers and Firmware", "Anti-Malware Software",
		"Non-Operating System commercial off-the-shelf components", "other software components (e.g., asset management software, license management)"} {
		if n == 0 {
			q = append(q, question{"CSUP-1", "Does the device contain any software or firmware which may require security updates during its operational life, either from the device manufacturer or from a third-party manufacturer of the software/firmware? If no, answer \"N/A\" to questions in this section."})
			continue
		}
		id := fmt.Sprintf("CSUP-%d", n+1)
		q = append(q,
			question{id, "Does the device contain " + what + "? If yes, complete " + id[5:] + ".1-" + id[5:] + ".4."},
			question{id + ".1", "Does the device documentation provide instructions for owner/operator installation of patches or software updates?"},
			question{id + ".2", "Does the device require vendor or vendor-authorized service to install patches or software updates?"},
			question{id + ".3", "Does the device have the capability to receive remote installation of patches or software updates?"},
			question{id + ".4", "Does the medical device manufacturer allow security updates from any third-party manufacturers (e.g., Microsoft) to be installed without approval from the manufacturer?"})
	}
	return append(q, []question{
		{"CSUP-7", "Does the manufacturer notify the customer when updates are approved for installation?"},
		{"CSUP-8", "Does the device perform automatic installation of software updates?"},
		{"CSUP-9", "Does the manufacturer have an approved list of third-party software that can be installed on the device?"},
		{"CSUP-10", "Can the owner/operator install manufacturer-approved third-party software on the device themselves?"},
		{"CSUP-11", "Does the manufacturer have a process in place to assess device vulnerabilities and updates?"},
		{"CSUP-11.1", "Does the manufacturer provide customers with review and approval status of updates?"},
		{"DIDT-1", "Does the device provide an integral capability to de-identify personally identifiable information?"},
		{"DTBK-1", "Does the device maintain long term primary storage of personally identifiable information / patient information (e.g. PACS)?"},
		{"EMRG-1", "Does the device incorporate an emergency access (i.e. \"break-glass\") feature?"},
		{"IGAU-1", "Does the device provide data integrity checking mechanisms of stored health data (e.g., hash or digital signature)?"},
		{"MLDP-1", "Is the device capable of hosting executable software?"},
		{"MLDP-2", "Does the device support the use of anti-malware software (or other anti-malware mechanism)? Provide details or reference in notes."},
		{"MLDP-3", "If the answer to MLDP-2 is NO, and anti-malware cannot be installed on the device, are other compensating controls in place or available?"},
		{"MLDP-4", "Does the device employ application whitelisting that restricts the software and services that are permitted to be run on the device?"},
		{"MLDP-5", "Does the device employ a host-based intrusion detection/prevention system?"},
		{"NAUT-1", "Does the device provide/support any means of node authentication that assures both the sender and the recipient of data are known to each other and are authorized to receive transferred information (e.g. Web APIs, SMTP, SNMP)?"},
		{"CONN-1", "Does the device have hardware connectivity capabilities?"},
		{"CONN-2", "Does the manufacturer provide a list of network ports and protocols that are used or may be used on the device?"},
		{"CONN-3", "Can the device communicate with other systems within the customer environment?"},
		{"CONN-4", "Can the device communicate with other systems external to the customer environment (e.g., a service host)?"},
		{"CONN-5", "Does the device make or receive API calls?"},
		{"CONN-6", "Does the device require an internet connection for its intended use?"},
		{"CONN-7", "Does the device support Transport Layer Security (TLS)?"},
		{"PAUT-1", "Does the device support and enforce unique IDs and passwords for all users and roles (including service accounts)?"},
		{"PLOK-1", "Is the device software only? If yes, answer \"N/A\" to remaining questions in this section."},
		{"RDMP-1", "Was a secure software development process, such as ISO/IEC 27034 or IEC 62304, followed during product development?"},
		{"RDMP-2", "Does the manufacturer evaluate third-party applications and software components included in the device for secure development practices?"},
		{"RDMP-3", "Does the manufacturer maintain a web page or other source of information on software support dates and updates?"},
		{"RDMP-4", "Does the manufacturer have a plan for managing third-party component end-of-life?"},
		{"SBOM-1", "Is the SBOM for this product available?"},
		{"SBOM-2", "Does the SBOM follow a standard or common method in describing software components?"},
		{"SAHD-1", "Is the device hardened in accordance with any industry standards?"},
		{"SAHD-2", "Has the device received any cybersecurity certifications?"},
		{"SAHD-3", "Does the device employ any mechanisms for software integrity checking?"},
		{"SAHD-5", "Is the system configurable to allow the implementation of file-level, patient level, or other types of access controls?"},
		{"SAHD-8", "Are all communication ports and protocols that are not required for the intended use of the device disabled?"},
		{"SAHD-9", "Are all services (e.g., telnet, file transfer protocol [FTP], internet information server [IIS], etc.), which are not required for the intended use of the device deleted/disabled?"},
		{"SAHD-10", "Are all applications (COTS applications as well as OS-included applications, e.g., MS Internet Explorer, etc.) which are not required for the intended use of the device deleted/disabled?"},
		{"SAHD-11", "Can the device prohibit boot from uncontrolled or removable media (i.e., a source other than an internal drive or memory component)?"},
		{"SAHD-12", "Can unauthorized software or hardware be installed on the device without the use of physical tools?"},
		{"SAHD-13", "Does the product documentation include information on operational network security scanning by users?"},
		{"SAHD-14", "Can the device be hardened beyond the default provided state?"},
		{"SAHD-15", "Can the system prevent access to BIOS or other bootloaders during boot?"},
		{"SAHD-16", "Have additional hardening methods not included in 2.3.19 been used to harden the device?"},
		{"SGUD-1", "Does the device include security documentation for the owner/operator?"},
		{"STCF-1", "Can the device encrypt data at rest?"},
		{"TXCF-1", "Can personally identifiable information be transmitted only via a point-to-point dedicated cable?"},
		{"TXIG-1", "Does the device support any mechanism (e.g., digital signatures) intended to ensure data is not modified during transmission?"},
		{"RMOT-1", "Does the device permit remote service connections for device analysis or repair?"},
		{"RMOT-1.1", "Does the device allow the owner/operator to initiative remote service sessions for device analysis or repair?"},
		{"RMOT-1.2", "Is there an indicator for an enabled and active remote session?"},
		{"RMOT-2", "Does the device permit or use remote service connections for predictive maintenance data?"},
		{"OTHR-1", "Other security considerations (notes)."},
	}...)
}()

// device is one device of the sample fleet (testdata/fleet) and its form.
type device struct {
	file, manufacturer, model, version, date, description string
	answers                                               map[string]string // by ID; the rest are No
	notes                                                 map[string]string
}

// fleet are the filled forms of testdata/fleet's devices (all fictional).
var fleet = []device{
	{file: "acme-vitaflow-3000.xlsx", manufacturer: "Acme Medical Inc.", model: "VitaFlow 3000", version: "4.2.1",
		date: "2026-03-14", description: "Large-volume infusion pump",
		answers: map[string]string{"MPII-1": "Yes", "MPII-2": "Yes", "MPII-3": "Yes", "MPII-3.5": "Yes", "MPII-3.6": "Yes",
			"CSUP-1": "Yes", "CSUP-2": "Yes", "CSUP-2.2": "Yes", "CSUP-2.3": "Yes", "CSUP-3": "Yes", "CSUP-3.2": "Yes",
			"CSUP-4": "No", "CSUP-4.1": "N/A", "CSUP-4.2": "N/A", "CSUP-4.3": "N/A", "CSUP-4.4": "N/A",
			"CSUP-5": "Yes", "CSUP-5.2": "Yes", "CSUP-6": "No", "CSUP-6.1": "N/A", "CSUP-6.2": "N/A", "CSUP-6.3": "N/A", "CSUP-6.4": "N/A",
			"CSUP-7": "Yes", "CSUP-11": "Yes", "CONN-1": "Yes", "CONN-2": "Yes", "CONN-3": "Yes", "CONN-4": "Yes",
			"RMOT-1": "Yes", "RMOT-1.2": "Yes", "MLDP-1": "No", "MLDP-3": "Yes", "MLDP-4": "Yes", "RDMP-3": "Yes", "RDMP-4": "Yes",
			"SAHD-1": "Yes", "SAHD-3": "Yes", "SAHD-8": "Yes", "SAHD-9": "Yes", "SAHD-11": "Yes", "SBOM-1": "Yes", "SBOM-2": "Yes", "DOC-8": "Yes"},
		notes: map[string]string{"CSUP-2.2": "Operating-system updates are installed by Acme field service only.",
			"RMOT-1": "Remote service through the Acme ServiceLink tunnel, initiated by the hospital.",
			"MLDP-3": "Application allow-listing and a read-only root file system."}},
	{file: "nordlicht-cardiosense-x2.xlsx", manufacturer: "Nordlicht Medizintechnik GmbH", model: "CardioSense X2",
		version: "2.0.3", date: "2025-11-02", description: "Patient monitor"}, // the drifted form, written by writeDrifted
	{file: "helix-radiview.xlsx", manufacturer: "Helix Imaging Oy", model: "RadiView Workstation", version: "11.5.2",
		date: "2026-01-20", description: "Imaging workstation (Windows)",
		answers: map[string]string{"MPII-1": "Yes", "MPII-2": "Yes", "MPII-3": "Yes", "MPII-3.1": "Yes", "MPII-3.5": "Yes", "MPII-3.7": "Yes",
			"CSUP-1": "Yes", "CSUP-2": "Yes", "CSUP-2.1": "Yes", "CSUP-2.3": "Yes", "CSUP-2.4": "Yes",
			"CSUP-3": "Yes", "CSUP-3.1": "Yes", "CSUP-4": "Yes", "CSUP-4.1": "Yes", "CSUP-4.4": "Yes",
			"CSUP-5": "Yes", "CSUP-5.1": "Yes", "CSUP-6": "Yes", "CSUP-6.2": "Yes", "CSUP-7": "Yes", "CSUP-9": "Yes", "CSUP-11": "Yes",
			"CONN-1": "Yes", "CONN-2": "Yes", "CONN-3": "Yes", "CONN-4": "Yes", "CONN-5": "Yes", "CONN-6": "Yes", "CONN-7": "Yes",
			"RMOT-1": "Yes", "RMOT-1.1": "Yes", "MLDP-1": "Yes", "MLDP-2": "Yes", "MLDP-3": "N/A", "RDMP-1": "Yes", "RDMP-3": "Yes", "RDMP-4": "Yes",
			"SBOM-1": "Yes", "SAHD-12": "Yes", "SAHD-14": "Yes"},
		notes: map[string]string{"CONN-6": "Cloud licensing and AI triage service require an internet connection.",
			"CSUP-2.4": "Microsoft monthly security updates may be installed by the hospital without waiting for Helix validation."}},
	{file: "brightwater-aerocare-v5.csv", manufacturer: "Brightwater Respiratory Ltd", model: "AeroCare V5", version: "5.1.0",
		date: "2025-06-30", description: "ICU ventilator",
		answers: map[string]string{"CSUP-1": "Yes", "CSUP-2": "Yes", "CSUP-2.2": "Yes", "CSUP-3": "Yes", "CSUP-3.2": "Yes",
			"CSUP-4": "N/A", "CSUP-5": "Yes", "CSUP-5.1": "No", "CSUP-5.2": "No", "CSUP-6": "No", "CSUP-7": "Yes", "CSUP-11": "Yes", "CONN-1": "Yes", "CONN-3": "No",
			"CONN-4": "No", "CONN-6": "No", "RMOT-1": "No", "MPII-3.7": "No", "MLDP-2": "No", "MLDP-3": "Yes", "RDMP-3": "Yes", "RDMP-4": "No"},
		notes: map[string]string{"CONN-3": "Stand-alone: the serial port is for service only.",
			"RDMP-4": "End of support of third-party components, see the service bulletin"}},
	{file: "meridian-glucomet-g7.xlsx", manufacturer: "Meridian Diagnostics Inc.", model: "GlucoMet G7", version: "3.3.0",
		date: "2026-02-01", description: "Point-of-care glucose analyzer",
		answers: map[string]string{"MPII-1": "Yes", "MPII-3": "Yes", "MPII-3.6": "Yes", "MPII-3.7": "Yes", "CSUP-1": "Yes",
			"CSUP-2": "No", "CSUP-2.1": "N/A", "CSUP-2.2": "N/A", "CSUP-2.3": "N/A", "CSUP-2.4": "N/A",
			"CSUP-3": "Yes", "CSUP-3.1": "Yes", "CSUP-3.3": "Yes", "CSUP-5": "Yes", "CSUP-5.2": "Yes", "CSUP-5.4": "Yes",
			"CSUP-7": "Yes", "CSUP-8": "Yes", "CSUP-11": "Yes", "CONN-1": "Yes", "CONN-3": "Yes", "CONN-4": "Yes", "CONN-7": "Yes",
			"RDMP-3": "Yes", "RDMP-4": "Yes", "MLDP-4": "Yes"},
		notes: map[string]string{"CSUP-5.2": "Analyzer software releases are installed by Meridian service.",
			"CSUP-5.4": "Security updates of the open-source runtime libraries may be installed by the laboratory without Meridian's validation."}},
	{file: "acme-bedside-hub.xlsx", manufacturer: "Acme Medical Inc.", model: "Bedside Hub", version: "1.0.0",
		date: "2019-09-09", description: "Bedside device hub (end of sale)",
		answers: map[string]string{"CSUP-1": "Yes", "CSUP-2": "Yes", "CSUP-2.2": "Yes", "CSUP-3": "Yes", "CSUP-3.2": "Yes",
			"CSUP-5": "Yes", "CSUP-5.2": "Yes", "CSUP-5.4": "Yes", "CONN-1": "Yes", "CONN-3": "Yes", "CONN-4": "Yes", "RMOT-1": "Yes",
			"MLDP-1": "Yes", "MLDP-2": "No", "MLDP-3": "No", "SAHD-12": "Yes"},
		notes: map[string]string{"RDMP-3": "No published support dates: the product reached end of sale in 2021."}},
}

// answer is the fixture's answer to q: the device's, DOC items from its
// identification, else No (blank on the template).
func (d *device) answer(id string) string {
	switch id {
	case "DOC-1":
		return d.manufacturer
	case "DOC-2":
		return d.description
	case "DOC-3":
		return d.model
	case "DOC-4":
		if d.manufacturer == "" {
			return ""
		}
		return strings.ToUpper(strings.Fields(d.manufacturer)[0]) + "-MDS2-" + d.version
	case "DOC-7":
		return d.date
	}
	if a, ok := d.answers[id]; ok {
		return a
	}
	if d.manufacturer == "" || strings.HasPrefix(id, "DOC-") {
		return ""
	}
	return "No"
}

var header = []any{"Question ID", "Question", "Answer", "Note", "IEC TR 80001-2-2:2012", "NIST SP 800-53 Rev. 4", "ISO 27002:2013"}

// writeTemplate writes d's form in the template's shape: an instructions
// sheet, then the form with its identification block and the questions
// by section.
func writeTemplate(t *testing.T, d *device, path string) {
	x := excelize.NewFile()
	defer x.Close()
	must(t, x.SetSheetName("Sheet1", "Instructions"))
	must(t, x.SetCellValue("Instructions", "A1", "Complete the MDS2 form on the next sheet. Answer Yes, No or N/A; use notes for details."))
	_, err := x.NewSheet("MDS2")
	must(t, err)
	set := func(cell string, v any) { must(t, x.SetCellValue("MDS2", cell, v)) }
	set("A1", "Manufacturer Disclosure Statement for Medical Device Security – MDS2 (ANSI/NEMA HN 1-2019)")
	for i, l := range [][2]string{{"Manufacturer", d.manufacturer}, {"Device Model", d.model},
		{"Software Revision", d.version}, {"Document Release Date", d.date}} {
		set(fmt.Sprintf("A%d", i+2), l[0])
		set(fmt.Sprintf("C%d", i+2), l[1])
	}
	must(t, x.SetSheetRow("MDS2", "A7", &header))
	row, section := 8, ""
	for _, q := range catalogue {
		if s := q.id[:strings.IndexByte(q.id, '-')]; s != section {
			section = s
			set(fmt.Sprintf("A%d", row), sectionNames[s]+" ("+s+")")
			must(t, x.MergeCell("MDS2", fmt.Sprintf("A%d", row), fmt.Sprintf("G%d", row)))
			row++
		}
		set(fmt.Sprintf("A%d", row), q.id)
		set(fmt.Sprintf("B%d", row), q.text)
		set(fmt.Sprintf("C%d", row), d.answer(q.id))
		set(fmt.Sprintf("D%d", row), d.notes[q.id])
		row++
	}
	x.SetActiveSheet(1)
	must(t, x.SaveAs(path, excelize.Options{}))
	must(t, os.Chmod(path, 0o644))
}

var sectionNames = map[string]string{
	"DOC": "Document information", "MPII": "Management of personally identifiable information", "ALOF": "Automatic logoff",
	"AUDT": "Audit controls", "AUTH": "Authorization", "CSUP": "Cyber security product upgrades",
	"DIDT": "Health data de-identification", "DTBK": "Data backup and disaster recovery", "EMRG": "Emergency access",
	"IGAU": "Health data integrity and authenticity", "MLDP": "Malware detection/protection", "NAUT": "Node authentication",
	"CONN": "Connectivity capabilities", "PAUT": "Person authentication", "PLOK": "Physical locks",
	"RDMP": "Roadmap for third party components in device life cycle", "SBOM": "Software bill of materials",
	"SAHD": "System and application hardening", "SGUD": "Security guidance", "STCF": "Health data storage confidentiality",
	"TXCF": "Transmission confidentiality", "TXIG": "Transmission integrity", "RMOT": "Remote service",
	"OTHR": "Other security considerations",
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// drifted is the CardioSense X2 form as a manufacturer filled it, drifted
// from the template: another sheet first, the identification labels above
// their values, the columns in another order under a header on row 6,
// variant and unknown IDs, blank answers, merged cells, a question given
// twice, rows missing and rows added.
var drifted = [][]string{
	{"", "MDS2 — CardioSense X2"},
	{},
	{"Manufacturer", "Device Model", "Software Version", "Date"},
	{"Nordlicht Medizintechnik GmbH", "CardioSense X2", "2.0.3", "2025-11-02"},
	{},
	{"Notes/Comments", "ID", "Question", "Response", "Internal reviewer"},
	{"", "doc-1", "Manufacturer Name", "Nordlicht Medizintechnik GmbH"},
	{"", "DOC 3", "Device Model", "CardioSense X2"},
	{"", "", "MANAGEMENT OF PERSONALLY IDENTIFIABLE INFORMATION"},
	{"HL7 to the central station only.", "MPII-3.7", "Does the device transmit/receive personally identifiable information over an external network (e.g., Internet)?", "no"},
	{"", "", "CYBER SECURITY PRODUCT UPGRADES"},
	{"", "CSUP-2", "Does the device contain an Operating System?", "Yes"},
	{"Service manual chapter 9: USB update by biomedical engineering.", "csup-2.1", "owner/operator installation", "Yes, see note", "checked"},
	{"", "CSUP 2-02", "vendor service required", "NO"},
	{"", "CSUP-02.4", "third-party updates without approval", "N/A"},
	{"", "CSUP-3", "Drivers and Firmware?", "Y"},
	{"", "CSUP-3.1", "owner/operator installation", ""},
	{"", "CSUP-3.1a", "(added by the manufacturer)", "Yes"},
	{"No anti-malware on the embedded OS.", "CSUP-4.1", "", "N/A"},
	{"", "CSUP-4.2", ""},
	{"", "CSUP-4.4", ""},
	{"", "CSUP-7", "customer notified", "Maybe"},
	{"", "CSUP-11", "vulnerability process", "yes"},
	{},
	{"", "Conn-3", "within the customer environment", ""},
	{"Remote monitoring gateway (optional).", "Conn-4", "external to the customer environment", "Yes"},
	{"", "CONN–6", "internet required", "No"},
	{"", "CONN-4", "(repeated row)", "No"},
	{"", "rmot 1", "remote service", "Yes"},
	{"", "MLDP2", "anti-malware", "No"},
	{"", "MLDP-3", "compensating controls", "Yes"},
	{"", "MLDP-4", "allow-listing", "N/A"},
	{"", "SHAD-15", "BIOS and boot loader access prevented", "Yes"},
	{"", "RDMP-3", "support dates", "Yes"},
	{"", "RDMP-4", "third-party end-of-life", "Yes"},
	{"", "XYZ-9", "(not an HN 1-2019 question)", "Yes"},
	{},
	{"", "End of form"},
}

// writeDrifted writes the drifted form: the rows above, the CSUP-4.x
// answers in one merged cell, the MPII-3.7 note merged over two columns.
func writeDrifted(t *testing.T, path string) {
	x := excelize.NewFile()
	defer x.Close()
	must(t, x.SetSheetName("Sheet1", "Glossary"))
	must(t, x.SetSheetRow("Glossary", "A1", &[]any{"ID", "Meaning"}))
	must(t, x.SetSheetRow("Glossary", "A2", &[]any{"SAHD", "System and application hardening"}))
	const sheet = "MDS2 CardioSense X2"
	_, err := x.NewSheet(sheet)
	must(t, err)
	for i, r := range drifted {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		must(t, x.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &row))
	}
	must(t, x.MergeCell(sheet, "D19", "D21")) // CSUP-4.1..4.4: N/A
	must(t, x.MergeCell(sheet, "C9", "E9"))   // a section heading
	must(t, x.MergeCell(sheet, "B1", "E1"))   // the title
	must(t, x.SaveAs(path, excelize.Options{}))
	must(t, os.Chmod(path, 0o644))
}

// writeCSV writes d's form as the CSV export.
func writeCSV(t *testing.T, d *device, path string) {
	var b strings.Builder
	b.WriteString("question_id,answer,note\n")
	fmt.Fprintf(&b, "Software Revision,%s,\n", d.version)
	for _, q := range catalogue {
		a, n := d.answer(q.id), d.notes[q.id]
		if strings.ContainsAny(a, ",\"") {
			a = `"` + strings.ReplaceAll(a, `"`, `""`) + `"`
		}
		if n != "" {
			n = `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
		}
		fmt.Fprintf(&b, "%s,%s,%s\n", q.id, a, n)
	}
	must(t, os.WriteFile(path, []byte(b.String()), 0o644))
}

// TestWriteFixtures rewrites testdata/mds2 (with -fixtures).
func TestWriteFixtures(t *testing.T) {
	if !*writeFixtures {
		t.Skip("rewrites testdata/mds2 with -fixtures")
	}
	must(t, os.MkdirAll(fixtureDir, 0o755))
	writeTemplate(t, &device{}, filepath.Join(fixtureDir, "blank-template.xlsx"))
	for i := range fleet {
		d := &fleet[i]
		path := filepath.Join(fixtureDir, d.file)
		switch {
		case strings.HasSuffix(d.file, ".csv"):
			writeCSV(t, d, path)
		case d.answers == nil:
			writeDrifted(t, path)
		default:
			writeTemplate(t, d, path)
		}
	}
}
