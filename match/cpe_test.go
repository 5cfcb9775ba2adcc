package match

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
	"github.com/bomrank/bomrank/sbom"
)

// nvdMatcher returns a matcher over the real NVD records of
// testdata/feeds/nvd, the constructed cases of match/testdata/nvd and the
// given further feeds.
func nvdMatcher(t testing.TB, more ...string) *Matcher {
	t.Helper()
	feeds := append([]string{filepath.Join("..", "testdata", "feeds", "nvd"), filepath.Join("testdata", "nvd")}, more...)
	ar := advisory.Load(context.Background(), feeds...)
	if len(ar.Errors) > 0 {
		t.Fatal(ar.Errors)
	}
	return &Matcher{Index: index.New(ar.Advisories)}
}

// cpeComp is a component named by one CPE.
func cpeComp(name, version, c string) *sbom.Component {
	return &sbom.Component{Ref: name, Name: name, Version: version, CPEs: []string{c}}
}

// byID returns a device's findings by "component|id".
func byID(fs []*Finding) map[string]*Finding {
	out := map[string]*Finding{}
	for _, f := range fs {
		out[f.Component.Name+"|"+f.ID] = f
	}
	return out
}

func ids(fs map[string]*Finding) []string {
	var out []string
	for k := range fs {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestCPEFleet checks the table of testdata/feeds/README.md: the VitaFlow
// pump's CPE-only components get exactly the NVD findings listed, each
// with its fixed version, its criterion and range, and high confidence.
func TestCPEFleet(t *testing.T) {
	m := nvdMatcher(t)
	sr := sbom.Load(context.Background(), filepath.Join("..", "testdata", "fleet"))
	if len(sr.Errors) > 0 {
		t.Fatal(sr.Errors)
	}
	got := map[string]*Finding{}
	for _, r := range scanned(t, m, context.Background(), sr.Devices) {
		for _, f := range r.Findings {
			got[r.Device.Name+"|"+f.Component.Name+"|"+f.ID] = f
		}
	}
	want := map[string]struct{ fixed, basis string }{
		"VitaFlow 3000|linux|CVE-2017-6074":    {"", "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:* versions <= 4.9.11"},
		"VitaFlow 3000|busybox|CVE-2021-42386": {"1.34.0", "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* versions < 1.34.0"},
		"VitaFlow 3000|busybox|CVE-2022-28391": {"", "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:* versions <= 1.35.0"},
		"VitaFlow 3000|openssl|CVE-2017-3735":  {"1.0.2m", "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* versions >= 1.0.2, < 1.0.2m"},
		"VitaFlow 3000|zlib|CVE-2018-25032":    {"1.2.12", "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:* versions < 1.2.12"},
		"VitaFlow 3000|zlib|CVE-2022-37434":    {"", "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:* versions <= 1.2.12"},
	}
	if len(got) != len(want) {
		t.Errorf("findings %v, want the %d of the table", ids(got), len(want))
	}
	for k, w := range want {
		f := got[k]
		if f == nil {
			t.Errorf("missing %s", k)
			continue
		}
		if f.Status != Affected || strings.Join(f.Fixed, ",") != w.fixed {
			t.Errorf("%s: %s fixed %v, want affected fixed %q", k, f.Status, f.Fixed, w.fixed)
		}
		if len(f.Sources) != 1 {
			t.Fatalf("%s: sources %+v", k, f.Sources)
		}
		s := f.Sources[0]
		if s.Format != advisory.FormatNVD || s.Product != w.basis || s.Confidence != "high" ||
			!strings.HasPrefix(s.Match, "cpe cpe:2.3:") {
			t.Errorf("%s: source %+v, want NVD, basis %q, high", k, s, w.basis)
		}
		if len(f.Severity) == 0 {
			t.Errorf("%s: no CVSS from the NVD record", k)
		}
	}
}

// TestCPEFalsePositives holds the cases CPE matchers are known to get
// wrong; none of them may give a finding.
func TestCPEFalsePositives(t *testing.T) {
	m := nvdMatcher(t)
	for _, tc := range []struct {
		name string
		dev  *sbom.Device
	}{
		{"vendor mismatch: npm nx by purl", &sbom.Device{Components: []*sbom.Component{
			{Name: "nx", Version: "15.0.0", PURL: "pkg:npm/nx@15.0.0"}}}},
		{"vendor mismatch: nrwl:nx CPE against siemens:nx", &sbom.Device{Components: []*sbom.Component{
			cpeComp("nx", "15.0.0", "cpe:2.3:a:nrwl:nx:15.0.0:*:*:*:*:*:*:*")}}},
		{"platform only: Windows 10 without the viewer", &sbom.Device{Components: []*sbom.Component{
			cpeComp("windows", "10", "cpe:2.3:o:microsoft:windows_10:1809:*:*:*:*:*:*:*")}}},
		{"platform only: the hardware without the firmware", &sbom.Device{
			Component: sbom.Component{Name: "VitaFlow 3000", CPEs: []string{"cpe:2.3:h:acme:vitaflow_3000:-:*:*:*:*:*:*:*"}}}},
		{"AND not satisfied: firmware without the hardware", &sbom.Device{Components: []*sbom.Component{
			cpeComp("firmware", "4.2.1", "cpe:2.3:o:acme:vitaflow_firmware:4.2.1:*:*:*:*:*:*:*")}}},
		{"AND not satisfied: viewer without Windows", &sbom.Device{Components: []*sbom.Component{
			cpeComp("viewer", "1.5", "cpe:2.3:a:examplesoft:viewer:1.5:*:*:*:*:linux:*:*")}}},
		{"negated platform present", &sbom.Device{Components: []*sbom.Component{
			cpeComp("agent", "1.2", "cpe:2.3:a:examplesoft:agent:1.2:*:*:*:*:*:*:*"),
			cpeComp("os", "3", "cpe:2.3:o:examplesoft:hardened_os:3:*:*:*:*:*:*:*")}}},
		{"version-less CPE, no version field", &sbom.Device{Components: []*sbom.Component{
			cpeComp("busybox", "", "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*"),
			cpeComp("linux", "", "cpe:/o:linux:linux_kernel")}}},
		{"NA version against ranges", &sbom.Device{Components: []*sbom.Component{
			cpeComp("busybox", "", "cpe:2.3:a:busybox:busybox:-:*:*:*:*:*:*:*")}}},
		{"versioned CPE against an NA criterion", &sbom.Device{Components: []*sbom.Component{
			cpeComp("hub", "1.0.0", "cpe:2.3:h:acme:bedside_hub:1.0.0:*:*:*:*:*:*:*")}}},
		{"out of range and exact-version lists", &sbom.Device{Components: []*sbom.Component{
			cpeComp("openssl", "1.0.2n", "cpe:2.3:a:openssl:openssl:1.0.2n:*:*:*:*:*:*:*"),
			cpeComp("curl", "8.4.0", "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"),
			cpeComp("curl-old", "7.68.0", "cpe:2.3:a:haxx:curl:7.68.0:*:*:*:*:*:*:*"),
			cpeComp("vxworks", "6.9.3", "cpe:2.3:o:windriver:vxworks:6.9.3:*:*:*:*:*:*:*"),
			cpeComp("zlib", "1.2.13", "cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*"),
			cpeComp("linux", "5.15.0", "cpe:2.3:o:linux:linux_kernel:5.15.0:*:*:*:*:*:*:*")}}},
		{"part mismatch: an application CPE for an OS criterion", &sbom.Device{Components: []*sbom.Component{
			cpeComp("linux", "4.9.0", "cpe:2.3:a:linux:linux_kernel:4.9.0:*:*:*:*:*:*:*")}}},
		{"derived CPE not made for ecosystem purls", &sbom.Device{Components: []*sbom.Component{
			{Name: "curl", Version: "8.0.1", PURL: "pkg:npm/curl@8.0.1"},
			{Name: "requests", Version: "2.19.1", PURL: "pkg:pypi/requests@2.19.1"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if fs := m.Device(tc.dev); len(fs) > 0 {
				t.Errorf("findings %v", ids(byID(fs)))
			}
		})
	}
}

// TestCPEConfigurations checks the matches the configuration shapes allow,
// with the basis and confidence each finding states.
func TestCPEConfigurations(t *testing.T) {
	m := nvdMatcher(t)
	type want struct {
		status     Status
		confidence string
		match      string // substring of Source.Match
		basis      string // substring of Source.Product
		fixed      string
	}
	for _, tc := range []struct {
		name string
		dev  *sbom.Device
		want map[string]want
	}{
		{"firmware AND hardware: the device element gives the platform", &sbom.Device{
			Component: sbom.Component{Name: "VitaFlow 3000", CPEs: []string{"cpe:2.3:h:acme:vitaflow_3000:-:*:*:*:*:*:*:*"}},
			Components: []*sbom.Component{
				cpeComp("firmware", "4.2.1", "cpe:2.3:o:acme:vitaflow_firmware:4.2.1:*:*:*:*:*:*:*")}},
			map[string]want{"firmware|CVE-2099-0001": {Affected, "high", "cpe cpe:2.3:o:acme:vitaflow_firmware:4.2.1",
				"versions < 4.3.0 running on cpe:2.3:h:acme:vitaflow_3000:-", "4.3.0"}}},
		{"firmware as the device's own CPE, hardware as a component", &sbom.Device{
			Component: sbom.Component{Name: "VitaFlow 3000", Version: "4.2.1", CPEs: []string{"cpe:2.3:o:acme:vitaflow_firmware:*:*:*:*:*:*:*:*"}},
			Components: []*sbom.Component{
				cpeComp("board", "", "cpe:2.3:h:acme:vitaflow_3000:-:*:*:*:*:*:*:*")}},
			map[string]want{"VitaFlow 3000|CVE-2099-0001": {Affected, "high", "(version 4.2.1 from the component)", "running on", "4.3.0"}}},
		{"viewer running on Windows", &sbom.Device{Components: []*sbom.Component{
			cpeComp("viewer", "1.5", "cpe:2.3:a:examplesoft:viewer:1.5:*:*:*:*:*:*:*"),
			cpeComp("windows", "1809", "cpe:2.3:o:microsoft:windows_10:1809:*:*:*:*:*:*:*")}},
			map[string]want{
				"viewer|CVE-2099-0002": {Affected, "high", "cpe cpe:2.3:a:examplesoft:viewer:1.5", "running on cpe:2.3:o:microsoft:windows_10:1809", "2.0"},
				// The criterion says android; the component's CPE does not say.
				"viewer|CVE-2099-0006": {Affected, "medium", "target_sw android", "", "3.0"},
			}},
		{"negated platform absent", &sbom.Device{Components: []*sbom.Component{
			cpeComp("agent", "1.9", "cpe:2.3:a:examplesoft:agent:1.9:*:*:*:*:*:*:*")}},
			map[string]want{"agent|CVE-2099-0004": {Affected, "high", "", "versions >= 1.0, <= 1.9", ""}}},
		{"NA meets NA", &sbom.Device{Components: []*sbom.Component{
			cpeComp("hub", "", "cpe:2.3:h:acme:bedside_hub:-:*:*:*:*:*:*:*")}},
			map[string]want{"hub|CVE-2099-0005": {Affected, "high", "", "cpe:2.3:h:acme:bedside_hub:-", ""}}},
		{"exact versions with updates (Heartbleed)", &sbom.Device{Components: []*sbom.Component{
			cpeComp("openssl", "1.0.1f", "cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*"),
			cpeComp("openssl-beta", "1.0.1", "cpe:2.3:a:openssl:openssl:1.0.1:beta2:*:*:*:*:*:*")}},
			map[string]want{
				"openssl|CVE-2014-0160": {Affected, "high", "", "cpe:2.3:a:openssl:openssl:1.0.1f:", ""},
				"openssl|CVE-2016-2107": {Affected, "high", "", "versions < 1.0.1t", "1.0.1t"},
				// "1.0.1" with update ANY covers 1.0.1 beta2 (IR 7696).
				"openssl-beta|CVE-2014-0160": {Affected, "high", "", "cpe:2.3:a:openssl:openssl:1.0.1:*:", ""},
				"openssl-beta|CVE-2016-2107": {Affected, "high", "", "versions < 1.0.1t", "1.0.1t"},
			}},
		{"CPE 2.2 URI, version field used when the CPE has none", &sbom.Device{Components: []*sbom.Component{
			cpeComp("busybox", "1.33.0", "cpe:/a:busybox:busybox")}},
			map[string]want{
				"busybox|CVE-2021-42386": {Affected, "high", "(version 1.33.0 from the component)", "< 1.34.0", "1.34.0"},
				"busybox|CVE-2022-28391": {Affected, "high", "(version 1.33.0 from the component)", "<= 1.35.0", ""},
			}},
		{"vendor alias gnu:zlib <-> zlib:zlib", &sbom.Device{Components: []*sbom.Component{
			cpeComp("zlib", "1.2.8", "cpe:2.3:a:gnu:zlib:1.2.8:*:*:*:*:*:*:*")}},
			map[string]want{
				"zlib|CVE-2016-9841":  {Affected, "high", "cpe cpe:2.3:a:gnu:zlib:1.2.8", "gnu:zlib", ""},
				"zlib|CVE-2018-25032": {Affected, "medium", "(vendor:product alias)", "cpe:2.3:a:zlib:zlib:", "1.2.12"},
				"zlib|CVE-2022-37434": {Affected, "medium", "(vendor:product alias)", "cpe:2.3:a:zlib:zlib:", ""},
			}},
		{"derived CPEs from name and version, low confidence", &sbom.Device{Components: []*sbom.Component{
			{Name: "curl", Version: "8.0.1"},
			{Name: "VxWorks", Version: "6.9.4.1", PURL: "pkg:generic/windriver/vxworks@6.9.4.1"},
			{Name: "busybox", Version: "1.31.0", PURL: "pkg:github/mirror/busybox@1.31.0"}}},
			map[string]want{
				"curl|CVE-2023-38545":    {Affected, "low", "derived cpe cpe:2.3:*:haxx:curl:8.0.1:", "versions >= 7.69.0, < 8.4.0", "8.4.0"},
				"VxWorks|CVE-2019-12256": {Affected, "low", "derived cpe cpe:2.3:*:windriver:vxworks:6.9.4.1:", "cpe:2.3:o:windriver:vxworks:6.9.4.1:", ""},
				"busybox|CVE-2021-42386": {Affected, "low", "derived cpe", "< 1.34.0", "1.34.0"},
				"busybox|CVE-2022-28391": {Affected, "low", "derived cpe", "<= 1.35.0", ""},
			}},
		{"versions that cannot be ordered: unknown, with the reason", &sbom.Device{Components: []*sbom.Component{
			cpeComp("busybox", "L81", "cpe:2.3:a:busybox:busybox:L81:*:*:*:*:*:*:*")}},
			map[string]want{
				"busybox|CVE-2019-5747":  {Unknown, "high", "", "<= 1.30.0", ""},
				"busybox|CVE-2021-42386": {Unknown, "high", "", "< 1.34.0", ""},
				"busybox|CVE-2022-28391": {Unknown, "high", "", "<= 1.35.0", ""},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := byID(m.Device(tc.dev))
			if len(got) != len(tc.want) {
				t.Errorf("findings %v, want %d", ids(got), len(tc.want))
			}
			for k, w := range tc.want {
				f := got[k]
				if f == nil {
					t.Errorf("missing %s", k)
					continue
				}
				if f.Status != w.status || strings.Join(f.Fixed, ",") != w.fixed {
					t.Errorf("%s: %s fixed %v, want %s fixed %q", k, f.Status, f.Fixed, w.status, w.fixed)
				}
				if w.status == Unknown && !strings.Contains(f.Reason, "cannot be ordered") {
					t.Errorf("%s: reason %q", k, f.Reason)
				}
				s := f.Sources[0]
				if len(f.Sources) != 1 || s.Confidence != w.confidence || !strings.Contains(s.Match, w.match) || !strings.Contains(s.Product, w.basis) {
					t.Errorf("%s: sources %+v, want confidence %s, match ~%q, basis ~%q", k, f.Sources, w.confidence, w.match, w.basis)
				}
			}
		})
	}
}

// TestCPEJoinsOSV: a component with both a purl and a CPE gets one finding
// per CVE, with the OSV record and the NVD record as its two sources.
func TestCPEJoinsOSV(t *testing.T) {
	m := nvdMatcher(t, filepath.Join("..", "testdata", "feeds", "osv"))
	c := &sbom.Component{Name: "requests", Version: "2.19.1", PURL: "pkg:pypi/requests@2.19.1",
		CPEs: []string{"cpe:2.3:a:python-requests:requests:2.19.1:*:*:*:*:*:*:*"}}
	var hit *Finding
	for _, f := range m.Component(c) {
		if f.ID == "CVE-2018-18074" || slices.Contains(f.Aliases, "CVE-2018-18074") {
			if hit != nil {
				t.Fatalf("two findings for CVE-2018-18074: %s and %s", hit.ID, f.ID)
			}
			hit = f
		}
	}
	if hit == nil {
		t.Fatal("no finding for CVE-2018-18074")
	}
	var formats []string
	for _, s := range hit.Sources {
		formats = append(formats, s.Format)
	}
	slices.Sort(formats)
	if strings.Join(formats, ",") != "nvd,osv" || hit.Status != Affected || !slices.Contains(hit.Fixed, "2.20.0") {
		t.Errorf("finding %s %s fixed %v sources %v, want affected, fixed 2.20.0, nvd and osv", hit.ID, hit.Status, hit.Fixed, formats)
	}
}

// TestCPENoNVD: without NVD records the CPE step does nothing (and costs
// nothing: HasCPE is false).
func TestCPENoNVD(t *testing.T) {
	m := &Matcher{Index: index.New(nil)}
	if fs := m.Component(cpeComp("busybox", "1.30.1", "cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*")); len(fs) != 0 {
		t.Errorf("findings %v", fs)
	}
}

func BenchmarkCPEMatch(b *testing.B) {
	m := nvdMatcher(b)
	d := &sbom.Device{Components: []*sbom.Component{
		cpeComp("linux", "4.9.0", "cpe:2.3:o:linux:linux_kernel:4.9.0:*:*:*:*:*:*:*"),
		cpeComp("busybox", "1.30.1", "cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*"),
		cpeComp("openssl", "1.0.2k", "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"),
		cpeComp("zlib", "1.2.11", "cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*"),
		{Name: "curl", Version: "8.0.1"},
	}}
	pc := newParseCache()
	b.ReportAllocs()
	for b.Loop() {
		m.device(d, pc)
	}
}

// FuzzCPEMatch feeds arbitrary component CPEs, names and versions to the
// CPE step over the real and constructed NVD records: it must never panic,
// and a finding must always state its basis and confidence.
func FuzzCPEMatch(f *testing.F) {
	m := nvdMatcher(f)
	f.Add("cpe:2.3:a:busybox:busybox:1.30.1:*:*:*:*:*:*:*", "busybox", "1.30.1")
	f.Add("cpe:/o:linux:linux_kernel:4.9", "linux", "")
	f.Add("cpe:2.3:a:openssl:openssl:1.0.1:beta2:*:*:*:*:*:*", "openssl", "1.0.1")
	f.Add("", "curl", "8.0.1")
	f.Add("", "VxWorks", "V6.9.4.1 SP2")
	f.Add("cpe:2.3:o:acme:vitaflow_firmware:L81:*:*:*:*:*:*:*", "fw", "L81")
	f.Fuzz(func(t *testing.T, c, name, version string) {
		comp := &sbom.Component{Name: name, Version: version}
		if c != "" {
			comp.CPEs = []string{c}
		}
		d := &sbom.Device{Component: sbom.Component{Name: "dev", CPEs: []string{"cpe:2.3:h:acme:vitaflow_3000:-:*:*:*:*:*:*:*"}},
			Components: []*sbom.Component{comp}}
		for _, fd := range m.Device(d) {
			for _, s := range fd.Sources {
				if s.Format == advisory.FormatNVD && (s.Match == "" || s.Confidence == "" || s.Product == "") {
					t.Fatalf("NVD source without basis: %+v", s)
				}
			}
			if fd.Status == Unknown && fd.Reason == "" {
				t.Fatalf("unknown without reason: %+v", fd)
			}
		}
	})
}

// TestMergeVerdicts checks mergeVerdicts against what it replaces: a map
// from advisory to its best verdict (the first met one, else the first)
// filled list by list, then a stable sort by ID. The lists hold
// duplicates, undecided verdicts later met, and different advisories
// under one ID.
func TestMergeVerdicts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	advs := make([]*advisory.Advisory, 12)
	for i := range advs {
		advs[i] = &advisory.Advisory{ID: fmt.Sprintf("CVE-2099-%d", i%7)}
	}
	reference := func(lists [][]cpeVerdict) []cpeVerdict {
		var found []cpeVerdict
		at := map[*advisory.Advisory]int{}
		for _, l := range lists {
			for _, v := range l {
				i, ok := at[v.adv]
				switch {
				case !ok:
					at[v.adv] = len(found)
					found = append(found, v)
				case found[i].res.t == triMaybe && v.res.t == triYes:
					found[i] = v
				}
			}
		}
		slices.SortStableFunc(found, cmpVerdictID)
		return found
	}
	for range 2000 {
		lists := make([][]cpeVerdict, r.IntN(4))
		for i := range lists {
			for range r.IntN(8) {
				tv := [...]tri{triYes, triMaybe}[r.IntN(2)]
				lists[i] = append(lists[i], cpeVerdict{advs[r.IntN(len(advs))], cpeResult{t: tv, basis: strconv.Itoa(r.IntN(1000))}})
			}
			slices.SortStableFunc(lists[i], cmpVerdictID)
		}
		want := reference(lists)
		got := mergeVerdicts(slices.Clone(lists))
		if len(got) != len(want) {
			t.Fatalf("%v: got %d verdicts, want %d", lists, len(got), len(want))
		}
		for i := range want {
			if got[i].adv != want[i].adv || got[i].res != want[i].res {
				t.Fatalf("%v: verdict %d is %v, want %v", lists, i, got[i], want[i])
			}
		}
	}
}

// panickyCPE is an index whose configurations of one vendor:product
// panic, as a defective index implementation might.
type panickyCPE struct {
	index.Reader
	vendor string
}

func (p panickyCPE) Configurations(vendor, product string) []index.CPEEntry {
	if vendor == p.vendor {
		panic("corrupt configurations of " + vendor)
	}
	return p.Reader.Configurations(vendor, product)
}

// A panic while evaluating a candidate CPE, which is evaluated once per
// matcher, fails every device that has that CPE, not only the first:
// the others must not get the empty result of the failed evaluation.
func TestCPECandidatePanic(t *testing.T) {
	ix, devs := nvdWorkload(400, 6)
	m := &Matcher{Index: panickyCPE{ix, "vendor5"}, Workers: 2}
	res, failed, err := m.Scan(context.Background(), devs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 0 || len(failed) != len(devs) {
		t.Fatalf("%d results, %d failed; want every device (all have vendor5:product5) failed", len(res), len(failed))
	}
	for _, f := range failed {
		if !strings.Contains(f.Error(), "internal error (panic): corrupt configurations of vendor5") {
			t.Errorf("error %q", f)
		}
	}
}

// Candidates whose configurations come in several parts, evaluated by
// whichever workers need them at once, give the findings one worker
// gives.
func TestCPECandidateParts(t *testing.T) {
	ix, devs := nvdWorkload(6*cpeChunk, 60)
	text := func(workers int) []string {
		var out []string
		for _, r := range scanned(t, &Matcher{Index: ix, Workers: workers}, context.Background(), devs) {
			for _, f := range r.Findings {
				out = append(out, fmt.Sprintf("%s %s %s %s %v %s", r.ID, f.Component.Name, f.ID, f.Status, f.Fixed, f.Reason))
			}
		}
		return out
	}
	one := text(1)
	if len(one) == 0 {
		t.Fatal("no findings")
	}
	for range 3 {
		if many := text(4); !slices.Equal(one, many) {
			t.Fatalf("4 workers: %d findings, 1 worker: %d, or they differ", len(many), len(one))
		}
	}
}
