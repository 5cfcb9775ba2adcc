package mds2

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// dateWorkbook writes a small form whose Document Release Date cell (C3)
// is set by set, and DOC-7 holds doc7.
func dateWorkbook(t *testing.T, set func(x *excelize.File, cell string), doc7 any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	const s = "Sheet1"
	must(t, x.SetCellValue(s, "A1", "Manufacturer"))
	must(t, x.SetCellValue(s, "C1", "Acme Medical Inc."))
	must(t, x.SetCellValue(s, "A2", "Software Revision"))
	must(t, x.SetCellValue(s, "C2", 4.2)) // a number, not a date: kept as shown
	must(t, x.SetCellValue(s, "A3", "Document Release Date"))
	if set != nil {
		set(x, "C3")
	}
	must(t, x.SetSheetRow(s, "A5", &[]any{"Question ID", "Question", "Answer", "Notes"}))
	must(t, x.SetSheetRow(s, "A6", &[]any{"CSUP-2.2", "vendor service", "Yes"}))
	must(t, x.SetSheetRow(s, "A7", &[]any{"DOC-7", "Document Release Date", doc7}))
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDocDate(t *testing.T) {
	style := func(x *excelize.File, st *excelize.Style) int {
		id, err := x.NewStyle(st)
		must(t, err)
		return id
	}
	custom := "dd.mm.yyyy"
	minutes := "[h]:mm"
	for _, tc := range []struct {
		name string
		set  func(x *excelize.File, cell string)
		doc7 any
		want string
	}{
		{"text kept as written", func(x *excelize.File, c string) { must(t, x.SetCellValue("Sheet1", c, "14 March 2026")) }, "", "14 March 2026"},
		{"ISO text kept", func(x *excelize.File, c string) { must(t, x.SetCellValue("Sheet1", c, "2026-03-14")) }, "", "2026-03-14"},
		{"serial as text kept", func(x *excelize.File, c string) { must(t, x.SetCellStr("Sheet1", c, "46095")) }, "", "46095"},
		{"time.Time (date style)", func(x *excelize.File, c string) {
			must(t, x.SetCellValue("Sheet1", c, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)))
		}, "", "2026-03-14"},
		{"serial with built-in date format 14", func(x *excelize.File, c string) {
			must(t, x.SetCellValue("Sheet1", c, 46095))
			must(t, x.SetCellStyle("Sheet1", c, c, style(x, &excelize.Style{NumFmt: 14})))
		}, "", "2026-03-14"},
		{"serial with custom dd.mm.yyyy", func(x *excelize.File, c string) {
			must(t, x.SetCellValue("Sheet1", c, 46095))
			must(t, x.SetCellStyle("Sheet1", c, c, style(x, &excelize.Style{CustomNumFmt: &custom})))
		}, "", "2026-03-14"},
		{"serial with General format", func(x *excelize.File, c string) { must(t, x.SetCellValue("Sheet1", c, 46095)) }, "", "2026-03-14"},
		{"General number out of the serial range kept", func(x *excelize.File, c string) { must(t, x.SetCellValue("Sheet1", c, 2026)) }, "", "2026"},
		{"serial with a time format kept", func(x *excelize.File, c string) {
			must(t, x.SetCellValue("Sheet1", c, 46095))
			must(t, x.SetCellStyle("Sheet1", c, c, style(x, &excelize.Style{CustomNumFmt: &minutes})))
		}, "", "1106280:00"},
		{"DOC-7 serial when no label", nil, 46095, "2026-03-14"},
		{"DOC-7 text", nil, "March 2026", "March 2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(bytes.NewReader(dateWorkbook(t, tc.set, tc.doc7)), "date.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			if f.Date != tc.want {
				t.Errorf("Date %q, want %q", f.Date, tc.want)
			}
			if f.Version != "4.2" || f.Manufacturer != "Acme Medical Inc." {
				t.Errorf("identification %q %q", f.Manufacturer, f.Version)
			}
		})
	}
}

func TestIsDateCode(t *testing.T) {
	for code, want := range map[string]bool{
		"yyyy-mm-dd": true, "d/m/yy": true, "mmm yyyy": true, "[$-409]mmmm d, yyyy": true, "mmm": true,
		"0.00": false, "h:mm": false, "mm:ss": false, `"day "0`: false, "[Red]0": false, "#,##0": false, "[h]:mm": false, "[mm]:ss": false, "[$-F800]dddd": true,
	} {
		if got := isDateCode(code); got != want {
			t.Errorf("isDateCode(%q) = %v, want %v", code, got, want)
		}
	}
}
