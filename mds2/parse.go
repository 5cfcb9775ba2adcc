package mds2

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bomrank/bomrank/internal/walk"
)

// Limits. An HN 1-2019 workbook is a few hundred kilobytes with a few
// hundred rows; these leave room for forms with pictures and notes.
const (
	// MaxFileSize is the largest form file read (workbook or CSV).
	MaxFileSize = 16 << 20
	// maxUnzipped bounds what a workbook's zip directory may declare in
	// all (archive/zip refuses a member that decompresses to more than it
	// declares).
	maxUnzipped = 64 << 20
	// maxMember bounds one member of a workbook.
	maxMember = 32 << 20
	// maxMembers bounds the members of a workbook.
	maxMembers = 2000
	// maxSheets bounds the sheets looked at.
	maxSheets = 64
	// maxRows bounds the rows of a sheet, and of a CSV export.
	maxRows = 20000
	// maxCols bounds the columns read of each row.
	maxCols = 64
	// maxWarnings bounds the warnings kept for one form.
	maxWarnings = 200
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// ParseFile reads the MDS2 form at path (a workbook or a CSV export,
// recognised by its content). Errors name the file.
func ParseFile(path string) (*Form, error) {
	f, _, err := walk.Open(path, MaxFileSize)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	return Parse(f, path)
}

// Parse reads an MDS2 form from r (a workbook or a CSV export, recognised
// by its content); name is the form's Path and names it in errors and
// warnings. At most MaxFileSize bytes are read.
func Parse(r io.Reader, name string) (form *Form, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fileError(name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fileError(name, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxFileSize))
	}
	defer func() {
		if p := recover(); p != nil {
			form, err = nil, fileError(name, fmt.Errorf("%w: panic: %v", ErrCorrupt, p))
		}
	}()
	switch {
	case bytes.HasPrefix(data, oleMagic):
		return nil, fileError(name, ErrEncrypted)
	case bytes.HasPrefix(data, zipMagic):
		return parseWorkbook(data, name)
	case looksBinary(data):
		return nil, fileError(name, fmt.Errorf("%w: neither a workbook nor CSV text", ErrNotMDS2))
	}
	return parseCSV(data, name)
}

// looksBinary reports whether the start of data holds bytes no CSV text
// has.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 4096)]
	return bytes.IndexByte(head, 0) >= 0
}

// parseCSV reads the CSV export: question_id,answer,note (the header
// names the columns, in any order; without it the columns are in that
// order). Rows whose first column is an identification label
// (Manufacturer, Device Model, Software Version, Date) identify the form.
func parseCSV(data []byte, name string) (*Form, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = -1, true, true
	b := newBuilder(name)
	col := columns{id: 0, answer: 1, note: 2}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fileError(name, fmt.Errorf("%w: %v", ErrNotMDS2, err))
			}
			return nil, fileError(name, err)
		}
		if line > maxRows {
			return nil, fileError(name, fmt.Errorf("%w: more than %d rows", ErrTooLarge, maxRows))
		}
		if line == 1 {
			if h, ok := findColumns(rec); ok {
				col = h
				continue
			}
		}
		id, answer, note := col.get(rec)
		if !b.label(id, answer) {
			b.add(id, answer, note, fmt.Sprintf("line %d", line))
		}
	}
	return b.finish()
}

// columns are the indexes of the question-ID, answer and note columns (-1
// when absent).
type columns struct{ id, answer, note int }

func (c columns) get(row []string) (id, answer, note string) {
	at := func(i int) string {
		if i >= 0 && i < len(row) {
			return row[i]
		}
		return ""
	}
	return at(c.id), at(c.answer), at(c.note)
}

// findColumns finds the question-ID, answer and note columns in a header
// row by their text; ok is false unless both the ID and answer columns
// are there.
func findColumns(row []string) (c columns, ok bool) {
	c = columns{-1, -1, -1}
	for i, cell := range row[:min(len(row), maxCols)] {
		switch h := normHeader(cell); {
		case c.id < 0 && isIDHeader(h):
			c.id = i
		case c.answer < 0 && isAnswerHeader(h):
			c.answer = i
		case c.note < 0 && isNoteHeader(h):
			c.note = i
		}
	}
	return c, c.id >= 0 && c.answer >= 0
}

func isIDHeader(h string) bool {
	switch h {
	case "question_id", "question id", "questionid", "id", "question number", "question no",
		"item", "item id", "mds2 id", "mds2 question id", "ref", "reference id":
		return true
	}
	return false
}

func isAnswerHeader(h string) bool {
	switch h {
	case "answer", "answers", "response", "responses", "manufacturer response", "manufacturer answer",
		"yes/no/n/a", "yes, no, n/a", "yes / no / n/a", "value":
		return true
	}
	return strings.HasPrefix(h, "answer") || strings.HasPrefix(h, "response")
}

func isNoteHeader(h string) bool {
	switch h {
	case "note", "notes", "comment", "comments", "remark", "remarks", "note text", "notes/comments",
		"manufacturer note", "manufacturer notes", "see note", "explanation":
		return true
	}
	return false
}
