package mds2

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/bomrank/bomrank/internal/boundtest"
	"github.com/xuri/excelize/v2"
)

// TestBadInputBounded reads every bad input, and a wide form of 2,000
// rows of 64 columns, in a child process under a heap limit: each is read
// (or refused) within 256 MiB of live heap and a minute.
func TestBadInputBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a child process per run")
	}
	boundtest.Run(t, time.Minute, 256<<20, func(t *testing.T) {
		for name, c := range badInputs(t) {
			if _, err := Parse(bytes.NewReader(c.data), "form.xlsx"); c.err != nil && !errors.Is(err, c.err) {
				t.Errorf("%s: %v, want %v", name, err, c.err)
			}
		}
		f, err := Parse(bytes.NewReader(wideSheet(t, 2000, 64)), "wide.xlsx")
		if err != nil || len(f.Answers) != 1 || len(f.Warnings) != maxWarnings+1 {
			t.Errorf("wide form: %v (%d warnings)", err, len(f.Warnings))
		}
	})
}

// wideSheet writes a form of rows rows of cols columns, every row the
// same question (so every row but the first warns).
func wideSheet(t *testing.T, rows, cols int) []byte {
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	must(t, err)
	must(t, sw.SetRow("A1", []any{"Question ID", "Answer", "Note"}))
	row := make([]any, cols)
	for i := range row {
		row[i] = fmt.Sprintf("a fairly long note text in column %d", i)
	}
	row[0], row[1] = "CSUP-2.2", "Yes"
	for i := 2; i <= rows+1; i++ {
		must(t, sw.SetRow(fmt.Sprintf("A%d", i), row))
	}
	must(t, sw.Flush())
	b, err := x.WriteToBuffer()
	must(t, err)
	return b.Bytes()
}
