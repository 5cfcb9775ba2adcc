package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// humanScan runs bomrank scan on the sample fleet with its inventory.
func humanScan(t *testing.T, want int, args ...string) string {
	t.Helper()
	base := []string{"scan", "-q", "--as-of", "2026-01-02", "-a", feedsDir, "--inventory", filepath.Join(fleetDir, "assets.csv")}
	code, stdout, stderr := runCLI(t, append(base, args...)...)
	if code != want {
		t.Fatalf("%v: exit %d, want %d; stderr:\n%s", args, code, want, stderr)
	}
	return stdout
}

// longestLine is the width of the widest line of s, in runes.
func longestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

// TestTableWidth: the table fits $COLUMNS (80), else the terminal, else
// 100 columns; --wide prints everything.
func TestTableWidth(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	for _, args := range [][]string{nil, {"--details"}} {
		out := humanScan(t, exitOK, args...)
		if n := longestLine(out); n > 80 {
			t.Errorf("%v at COLUMNS=80: a line of %d columns:\n%s", args, n, out)
		}
		if !strings.Contains(out, "ICU-PUMP-01") || !strings.Contains(out, "…") {
			t.Errorf("%v: no asset id or no cut reasons:\n%s", args, out)
		}
	}
	t.Setenv("COLUMNS", "")
	if n := longestLine(humanScan(t, exitOK)); n > 100 || n < 90 {
		t.Errorf("not a terminal, no $COLUMNS: widest line %d, want 90-100", n)
	}
	saved := terminalWidth
	defer func() { terminalWidth = saved }()
	terminalWidth = func(io.Writer) int { return 120 }
	if n := longestLine(humanScan(t, exitOK)); n > 120 || n <= 100 {
		t.Errorf("a 120-column terminal: widest line %d", n)
	}
	wide := humanScan(t, exitOK, "--wide")
	if strings.Contains(wide, "…") || longestLine(wide) <= 120 || !strings.Contains(wide, "Nordlicht Medizintechnik GmbH") {
		t.Errorf("--wide cuts:\n%s", wide)
	}
}

// TestTopMinPriority: --top and --min-priority list the most urgent
// devices in every format (csaf excepted), the summary counts all, and
// --fail-on still looks at every device.
func TestTopMinPriority(t *testing.T) {
	t.Setenv("COLUMNS", "")
	out := humanScan(t, exitOK, "--top", "2", "-f", "json")
	if n := strings.Count(out, `"rank": `); n != 2 || !strings.Contains(out, `"devices": 9,`) {
		t.Errorf("--top 2 -f json: %d devices listed; summary:\n%s", n, out[strings.Index(out, `"summary"`):])
	}
	md := humanScan(t, exitOK, "--min-priority", "out-of-cycle", "-f", "markdown")
	if strings.Contains(md, "GlucoMet") || !strings.Contains(md, "CardioSense X2") || !strings.Contains(md, "most urgent of 9 devices (--min-priority out-of-cycle)") {
		t.Errorf("--min-priority out-of-cycle:\n%s", md)
	}
	// The 9th device (WARD-HUB-01, defer) is left out but still reaches
	// --fail-on defer, as all the others do.
	humanScan(t, exitFail, "--top", "1", "--fail-on", "defer")
	for _, bad := range [][]string{{"--top", "-1"}, {"--min-priority", "urgent"}} {
		humanScan(t, exitUsage, bad...)
	}
}
