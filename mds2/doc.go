// Package mds2 reads the Manufacturer Disclosure Statement for Medical
// Device Security (MDS2, ANSI/NEMA HN 1-2019) into one model, [Form].
//
// Two formats are read, recognised by their content: the HN 1-2019 Excel
// workbook (.xlsx) and a CSV export with the header
// question_id,answer,note. In a workbook the question-ID, answer and note
// columns are found by their header text on whichever sheet holds them,
// not by position (on a sheet without such a header, by their content:
// the column of most question IDs and the column of most Yes/No/N/A,
// with a warning); extra or missing rows and merged cells are tolerated.
// Answers are Yes, No, N/A or blank (blank is unknown); the answer as
// written and the note are kept. Question IDs are normalised (case,
// spaces, separators, leading zeros and a table of known misspellings of
// section names such as SHAD for SAHD); an ID that still does not look
// like an HN 1-2019 ID is kept as written and reported in Form.Warnings,
// never as an error. The form's identification (manufacturer, device
// model, software version, date) is read from the DOC section and from the
// labelled cells above the questions.
//
// Bad input is a named error for that file, never a panic: a file that is
// not an MDS2 form ([ErrNotMDS2]), a damaged workbook ([ErrCorrupt]), an
// encrypted (password-protected) workbook ([ErrEncrypted]) and a file, zip
// archive or sheet beyond the limits ([ErrTooLarge]: a zip bomb disguised
// as a workbook is refused from its zip directory, before anything is
// decompressed).
//
// What a form means for the ranking (package rank) and the reports is
// here too, in words that name each question: [Form.Patching] says who can
// install updates of a class of software ([ClassOf], [Form.ClassOfComponent]:
// the CSUP-2 to CSUP-6 answers), [Form.Exposure] the exposure the device
// has by design (CONN-6, CONN-4, RMOT-1, MPII-3.7, CONN-3),
// [Form.Controls] the compensating controls in place (MLDP, SAHD) and
// [Form.Commitments] the manufacturer's patch-process commitments (CSUP-7,
// CSUP-11, RDMP-3, RDMP-4). A form read by [Parse] is shared by every
// device it is attached to: it must not be changed, and Patching gives
// each class's value once for all of them.
package mds2
