package inventory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/match"
)

// Inventory is what Read found in one file.
type Inventory struct {
	// Path is the file as named.
	Path string
	// Assets lists the assets of the rows that could be read, in file
	// order, with their SBOM paths joined to the inventory's folder.
	Assets []match.Asset
	// Errors lists the rows that could not be read.
	Errors []*RowError
	// Lines gives the line of each asset's row, by asset id.
	Lines map[string]int
}

// RowError is a row of the inventory that could not be read.
type RowError struct {
	// Path is the inventory file and Line the row's line (1 is the
	// header).
	Path string
	Line int
	// AssetID is the row's asset id, when it has one.
	AssetID string
	// Err is the reason.
	Err error
}

// Error implements error.
func (e *RowError) Error() string {
	if e.AssetID != "" {
		return fmt.Sprintf("%s:%d: asset %s: %v", e.Path, e.Line, e.AssetID, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
}

// Detail is the error without the file name: "line 5: asset X: reason".
func (e *RowError) Detail() string {
	if e.AssetID != "" {
		return fmt.Sprintf("line %d: asset %s: %v", e.Line, e.AssetID, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the reason.
func (e *RowError) Unwrap() error { return e.Err }

// Load reads the inventory file at path; SBOM paths are relative to its
// folder. The error is for the file as a whole (missing, no header, no
// asset_id or sbom column); bad rows are in Inventory.Errors.
func Load(path string) (*Inventory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path, filepath.Dir(path))
}

// maxBytes caps an inventory file: a hospital's list of tens of thousands
// of assets is a few megabytes.
const maxBytes = 64 << 20

// values lists each enumerated column's accepted values and aliases, in
// lower case, with the value each stands for.
var values = map[string]map[string]string{
	"exposure": {
		match.ExposureSmall: match.ExposureSmall, match.ExposureControlled: match.ExposureControlled, match.ExposureOpen: match.ExposureOpen,
		"isolated": match.ExposureSmall, "segmented": match.ExposureControlled, "internet": match.ExposureOpen,
	},
	"safety_impact": {
		match.SafetyNegligible: match.SafetyNegligible, match.SafetyMarginal: match.SafetyMarginal,
		match.SafetyCritical: match.SafetyCritical, match.SafetyCatastrophic: match.SafetyCatastrophic,
	},
	"mission_impact": {
		match.MissionDegraded: match.MissionDegraded, match.MissionCrippled: match.MissionCrippled,
		match.MissionMEF: match.MissionMEF, match.MissionFailure: match.MissionFailure,
		// SSVC 2 names the value "MEF Support Crippled".
		"mef-support-crippled": match.MissionCrippled,
	},
}

// allowed lists a column's values for messages.
var allowed = map[string]string{
	"exposure":       "small, controlled, open (or isolated, segmented, internet)",
	"safety_impact":  "negligible, marginal, critical, catastrophic",
	"mission_impact": "degraded, crippled (or mef-support-crippled), mef-failure, mission-failure",
}

// Read reads an inventory from r; name is used in errors and dir is the
// folder SBOM paths are relative to.
func Read(r io.Reader, name, dir string) (*Inventory, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB", name, maxBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty: want a header row (asset_id,sbom,...)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[k]; dup && k != "" {
			return nil, fmt.Errorf("%s: header: column %q twice", name, k)
		}
		col[k] = i
	}
	for _, req := range []string{"asset_id", "sbom"} {
		if _, ok := col[req]; !ok {
			return nil, fmt.Errorf("%s: header: no %s column (header %q)", name, req, strings.Join(header, ","))
		}
	}
	inv := &Inventory{Path: name, Lines: map[string]int{}}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				inv.Errors = append(inv.Errors, &RowError{Path: name, Line: pe.Line, Err: pe.Err})
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					// The reader cannot resynchronise inside a quoted
					// field; it goes on with the next record.
					continue
				}
			}
			return inv, nil
		}
		line, _ := cr.FieldPos(0)
		cell := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if isBlank(rec) {
			continue
		}
		a, err := row(cell, name, line, dir)
		if err == nil {
			if first, dup := seen[a.ID]; dup {
				err = fmt.Errorf("asset_id repeats line %d", first)
			}
		}
		if err != nil {
			inv.Errors = append(inv.Errors, &RowError{Path: name, Line: line, AssetID: cell("asset_id"), Err: err})
			continue
		}
		seen[a.ID] = line
		inv.Lines[a.ID] = line
		inv.Assets = append(inv.Assets, a)
	}
	return inv, nil
}

func isBlank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func row(cell func(string) string, name string, line int, dir string) (match.Asset, error) {
	a := match.Asset{ID: cell("asset_id"), Source: fmt.Sprintf("%s:%d", name, line)}
	if a.ID == "" {
		return a, errors.New("empty asset_id")
	}
	sb := cell("sbom")
	if sb == "" {
		return a, errors.New("empty sbom")
	}
	if !filepath.IsAbs(sb) {
		sb = filepath.Join(dir, filepath.FromSlash(sb))
	}
	a.SBOM = sb
	c := &a.Context
	c.AssetID, c.Location = a.ID, cell("location")
	for _, e := range []struct {
		col, def string
		dst      *string
		label    string
	}{
		{"exposure", match.DefaultExposure, &c.Exposure, "exposure"},
		{"safety_impact", match.DefaultSafety, &c.Safety, "safety impact"},
		{"mission_impact", match.DefaultMission, &c.Mission, "mission impact"},
	} {
		v := cell(e.col)
		if v == "" {
			*e.dst = e.def
			c.Defaulted = append(c.Defaulted, fmt.Sprintf("%s %s (default: %s empty in the inventory)", e.label, e.def, e.col))
			continue
		}
		norm := strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(v))
		got, ok := values[e.col][norm]
		if !ok {
			return a, fmt.Errorf("%s %q: want %s", e.col, v, allowed[e.col])
		}
		*e.dst = got
	}
	c.Units = 1
	if u := cell("units"); u != "" {
		n, err := strconv.Atoi(u)
		if err != nil || n < 1 {
			return a, fmt.Errorf("units %q: want a whole number of at least 1", u)
		}
		c.Units = n
	} else {
		c.Defaulted = append(c.Defaulted, "units 1 (default: units empty in the inventory)")
	}
	return a, nil
}
