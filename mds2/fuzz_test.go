package mds2

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkForm checks what Parse returned: a form or an error naming the
// file, answers under their normalised IDs with one of the four values.
func checkForm(t *testing.T, f *Form, err error) {
	if (f == nil) == (err == nil) {
		t.Fatalf("form %v and error %v", f, err)
	}
	if err != nil {
		if !strings.HasPrefix(err.Error(), "mds2: fuzz: ") {
			t.Fatalf("error %q does not name the file", err)
		}
		return
	}
	for id, a := range f.Answers {
		if norm, known := NormalizeID(id); known && norm != id {
			t.Errorf("answer under %q, not normalised (%q)", id, norm)
		}
		switch a.Value {
		case Yes, No, NA, Unknown:
		default:
			t.Errorf("%s: value %q", id, a.Value)
		}
	}
	if len(f.Warnings) > maxWarnings+1 {
		t.Errorf("%d warnings", len(f.Warnings))
	}
}

func FuzzParseCSV(f *testing.F) {
	csv, err := os.ReadFile(filepath.Join(fixtureDir, "brightwater-aerocare-v5.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(csv[:min(len(csv), 400)])
	f.Add([]byte("question_id,answer,note\nSHAD-15,Yes,\"a, note\"\ncsup 2-02,n/a,\n"))
	f.Add([]byte("Question ID;Answer\nCSUP-2.1;Yes\n"))
	f.Add([]byte("\"unterminated,CONN-6,No\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, oleMagic) {
			return
		}
		form, err := Parse(bytes.NewReader(data), "fuzz")
		if err != nil && strings.Contains(err.Error(), "panic:") {
			t.Fatal(err)
		}
		checkForm(t, form, err)
	})
}

func FuzzParseWorkbook(f *testing.F) {
	f.Add(workbook(f, [][]any{{"Manufacturer", "Acme"}, {"Question ID", "Answer", "Note"}, {"CSUP-2.2", "Yes", "n"}, {"SHAD-15", "N/A"}}))
	f.Add(workbook(f, [][]any{{"ID", "Response"}, {"conn 6", "no"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(30*time.Second, func() { panic("FuzzParseWorkbook: one input read for more than 30 s") })
		defer watchdog.Stop()
		form, err := Parse(bytes.NewReader(data), "fuzz")
		if err != nil && strings.Contains(err.Error(), "panic:") {
			t.Logf("recovered from excelize: %v", err) // upstream; the file is still a named error
		}
		checkForm(t, form, err)
	})
}
