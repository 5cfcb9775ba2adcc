package advisory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// looksLikeEPSS reports whether data is meant to be a FIRST EPSS scores
// file: the "#model_version:...,score_date:..." comment line that FIRST
// writes first, or straight away the "cve,epss" header.
func looksLikeEPSS(data []byte) bool {
	head := bytes.TrimPrefix(data[:min(len(data), 256)], []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(head, []byte("#model_version:")) ||
		bytes.HasPrefix(bytes.ToLower(head), []byte("cve,epss"))
}

// maxEPSSLine caps one line of an EPSS file: a line is a CVE id and two
// numbers (about 30 bytes), and the header.
const maxEPSSLine = 4 << 10

// decodeEPSS reads an EPSS scores file as FIRST publishes it
// (https://epss.empiricalsecurity.com/epss_scores-YYYY-MM-DD.csv.gz; gzip
// is undone by the loader):
//
//	#model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z
//	cve,epss,percentile
//	CVE-1999-0001,0.01297,0.79123
//
// The columns are found by name in the header; percentile is optional
// (the first EPSS files had none). Blank lines are skipped; a line holding
// a double quote is read as CSV (encoding/csv), the others are split at
// the commas.
//
// Memory grows with the scores read, not with the file: the lines are
// read in place (one string per line is all that is allocated), a line
// longer than 4 KiB is an error (a single huge line of a decompression
// bomb is never copied), and a CVE listed twice is an error (FIRST lists
// each once; a file that repeats a line millions of times, which gzip
// compresses a thousandfold, stops at the first repetition).
func decodeEPSS(data []byte, source string) (*Feed, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	lr := lineReader{data: data}
	var model, date string
	if bytes.HasPrefix(data, []byte("#")) {
		first, err := lr.next()
		if err != nil {
			return nil, err
		}
		for _, kv := range strings.Split(strings.TrimSpace(strings.TrimPrefix(string(first), "#")), ",") {
			k, v, _ := strings.Cut(kv, ":")
			switch strings.TrimSpace(k) {
			case "model_version":
				model = strings.TrimSpace(v)
			case "score_date":
				date = strings.TrimSpace(v)
			}
		}
	}
	var fields []string
	header, err := lr.nextRecord(fields)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("EPSS file: no header line (cve,epss,percentile)")
		}
		return nil, err
	}
	cveCol, epssCol, pctCol := -1, -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "cve":
			cveCol = i
		case "epss":
			epssCol = i
		case "percentile":
			pctCol = i
		}
	}
	if cveCol < 0 || epssCol < 0 {
		return nil, fmt.Errorf("EPSS file: line %d: header %q has no cve and epss columns", lr.line, strings.Join(header, ","))
	}
	need := max(cveCol, epssCol, pctCol) + 1
	f := &Feed{}
	seen := map[string]int{}
	for {
		rec, err := lr.nextRecord(fields)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		fields = rec[:0]
		row := lr.line
		if len(rec) < need {
			return nil, fmt.Errorf("EPSS file: line %d: %d field(s), want %d", row, len(rec), need)
		}
		cve := strings.TrimSpace(rec[cveCol])
		if !strings.HasPrefix(strings.ToUpper(cve[:min(len(cve), 4)]), "CVE-") {
			return nil, fmt.Errorf("EPSS file: line %d: %q is not a CVE id", row, rec[cveCol])
		}
		cve = strings.ToUpper(cve)
		if prev, ok := seen[cve]; ok {
			return nil, fmt.Errorf("EPSS file: line %d: %s listed again (first on line %d)", row, cve, prev)
		}
		seen[cve] = row
		score, err := probability(rec[epssCol])
		if err != nil {
			return nil, fmt.Errorf("EPSS file: line %d: epss: %v", row, err)
		}
		e := EPSS{CVE: cve, Score: score, Model: model, Date: date, Source: source}
		if pctCol >= 0 {
			if e.Percentile, err = probability(rec[pctCol]); err != nil {
				return nil, fmt.Errorf("EPSS file: line %d: percentile: %v", row, err)
			}
		}
		f.EPSS = append(f.EPSS, e)
	}
	return f, nil
}

// lineReader reads the lines of an EPSS file in place.
type lineReader struct {
	data []byte
	line int // the number of the line last returned, from 1
}

// next returns the next line, without its line ending, or io.EOF.
func (r *lineReader) next() ([]byte, error) {
	if len(r.data) == 0 {
		return nil, io.EOF
	}
	r.line++
	l := r.data
	if i := bytes.IndexByte(r.data, '\n'); i >= 0 {
		l, r.data = r.data[:i], r.data[i+1:]
	} else {
		r.data = nil
	}
	if len(l) > maxEPSSLine {
		return nil, fmt.Errorf("EPSS file: line %d: longer than %d bytes", r.line, maxEPSSLine)
	}
	return bytes.TrimSuffix(l, []byte("\r")), nil
}

// nextRecord returns the fields of the next line that is not blank,
// appended to fields[:0], or io.EOF. The fields share one string, the
// line's.
func (r *lineReader) nextRecord(fields []string) ([]string, error) {
	for {
		l, err := r.next()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		fields = fields[:0]
		if bytes.IndexByte(l, '"') >= 0 {
			cr := csv.NewReader(bytes.NewReader(l))
			cr.FieldsPerRecord = -1
			rec, err := cr.Read()
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return nil, fmt.Errorf("EPSS file: line %d: %v", r.line, err)
			}
			return append(fields, rec...), nil
		}
		line := string(l)
		for {
			i := strings.IndexByte(line, ',')
			if i < 0 {
				return append(fields, line), nil
			}
			fields = append(fields, line[:i])
			line = line[i+1:]
		}
	}
}

// probability reads a number between 0 and 1.
func probability(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsNaN(v) || v < 0 || v > 1 {
		return 0, fmt.Errorf("%q is not between 0 and 1", s)
	}
	return v, nil
}
