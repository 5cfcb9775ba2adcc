package rank

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// form reads a form of testdata/mds2.
func form(t *testing.T, name string) *mds2.Form {
	t.Helper()
	f, err := mds2.ParseFile(filepath.Join("..", "testdata", "mds2", name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// fleetDevice reads an SBOM of testdata/fleet and gives it one affected
// finding (CVSS v31UI) per named component, in SBOM order, "" naming the
// device element (a device-level finding).
func fleetDevice(t *testing.T, file string, components ...string) *match.DeviceResult {
	t.Helper()
	dev, err := sbom.ParseFile(filepath.Join("..", "testdata", "fleet", file))
	if err != nil {
		t.Fatal(err)
	}
	r := &match.DeviceResult{Device: dev, ID: dev.Path}
	for i, name := range components {
		f := finding("CVE-2026-"+string(rune('A'+i)), v31UI)
		f.Component = nil
		if name == "" {
			f.Component = &dev.Component
		}
		for _, c := range dev.Components {
			if c.Name == name {
				f.Component = c
				break
			}
		}
		if f.Component == nil {
			t.Fatalf("%s: no component %q", file, name)
		}
		r.Findings = append(r.Findings, f)
	}
	return r
}

// fleetAssets assigns the results to testdata/fleet/assets.csv.
func fleetAssets(t *testing.T, results ...*match.DeviceResult) map[string]*match.DeviceResult {
	t.Helper()
	inv, err := inventory.Load(filepath.Join("..", "testdata", "fleet", "assets.csv"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := Assign(results, inv.Assets)
	byID := map[string]*match.DeviceResult{}
	for _, r := range out {
		byID[r.ID] = r
	}
	return byID
}

func hasReason(r *match.DeviceResult, s string) bool {
	return slices.ContainsFunc(r.Reasons, func(l string) bool { return strings.Contains(l, s) })
}

func countReasons(r *match.DeviceResult, prefix string) int {
	n := 0
	for _, l := range r.Reasons {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

func TestResponsibilityByClass(t *testing.T) {
	pump := fleetDevice(t, "infusion-pump-vitaflow-3000.cdx.json",
		"VitaFlow firmware", "linux", "linux", "busybox", "openssl", "VitaFlow pump application", "Qt", "vendor calibration tables", "")
	assets := fleetAssets(t, pump)
	r := assets["ICU-PUMP-01"]
	r.Disclosure = &match.Disclosure{MDS2: form(t, "acme-vitaflow-3000.xlsx"), MDS2Via: "inventory"}
	Options{}.Rank([]*match.DeviceResult{r})
	want := []struct {
		actor  ssvc.Actor
		action string
	}{
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-3.2)"}, // firmware
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-2.2)"}, // linux
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-2.2)"},
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-5.2)"},                                // busybox
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-5.2)"},                                // openssl
		{ssvc.ActorUnknown, "ask the manufacturer who installs updates (MDS2 CSUP-6.1, CSUP-6.2 not answered)"}, // Acme's own application
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-5.2)"},                                // Qt
		{ssvc.ActorUnknown, "ask the manufacturer who installs updates (MDS2 CSUP-6.1, CSUP-6.2 not answered)"}, // Acme's data
		{ssvc.ActorManufacturer, "request manufacturer service (MDS2 CSUP-3.2)"},                                // the device itself
	}
	for i, f := range r.Findings {
		got := f.Decision.Responsibility
		if got == nil || got.Actor != want[i].actor || got.Action != want[i].action {
			t.Errorf("%s in %s: %+v, want %+v", f.ID, componentName(f), got, want[i])
		}
	}
	// One value per class, shared by the findings (and with the form).
	fs := r.Findings
	if fs[1].Decision.Responsibility != fs[2].Decision.Responsibility || fs[3].Decision.Responsibility != fs[4].Decision.Responsibility ||
		fs[0].Decision.Responsibility != fs[8].Decision.Responsibility || fs[5].Decision.Responsibility != fs[7].Decision.Responsibility ||
		fs[1].Decision.Responsibility != r.Disclosure.MDS2.Patching(mds2.OperatingSystem) {
		t.Error("responsibilities not shared")
	}
	// The reasons say who acts once per class, in class order.
	var got []string
	for _, l := range r.Reasons {
		if strings.HasPrefix(l, "MDS2 CSUP-") {
			got = append(got, l)
		}
	}
	wantReasons := []string{
		"MDS2 CSUP-2.2: operating-system patches need manufacturer service (2 affected finding(s))",
		"MDS2 CSUP-3.2: driver and firmware updates need manufacturer service (2 affected finding(s))",
		"MDS2 CSUP-5.2: patches of off-the-shelf components need manufacturer service (3 affected finding(s))",
		"MDS2 CSUP-6.1, CSUP-6.2: the form does not say who installs patches of other software components (CSUP-6 says the device contains no other software components) (2 affected finding(s))",
	}
	if !slices.Equal(got, wantReasons) {
		t.Errorf("reasons:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantReasons, "\n"))
	}
	if !hasReason(r, "mitigations in place (MDS2 MLDP-3: compensating controls in place or available where anti-malware cannot be installed; MDS2 MLDP-4: ") {
		t.Errorf("no mitigations in %q", r.Reasons)
	}
	// Ranking again says it all once again, not twice.
	Options{}.Rank([]*match.DeviceResult{r})
	if countReasons(r, "MDS2 CSUP-2.2:") != 1 || countReasons(r, "mitigations in place") != 1 {
		t.Errorf("ranked twice: %q", r.Reasons)
	}
}

func TestResponsibilityFromCPE(t *testing.T) {
	// SPDX 2.2 has no package purpose: FreeRTOS is an operating system by
	// its CPE (part o).
	vent := fleetDevice(t, "ventilator-aerocare-v5.spdx", "FreeRTOS", "lwIP", "mbed TLS")
	vent.Disclosure = &match.Disclosure{MDS2: form(t, "brightwater-aerocare-v5.csv"), MDS2Via: "match"}
	Options{}.Rank([]*match.DeviceResult{vent})
	if a := vent.Findings[0].Decision.Responsibility; a.Actor != ssvc.ActorManufacturer || a.Action != "request manufacturer service (MDS2 CSUP-2.2)" {
		t.Errorf("FreeRTOS: %+v", a)
	}
	if a := vent.Findings[1].Decision.Responsibility; a.Actor != ssvc.ActorBoth || !strings.HasPrefix(a.Action, "ask the manufacturer for installation instructions") {
		t.Errorf("lwIP: %+v", a)
	}
	if !hasReason(vent, "MDS2 CSUP-5.1, CSUP-5.2: patches of off-the-shelf components need no manufacturer service, but owner installation is not documented: ask the manufacturer for instructions (2 affected finding(s))") {
		t.Errorf("reasons %q", vent.Reasons)
	}
	hub := fleetDevice(t, "bedside-hub-legacy.cdx.json.gz", "golang.org/x/net")
	hub.Disclosure = &match.Disclosure{MDS2: form(t, "acme-bedside-hub.xlsx")}
	Options{}.Rank([]*match.DeviceResult{hub})
	if a := hub.Findings[0].Decision.Responsibility; a.Actor != ssvc.ActorBoth || !hasReason(hub, "third-party security updates may be installed by the hospital without approval") {
		t.Errorf("hub: %+v %q", a, hub.Reasons)
	}
	if hasReason(hub, "mitigations in place") {
		t.Errorf("hub without controls: %q", hub.Reasons)
	}
	rad := fleetDevice(t, "imaging-workstation-radiview.spdx.json", "Django")
	rad.Disclosure = &match.Disclosure{MDS2: form(t, "helix-radiview.xlsx")}
	Options{}.Rank([]*match.DeviceResult{rad})
	if a := rad.Findings[0].Decision.Responsibility; a.Actor != ssvc.ActorHospital || a.Action != "hospital can install the update (MDS2 CSUP-5.1, CSUP-5.2)" {
		t.Errorf("radiview: %+v", a)
	}
}

func TestExposureByDesign(t *testing.T) {
	// No inventory: the default exposure is replaced by the form's, before
	// the decisions, which then name MDS2 as their exposure's source.
	shared := ssvc.DefaultContext()
	rad := fleetDevice(t, "imaging-workstation-radiview.spdx.json", "Django")
	rad.Context = shared
	rad.Disclosure = &match.Disclosure{MDS2: form(t, "helix-radiview.xlsx")}
	plain := fleetDevice(t, "imaging-workstation-radiview.spdx.json", "Django")
	plain.Context = shared
	Options{}.Rank([]*match.DeviceResult{rad, plain})
	const line = "exposure open (MDS2 CONN-6: requires an internet connection for its intended use)"
	c := rad.Context
	if c == shared || c.Exposure != ssvc.ExposureOpen || !slices.Equal(c.Disclosed, []string{line}) ||
		slices.ContainsFunc(c.Defaulted, func(l string) bool { return strings.HasPrefix(l, "exposure ") }) || len(c.Defaulted) != 2 {
		t.Errorf("context %+v", c)
	}
	if shared.Exposure != ssvc.DefaultExposure || len(shared.Defaulted) != 3 || shared.Disclosed != nil || plain.Context != shared {
		t.Errorf("the shared context was changed: %+v", shared)
	}
	d := rad.Findings[0].Decision
	if d.Exposure != ssvc.ExposureOpen || d.Sources.Exposure != (ssvc.Source{Kind: ssvc.SourceMDS2, Detail: line}) ||
		!slices.Contains(d.Reasons, "exposure: open network (MDS2 CONN-6: requires an internet connection for its intended use)") {
		t.Errorf("decision %+v %+v", d, d.Sources)
	}
	if pd := plain.Findings[0].Decision; pd.Exposure != ssvc.ExposureControlled || pd.Sources.Exposure.Kind != ssvc.SourceDefault || rad.Score <= plain.Score {
		t.Errorf("without the form: %+v; scores %v %v", pd, rad.Score, plain.Score)
	}
	// Ranking again keeps the form's exposure, said once.
	Options{}.Rank([]*match.DeviceResult{rad})
	if !slices.Equal(rad.Context.Disclosed, []string{line}) || rad.Findings[0].Decision.Sources.Exposure.Kind != ssvc.SourceMDS2 {
		t.Errorf("ranked again: %+v", rad.Context)
	}

	// An inventory row with the exposure empty: the same, per asset.
	inv, err := inventory.Read(strings.NewReader("asset_id,sbom,exposure,safety_impact\n"+
		"VENT-1,ventilator-aerocare-v5.spdx,,catastrophic\nLAB-1,glucose-analyzer-glucomet-g7.spdx3.json,,marginal\n"+
		"MON-1,patient-monitor-cardiosense-x2.cdx.xml,,critical\n"), "assets.csv", filepath.Join("..", "testdata", "fleet"))
	if err != nil {
		t.Fatal(err)
	}
	results, _ := Assign([]*match.DeviceResult{
		fleetDevice(t, "ventilator-aerocare-v5.spdx", "lwIP"),
		fleetDevice(t, "glucose-analyzer-glucomet-g7.spdx3.json", "express"),
		fleetDevice(t, "patient-monitor-cardiosense-x2.cdx.xml", "debian"),
	}, inv.Assets)
	forms := map[string]string{"VENT-1": "brightwater-aerocare-v5.csv", "LAB-1": "meridian-glucomet-g7.xlsx", "MON-1": "nordlicht-cardiosense-x2.xlsx"}
	for _, r := range results {
		r.Disclosure = &match.Disclosure{MDS2: form(t, forms[r.ID])}
	}
	Options{}.Rank(results)
	for _, r := range results {
		want := map[string]string{
			"VENT-1": "exposure small (MDS2 CONN-3: communicates with no other system in the customer environment)",
			"LAB-1":  "exposure controlled (MDS2 CONN-4: communicates with systems outside the customer environment)",
			"MON-1":  "exposure controlled (MDS2 CONN-4: communicates with systems outside the customer environment)",
		}[r.ID]
		if !slices.Equal(r.Context.Disclosed, []string{want}) || r.Context.Source("safety").Kind != ssvc.SourceInventory ||
			!slices.ContainsFunc(r.Context.Defaulted, func(l string) bool { return strings.HasPrefix(l, "mission impact ") }) {
			t.Errorf("%s: %+v", r.ID, r.Context)
		}
	}
	if results[0].Context.Exposure != ssvc.ExposureSmall || results[0].Findings[0].Decision.Exposure != ssvc.ExposureSmall {
		t.Errorf("ventilator: %+v", results[0].Context)
	}
}

func TestExposureContradiction(t *testing.T) {
	prior := "MDS2 form helix-radiview.xlsx is for version 11.5.0; the device runs 11.5.2"
	for _, c := range []struct {
		name, form string
		exposure   ssvc.Exposure
		assetID    string
		warning    string // "" for none
	}{
		{"internet required, inventory small", "helix-radiview.xlsx", ssvc.ExposureSmall, "RAD-9",
			"MDS2 CONN-6: requires an internet connection for its intended use: the form implies exposure open, which contradicts the inventory's exposure small (the inventory's is kept: check the device's network)"},
		{"internet required, inventory controlled", "helix-radiview.xlsx", ssvc.ExposureControlled, "RAD-9",
			"MDS2 CONN-6: requires an internet connection for its intended use: the form implies exposure open, which contradicts the inventory's exposure controlled (the inventory's is kept: check the device's network)"},
		{"remote service, caller's context small", "acme-vitaflow-3000.xlsx", ssvc.ExposureSmall, "",
			"MDS2 CONN-4: communicates with systems outside the customer environment: the form implies exposure controlled, which contradicts the device context's exposure small (the device context's is kept: check the device's network)"},
		{"internet required, inventory open", "helix-radiview.xlsx", ssvc.ExposureOpen, "RAD-9", ""},
		{"stand-alone, inventory open", "brightwater-aerocare-v5.csv", ssvc.ExposureOpen, "VENT-9", ""},
		{"same", "acme-vitaflow-3000.xlsx", ssvc.ExposureControlled, "PUMP-9", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cx := ctx(c.exposure, ssvc.SafetyCritical, ssvc.MissionMEF, 1)
			cx.AssetID = c.assetID
			r := device("d", cx, finding("CVE-1", v31Auto))
			disc := &match.Disclosure{MDS2: form(t, c.form), Warnings: []string{prior}}
			r.Disclosure = disc
			for range 2 { // ranking again says it once
				Options{}.Rank([]*match.DeviceResult{r})
			}
			if r.Context != cx || cx.Exposure != c.exposure || r.Findings[0].Decision.Exposure != c.exposure || cx.Disclosed != nil {
				t.Errorf("exposure changed: %+v", r.Context)
			}
			want := []string{prior}
			if c.warning != "" {
				want = append(want, c.warning)
			}
			if !slices.Equal(r.Disclosure.Warnings, want) {
				t.Errorf("warnings %q, want %q", r.Disclosure.Warnings, want)
			}
			if c.warning != "" && (countReasons(r, c.warning) != 1 || disc == r.Disclosure || len(disc.Warnings) != 1) {
				t.Errorf("reasons %q; the attached disclosure %+v", r.Reasons, disc)
			}
			if c.warning == "" && (hasReason(r, "contradicts") || disc != r.Disclosure) {
				t.Errorf("reasons %q", r.Reasons)
			}
		})
	}
}

func TestControlsNeverLowerKEV(t *testing.T) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2021-44228", DateAdded: "2021-12-10", Ransomware: true}}, nil)
	build := func(f *mds2.Form) *match.DeviceResult {
		r := fleetDevice(t, "infusion-pump-vitaflow-3000.cdx.json", "openssl", "linux")
		r.Findings[0].ID = "CVE-2021-44228"
		r.Findings[0].Severity = []advisory.Severity{{Type: "CVSS_V3", Score: v31Auto}}
		r.Context = ctx(ssvc.ExposureOpen, ssvc.SafetyCatastrophic, ssvc.MissionFailure, 12)
		r.Context.AssetID = "ICU-PUMP-01"
		if f != nil {
			r.Disclosure = &match.Disclosure{MDS2: f}
		}
		return r
	}
	for _, file := range []string{"acme-vitaflow-3000.xlsx", "helix-radiview.xlsx", "nordlicht-cardiosense-x2.xlsx"} {
		with, without := build(form(t, file)), build(nil)
		Options{Exploits: x}.Rank([]*match.DeviceResult{with, without})
		if len(form(t, file).Controls()) == 0 || !hasReason(with, "mitigations in place (MDS2 ") {
			t.Fatalf("%s: no controls in %q", file, with.Reasons)
		}
		if with.Priority != ssvc.PriorityImmediate || with.Priority != without.Priority || with.Score != without.Score {
			t.Errorf("%s: %s %v, without the form %s %v", file, with.Priority, with.Score, without.Priority, without.Score)
		}
		for i, f := range with.Findings {
			w := without.Findings[i].Decision
			if f.Decision.Outcome != w.Outcome || f.Decision.Score != w.Score || f.Decision.Action != w.Action {
				t.Errorf("%s %s: %+v, without the form %+v", file, f.ID, f.Decision, w)
			}
		}
	}
}

func TestGuideReview(t *testing.T) {
	for _, c := range []struct {
		version, review string
		form            bool
	}{
		{"4.1.0", "hardening guide https://example.com/acme/vitaflow-hardening.pdf is for version 4.1.0; the device runs 4.2.1: review the guide's settings for this version", true},
		{"4.1.0", "hardening guide https://example.com/acme/vitaflow-hardening.pdf is for version 4.1.0; the device runs 4.2.1: review the guide's settings for this version", false},
		{"4.2.1", "", true},
		{"v4.2.1", "", false},
		{"", "", false},
	} {
		r := fleetDevice(t, "infusion-pump-vitaflow-3000.cdx.json", "openssl")
		guide := &match.HardeningGuide{Ref: "https://example.com/acme/vitaflow-hardening.pdf", Version: c.version}
		r.Disclosure = &match.Disclosure{Guide: guide}
		if c.form {
			r.Disclosure.MDS2 = form(t, "acme-vitaflow-3000.xlsx")
		}
		Options{}.Rank([]*match.DeviceResult{r})
		if r.Disclosure.Guide.Review != c.review || guide.Review != "" || (c.review != "" && countReasons(r, c.review) != 1) {
			t.Errorf("%q: review %q, reasons %q", c.version, r.Disclosure.Guide.Review, r.Reasons)
		}
		if c.review == "" && hasReason(r, "hardening guide") {
			t.Errorf("%q: reasons %q", c.version, r.Reasons)
		}
		if (r.Findings[0].Decision.Responsibility != nil) != c.form {
			t.Errorf("%q: responsibility %+v", c.version, r.Findings[0].Decision.Responsibility)
		}
	}
	// The device's version changes: ranking again clears the review.
	r := fleetDevice(t, "infusion-pump-vitaflow-3000.cdx.json", "openssl")
	r.Disclosure = &match.Disclosure{Guide: &match.HardeningGuide{Ref: "g", Version: "4.1.0", Review: "old"}}
	Options{}.Rank([]*match.DeviceResult{r})
	r.Device.Version = "4.1.0"
	Options{}.Rank([]*match.DeviceResult{r})
	if r.Disclosure.Guide.Review != "" || hasReason(r, "hardening guide") {
		t.Errorf("review %q, reasons %q", r.Disclosure.Guide.Review, r.Reasons)
	}
}

// TestNoFormUnchanged: a device without a form (no disclosure, or one
// with neither form nor a versioned guide) ranks exactly as before.
func TestNoFormUnchanged(t *testing.T) {
	x := NewExploits([]advisory.KEV{{CVE: "CVE-2026-A", DateAdded: "2021-12-10"}}, nil)
	var runs [][]*match.DeviceResult
	for _, disc := range []*match.Disclosure{nil, {}, {Guide: &match.HardeningGuide{Ref: "g"}, MDS2Path: "missing.xlsx", Warnings: []string{"w"}}} {
		pump := fleetDevice(t, "infusion-pump-vitaflow-3000.cdx.json", "openssl", "linux", "VitaFlow firmware")
		rad := fleetDevice(t, "imaging-workstation-radiview.spdx.json", "Django")
		byID := fleetAssets(t, pump, rad)
		results := []*match.DeviceResult{byID["ICU-PUMP-01"], byID["ONC-PUMP-03"], byID["RAD-WS-01"], rad}
		rad.Context = nil
		for _, r := range results {
			r.Disclosure = disc
		}
		Options{Exploits: x}.Rank(results)
		runs = append(runs, results)
	}
	for i, r := range runs[0] {
		for _, other := range runs[1:] {
			o := other[i]
			if r.ID != o.ID || r.Priority != o.Priority || r.Score != o.Score || !slices.Equal(r.Reasons, o.Reasons) ||
				!reflect.DeepEqual(r.Context, o.Context) {
				t.Errorf("%s: %s %v %q, with an empty disclosure %s %v %q", r.ID, r.Priority, r.Score, r.Reasons, o.Priority, o.Score, o.Reasons)
			}
			for j, f := range r.Findings {
				if !reflect.DeepEqual(f.Decision, o.Findings[j].Decision) || f.Decision.Responsibility != nil {
					t.Errorf("%s %s: %+v, with an empty disclosure %+v", r.ID, f.ID, f.Decision, o.Findings[j].Decision)
				}
			}
		}
	}
	if d := runs[2][0].Disclosure; d != runs[2][1].Disclosure || !slices.Equal(d.Warnings, []string{"w"}) {
		t.Errorf("the disclosure was replaced: %+v", d)
	}
}

// TestSharedDisclosure: devices ranked in parallel that share one
// disclosure and one context each get their own copies; the shared ones
// stay as attached (run with -race).
func TestSharedDisclosure(t *testing.T) {
	disc := &match.Disclosure{MDS2: form(t, "helix-radiview.xlsx"), MDS2Via: "match",
		Guide: &match.HardeningGuide{Ref: "https://example.com/helix/radiview-hardening", Version: "11.4"}}
	small := ctx(ssvc.ExposureSmall, ssvc.SafetyCritical, ssvc.MissionMEF, 1)
	small.AssetID = "RAD"
	var results []*match.DeviceResult
	for i := range 16 {
		r := fleetDevice(t, "imaging-workstation-radiview.spdx.json", "Django", "Pillow")
		r.ID = fmt.Sprint("RAD-", i)
		r.Disclosure = disc
		if i%2 == 0 {
			r.Context = small
		} // else the default context: the form's exposure
		results = append(results, r)
	}
	Options{}.Rank(results)
	if len(disc.Warnings) != 0 || disc.Guide.Review != "" || small.Disclosed != nil || small.Exposure != ssvc.ExposureSmall {
		t.Fatalf("shared values changed: %+v %+v %+v", disc, disc.Guide, small)
	}
	for _, r := range results {
		wantWarnings := 0
		if r.Context.AssetID == "RAD" {
			wantWarnings = 1
		} else if r.Context.Exposure != ssvc.ExposureOpen {
			t.Errorf("%s: exposure %s", r.ID, r.Context.Exposure)
		}
		if r.Disclosure == disc || len(r.Disclosure.Warnings) != wantWarnings || !strings.HasPrefix(r.Disclosure.Guide.Review, "hardening guide https://example.com/helix/radiview-hardening is for version 11.4; the device runs 11.5.2") ||
			r.Findings[0].Decision.Responsibility != r.Findings[1].Decision.Responsibility || r.Findings[0].Decision.Responsibility != results[0].Findings[0].Decision.Responsibility {
			t.Errorf("%s: %+v", r.ID, r.Disclosure)
		}
	}
}

// TestComponentType: a component's own type, else the one its CPE's part
// says, in either CPE binding.
func TestComponentType(t *testing.T) {
	for _, c := range []struct {
		comp sbom.Component
		want string
	}{
		{sbom.Component{Type: "library", CPEs: []string{"cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*"}}, "library"},
		{sbom.Component{CPEs: []string{"cpe:2.3:o:linux:linux_kernel:5.10:*:*:*:*:*:*:*"}}, "operating-system"},
		{sbom.Component{CPEs: []string{"cpe:/h:acme:vitaflow_3000:4.2.1"}}, "device"},
		{sbom.Component{CPEs: []string{"not a cpe", "cpe:2.3:a:openssl:openssl:1.1.1:*:*:*:*:*:*:*"}}, ""},
		{sbom.Component{}, ""},
	} {
		if got := componentType(&c.comp); got != c.want {
			t.Errorf("%+v: %q, want %q", c.comp, got, c.want)
		}
	}
}
