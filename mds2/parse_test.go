package mds2

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFleetForms(t *testing.T) {
	for _, d := range fleet {
		t.Run(d.file, func(t *testing.T) {
			f, err := ParseFile(filepath.Join(fixtureDir, d.file))
			if err != nil {
				t.Fatal(err)
			}
			if f.Manufacturer != d.manufacturer || f.Model != d.model || f.Version != d.version || f.Date != d.date {
				t.Errorf("identification %q %q %q %q, want %q %q %q %q", f.Manufacturer, f.Model, f.Version, f.Date,
					d.manufacturer, d.model, d.version, d.date)
			}
			if d.answers == nil {
				return // the drifted form: TestDriftedForm
			}
			if len(f.Warnings) != 0 {
				t.Errorf("warnings: %q", f.Warnings)
			}
			for _, q := range catalogue {
				want, got := d.answer(q.id), f.Answer(q.id)
				if got.Text != want || got.Note != d.notes[q.id] {
					t.Errorf("%s: %+v, want %q note %q", q.id, got, want, d.notes[q.id])
				}
			}
			if len(f.Answers) != len(catalogue) {
				t.Errorf("%d answers, want %d", len(f.Answers), len(catalogue))
			}
		})
	}
}

func TestFleetFormsLaterRoomsUse(t *testing.T) {
	ids := []string{"CONN-3", "CONN-4", "CONN-6", "RMOT-1", "MPII-3.7", "MLDP-2", "MLDP-3", "MLDP-4",
		"CSUP-7", "CSUP-11", "RDMP-3", "RDMP-4"}
	for n := 2; n <= 6; n++ {
		for _, s := range []string{".1", ".2", ".4"} {
			ids = append(ids, "CSUP-"+string(rune('0'+n))+s)
		}
	}
	for _, d := range fleet {
		if d.answers == nil {
			continue
		}
		f, err := ParseFile(filepath.Join(fixtureDir, d.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if _, ok := f.Answers[id]; !ok {
				t.Errorf("%s: no %s", d.file, id)
			}
		}
	}
}

func TestBlankTemplate(t *testing.T) {
	f, err := ParseFile(filepath.Join(fixtureDir, "blank-template.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Answers) != len(catalogue) || len(f.Warnings) != 0 {
		t.Fatalf("%d answers, warnings %q", len(f.Answers), f.Warnings)
	}
	for id, a := range f.Answers {
		if a.Value != Unknown || a.Text != "" {
			t.Errorf("%s: %+v on the blank template", id, a)
		}
	}
	if f.Manufacturer != "" || f.Model != "" || f.Version != "" || f.Date != "" {
		t.Errorf("identification on the blank template: %+v", f)
	}
}

func TestDriftedForm(t *testing.T) {
	f, err := ParseFile(filepath.Join(fixtureDir, "nordlicht-cardiosense-x2.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]Value{
		"DOC-1": Unknown, "MPII-3.7": No, "CSUP-2": Yes, "CSUP-2.1": Yes, "CSUP-2.2": No, "CSUP-2.4": NA,
		"CSUP-3": Yes, "CSUP-3.1": Unknown, "CSUP-4.1": NA, "CSUP-4.2": NA, "CSUP-4.4": NA, "CSUP-7": Unknown,
		"CSUP-11": Yes, "CONN-3": Unknown, "CONN-4": Yes, "CONN-6": No, "RMOT-1": Yes, "MLDP-2": No, "MLDP-3": Yes,
		"MLDP-4": NA, "SAHD-15": Yes, "RDMP-3": Yes, "RDMP-4": Yes, "XYZ-9": Yes, "CSUP-3.1A": Yes,
		"CSUP-5.1": Unknown, // not on the form
	} {
		if got := f.Answer(id).Value; got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	if a := f.Answer("csup-2.1"); a.Text != "Yes, see note" || !strings.HasPrefix(a.Note, "Service manual") {
		t.Errorf("CSUP-2.1: %+v", a)
	}
	if a := f.Answer("MPII-3.7"); a.Note != "HL7 to the central station only." {
		t.Errorf("MPII-3.7 note: %q", a.Note)
	}
	if f.Answer("DOC-3").Text != "CardioSense X2" {
		t.Errorf("DOC-3: %+v", f.Answer("DOC-3"))
	}
	for _, w := range []string{`unknown question ID "CSUP-3.1a"`, `unknown question ID "XYZ-9"`,
		`CSUP-7: answer "Maybe" is not Yes, No or N/A`, "question CONN-4 given again"} {
		if !slices.ContainsFunc(f.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("no warning %q in %q", w, f.Warnings)
		}
	}
	if len(f.Warnings) != 4 {
		t.Errorf("warnings: %q", f.Warnings)
	}
}

func TestNoHeaderRow(t *testing.T) {
	for name, rows := range map[string][][]any{
		"IDs from the first row": {{"CSUP-2.1", "owner installation", "No"}, {"CSUP-2.2", "vendor service", "Yes", "field service"},
			{"shad-15", "scanning", "N/A"}, {"CONN-6", "internet", ""}},
		"a title and labels above": {{"MDS2"}, {"Manufacturer", "", "Acme Medical Inc."}, {},
			{"", "CSUP-2.1", "owner installation", "No"}, {"", "CSUP-2.2", "vendor service", "Yes"}, {"", "SAHD-15", "scanning", "n/a"}},
	} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(bytes.NewReader(workbook(t, rows)), "h.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			if !f.Is("CSUP-2.1", No) || !f.Is("CSUP-2.2", Yes) || !f.Is("SAHD-15", NA) || len(f.Warnings) != 1 ||
				!strings.Contains(f.Warnings[0], "by their content") {
				t.Errorf("%+v", f)
			}
		})
	}
	if _, err := Parse(bytes.NewReader(workbook(t, [][]any{{"CSUP-2.1", "Yes"}, {"CSUP-2.2", "No"}})), "two.xlsx"); !errors.Is(err, ErrNotMDS2) {
		t.Errorf("two IDs without a header: %v", err)
	}
}

// TestSameVersion: versions compared as people write them.
func TestSameVersion(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"2.1", "2.1", true}, {"V2.1", " 2.1 ", true}, {"v11.4.0", "11.4.0", true},
		{"2.1", "2.1.0", false}, {"2.1", "2.3", false}, {"", "", false}, {"v", "", false},
	} {
		if got := SameVersion(c.a, c.b); got != c.want {
			t.Errorf("SameVersion(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
