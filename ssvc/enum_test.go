package ssvc

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestOrders: each order is least first, Level follows it, and a string
// outside the vocabulary is -1 (below the least).
func TestOrders(t *testing.T) {
	if got := strings.Join(names(Priorities()), " "); got != "none defer scheduled out-of-cycle immediate" {
		t.Errorf("Priorities = %s", got)
	}
	for i, p := range Priorities() {
		if p.Level() != i {
			t.Errorf("%s.Level() = %d, want %d", p, p.Level(), i)
		}
	}
	for i, o := range Outcomes() {
		if o.Level() != i || o.Priority().Level() != i+1 {
			t.Errorf("%s: Level %d, Priority().Level %d", o, o.Level(), o.Priority().Level())
		}
	}
	if Priority("unassessed").Level() != -1 || Priority("").Compare(PriorityNone) != -1 || PriorityImmediate.Compare(PriorityOutOfCycle) != 1 {
		t.Error("a string outside the vocabulary must sort below none")
	}
	if SafetyCatastrophic.Compare(SafetyCritical) != 1 || ExposureOpen.Compare(ExposureOpen) != 0 || ExploitationNone.Compare(ExploitationPoC) != -1 ||
		MissionFailure.Level() != 3 || HumanVeryHigh.Level() != 3 || OutcomeImmediate.Compare(OutcomeDefer) != 1 {
		t.Error("order")
	}
	if len(Exploitations()) != 3 || len(Exposures()) != 3 || len(Safeties()) != 4 || len(Missions()) != 4 || len(HumanImpacts()) != 4 || len(Actions()) != 4 {
		t.Error("vocabulary sizes")
	}
	// The lists are copies.
	p := Priorities()
	p[0] = "x"
	if Priorities()[0] != PriorityNone {
		t.Error("Priorities shares its slice")
	}
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		got  func() (string, error)
		want string
	}{
		{func() (string, error) { v, err := ParseHumanImpact("Very_High"); return string(v), err }, "very high"},
		{func() (string, error) { v, err := ParseMission("MEF Support Crippled"); return string(v), err }, "crippled"},
		{func() (string, error) { v, err := ParseMission("mission failure"); return string(v), err }, "mission-failure"},
		{func() (string, error) { v, err := ParseOutcome(" Out Of Cycle "); return string(v), err }, "out-of-cycle"},
		{func() (string, error) { v, err := ParsePriority("NONE"); return string(v), err }, "none"},
		{func() (string, error) { v, err := ParseAction("isolate_replace"); return string(v), err }, "isolate-replace"},
		{func() (string, error) { v, err := ParseExposure("Open"); return string(v), err }, "open"},
		{func() (string, error) { v, err := ParseSafety("critical"); return string(v), err }, "critical"},
		{func() (string, error) { v, err := ParseExploitation("PoC"); return string(v), err }, "poc"},
	} {
		if got, err := tt.got(); err != nil || got != tt.want {
			t.Errorf("got %q, %v; want %q", got, err, tt.want)
		}
	}
	if _, err := ParsePriority("unassessed"); err == nil || !strings.Contains(err.Error(), "none, defer, scheduled, out-of-cycle, immediate") {
		t.Errorf("ParsePriority(unassessed): %v", err)
	}
	if _, err := ParseExposure("internet"); err == nil {
		t.Error("internet is the inventory's alias, not an SSVC value")
	}
	if !ActionPatch.Valid() || Action("reboot").Valid() {
		t.Error("Action.Valid")
	}
}

// The types are strings: JSON writes the value itself.
func TestJSON(t *testing.T) {
	b, err := json.Marshal(Decision{Exploitation: ExploitationActive, Exposure: ExposureOpen, HumanImpact: HumanVeryHigh, Outcome: OutcomeImmediate, Action: ActionIsolateReplace})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"active"`, `"open"`, `"very high"`, `"immediate"`, `"isolate-replace"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("%s not in %s", s, b)
		}
	}
}

func TestDefaultContext(t *testing.T) {
	c := DefaultContext()
	want := []string{"exposure controlled (default: no inventory)", "safety impact critical (default: no inventory)", "mission impact crippled (default: no inventory)"}
	if c.Exposure != ExposureControlled || c.Safety != SafetyCritical || c.Mission != MissionCrippled || c.Units != 1 || !slices.Equal(c.Defaulted, want) {
		t.Errorf("%+v", c)
	}
	if DefaultContext() == c {
		t.Error("DefaultContext must return a new context each time")
	}
}
