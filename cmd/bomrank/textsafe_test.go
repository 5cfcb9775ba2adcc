package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bomrank/bomrank/internal/textsafe"
)

// allEscapes is one sample of every escape class (clear screen, window
// title, OSC 8 link, ESC c, 8-bit CSI and OSC, CR, a newline that would
// forge a line, bidi overrides, isolates and marks, a byte that is not
// UTF-8).
const allEscapes = "\x1b[2J\x1b[H|\x1b]0;owned\x07|\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\|\x1bc|\u009b2J|\u009d0;t\u009c|\rFAKE|\nerror: forged|\u202e|\u202a|\u2067|\u2069|\u200f|\u061c|\x9b2J"

// rawUnsafe finds a control or bidi character in out (or a byte that is
// not UTF-8: then it returns U+FFFD); newlines are the lines' own.
func rawUnsafe(out string) (rune, bool) {
	if !utf8.ValidString(out) {
		return utf8.RuneError, true
	}
	for _, r := range out {
		if textsafe.Unsafe(r) && r != '\n' {
			return r, true
		}
	}
	return 0, false
}

// hostileFleet writes the VitaFlow SBOM with allEscapes in its device
// name and its file name, an inventory with them in the asset id, and a
// file that is not an SBOM with them in its name.
func hostileFleet(t *testing.T) (sbomPath, invPath, badPath string) {
	t.Helper()
	dir := t.TempDir()
	fileEsc := strings.ReplaceAll(strings.ReplaceAll(allEscapes, "/", "_"), "\n", "_")
	b, err := os.ReadFile(filepath.Join(fleetDir, "infusion-pump-vitaflow-3000.cdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	doc["metadata"].(map[string]any)["component"].(map[string]any)["name"] = "VitaFlow" + allEscapes
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	name := "pump" + fileEsc + ".cdx.json"
	sbomPath = filepath.Join(dir, name)
	if err := os.WriteFile(sbomPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var inv strings.Builder
	w := csv.NewWriter(&inv)
	w.Write([]string{"asset_id", "sbom", "location", "exposure", "safety_impact", "mission_impact", "units"})
	w.Write([]string{"ICU" + strings.ReplaceAll(allEscapes, "\n", "_"), name, "ICU", "controlled", "catastrophic", "mission-failure", "1"})
	w.Flush()
	invPath = filepath.Join(dir, "assets.csv")
	badPath = filepath.Join(dir, "bad"+fileEsc+".json")
	for p, body := range map[string]string{invPath: inv.String(), badPath: `{"hello": "world"}`} {
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return sbomPath, invPath, badPath
}

// TestHostileTextCLI is issue 14 defect 9 through the CLI: device names,
// file names and asset ids with every escape class reach neither stdout
// (sbom table, scan table, Markdown, CSV, HTML) nor stderr (error and
// warning lines, the --fail-on message) raw, and cannot forge a line.
func TestHostileTextCLI(t *testing.T) {
	sbomPath, invPath, badPath := hostileFleet(t)
	// oneLine: lines of a terminal (tables, stderr), where a newline from
	// the inputs must not start a line of its own; CSV cells and HTML text
	// may hold newlines.
	check := func(what, out string, oneLine bool) {
		t.Helper()
		if r, bad := rawUnsafe(out); bad {
			t.Errorf("%s prints %U raw:\n%q", what, r, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if !oneLine {
				break
			}
			if strings.HasPrefix(line, "error: forged") {
				t.Errorf("%s: a name forged a line: %q", what, line)
			}
		}
	}

	code, stdout, stderr := runCLI(t, "sbom", sbomPath, badPath)
	if code != exitPartial || !strings.Contains(stdout, "VitaFlow") || !strings.Contains(stderr, "error: ") || !strings.Contains(stderr, "bad") {
		t.Fatalf("sbom: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	check("sbom table", stdout, true)
	check("sbom stderr", stderr, true)

	code, stdout, stderr = runCLI(t, "scan", "-q", "--fail-on", "low", "-a", feedsDir, "--inventory", invPath, badPath)
	if code != exitFail || !strings.Contains(stderr, "reach --fail-on low") || !strings.Contains(stderr, "VitaFlow") || !strings.Contains(stderr, "(ICU") {
		t.Fatalf("scan --fail-on: exit %d\nstderr %q", code, stderr)
	}
	check("scan table", stdout, true)
	check("scan stderr (--fail-on message, error lines)", stderr, true)
	if !strings.Contains(stderr, `VitaFlow?[2J?[H|?]0;owned?|`) || !strings.Contains(stderr, `|\u202e|\u202a|\u2067|\u2069|\u200f|\u061c|`) {
		t.Errorf("escapes not shown visibly:\n%s", stderr)
	}

	for _, format := range []string{"table", "markdown", "csv", "html"} {
		_, stdout, stderr := runCLI(t, "scan", "-q", "--details", "-f", format, "-a", feedsDir, "--inventory", invPath, sbomPath)
		check(format, stdout, format == "table")
		check(format+" stderr", stderr, true)
		if !strings.Contains(stdout, "VitaFlow") || !strings.Contains(stdout, "ICU") {
			t.Errorf("%s: device or asset id missing", format)
		}
	}
}
