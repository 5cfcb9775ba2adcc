package match

import (
	"strings"
	"testing"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/index"
)

func ev(kind, v string) advisory.Event {
	switch kind {
	case "i":
		return advisory.Event{Introduced: v}
	case "f":
		return advisory.Event{Fixed: v}
	case "l":
		return advisory.Event{LastAffected: v}
	}
	return advisory.Event{Limit: v}
}

func rng(typ string, evs ...advisory.Event) advisory.Range {
	return advisory.Range{Type: typ, Events: evs}
}

// TestEvaluateRangeRules covers each rule of the OSV schema's evaluation,
// in several ecosystems.
func TestEvaluateRangeRules(t *testing.T) {
	tests := []struct {
		name, eco, version string
		aff                advisory.Affected
		want               Status
		fixed, reason      string
	}{
		{"introduced 0, fixed: below fix", "PyPI", "2.19.1",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "2.20.0"))}}, Affected, "2.20.0", ""},
		{"fixed is exclusive", "PyPI", "2.20.0",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "2.20.0"))}}, "", "", ""},
		{"introduced is inclusive", "npm", "4.17.0",
			advisory.Affected{Ecosystem: "npm", Ranges: []advisory.Range{rng("SEMVER", ev("i", "4.17.0"), ev("f", "4.17.21"))}}, Affected, "4.17.21", ""},
		{"below introduced", "npm", "4.16.9",
			advisory.Affected{Ecosystem: "npm", Ranges: []advisory.Range{rng("SEMVER", ev("i", "4.17.0"), ev("f", "4.17.21"))}}, "", "", ""},
		{"last_affected is inclusive", "Maven", "2.14.1",
			advisory.Affected{Ecosystem: "Maven", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "2.0-beta9"), ev("l", "2.14.1"))}}, Affected, "", ""},
		{"above last_affected", "Maven", "2.15.0",
			advisory.Affected{Ecosystem: "Maven", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "2.0-beta9"), ev("l", "2.14.1"))}}, "", "", ""},
		{"limit ends the range", "Go", "v1.5.0",
			advisory.Affected{Ecosystem: "Go", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("lim", "1.4.0"))}}, "", "", ""},
		{"below limit", "Go", "v1.3.0",
			advisory.Affected{Ecosystem: "Go", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("lim", "1.4.0"))}}, Affected, "", ""},
		{"events out of order are sorted", "Go", "v1.4.0",
			advisory.Affected{Ecosystem: "Go", Ranges: []advisory.Range{rng("SEMVER", ev("f", "1.6.0"), ev("i", "0"))}}, Affected, "1.6.0", ""},
		{"several introduced/fixed pairs in one range", "crates.io", "1.19.2",
			advisory.Affected{Ecosystem: "crates.io", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0.1.0"), ev("f", "1.18.4"), ev("i", "1.19.0"), ev("f", "1.20.3"), ev("i", "1.21.0"), ev("f", "1.23.1"))}}, Affected, "1.20.3", ""},
		{"between two pairs", "crates.io", "1.18.5",
			advisory.Affected{Ecosystem: "crates.io", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0.1.0"), ev("f", "1.18.4"), ev("i", "1.19.0"), ev("f", "1.20.3"))}}, "", "", ""},
		{"several ranges: the second matches", "PyPI", "3.0.5",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "2.0"), ev("f", "2.2.28")), rng("ECOSYSTEM", ev("i", "3.0"), ev("f", "3.2.13"))}}, Affected, "3.2.13", ""},
		{"explicit versions list", "PyPI", "1.0.1",
			advisory.Affected{Ecosystem: "PyPI", Versions: []string{"1.0.0", "1.0.1"}}, Affected, "", ""},
		{"versions list compared in ecosystem order", "PyPI", "1.0.1.0",
			advisory.Affected{Ecosystem: "PyPI", Versions: []string{"1.0.1"}}, Affected, "", ""},
		{"not in versions list", "PyPI", "1.0.2",
			advisory.Affected{Ecosystem: "PyPI", Versions: []string{"1.0.0", "1.0.1"}}, "", "", ""},
		// osv-scanner stops at the first GIT range; the ECOSYSTEM range
		// after it must still count.
		{"GIT range does not hide the ECOSYSTEM range after it", "PyPI", "1.5",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{
				{Type: "GIT", Repo: "https://example.com/r", Events: []advisory.Event{{Introduced: "0"}, {Fixed: "abc123"}}},
				rng("ECOSYSTEM", ev("i", "1.0"), ev("f", "2.0"))}}, Affected, "2.0", ""},
		{"only GIT ranges: unknown, not safe", "PyPI", "1.5",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{{Type: "GIT", Events: []advisory.Event{{Introduced: "0"}, {Fixed: "abc123"}}}}}, Unknown, "", "GIT"},
		{"Debian epochs and revisions", "Debian:11", "1.1.1n-0+deb11u3",
			advisory.Affected{Ecosystem: "Debian:11", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "1.1.1n-0+deb11u4"))}}, Affected, "1.1.1n-0+deb11u4", ""},
		{"Go pseudo-version", "Go", "v0.3.5-0.20201125200606-c27b9fd57aec",
			advisory.Affected{Ecosystem: "Go", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("f", "0.3.7"))}}, Affected, "0.3.7", ""},
		{"no version in the SBOM", "npm", "",
			advisory.Affected{Ecosystem: "npm", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("f", "1.0.0"))}}, Unknown, "", "no version"},
		{"unparseable installed version", "Go", "(devel)",
			advisory.Affected{Ecosystem: "Go", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("f", "1.0.0"))}}, Unknown, "", "(devel)"},
		{"unreadable installed version: unknown where the range leaves it open", "PyPI", "2.2.1-final",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "3.0"))}}, Unknown, "", `installed version "2.2.1-final" is not a valid PEP 440 version`},
		{"unreadable installed version: affected where the range holds every version", "PyPI", "2.2.1-final",
			advisory.Affected{Ecosystem: "PyPI", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "0"))}}, Affected, "", ""},
		{"unreadable installed version: affected by an exact entry of the versions list", "PyPI", "2.2.1-final",
			advisory.Affected{Ecosystem: "PyPI", Versions: []string{"2.2.1-final"}, Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "2.0"), ev("f", "3.0"))}}, Affected, "", ""},
		{"unparseable advisory version", "npm", "1.2.3",
			advisory.Affected{Ecosystem: "npm", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("f", "latest"))}}, Unknown, "", "latest"},
		{"ecosystem without comparator", "GitHub Actions", "v3",
			advisory.Affected{Ecosystem: "GitHub Actions", Ranges: []advisory.Range{rng("ECOSYSTEM", ev("i", "0"), ev("f", "4"))}}, Unknown, "", "no version ordering"},
		{"unknown range type", "npm", "1.0.0",
			advisory.Affected{Ecosystem: "npm", Ranges: []advisory.Range{rng("CALVER", ev("i", "0"))}}, Unknown, "", `range type "CALVER" is not known`},
		{"bad range does not hide a good one", "npm", "1.0.0",
			advisory.Affected{Ecosystem: "npm", Ranges: []advisory.Range{rng("SEMVER", ev("i", "0"), ev("f", "garbage!")), rng("SEMVER", ev("i", "0.9.0"), ev("f", "1.0.1"))}}, Affected, "1.0.1", ""},
	}
	e := newEvaluator(0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.evaluate(tt.eco, &installed{raw: tt.version}, index.Entry{Affected: &tt.aff, Seq: -1})
			if got.status != tt.want {
				t.Fatalf("status %q (%s), want %q", got.status, got.reason, tt.want)
			}
			if got.fixed != tt.fixed {
				t.Errorf("fixed %q, want %q", got.fixed, tt.fixed)
			}
			if tt.reason != "" && !strings.Contains(got.reason, tt.reason) {
				t.Errorf("reason %q does not mention %q", got.reason, tt.reason)
			}
		})
	}
}

func TestReleaseMatches(t *testing.T) {
	tests := []struct {
		comp, aff string
		want      bool
	}{
		{"Debian:11", "Debian:11", true},
		{"Debian:11", "Debian:12", false},
		{"Debian", "Debian:12", true}, // no distro qualifier: every release
		{"Debian:11", "Debian", true},
		{"Alpine:v3.16", "Alpine:v3.16", true},
		{"Ubuntu:22.04", "Ubuntu:22.04:LTS", true},
		{"Debian:11", "Ubuntu:11", false},
		{"npm", "npm", true},
	}
	for _, tt := range tests {
		if got := releaseMatches(tt.comp, tt.aff); got != tt.want {
			t.Errorf("releaseMatches(%q, %q) = %v", tt.comp, tt.aff, got)
		}
	}
}
