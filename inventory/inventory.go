package inventory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/internal/walk"
	"github.com/bomrank/bomrank/ssvc"
)

// Asset is one device of a hospital's inventory: the SBOM it runs and what
// the hospital knows about it. Several assets may run the same SBOM.
type Asset struct {
	// ID is the asset id; it becomes the device's id in the output.
	ID string
	// SBOM is the path of the asset's SBOM, as the SBOM loader was given
	// it.
	SBOM string
	// Source says where the asset was read ("assets.csv:3"), for
	// messages.
	Source string
	// Context is the asset's context; Context.AssetID equals ID.
	Context ssvc.Context
	// MDS2 is the path of the asset's MDS2 form (column mds2), joined to
	// the inventory's folder; "" when the column is empty or absent.
	MDS2 string
	// HardeningGuide is the URL or path of the manufacturer's hardening
	// guide (column hardening_guide, as written) and
	// HardeningGuideVersion the software version it is for (column
	// hardening_guide_version); "" when not given.
	HardeningGuide, HardeningGuideVersion string
}

// Inventory is what Read found in one file.
type Inventory struct {
	// Path is the file as named.
	Path string
	// Assets lists the assets of the rows that could be read, in file
	// order, with their SBOM paths joined to the inventory's folder.
	Assets []Asset
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

// File is the inventory file (Path); it lets package report list the
// error without importing this package.
func (e *RowError) File() string { return e.Path }

// Unwrap returns the reason.
func (e *RowError) Unwrap() error { return e.Err }

// Load reads the inventory file at path; SBOM paths are relative to its
// folder. The error is for the file as a whole (missing, no header, no
// asset_id or sbom column); bad rows are in Inventory.Errors. The file is
// opened by walk.Open: a regular file of at most 64 MiB (a named pipe or a
// device is an error, returned without blocking).
func Load(path string) (*Inventory, error) {
	f, _, err := walk.Open(path, maxBytes)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer f.Close()
	return Read(f, path, filepath.Dir(path))
}

// maxBytes caps an inventory file: a hospital's list of tens of thousands
// of assets is a few megabytes.
const maxBytes = 64 << 20

// exposureAliases are the inventory's plain words for the SSVC exposure
// values (keys in lower case, spaces and underscores as dashes); the SSVC
// values themselves, and SSVC 2's "MEF Support Crippled" for crippled,
// are read by package ssvc.
var exposureAliases = map[string]ssvc.Exposure{
	"isolated": ssvc.ExposureSmall, "segmented": ssvc.ExposureControlled, "internet": ssvc.ExposureOpen,
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

func row(cell func(string) string, name string, line int, dir string) (Asset, error) {
	a := Asset{ID: cell("asset_id"), Source: fmt.Sprintf("%s:%d", name, line)}
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
	if m := cell("mds2"); m != "" {
		if !filepath.IsAbs(m) {
			m = filepath.Join(dir, filepath.FromSlash(m))
		}
		a.MDS2 = m
	}
	a.HardeningGuide, a.HardeningGuideVersion = cell("hardening_guide"), cell("hardening_guide_version")
	c := &a.Context
	c.AssetID, c.Location = a.ID, cell("location")
	exposure := func(v string) (ssvc.Exposure, error) {
		if x, ok := exposureAliases[strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(v))]; ok {
			return x, nil
		}
		return ssvc.ParseExposure(v)
	}
	if err := column(c, cell, "exposure", "exposure", ssvc.DefaultExposure, exposure, &c.Exposure); err != nil {
		return a, err
	}
	if err := column(c, cell, "safety_impact", "safety impact", ssvc.DefaultSafety, ssvc.ParseSafety, &c.Safety); err != nil {
		return a, err
	}
	if err := column(c, cell, "mission_impact", "mission impact", ssvc.DefaultMission, ssvc.ParseMission, &c.Mission); err != nil {
		return a, err
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

// column reads one enumerated column into dst: its default (noted in
// c.Defaulted) when the cell is empty, an error naming the accepted
// values when parse cannot read it.
func column[T ~string](c *ssvc.Context, cell func(string) string, col, label string, def T, parse func(string) (T, error), dst *T) error {
	v := cell(col)
	if v == "" {
		*dst = def
		c.Defaulted = append(c.Defaulted, fmt.Sprintf("%s %s (default: %s empty in the inventory)", label, def, col))
		return nil
	}
	got, err := parse(v)
	if err != nil {
		return fmt.Errorf("%s %q: want %s", col, v, allowed[col])
	}
	*dst = got
	return nil
}
