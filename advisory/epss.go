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

// decodeEPSS reads an EPSS scores file as FIRST publishes it
// (https://epss.empiricalsecurity.com/epss_scores-YYYY-MM-DD.csv.gz; gzip
// is undone by the loader):
//
//	#model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z
//	cve,epss,percentile
//	CVE-1999-0001,0.01297,0.79123
//
// The columns are found by name in the header; percentile is optional
// (the first EPSS files had none). encoding/csv reads the rows.
func decodeEPSS(data []byte, source string) (*Feed, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var model, date string
	line := 1
	if bytes.HasPrefix(data, []byte("#")) {
		first := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			first, data = data[:i], data[i+1:]
		} else {
			data = nil
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
		line = 2
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("EPSS file: no header line (cve,epss,percentile)")
		}
		return nil, fmt.Errorf("EPSS file: line %d: %v", line, err)
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
		return nil, fmt.Errorf("EPSS file: line %d: header %q has no cve and epss columns", line, strings.Join(header, ","))
	}
	need := max(cveCol, epssCol, pctCol) + 1
	f := &Feed{EPSS: make([]EPSS, 0, len(data)/32)}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("EPSS file: line %d: %v", pe.Line+line-1, pe.Err)
			}
			return nil, fmt.Errorf("EPSS file: %v", err)
		}
		row, _ := r.FieldPos(0)
		row += line - 1
		if len(rec) < need {
			return nil, fmt.Errorf("EPSS file: line %d: %d field(s), want %d", row, len(rec), need)
		}
		cve := strings.ToUpper(strings.TrimSpace(rec[cveCol]))
		if !strings.HasPrefix(cve, "CVE-") {
			return nil, fmt.Errorf("EPSS file: line %d: %q is not a CVE id", row, rec[cveCol])
		}
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
