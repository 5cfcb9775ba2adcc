package mds2

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/internal/walk"
)

// Value is the answer to an MDS2 question: yes, no, na (not applicable)
// or unknown (blank, or not one of the others).
type Value string

// The values of an answer.
const (
	Yes     Value = "yes"
	No      Value = "no"
	NA      Value = "na"
	Unknown Value = "unknown"
)

// Answer is one question's answer on a form.
type Answer struct {
	// Value is yes, no, na or unknown.
	Value Value
	// Text is the answer cell as written, trimmed (the text of the DOC
	// items, such as the manufacturer's name, is here).
	Text string
	// Note is the manufacturer's note on the question, if any.
	Note string
}

// Form is one MDS2 form as read.
type Form struct {
	// Path is the file the form was read from (the name given to Parse).
	Path string
	// Manufacturer, Model, Version and Date identify the form: the
	// manufacturer, the device model, its software version and the date
	// of the form, as written; a workbook's date held in a date cell
	// (an Excel date serial) is given as YYYY-MM-DD.
	Manufacturer, Model, Version, Date string
	// Answers holds every answered or listed question by its normalised
	// ID (such as "CSUP-2.2").
	Answers map[string]Answer
	// Warnings says what was read with doubt: unknown question IDs,
	// answers that are not Yes, No or N/A, questions given twice.
	Warnings []string

	// fx caches the form's effects (Patching) for a form read by Parse,
	// which must not change afterwards; nil for a form built otherwise.
	fx *effects
}

// Answer returns the answer to the question id (normalised as the form's
// IDs are); a question the form does not hold is Unknown.
func (f *Form) Answer(id string) Answer {
	if f == nil {
		return Answer{Value: Unknown}
	}
	if norm, _ := NormalizeID(id); norm != "" {
		id = norm
	}
	a, ok := f.Answers[id]
	if !ok {
		return Answer{Value: Unknown}
	}
	return a
}

// Is reports whether the answer to the question id is v.
func (f *Form) Is(id string, v Value) bool { return f.Answer(id).Value == v }

// Errors of a file that is not read. Each is wrapped in an *Error naming
// the file.
var (
	// ErrNotMDS2 means the file is neither an MDS2 workbook nor an MDS2
	// CSV export: no question-ID and answer columns, or no question ID.
	ErrNotMDS2 = errors.New("not an MDS2 form")
	// ErrCorrupt means a workbook that could not be read.
	ErrCorrupt = errors.New("damaged workbook")
	// ErrEncrypted means an encrypted (password-protected) workbook, or a
	// legacy binary .xls, which is stored the same way.
	ErrEncrypted = errors.New("encrypted (password-protected) workbook or legacy .xls: save it as an unprotected .xlsx")
	// ErrTooLarge means a file, zip archive or sheet beyond the limits.
	ErrTooLarge = walk.ErrTooLarge
)

// Error is the error of one file: its path and what went wrong.
type Error struct {
	// Path is the file (the name given to Parse).
	Path string
	// Err is what went wrong: it wraps ErrNotMDS2, ErrCorrupt,
	// ErrEncrypted or ErrTooLarge, or is an error opening the file.
	Err error
}

// Error names the file.
func (e *Error) Error() string { return "mds2: " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// File is the form's file (Path); with Detail it lets package report list
// the error as it lists an inventory's, without importing this package.
func (e *Error) File() string { return e.Path }

// Detail is the error without the file name: "MDS2 form: " and the cause.
func (e *Error) Detail() string { return "MDS2 form: " + e.Err.Error() }

// fileError wraps err as the error of the file at path.
func fileError(path string, err error) error {
	var fe *Error
	if errors.As(err, &fe) {
		return err
	}
	return &Error{Path: path, Err: err}
}

// parseValue reads an answer cell: Yes, No, N/A (in their usual
// spellings, or at the start of a longer answer such as "Yes, see note
// 3"), blank is unknown; ok is false for any other text.
func parseValue(s string) (v Value, ok bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "":
		return Unknown, true
	case "yes", "y", "true", "x":
		return Yes, true
	case "no", "n", "false":
		return No, true
	case "n/a", "na", "n.a.", "n.a", "not applicable", "-":
		return NA, true
	case "see note", "see notes", "unknown", "?":
		return Unknown, true
	}
	for _, p := range []struct {
		prefix string
		v      Value
	}{{"n/a", NA}, {"not applicable", NA}, {"yes", Yes}, {"no", No}} {
		if rest, found := strings.CutPrefix(t, p.prefix); found && rest != "" && !isLetter(rest[0]) {
			return p.v, true
		}
	}
	return Unknown, false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80 }

// builder collects a form's rows in the order read.
type builder struct {
	form *Form
	doc  map[string]string // identification from labelled cells
	// known counts the HN 1-2019 question IDs read: a file without one
	// is not an MDS2 form.
	known int
}

func newBuilder(path string) *builder {
	return &builder{form: &Form{Path: path, Answers: map[string]Answer{}, fx: &effects{}}, doc: map[string]string{}}
}

func (b *builder) warn(format string, args ...any) {
	if len(b.form.Warnings) < maxWarnings {
		b.form.Warnings = append(b.form.Warnings, fmt.Sprintf(format, args...))
	} else if len(b.form.Warnings) == maxWarnings {
		b.form.Warnings = append(b.form.Warnings, "more warnings not shown")
	}
}

// add records one question row; where says where it was (for warnings).
// It reports whether raw was a question ID at all.
func (b *builder) add(raw, answer, note, where string) bool {
	id, known := NormalizeID(raw)
	if id == "" {
		return false
	}
	if !known {
		b.warn("%s: unknown question ID %q, kept as written", where, raw)
	} else {
		b.known++
	}
	if _, dup := b.form.Answers[id]; dup {
		b.warn("%s: question %s given again, the first answer kept", where, id)
		return true
	}
	text := strings.TrimSpace(answer)
	v, ok := parseValue(text)
	if !ok && known && !strings.HasPrefix(id, "DOC-") {
		b.warn("%s: %s: answer %q is not Yes, No or N/A, read as unknown", where, id, clip(text))
	}
	b.form.Answers[id] = Answer{Value: v, Text: text, Note: strings.TrimSpace(note)}
	return true
}

// label records a labelled identification cell ("Manufacturer", "Device
// model", ...); it reports whether text was such a label.
func (b *builder) label(text, value string) bool {
	key := identLabel(text)
	if key == "" {
		return false
	}
	if value = strings.TrimSpace(value); value != "" && b.doc[key] == "" {
		b.doc[key] = value
	}
	return true
}

// finish fills the identification (DOC items where the labelled cells
// were silent) and returns the form, or ErrNotMDS2 when no HN 1-2019
// question ID was read.
func (b *builder) finish() (*Form, error) {
	f := b.form
	if b.known == 0 {
		return nil, fileError(f.Path, fmt.Errorf("%w: no MDS2 question IDs", ErrNotMDS2))
	}
	pick := func(label, docID string) string {
		if v := b.doc[label]; v != "" {
			return v
		}
		return f.Answers[docID].Text
	}
	f.Manufacturer = pick("manufacturer", "DOC-1")
	f.Model = pick("model", "DOC-3")
	f.Version = pick("version", "")
	f.Date = pick("date", "DOC-7")
	return f, nil
}

// identLabel says which identification field a label cell names, or "".
func identLabel(s string) string {
	switch normHeader(s) {
	case "manufacturer", "manufacturer name", "device manufacturer":
		return "manufacturer"
	case "device model", "model", "model number", "product", "product name", "device model name":
		return "model"
	case "software revision", "software version", "version", "software release", "firmware version", "device version":
		return "version"
	case "document release date", "release date", "date", "form date", "date completed", "software release date":
		return "date"
	}
	return ""
}

// normHeader lowercases a header or label cell and folds its spacing and
// trailing punctuation.
func normHeader(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.Trim(s, " :*#.")
}

// clip shortens text quoted in a warning.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// SameVersion reports whether two software versions as people write them
// on forms, inventories and SBOMs name the same release: equal but for
// case, surrounding space and a leading "v" ("V2.1" is "2.1"). An empty
// version names no release.
func SameVersion(a, b string) bool {
	norm := func(s string) string { return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "v") }
	return norm(a) != "" && norm(a) == norm(b)
}
