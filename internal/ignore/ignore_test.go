package ignore

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

const sample = `# accepted findings
ignore:
  - id: CVE-2021-44228
    device: ICU-PUMP-01
    component: pkg:maven/org.apache.logging.log4j/log4j-core
    reason: isolated VLAN
    until: 2027-03-31
    by: j.doe
  - id: ghsa-xxxx-yyyy-zzzz
    reason: not reachable
`

func TestParse(t *testing.T) {
	es, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{ID: "CVE-2021-44228", Device: "ICU-PUMP-01", Component: "pkg:maven/org.apache.logging.log4j/log4j-core", Reason: "isolated VLAN", By: "j.doe", Until: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), N: 1},
		{ID: "ghsa-xxxx-yyyy-zzzz", Reason: "not reachable", N: 2},
	}
	if len(es) != len(want) {
		t.Fatalf("got %d entries, want %d", len(es), len(want))
	}
	for i := range want {
		if es[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, es[i], want[i])
		}
	}
	for _, empty := range []string{"", "ignore: []\n", "# nothing\n", "ignore:\n"} {
		if es, err := Parse([]byte(empty)); err != nil || len(es) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no entries", empty, es, err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"ignore:\n  - id: CVE-1\n", "no reason"},
		{"ignore:\n  - id: CVE-1\n    reason: '  '\n", "no reason"},
		{"ignore:\n  - reason: fine\n", "no id"},
		{"ignore:\n  - id: CVE-1\n    reason: x\n    until: next year\n", "not a date"},
		{"ignore:\n  - id: CVE-1\n    reason: x\n    untill: 2027-01-01\n", "untill"},
		{"ignores:\n  - id: CVE-1\n", "ignores"},
		{"ignore: CVE-1\n", "unmarshal"},
		{"ignore:\n  - id: [a, b]\n    reason: x\n", "unmarshal"},
		{"ignore:\n  - id: CVE-1\n    reason: " + strings.Repeat("x", MaxField+1) + "\n", "longer than"},
		{"ignore:\n" + strings.Repeat("  - {id: CVE-1, reason: x}\n", MaxEntries+1), "entries"},
	} {
		_, err := Parse([]byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%.60q) = %v, want an error saying %q", c.yaml, err, c.want)
		}
	}
}

// TestParseHostile: YAML built to blow up (alias expansion, deep
// nesting, a huge file) is an error, quickly, never a panic.
func TestParseHostile(t *testing.T) {
	laughs := "a: &a [x,x,x,x,x,x,x,x,x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		laughs += string(i) + ": &" + string(i) + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
	}
	deep := "ignore: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	huge := "ignore: []\n#" + strings.Repeat("x", MaxBytes)
	for name, in := range map[string]string{"laughs": laughs, "deep": deep, "huge": huge} {
		start := time.Now()
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, DefaultName)
	if err := os.WriteFile(p, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(p)
	if err != nil || f.Path != p || len(f.Entries) != 2 {
		t.Fatalf("Load = %+v, %v", f, err)
	}
	var ie *Error
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.As(err, &ie) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("ignore:\n  - id: CVE-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); !errors.As(err, &ie) || ie.Path != bad || !strings.Contains(err.Error(), "no reason") {
		t.Errorf("entry without reason: %v", err)
	}
}

func fleet() []*match.DeviceResult {
	log4j := &sbom.Component{Name: "log4j-core", Version: "2.14.1", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}
	zlib := &sbom.Component{Name: "zlib", Version: "1.2.11", PURL: "pkg:generic/zlib@1.2.11"}
	pump := &match.DeviceResult{ID: "ICU-PUMP-01", Device: &sbom.Device{Component: sbom.Component{Name: "VitaFlow 3000"}}, Context: &ssvc.Context{AssetID: "ICU-PUMP-01"},
		Findings: []*match.Finding{
			{ID: "CVE-2021-44228", Aliases: []string{"GHSA-jfh8-c2jp-5v3q"}, Status: match.Affected, Component: log4j},
			{ID: "CVE-2022-37434", Status: match.Affected, Component: zlib},
		}}
	ws := &match.DeviceResult{ID: "sboms/ws.json", Device: &sbom.Device{Component: sbom.Component{Name: "RadView"}},
		Findings: []*match.Finding{
			{ID: "CVE-2021-44228", Status: match.Affected, Component: log4j},
			{ID: "CVE-2022-37434", Status: match.NotAffected, Component: zlib},
		}}
	return []*match.DeviceResult{pump, ws}
}

func TestApply(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	entries := []Entry{
		{ID: "ghsa-JFH8-c2jp-5v3q", Device: "ICU-PUMP-01", Component: "pkg:maven/org.apache.logging.log4j/log4j-core", Reason: "isolated", By: "jd", Until: day("2027-03-31"), N: 1},
		{ID: "CVE-2022-37434", Component: "zlib", Reason: "not reachable", N: 2},
		{ID: "CVE-2099-0001", Reason: "old", N: 3},
		{ID: "CVE-2021-44228", Device: "RadView", Component: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.2", Reason: "other version", N: 4},
	}
	rs := fleet()
	out := Apply(rs, entries, day("2027-03-31"))
	pump, ws := rs[0], rs[1]
	if a := pump.Findings[0].Ignored; a == nil || a.Reason != "isolated" || a.By != "jd" || !a.Until.Equal(day("2027-03-31")) {
		t.Errorf("log4j on the pump: Ignored = %+v", a)
	}
	if pump.Findings[0].Counts() {
		t.Errorf("Counts: log4j %v", pump.Findings[0].Counts())
	}
	if ws.Findings[0].Ignored != nil {
		t.Error("log4j on the workstation accepted: the entries name the pump, or another version")
	}
	if ws.Findings[1].Ignored == nil || pump.Findings[1].Ignored == nil {
		t.Error("zlib: accepted everywhere, whatever the status")
	}
	if out.Accepted != 3 || len(out.Expired) != 0 || len(out.Stale) != 2 || out.Stale[0].N != 3 || out.Stale[1].N != 4 {
		t.Errorf("outcome %+v", out)
	}
	// The day after until: the finding counts again, by itself.
	out = Apply(rs, entries, day("2027-04-01").Add(time.Hour))
	if pump.Findings[0].Ignored != nil || !pump.Findings[0].Counts() {
		t.Error("expired entry still applies")
	}
	if len(out.Expired) != 1 || out.Expired[0].N != 1 || out.Expired[0].Findings != 1 || out.Accepted != 2 {
		t.Errorf("outcome after expiry %+v", out)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("ignore:\n  - {id: a, reason: b, until: 2020-02-30}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := Parse(data)
		if err != nil {
			return
		}
		for _, e := range es {
			if e.ID == "" || e.Reason == "" || len(e.Reason) > MaxField {
				t.Fatalf("accepted entry %+v", e)
			}
		}
	})
}

// TestApplyFirstEntryWins: a finding matched by several entries (by its
// id and by an alias) takes the reason of the first in the file; both
// entries matched, neither is stale.
func TestApplyFirstEntryWins(t *testing.T) {
	rs := fleet()
	entries := []Entry{{ID: "GHSA-jfh8-c2jp-5v3q", Reason: "first", N: 1}, {ID: "cve-2021-44228", Reason: "second", N: 2}}
	out := Apply(rs, entries, time.Time{})
	if a := rs[0].Findings[0].Ignored; a == nil || a.Reason != "first" {
		t.Errorf("pump log4j: %+v", a)
	}
	if a := rs[1].Findings[0].Ignored; a == nil || a.Reason != "second" {
		t.Errorf("workstation log4j (no GHSA alias): %+v", a)
	}
	if len(out.Stale) != 0 || out.Accepted != 2 {
		t.Errorf("outcome %+v", out)
	}
}

// TestApplyScales: the largest file allowed against a large fleet is
// applied by id lookups, not by comparing every entry with every finding.
func TestApplyScales(t *testing.T) {
	entries := make([]Entry, MaxEntries)
	for i := range entries {
		entries[i] = Entry{ID: "CVE-2000-" + strconv.Itoa(i), Reason: "r", N: i + 1}
	}
	var rs []*match.DeviceResult
	for d := 0; d < 200; d++ {
		r := &match.DeviceResult{ID: strconv.Itoa(d), Device: &sbom.Device{}}
		for k := 0; k < 500; k++ {
			r.Findings = append(r.Findings, &match.Finding{ID: "CVE-2001-" + strconv.Itoa(k), Aliases: []string{"GHSA-" + strconv.Itoa(k)}, Component: &sbom.Component{}})
		}
		rs = append(rs, r)
	}
	start := time.Now()
	out := Apply(rs, entries, time.Time{})
	if d := time.Since(start); d > 5*time.Second || len(out.Stale) != MaxEntries {
		t.Errorf("%v, %d stale", d, len(out.Stale))
	}
}
