package mds2

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestNormalizeID(t *testing.T) {
	for _, c := range []struct {
		raw, id string
		known   bool
	}{
		{"CSUP-2.2", "CSUP-2.2", true}, {" csup-2.2 ", "CSUP-2.2", true}, {"CSUP 2.2", "CSUP-2.2", true},
		{"CSUP2.2", "CSUP-2.2", true}, {"CSUP-2-2", "CSUP-2.2", true}, {"CSUP-02.02", "CSUP-2.2", true},
		{"CSUP_2_2", "CSUP-2.2", true}, {"CSUP–2.2", "CSUP-2.2", true}, {"CSUP-2.2.", "CSUP-2.2", true},
		{"SHAD-15", "SAHD-15", true}, {"shad 15", "SAHD-15", true}, {"SADH-3.1", "SAHD-3.1", true},
		{"MLPD-2", "MLDP-2", true}, {"Conn-6", "CONN-6", true}, {"RMOTE-1", "RMOT-1", true}, {"doc-1", "DOC-1", true},
		{"MPII-3.7", "MPII-3.7", true}, {"AUDT-1", "AUDT-1", true},
		{"XYZ-9", "XYZ-9", false}, {"CSUP-3.1a", "CSUP-3.1A", false}, {"CSUP-1.2.3.4.5", "CSUP-1.2.3.4.5", false},
		{"", "", false}, {"Manufacturer Name", "", false}, {"CYBER SECURITY PRODUCT UPGRADES", "", false},
		{"12", "", false}, {"CSUP", "", false}, {"a very long sentence with 3 words and more", "", false},
	} {
		id, known := NormalizeID(c.raw)
		if id != c.id || known != c.known {
			t.Errorf("NormalizeID(%q) = %q, %v; want %q, %v", c.raw, id, known, c.id, c.known)
		}
	}
}

func TestParseValue(t *testing.T) {
	for s, want := range map[string]Value{"Yes": Yes, " YES ": Yes, "y": Yes, "Yes, see note 3": Yes, "No": No,
		"no - see note": No, "N/A": NA, "n/a": NA, "NA": NA, "Not applicable": NA, "": Unknown, "See Note": Unknown} {
		if v, ok := parseValue(s); v != want || !ok {
			t.Errorf("parseValue(%q) = %s, %v; want %s", s, v, ok, want)
		}
	}
	for _, s := range []string{"Maybe", "Nope", "Yesterday", "Acme Medical Inc."} {
		if v, ok := parseValue(s); v != Unknown || ok {
			t.Errorf("parseValue(%q) = %s, %v; want unknown, false", s, v, ok)
		}
	}
}

func TestCSV(t *testing.T) {
	in := "\xEF\xBB\xBFnote,Question ID,Answer\n" +
		"\"OS updates, by service\",CSUP-2.2,Yes\n,Device Model,X1\n,SHAD-15,no\n,conn 6,\n"
	f, err := Parse(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if a := f.Answer("CSUP-2.2"); a.Value != Yes || a.Note != "OS updates, by service" {
		t.Errorf("CSUP-2.2: %+v", a)
	}
	if !f.Is("SAHD-15", No) || !f.Is("CONN-6", Unknown) || f.Model != "X1" || len(f.Warnings) != 0 {
		t.Errorf("%+v", f)
	}
	// Without a header the columns are question_id,answer,note.
	f, err = Parse(strings.NewReader("CSUP-2.1,N/A,none\n"), "y.csv")
	if err != nil || !f.Is("CSUP-2.1", NA) || f.Answer("CSUP-2.1").Note != "none" {
		t.Errorf("%+v %v", f, err)
	}
}

// badInputs are files that are not read, with the error each gives.
func badInputs(t *testing.T) map[string]struct {
	data []byte
	err  error
} {
	good, err := os.ReadFile(filepath.Join(fixtureDir, "acme-vitaflow-3000.xlsx"))
	must(t, err)
	return map[string]struct {
		data []byte
		err  error
	}{
		"empty":                  {nil, ErrNotMDS2},
		"an inventory CSV":       {[]byte("asset_id,sbom,location\nICU-1,a.json,ICU\n"), ErrNotMDS2},
		"binary":                 {[]byte("\x00\x01\x02garbage"), ErrNotMDS2},
		"broken CSV quoting":     {[]byte("question_id,answer\nCSUP-1,\"Yes\" x\"\n"), nil},
		"a workbook, no form":    {workbook(t, [][]any{{"asset", "room"}, {"pump", "ICU"}}), ErrNotMDS2},
		"header, no question":    {workbook(t, [][]any{{"Question ID", "Answer"}, {"Totals", "3"}}), ErrNotMDS2},
		"truncated workbook":     {good[:len(good)/2], ErrCorrupt},
		"damaged workbook":       {damage(good), ErrCorrupt},
		"password-protected":     {encrypted(t), ErrEncrypted},
		"legacy xls header":      {append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), ErrEncrypted},
		"zip bomb (declared)":    {zipBomb(t, 1<<40, 1<<20), ErrTooLarge},
		"zip bomb (in all)":      {zipMany(t, 40, 4<<20), ErrTooLarge},
		"zip bomb (lying sizes)": {zipBomb(t, 1024, 4<<20), ErrCorrupt},
		"too many members":       {zipMany(t, maxMembers+1, 1), ErrTooLarge},
		"too large":              {make([]byte, MaxFileSize+1), ErrTooLarge},
		"huge sheet":             {hugeSheet(t), ErrTooLarge},
	}
}

func TestBadInput(t *testing.T) {
	for name, c := range badInputs(t) {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(bytes.NewReader(c.data), "form.xlsx")
			if c.err == nil { // read leniently: LazyQuotes
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *Error
			if !errors.Is(err, c.err) || !errors.As(err, &fe) || fe.Path != "form.xlsx" || f != nil {
				t.Fatalf("got %v, %v; want %v naming form.xlsx", f, err, c.err)
			}
			if !strings.HasPrefix(err.Error(), "mds2: form.xlsx: ") {
				t.Errorf("error %q", err)
			}
		})
	}
}

func TestParseFileNotRegular(t *testing.T) {
	for _, p := range []string{t.TempDir(), "/dev/null", filepath.Join(t.TempDir(), "missing.xlsx")} {
		if _, err := ParseFile(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// workbook writes rows on one sheet.
func workbook(t testing.TB, rows [][]any) []byte {
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range rows {
		if err := x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	b, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// damage flips bytes in the middle of every deflated member.
func damage(good []byte) []byte {
	b := bytes.Clone(good)
	for i := 200; i < len(b)-200; i += 97 {
		b[i] ^= 0x5A
	}
	return b
}

func encrypted(t *testing.T) []byte {
	x := excelize.NewFile()
	defer x.Close()
	must(t, x.SetCellValue("Sheet1", "A1", "Question ID"))
	path := filepath.Join(t.TempDir(), "p.xlsx")
	must(t, x.SaveAs(path, excelize.Options{Password: "secret"}))
	b, err := os.ReadFile(path)
	must(t, err)
	return b
}

// zipBomb writes a workbook-looking zip with one member of real bytes of
// zeros, declaring declared bytes.
func zipBomb(t *testing.T, declared uint64, real int) []byte {
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.BestCompression)
	must(t, err)
	_, err = fw.Write(make([]byte, real))
	must(t, err)
	must(t, fw.Close())
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: declared})
	must(t, err)
	_, err = w.Write(raw.Bytes())
	must(t, err)
	must(t, zw.Close())
	return out.Bytes()
}

// zipMany writes n members of one stored byte each, each declaring
// declared bytes (the directory is checked before anything is read).
func zipMany(t *testing.T, n int, declared uint64) []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for i := range n {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("xl/media/image%d.bin", i), Method: zip.Store,
			CompressedSize64: 1, UncompressedSize64: declared})
		must(t, err)
		_, err = w.Write([]byte{0})
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

// hugeSheet writes a form with more than maxRows rows.
func hugeSheet(t *testing.T) []byte {
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	must(t, err)
	must(t, sw.SetRow("A1", []any{"Question ID", "Answer"}))
	for i := 2; i <= maxRows+10; i++ {
		must(t, sw.SetRow(fmt.Sprintf("A%d", i), []any{"CSUP-1", "Yes"}))
	}
	must(t, sw.Flush())
	b, err := x.WriteToBuffer()
	must(t, err)
	return b.Bytes()
}
