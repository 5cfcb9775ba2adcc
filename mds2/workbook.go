package mds2

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/zipcheck"
	"github.com/xuri/excelize/v2"
)

// checkZip looks at a workbook's zip directory before anything is
// decompressed: the member count its end record declares (before
// archive/zip reads the directory), then each member's declared size and
// their sum. archive/zip refuses a member that decompresses to more than
// it declares, so these bound what reading the workbook decompresses.
func checkZip(data []byte) (*zip.Reader, error) {
	if n, ok := zipcheck.DeclaredMembers(bytes.NewReader(data), int64(len(data))); ok && n > maxMembers {
		return nil, fmt.Errorf("%w: a zip archive of %d members, more than %d", ErrTooLarge, n, maxMembers)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if len(zr.File) > maxMembers {
		return nil, fmt.Errorf("%w: a zip archive of %d members, more than %d", ErrTooLarge, len(zr.File), maxMembers)
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > maxMember {
			return nil, fmt.Errorf("%w: zip member %q declares %d bytes, more than %d", ErrTooLarge, clip(f.Name), f.UncompressedSize64, maxMember)
		}
		if total += f.UncompressedSize64; total > maxUnzipped {
			return nil, fmt.Errorf("%w: the zip archive declares more than %d bytes in all", ErrTooLarge, maxUnzipped)
		}
	}
	return zr, nil
}

// parseWorkbook reads an HN 1-2019 workbook: the first sheet (in the
// workbook's order) with a header row naming question-ID and answer
// columns.
func parseWorkbook(data []byte, name string) (*Form, error) {
	if _, err := checkZip(data); err != nil {
		return nil, fileError(name, err)
	}
	opts := excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped}
	x, err := excelize.OpenReader(bytes.NewReader(data), opts)
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, fileError(name, ErrEncrypted)
		}
		return nil, fileError(name, fmt.Errorf("%w: %v", ErrCorrupt, err))
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError(name, fmt.Errorf("%w: a workbook without sheets", ErrNotMDS2))
	}
	for _, sheet := range sheets[:min(len(sheets), maxSheets)] {
		rows, err := readSheet(x, sheet)
		if err != nil {
			return nil, fileError(name, err)
		}
		if b, ok := formFromRows(rows, sheet, name); ok {
			form, err := b.finish()
			if err == nil {
				form.Date = docDate(x, sheet, rows, form.Date)
			}
			return form, err
		}
	}
	return nil, fileError(name, fmt.Errorf("%w: no sheet with question-ID and answer columns", ErrNotMDS2))
}

// readSheet reads a sheet's cell values (at most maxRows rows of maxCols
// columns), a merged range's value copied into each of its cells.
func readSheet(x *excelize.File, sheet string) ([][]string, error) {
	it, err := x.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorrupt, clip(sheet), err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) == maxRows {
			return nil, fmt.Errorf("%w: sheet %q has more than %d rows", ErrTooLarge, clip(sheet), maxRows)
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorrupt, clip(sheet), err)
		}
		rows = append(rows, cols[:min(len(cols), maxCols)])
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorrupt, clip(sheet), err)
	}
	merges, err := x.GetMergeCells(sheet)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrCorrupt, clip(sheet), err)
	}
	fillMerges(rows, merges)
	return rows, nil
}

// fillMerges copies each merged range's value into the cells it covers,
// within the rows and columns read.
func fillMerges(rows [][]string, merges []excelize.MergeCell) {
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > len(rows) || c1 > maxCols {
			continue
		}
		v := m.GetCellValue()
		for r := r1; r <= min(r2, len(rows)); r++ {
			for c := c1; c <= min(c2, maxCols); c++ {
				row := rows[r-1]
				for len(row) < c {
					row = append(row, "")
				}
				if row[c-1] == "" {
					row[c-1] = v
				}
				rows[r-1] = row
			}
		}
	}
}

// formFromRows reads a form from a sheet's rows: the header row is the
// first naming question-ID and answer columns; the labelled cells above
// it (and beside the questions) identify the form. ok is false when the
// sheet has no such header or no question below it.
func formFromRows(rows [][]string, sheet, name string) (*builder, bool) {
	head := -1
	var col columns
	for i, row := range rows {
		if c, ok := findColumns(row); ok {
			head, col = i, c
			break
		}
	}
	b := newBuilder(name)
	if head < 0 {
		var first int
		if col, first = inferColumns(rows); first < 0 {
			return nil, false
		}
		head = first - 1
		b.warn("sheet %q: no header row naming the question-ID and answer columns: read columns %s (IDs) and %s (answers) by their content, no notes",
			clip(sheet), colName(col.id), colName(col.answer))
	}
	above := rows[:max(head, 0)]
	for i := range above {
		readLabels(b, above, i)
	}
	for i, row := range rows[head+1:] {
		id, answer, note := col.get(row)
		if b.add(id, answer, note, fmt.Sprintf("sheet %q row %d", clip(sheet), head+i+2)) {
			continue
		}
		if strings.TrimSpace(id) == "" || identLabel(id) != "" {
			readLabels(b, rows[head+1:], i)
		}
	}
	return b, b.known > 0
}

// readLabels reads identification labels in row i of rows: a label cell
// and the next non-empty cell to its right, or, when that is another
// label or there is none, the cell below it.
func readLabels(b *builder, rows [][]string, i int) {
	row := rows[i]
	for c, cell := range row {
		if identLabel(cell) == "" {
			continue
		}
		v := ""
		for _, right := range row[c+1:] {
			if strings.TrimSpace(right) != "" {
				v = right
				break
			}
		}
		if (v == "" || identLabel(v) != "") && i+1 < len(rows) && c < len(rows[i+1]) {
			v = rows[i+1][c]
		}
		if identLabel(v) == "" {
			b.label(cell, v)
		}
	}
}

// inferColumns finds the question-ID and answer columns of a sheet
// without a header row by their content: the ID column holds the most
// HN 1-2019 question IDs (at least 3), the answer column the most Yes, No
// and N/A on those rows. first is the row of the first ID, or -1 when
// there is no such column.
func inferColumns(rows [][]string) (col columns, first int) {
	ids := make([]int, maxCols)
	for _, row := range rows {
		for c, cell := range row {
			if _, known := NormalizeID(cell); known {
				ids[c]++
			}
		}
	}
	col = columns{id: -1, answer: -1, note: -1}
	for c, n := range ids {
		if n >= 3 && (col.id < 0 || n > ids[col.id]) {
			col.id = c
		}
	}
	if col.id < 0 {
		return col, -1
	}
	answers := make([]int, maxCols)
	first = -1
	for r, row := range rows {
		if col.id >= len(row) {
			continue
		}
		if _, known := NormalizeID(row[col.id]); !known {
			continue
		}
		if first < 0 {
			first = r
		}
		for c, cell := range row {
			if v, ok := parseValue(cell); ok && v != Unknown && c != col.id {
				answers[c]++
			}
		}
	}
	for c, n := range answers {
		if n > 0 && (col.answer < 0 || n > answers[col.answer]) {
			col.answer = c
		}
	}
	if col.answer < 0 {
		return col, -1
	}
	return col, first
}

// colName is the spreadsheet name of column index c (0 is A).
func colName(c int) string {
	name, err := excelize.ColumnNumberToName(c + 1)
	if err != nil {
		return fmt.Sprint(c + 1)
	}
	return name
}

// docDate returns the form's date (as read, the text Excel shows) in ISO
// 8601 (YYYY-MM-DD) when the cell it was read from holds a date: a date
// cell (t="d"), or a number with a date format ("03-14-26", "14.03.2026"
// as shown) or with the General format and a whole value from 1990 to
// 2099 (an Excel date serial whose format was lost, such as 46095). Text
// is kept as written. The cell is the first of the sheet, row by row,
// showing the date's text, among the rows read.
func docDate(x *excelize.File, sheet string, rows [][]string, date string) string {
	if strings.TrimSpace(date) == "" {
		return date
	}
	for r, row := range rows {
		for c, v := range row {
			if v != date {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return date
			}
			if iso, ok := cellDate(x, sheet, cell); ok {
				return iso
			}
			return date
		}
	}
	return date
}

// cellDate reads the cell as a date, ok false when it holds none.
func cellDate(x *excelize.File, sheet, cell string) (iso string, ok bool) {
	typ, err := x.GetCellType(sheet, cell)
	if err != nil {
		return "", false
	}
	raw, err := x.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		return "", false
	}
	switch typ {
	case excelize.CellTypeDate:
		if t, err := time.Parse("2006-01-02", raw[:min(len(raw), 10)]); err == nil {
			return t.Format("2006-01-02"), true
		}
		return "", false
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
	default:
		return "", false
	}
	serial, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || serial < 1 {
		return "", false
	}
	dated, general := dateFormat(x, sheet, cell)
	if !dated && !(general && serial == float64(int(serial)) && serial >= serial1990 && serial < serial2100) {
		return "", false
	}
	props, _ := x.GetWorkbookProps()
	use1904 := props.Date1904 != nil && *props.Date1904
	t, err := excelize.ExcelDateToTime(serial, use1904)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// Excel date serials (1900 system) of 1990-01-01 and 2100-01-01.
const (
	serial1990 = 32874
	serial2100 = 73051
)

// dateFormat reports whether the cell's number format shows a date, and
// whether it is the General format.
func dateFormat(x *excelize.File, sheet, cell string) (dated, general bool) {
	idx, err := x.GetCellStyle(sheet, cell)
	if err != nil {
		return false, false
	}
	st, err := x.GetStyle(idx)
	if err != nil || st == nil {
		return false, idx == 0
	}
	if st.CustomNumFmt != nil {
		return isDateCode(*st.CustomNumFmt), false
	}
	switch n := st.NumFmt; {
	case n == 0:
		return false, true
	case n >= 14 && n <= 17, n == 22, n >= 27 && n <= 36, n >= 50 && n <= 58:
		return true, false
	}
	return false, false
}

// isDateCode reports whether a custom number format shows a date: a
// year, a day or a month (not minutes: m beside h or s) outside quoted
// text, bracketed parts (colours, locales; elapsed hours, minutes and
// seconds count as time) and escaped characters.
func isDateCode(code string) bool {
	var b strings.Builder
	quoted, bracket := false, -1
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = i + 1
		case c == ']' && bracket >= 0:
			if in := strings.ToLower(code[bracket:i]); in != "" && strings.Trim(in, "hms") == "" {
				b.WriteString(in) // elapsed time: [h], [mm], [ss]
			}
			bracket = -1
		case bracket >= 0:
		case c == '\\' || c == '_' || c == '*':
			i++
		default:
			b.WriteByte(c | 0x20)
		}
	}
	t := b.String()
	return strings.ContainsAny(t, "yd") || strings.Contains(t, "m") && !strings.ContainsAny(t, "hs")
}
