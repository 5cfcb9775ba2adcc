package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/sharedtest"
)

func sharedDir(t *testing.T) string { return sharedtest.Dir(t) }

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"sbom"},
		{"sbom", "--bogus", "x"},
		{"sbom", "--format", "yaml", "x"},
		{"nosuchcommand"},
		{"sbom", "does-not-exist.json"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr)
		}
		if !strings.HasPrefix(stderr, "bomrank: ") && !strings.Contains(stderr, "error: ") {
			t.Errorf("%v: stderr %q", args, stderr)
		}
		if strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: stack trace on stderr", args)
		}
	}
}

type sbomOut struct {
	Devices []struct {
		SBOM, Format, Name, Manufacturer, Version string
		Components                                []struct {
			Name, Version, PURL, Parent string
			CPEs                        []string `json:"cpes"`
		}
	}
	Errors  []struct{ Path, Error string }
	Ignored []struct{ Path, Error string }
}

// TestSBOMSharedCorpus is the "done when": every SBOM in ../shared
// is listed with every component, each unreadable file is named, and the
// exit status is 3 because one real file is malformed. The output is the
// same bytes run to run.
func TestSBOMSharedCorpus(t *testing.T) {
	root := filepath.Join(sharedDir(t), "sboms")
	code, stdout, stderr := runCLI(t, "sbom", "--format", "json", root)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	var out sbomOut
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	var errPaths []string
	for _, e := range out.Errors {
		errPaths = append(errPaths, filepath.Base(e.Path))
		if !strings.Contains(stderr, e.Path) {
			t.Errorf("error for %s not named on stderr", e.Path)
		}
	}
	sort.Strings(errPaths)
	// TwinklyMaha's XML is malformed on purpose (shared/DATA.md).
	if strings.Join(errPaths, ",") != "TwinklyMaha-0.6.0.cdx.xml" {
		t.Errorf("errors %v, want only the malformed TwinklyMaha XML", out.Errors)
	}
	ignored := map[string]bool{}
	for _, e := range out.Ignored {
		ignored[filepath.Base(e.Path)] = true
	}
	if !ignored["LibreSolar-v21.0-Source.scancodeio.json"] || !ignored["README.md"] {
		t.Errorf("ignored %v: want the ScanCode JSON and the READMEs", out.Ignored)
	}
	if len(out.Devices) < 30 {
		t.Errorf("%d devices", len(out.Devices))
	}
	for _, d := range out.Devices {
		if d.Name == "" || d.Format == "" {
			t.Errorf("%s: device without name or format", d.SBOM)
		}
	}
	_, again, _ := runCLI(t, "sbom", "--format", "json", root)
	if again != stdout {
		t.Error("output differs between two runs")
	}
}

// TestSBOMStrict: an invalid CycloneDX example is read with a warning, and
// skipped (exit 3) under --strict.
func TestSBOMStrict(t *testing.T) {
	f := filepath.Join(sharedDir(t), "conformance", "cyclonedx", "1.5", "invalid-component-type-1.5.json")
	code, _, stderr := runCLI(t, "sbom", f)
	if code != exitOK || !strings.Contains(stderr, "warning: "+f) {
		t.Errorf("lenient: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "sbom", "--strict", f)
	if code != exitUsage && code != exitPartial {
		t.Errorf("strict: exit %d", code)
	}
	if !strings.Contains(stderr, "error: "+f) {
		t.Errorf("strict: stderr %q does not name the file", stderr)
	}
	// With one good file beside it, strict skips only the bad one: exit 3.
	good := filepath.Join(sharedDir(t), "conformance", "cyclonedx", "1.5", "valid-component-types-1.5.json")
	code, _, _ = runCLI(t, "sbom", "--strict", f, good)
	if code != exitPartial {
		t.Errorf("strict with a good file: exit %d, want 3", code)
	}
}

// TestMain keeps the tests away from the user's own configuration and
// database: the user config and cache directories point into an empty
// temporary folder and $BOMRANK_CONFIG is unset. With asCommandEnv set,
// the binary is the command instead (BenchmarkScanDBCommand).
func TestMain(m *testing.M) {
	if os.Getenv(asCommandEnv) != "" {
		os.Exit(runAsCommand())
	}
	dir, err := os.MkdirTemp("", "bomrank-cmd-test")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	os.Setenv("HOME", dir)
	os.Unsetenv("BOMRANK_CONFIG")
	os.Unsetenv("BOMRANK_DB")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
