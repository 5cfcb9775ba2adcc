package mds2

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bomrank/bomrank/ssvc"
)

func TestClassOf(t *testing.T) {
	for _, c := range []struct {
		typ, name string
		want      Class
	}{
		{"operating-system", "linux", OperatingSystem},
		{"OPERATING-SYSTEM", "debian", OperatingSystem},
		{"firmware", "VitaFlow firmware", DriversFirmware},
		{"device-driver", "e1000e", DriversFirmware},
		{"device", "AeroCare V5", DriversFirmware},
		{"application", "Microsoft Defender Antivirus", AntiMalware},
		{"", "McAfee Endpoint Security", AntiMalware},
		{"library", "libclamav", AntiMalware},
		{"application", "Trend Micro Apex One", AntiMalware},
		{"application", "CrowdStrike Falcon Sensor", AntiMalware},
		{"", "Carbon-Black Cloud", AntiMalware},
		{"library", "defendership", OffTheShelf}, // a word of a name, not a part of a word
		{"library", "openssl", OffTheShelf},
		{"application", "lighttpd", OffTheShelf},
		{"framework", "Qt", OffTheShelf},
		{"container", "nginx", OffTheShelf},
		{"file", "calibration.bin", OffTheShelf},
		{"", "zlib", OffTheShelf},
		{"", "FreeRTOS", OperatingSystem},
		{"", "Windows 10 IoT Enterprise", OperatingSystem},
		{"library", "linux", OffTheShelf}, // a type given decides
		{"", "linuxcnc", OffTheShelf},
		{"", "linux-firmware", OffTheShelf},
		{"", "Linux kernel", OperatingSystem},
		{"", "Debian GNU/Linux", OperatingSystem},
		{"", "QNX Neutrino", OperatingSystem},
		{"", "integrity-check", OffTheShelf},
		{"", "windows-curses", OffTheShelf},
		{"data", "vendor calibration tables", ClassUnknown},
		{"machine-learning-model", "triage model", ClassUnknown},
	} {
		if got := ClassOf(c.typ, c.name); got != c.want {
			t.Errorf("ClassOf(%q, %q) = %v, want %v", c.typ, c.name, got, c.want)
		}
	}
	for c, want := range map[Class]string{ClassUnknown: "CSUP-6", OperatingSystem: "CSUP-2", DriversFirmware: "CSUP-3",
		AntiMalware: "CSUP-4", OffTheShelf: "CSUP-5", OtherSoftware: "CSUP-6", Class(42): "CSUP-6"} {
		if c.Section() != want || c.String() == "" {
			t.Errorf("%d: %q %q", c, c.Section(), c.String())
		}
	}
	if OperatingSystem.String() != "operating system" {
		t.Errorf("%q", OperatingSystem.String())
	}
}

func TestClassOfComponent(t *testing.T) {
	f := fixture(t, "acme-vitaflow-3000.xlsx")
	for _, c := range []struct {
		typ, name, supplier string
		want                Class
	}{
		{"application", "VitaFlow pump application", "Acme Medical Inc.", OtherSoftware},
		{"application", "VitaFlow pump application", "ACME MEDICAL, INC", OtherSoftware},
		{"data", "vendor calibration tables", "Acme Medical", OtherSoftware},
		{"firmware", "VitaFlow firmware", "Acme Medical Inc.", DriversFirmware},
		{"operating-system", "Acme OS", "Acme Medical Inc.", OperatingSystem},
		{"library", "openssl", "", OffTheShelf},
		{"library", "openssl", "Acme Corp", OffTheShelf},
		{"library", "openssl", "Inc.", OffTheShelf},
	} {
		if got := f.ClassOfComponent(c.typ, c.name, c.supplier); got != c.want {
			t.Errorf("ClassOfComponent(%q, %q, %q) = %v, want %v", c.typ, c.name, c.supplier, got, c.want)
		}
	}
	var none *Form
	if got := none.ClassOfComponent("application", "VitaFlow pump application", "Acme Medical Inc."); got != OffTheShelf {
		t.Errorf("nil form: %v", got)
	}
}

func fixture(t *testing.T, name string) *Form {
	t.Helper()
	f, err := ParseFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// csvForm reads a form from CSV rows "ID,answer".
func csvForm(t *testing.T, rows ...string) *Form {
	t.Helper()
	f, err := Parse(strings.NewReader("question_id,answer,note\n"+strings.Join(rows, "\n")+"\n"), "rows.csv")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPatchingRules(t *testing.T) {
	for _, c := range []struct {
		name   string
		rows   []string
		want   ssvc.Actor
		action string
		first  string // the first Evidence line
		reason string
	}{
		{"service", []string{"CSUP-2.1,No", "CSUP-2.2,Yes", "CSUP-2.4,No"}, ssvc.ActorManufacturer,
			"request manufacturer service (MDS2 CSUP-2.2)", "MDS2 CSUP-2.2: operating-system patches need manufacturer service",
			"MDS2 CSUP-2.2: operating-system patches need manufacturer service"},
		{"service and documented", []string{"CSUP-2.1,Yes", "CSUP-2.2,Yes"}, ssvc.ActorManufacturer,
			"request manufacturer service (MDS2 CSUP-2.2)", "MDS2 CSUP-2.2: operating-system patches need manufacturer service", ""},
		{"service and third party", []string{"CSUP-2.2,Yes", "CSUP-2.4,Yes"}, ssvc.ActorBoth,
			"install third-party security updates (MDS2 CSUP-2.4); request manufacturer service for the rest (MDS2 CSUP-2.2)",
			"MDS2 CSUP-2.2: operating-system patches need manufacturer service", ""},
		{"owner", []string{"CSUP-2.1,Yes", "CSUP-2.2,No", "CSUP-2.4,No"}, ssvc.ActorHospital,
			"hospital can install the update (MDS2 CSUP-2.1, CSUP-2.2)", "MDS2 CSUP-2.1: owner installation of operating-system patches is documented",
			"MDS2 CSUP-2.1, CSUP-2.2: the hospital can install operating-system patches"},
		{"third party, no service", []string{"CSUP-2.1,No", "CSUP-2.2,No", "CSUP-2.4,Yes"}, ssvc.ActorHospital,
			"hospital can install the update (MDS2 CSUP-2.2, CSUP-2.4)", "MDS2 CSUP-2.4: third-party security updates of the operating system may be installed without the manufacturer's approval", ""},
		{"no service, no instructions", []string{"CSUP-2.1,No", "CSUP-2.2,No", "CSUP-2.4,No"}, ssvc.ActorBoth,
			"ask the manufacturer for installation instructions: no service needed, none documented (MDS2 CSUP-2.1, CSUP-2.2)",
			"MDS2 CSUP-2.1: owner installation of operating-system patches is not documented", ""},
		{"no service, blank", []string{"CSUP-2.1,", "CSUP-2.2,No"}, ssvc.ActorBoth, "", "", ""},
		{"service blank, owner", []string{"CSUP-2.1,Yes", "CSUP-2.2,"}, ssvc.ActorHospital,
			"hospital can install the update (MDS2 CSUP-2.1)", "", "MDS2 CSUP-2.1: the hospital can install operating-system patches"},
		{"service N/A, third party", []string{"CSUP-2.2,N/A", "CSUP-2.4,Yes"}, ssvc.ActorHospital,
			"hospital can install the update (MDS2 CSUP-2.4)", "", ""},
		{"service N/A, nothing", []string{"CSUP-2.1,N/A", "CSUP-2.2,N/A", "CSUP-2.4,N/A"}, ssvc.ActorUnknown,
			"ask the manufacturer who installs updates (MDS2 CSUP-2.1, CSUP-2.2 not answered)",
			"MDS2 CSUP-2.2: answered N/A (operating-system patches need manufacturer service?)",
			"MDS2 CSUP-2.1, CSUP-2.2: the form does not say who installs operating-system patches"},
		{"blank", []string{"CSUP-2,Yes"}, ssvc.ActorUnknown, "",
			"MDS2 CSUP-2.2: not answered (operating-system patches need manufacturer service?)", ""},
		{"other class's answers", []string{"CSUP-3.2,Yes", "CSUP-5.1,Yes"}, ssvc.ActorUnknown, "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := csvForm(t, c.rows...)
			r := f.Patching(OperatingSystem)
			if r.Actor != c.want {
				t.Fatalf("actor %s, want %s: %+v", r.Actor, c.want, r)
			}
			if c.action != "" && r.Action != c.action {
				t.Errorf("action %q, want %q", r.Action, c.action)
			}
			if c.first != "" && r.Evidence[0] != c.first {
				t.Errorf("evidence %q, want first %q", r.Evidence, c.first)
			}
			if c.reason != "" && f.PatchingReason(OperatingSystem) != c.reason {
				t.Errorf("reason %q, want %q", f.PatchingReason(OperatingSystem), c.reason)
			}
			// Every line names its question, and each of .1, .2 and .4 is there.
			if len(r.Evidence) != 3 {
				t.Errorf("evidence %q", r.Evidence)
			}
			for _, q := range []string{"CSUP-2.1:", "CSUP-2.2:", "CSUP-2.4:"} {
				if !slices.ContainsFunc(r.Evidence, func(l string) bool { return strings.HasPrefix(l, "MDS2 "+q) }) {
					t.Errorf("no %s in %q", q, r.Evidence)
				}
			}
		})
	}
}

func TestPatchingSectionAnsweredNo(t *testing.T) {
	f := fixture(t, "meridian-glucomet-g7.xlsx") // CSUP-2 No, CSUP-2.x N/A
	r := f.Patching(OperatingSystem)
	last := r.Evidence[len(r.Evidence)-1]
	if r.Actor != ssvc.ActorUnknown || len(r.Evidence) != 4 ||
		last != "MDS2 CSUP-2: the form says the device contains no operating system, yet a finding is in one: the answers above may not apply" {
		t.Errorf("%+v", r)
	}
	if !strings.HasSuffix(f.PatchingReason(OperatingSystem), "(CSUP-2 says the device contains no operating system)") {
		t.Errorf("reason %q", f.PatchingReason(OperatingSystem))
	}
	if r := f.Patching(OffTheShelf); r.Actor != ssvc.ActorBoth || len(r.Evidence) != 3 { // CSUP-5 Yes
		t.Errorf("off the shelf: %+v", r)
	}
}

func TestPatchingFixtures(t *testing.T) {
	for _, c := range []struct {
		file   string
		class  Class
		want   ssvc.Actor
		reason string
	}{
		{"acme-vitaflow-3000.xlsx", OperatingSystem, ssvc.ActorManufacturer, "MDS2 CSUP-2.2: operating-system patches need manufacturer service"},
		{"acme-vitaflow-3000.xlsx", DriversFirmware, ssvc.ActorManufacturer, "MDS2 CSUP-3.2: driver and firmware updates need manufacturer service"},
		{"acme-vitaflow-3000.xlsx", OffTheShelf, ssvc.ActorManufacturer, "MDS2 CSUP-5.2: patches of off-the-shelf components need manufacturer service"},
		{"acme-vitaflow-3000.xlsx", OtherSoftware, ssvc.ActorUnknown, "MDS2 CSUP-6.1, CSUP-6.2: the form does not say who installs patches of other software components (CSUP-6 says the device contains no other software components)"},
		{"helix-radiview.xlsx", OperatingSystem, ssvc.ActorHospital, "MDS2 CSUP-2.1, CSUP-2.2: the hospital can install operating-system patches"},
		{"helix-radiview.xlsx", AntiMalware, ssvc.ActorHospital, "MDS2 CSUP-4.1, CSUP-4.2: the hospital can install anti-malware updates"},
		{"nordlicht-cardiosense-x2.xlsx", OperatingSystem, ssvc.ActorHospital, "MDS2 CSUP-2.1, CSUP-2.2: the hospital can install operating-system patches"},
		{"nordlicht-cardiosense-x2.xlsx", OffTheShelf, ssvc.ActorUnknown, "MDS2 CSUP-5.1, CSUP-5.2: the form does not say who installs patches of off-the-shelf components"},
		{"nordlicht-cardiosense-x2.xlsx", DriversFirmware, ssvc.ActorUnknown, ""}, // CSUP-3.1 blank, 3.2 missing
		{"acme-bedside-hub.xlsx", OffTheShelf, ssvc.ActorBoth, "MDS2 CSUP-5.2, CSUP-5.4: patches of off-the-shelf components need manufacturer service, but third-party security updates may be installed by the hospital without approval"},
		{"brightwater-aerocare-v5.csv", OffTheShelf, ssvc.ActorBoth, "MDS2 CSUP-5.1, CSUP-5.2: patches of off-the-shelf components need no manufacturer service, but owner installation is not documented: ask the manufacturer for instructions"},
		{"brightwater-aerocare-v5.csv", OperatingSystem, ssvc.ActorManufacturer, ""},
		{"meridian-glucomet-g7.xlsx", DriversFirmware, ssvc.ActorHospital, ""},
		{"meridian-glucomet-g7.xlsx", OffTheShelf, ssvc.ActorBoth, "MDS2 CSUP-5.2, CSUP-5.4: patches of off-the-shelf components need manufacturer service, but third-party security updates may be installed by the hospital without approval"},
		{"blank-template.xlsx", OperatingSystem, ssvc.ActorUnknown, ""},
	} {
		f := fixture(t, c.file)
		r := f.Patching(c.class)
		if r.Actor != c.want || (c.reason != "" && f.PatchingReason(c.class) != c.reason) {
			t.Errorf("%s %v: %s %q, want %s %q", c.file, c.class, r.Actor, f.PatchingReason(c.class), c.want, c.reason)
		}
	}
}

func TestPatchingShared(t *testing.T) {
	f := fixture(t, "acme-vitaflow-3000.xlsx")
	got := make([]*ssvc.Responsibility, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = f.Patching(Class(i % 2)) })
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[i%2] || got[i] == nil {
			t.Fatalf("call %d: %p, want %p", i, got[i], got[i%2])
		}
	}
	if f.Patching(ClassUnknown) == f.Patching(OtherSoftware) && f.Patching(OperatingSystem) == f.Patching(DriversFirmware) {
		t.Error("classes share a value")
	}
	var none *Form
	if r := none.Patching(OperatingSystem); r.Actor != ssvc.ActorUnknown || r != none.Patching(OffTheShelf) {
		t.Errorf("nil form: %+v", r)
	}
	if none.PatchingReason(OperatingSystem) != "" {
		t.Error("nil form has a reason")
	}
	// A form built by hand is decided on each call, the same way.
	hand := &Form{Answers: map[string]Answer{"CSUP-2.2": {Value: Yes}}}
	if r := hand.Patching(OperatingSystem); r.Actor != ssvc.ActorManufacturer || r.Action != f.Patching(OperatingSystem).Action {
		t.Errorf("hand-built: %+v", r)
	}
}

func TestExposure(t *testing.T) {
	for _, c := range []struct {
		form  *Form
		x     ssvc.Exposure
		id    string
		words string
	}{
		{fixture(t, "helix-radiview.xlsx"), ssvc.ExposureOpen, "CONN-6", "requires an internet connection for its intended use"},
		{fixture(t, "acme-vitaflow-3000.xlsx"), ssvc.ExposureControlled, "CONN-4", "communicates with systems outside the customer environment"},
		{fixture(t, "nordlicht-cardiosense-x2.xlsx"), ssvc.ExposureControlled, "CONN-4", ""},
		{fixture(t, "brightwater-aerocare-v5.csv"), ssvc.ExposureSmall, "CONN-3", "communicates with no other system in the customer environment"},
		{csvForm(t, "CONN-4,No", "RMOT-1,Yes", "MPII-3.7,Yes"), ssvc.ExposureControlled, "RMOT-1", "permits remote service connections"},
		{csvForm(t, "CONN-4,No", "RMOT-1,N/A", "MPII-3.7,Yes", "CONN-3,No"), ssvc.ExposureControlled, "MPII-3.7", "transmits personal data over an external network"},
		{csvForm(t, "CONN-6,Yes", "CONN-3,No"), ssvc.ExposureOpen, "CONN-6", ""},
		{csvForm(t, "CONN-6,No", "CONN-4,No", "CONN-3,Yes"), "", "", ""},
		{csvForm(t, "CONN-3,"), "", "", ""},
		{fixture(t, "blank-template.xlsx"), "", "", ""},
		{nil, "", "", ""},
	} {
		x, it, ok := c.form.Exposure()
		if x != c.x || it.ID != c.id || ok != (c.x != "") || (c.words != "" && it.Words != c.words) {
			t.Errorf("%v: %s %+v %v, want %s %s", c.form != nil && c.form.Path != "", x, it, ok, c.x, c.id)
		}
	}
	_, it, _ := fixture(t, "brightwater-aerocare-v5.csv").Exposure()
	if it.Note != "Stand-alone: the serial port is for service only." || it.String() != "MDS2 CONN-3: communicates with no other system in the customer environment" {
		t.Errorf("%+v %q", it, it.String())
	}
}

func ids(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func TestControls(t *testing.T) {
	for file, want := range map[string][]string{
		"acme-vitaflow-3000.xlsx":       {"MLDP-3", "MLDP-4", "SAHD-1", "SAHD-3", "SAHD-8", "SAHD-9", "SAHD-11", "SAHD-12"},
		"helix-radiview.xlsx":           {"MLDP-2"},            // MLDP-3 N/A; SAHD-12 yes is no control
		"nordlicht-cardiosense-x2.xlsx": {"MLDP-3", "SAHD-15"}, // SHAD-15 as written
		"meridian-glucomet-g7.xlsx":     {"MLDP-4", "SAHD-12"},
		"acme-bedside-hub.xlsx":         nil,
		"blank-template.xlsx":           nil,
	} {
		got := fixture(t, file).Controls()
		if !slices.Equal(ids(got), want) {
			t.Errorf("%s: %q, want %q", file, ids(got), want)
		}
		for _, it := range got {
			if it.Words == "" || (it.ID == "SAHD-12") != (it.Value == No) {
				t.Errorf("%s: %+v", file, it)
			}
		}
	}
	c := fixture(t, "acme-vitaflow-3000.xlsx").Controls()[0]
	if c.Note != "Application allow-listing and a read-only root file system." ||
		c.String() != "MDS2 MLDP-3: compensating controls in place or available where anti-malware cannot be installed" {
		t.Errorf("%+v", c)
	}
	var none *Form
	if none.Controls() != nil || none.Commitments() != nil {
		t.Error("nil form")
	}
}

func TestCommitments(t *testing.T) {
	want := []string{"CSUP-7", "CSUP-11", "RDMP-3", "RDMP-4"}
	aero := fixture(t, "brightwater-aerocare-v5.csv").Commitments()
	if !slices.Equal(ids(aero), want) {
		t.Fatalf("%q", ids(aero))
	}
	if aero[0].Value != Yes || aero[0].Words != "the manufacturer notifies customers when updates are approved for installation" ||
		aero[3].Value != No || aero[3].Words != "the manufacturer has no plan for third-party component end-of-life" ||
		aero[3].Note != "End of support of third-party components, see the service bulletin" {
		t.Errorf("%+v", aero)
	}
	drift := fixture(t, "nordlicht-cardiosense-x2.xlsx").Commitments() // CSUP-7 "Maybe"
	if drift[0].Value != Unknown || !strings.HasPrefix(drift[0].Words, "not answered (") || drift[1].Value != Yes {
		t.Errorf("%+v", drift)
	}
	blank := fixture(t, "blank-template.xlsx").Commitments()
	if len(blank) != 4 || blank[2].Value != Unknown {
		t.Errorf("%+v", blank)
	}
	na := csvForm(t, "RDMP-4,N/A").Commitments()
	if na[3].Words != "answered N/A (the manufacturer has a plan for third-party component end-of-life?)" {
		t.Errorf("%+v", na[3])
	}
}
