package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestOutputIsNotAFormat: grype's and trivy's "-o json" is refused with a
// hint instead of writing a table to a file named json.
func TestOutputIsNotAFormat(t *testing.T) {
	dir := t.TempDir()
	for _, o := range []string{"json", "sarif", "table", "json=" + filepath.Join(dir, "x.json")} {
		code, stdout, stderr := runCLI(t, "scan", "-q", "-a", feedsDir, "-o", o, fleetDir)
		if code != exitUsage || !strings.Contains(stderr, "use -f ") || stdout != "" {
			t.Errorf("-o %s: exit %d, stderr %q", o, code, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
	// With -f, -o is a file name whatever it looks like.
	feeds, _ := filepath.Abs(feedsDir)
	fleet, _ := filepath.Abs(fleetDir)
	t.Chdir(dir)
	if code, _, stderr := runCLI(t, "scan", "-q", "-a", feeds, "-f", "table", "-o", "json", fleet); code != exitOK {
		t.Fatalf("-f table -o json: exit %d, %s", code, stderr)
	}
	if b, err := os.ReadFile("json"); err != nil || !bytes.HasPrefix(b, []byte("RANK")) {
		t.Errorf("-f table -o json: %v", err)
	}
}

// TestCountFiles: the feed total counts the files and the members of zip
// archives, not their directories.
func TestCountFiles(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"a/", "a/GHSA-1.json", "a/GHSA-2.json", "GHSA-3.json"} {
		w, _ := zw.Create(name)
		if !strings.HasSuffix(name, "/") {
			w.Write([]byte("{}"))
		}
	}
	zw.Close()
	os.WriteFile(filepath.Join(dir, "all.zip"), buf.Bytes(), 0o600)
	os.WriteFile(filepath.Join(dir, "broken.zip"), []byte("PK"), 0o600)
	os.WriteFile(filepath.Join(dir, "kev.json"), []byte("{}"), 0o600)
	if n := countFiles([]string{dir, filepath.Join(dir, "missing")}); n != 3+3+1 {
		t.Errorf("countFiles = %d, want 7 (3 files, 3 members, 1 missing path)", n)
	}
}

// TestSeveralOutputs: -f FORMAT=FILE writes several reports in one run,
// each the bytes a run of that format alone writes; a repeated plain -f,
// or two reports to one place, is a usage error.
func TestSeveralOutputs(t *testing.T) {
	dir := t.TempDir()
	js, sarif := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.sarif")
	base := []string{"scan", "-q", "--as-of", "2026-01-02", "-a", feedsDir}
	code, stdout, stderr := runCLI(t, append(base, "-f", "json="+js, "-f", "sarif="+sarif, "-f", "table", fleetDir)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for format, path := range map[string]string{"json": js, "sarif": sarif, "table": ""} {
		_, alone, _ := runCLI(t, append(base, "-f", format, fleetDir)...)
		got := stdout
		if path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got = string(b)
		}
		if got != alone || alone == "" {
			t.Errorf("%s: differs from a run of -f %s alone", format, format)
		}
	}
	// Only the plain format goes to -o; the others to their files.
	csv := filepath.Join(dir, "out.csv")
	if code, stdout, _ := runCLI(t, append(base, "-f", "csv", "-o", csv, "-f", "json="+js, fleetDir)...); code != exitOK || stdout != "" {
		t.Errorf("-f csv -o FILE -f json=FILE: exit %d, stdout %q", code, stdout)
	}
	if b, _ := os.ReadFile(csv); !bytes.HasPrefix(b, []byte("rank,device_id")) {
		t.Errorf("the CSV file: %.40q", b)
	}
	for _, args := range [][]string{
		{"-f", "json", "-f", "sarif"},
		{"-f", "json=" + js, "-f", "sarif=" + js},
		{"-f", "json=-", "-f", "table"},
		{"-f", "json=" + js, "-o", csv},
		{"-f", "yaml=" + js},
		{"-f", "json="},
	} {
		code, _, stderr := runCLI(t, append(append(base, args...), fleetDir)...)
		if code != exitUsage || !strings.Contains(stderr, "--format") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if _, _, stderr := runCLI(t, append(base, "-f", "json", "-f", "sarif", fleetDir)...); !strings.Contains(stderr, "-f json=out.json -f sarif=out.sarif") {
		t.Errorf("a repeated -f does not show the way: %q", stderr)
	}
}

// TestStdinSBOM: "-" reads an SBOM from standard input, named "-"; twice
// is a usage error.
func TestStdinSBOM(t *testing.T) {
	f, err := os.Open(filepath.Join(fleetDir, "infusion-pump-vitaflow-3000.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := stdin
	defer func() { stdin = saved }()
	stdin = f
	code, stdout, stderr := runCLI(t, "scan", "-q", "-f", "json", "--as-of", "2026-01-02", "-a", feedsDir, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct{ Devices []struct{ SBOM, Name string } }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Devices) != 1 || out.Devices[0].SBOM != "-" || out.Devices[0].Name != "VitaFlow 3000" {
		t.Errorf("devices %+v", out.Devices)
	}
	stdin = strings.NewReader("not an SBOM")
	if code, _, stderr := runCLI(t, "scan", "-q", "-a", feedsDir, "-"); code != exitUsage || !strings.Contains(stderr, "-:") {
		t.Errorf("stdin not an SBOM: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "scan", "-q", "-a", feedsDir, "-", "-"); code != exitUsage {
		t.Errorf("- twice: exit %d", code)
	}
}

func TestVersionFlag(t *testing.T) {
	code, stdout, _ := runCLI(t, "--version")
	if code != exitOK || stdout != "bomrank v0.0.0-test\n" {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
}

// TestBuildVersion: the module version, else the VCS revision and time,
// else (devel).
func TestBuildVersion(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "3e67d2f1a2b3c4d5e6f708192a3b4c5d6e7f8091"}, {Key: "vcs.time", Value: "2026-12-07T10:00:00Z"}}
	for _, c := range []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "(devel) 3e67d2f1a2b3 2026-12-07T10:00:00Z"},
		{debug.BuildInfo{Settings: append(vcs[:1:1], debug.BuildSetting{Key: "vcs.modified", Value: "true"})}, "(devel) 3e67d2f1a2b3+dirty"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
	} {
		if got := buildVersion(&c.bi); got != c.want {
			t.Errorf("buildVersion(%+v) = %q, want %q", c.bi.Main, got, c.want)
		}
	}
}

// TestProgressPhases: on a terminal the bar's feed total is known from
// the start (it never goes down) and the matching, ranking and writing
// phases are shown; the line is cleared at the end.
func TestProgressPhases(t *testing.T) {
	saved := isTerminal
	defer func() { isTerminal = saved }()
	isTerminal = func(w io.Writer) bool { return true }
	out := filepath.Join(t.TempDir(), "out.json")
	code, _, stderr := runCLI(t, "scan", "-a", feedsDir, "-f", "json="+out, fleetDir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"matching 6 device(s)...", "ranking 6 device(s)...", "writing json to " + out + "..."} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q in %q", want, stderr)
		}
	}
	for _, frame := range strings.Split(stderr, "\r\x1b[K") {
		if strings.HasPrefix(frame, "reading feeds") && !strings.Contains(frame, "/44 ") {
			t.Errorf("a frame without the final feed total: %q", frame)
		}
	}
	if !strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Error("the line is not cleared")
	}
}
