package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/internal/walk"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/sbom"
)

// formExts are the names of the files read as MDS2 forms when found in a
// directory given to Config.MDS2 (a file named there is read whatever
// its name).
var formExts = []string{".xlsx", ".xlsm", ".csv"}

// formFile is one MDS2 form file to read.
type formFile struct {
	path  string // as named (the walk's or the inventory's path)
	given bool   // named in Config.MDS2 or found in one of its directories
	inDir bool   // found in a directory: passed over when it is no form
	inv   bool   // named by the inventory's mds2 column
	root  int32  // the index in Config.MDS2 it was found under
	form  *mds2.Form
	err   error
}

// forms are the MDS2 forms of one scan, each file read once however many
// devices use it.
type forms struct {
	files  []*formFile
	byPath map[string]*formFile // by filepath.Clean of the path
}

// file returns the entry of path, added when new.
func (set *forms) file(path string) *formFile {
	k := filepath.Clean(path)
	if f, ok := set.byPath[k]; ok {
		return f
	}
	f := &formFile{path: path}
	set.byPath[k] = f
	set.files = append(set.files, f)
	return f
}

// attachDisclosures reads the MDS2 forms of Config.MDS2 and of the
// inventory's mds2 column (set by rank.Assign in each result's
// Disclosure.MDS2Path) and attaches them: a device's inventory form wins;
// else the best --mds2 form naming its manufacturer and model (see
// pickForm). It returns the errors of the forms that could not be read,
// and a warning for each form named in Config.MDS2 (not found in one of
// its folders) that names no device of the scan.
func attachDisclosures(ctx context.Context, cfg Config, results []*match.DeviceResult, inv *inventory.Inventory) ([]error, []string) {
	set := &forms{byPath: map[string]*formFile{}}
	var errs []error
	walk.Paths(cfg.MDS2, func(wf walk.File) {
		if wf.Err != nil {
			errs = append(errs, &mds2.Error{Path: wf.Path, Err: wf.Err})
			return
		}
		if wf.InDir() && !slices.Contains(formExts, strings.ToLower(filepath.Ext(wf.Path))) {
			return
		}
		f := set.file(wf.Path)
		f.given, f.inDir, f.root = true, wf.InDir(), wf.Root
	})
	for _, r := range results {
		if d := r.Disclosure; d != nil && d.MDS2Path != "" {
			set.file(d.MDS2Path).inv = true
		}
	}
	if len(set.files) == 0 {
		return errs, nil
	}
	set.read(ctx, cfg.Workers)
	errs = append(errs, set.errors(results, inv)...)
	used := set.attach(results)
	var warnings []string
	for _, f := range set.files {
		if f.given && !f.inDir && f.form != nil && !used[f.form] {
			warnings = append(warnings, fmt.Sprintf("MDS2 form %s (manufacturer %q, model %q) names no device of the scan: attached to none",
				f.path, f.form.Manufacturer, f.form.Model))
		}
	}
	return errs, warnings
}

// read parses every form file through the worker pool.
func (set *forms) read(ctx context.Context, workers int) {
	perr := pool.Each(ctx, len(set.files), workers, nil, func(_ struct{}, i int) error {
		f := set.files[i]
		f.form, f.err = mds2.ParseFile(f.path)
		return nil
	})
	for i, err := range perr {
		if err != nil {
			set.files[i].form, set.files[i].err = nil, &mds2.Error{Path: set.files[i].path, Err: err}
		}
	}
}

// errors lists the forms that could not be read: a form missing from the
// inventory's folder once per asset naming it (an inventory row error
// naming the row), any other failure once per file (an *mds2.Error
// naming the file). A file found in a --mds2 directory that is not an
// MDS2 form is passed over, as the loaders pass over files not of their
// format.
func (set *forms) errors(results []*match.DeviceResult, inv *inventory.Inventory) []error {
	var errs []error
	for _, f := range set.files {
		switch {
		case f.err == nil:
		case f.inv && errors.Is(f.err, fs.ErrNotExist):
			// per row, below
		case f.inDir && !f.inv && errors.Is(f.err, mds2.ErrNotMDS2):
			f.err = nil
		default:
			errs = append(errs, f.err)
		}
	}
	for _, r := range results {
		d := r.Disclosure
		if d == nil || d.MDS2Path == "" {
			continue
		}
		f := set.byPath[filepath.Clean(d.MDS2Path)]
		if f.err == nil || !errors.Is(f.err, fs.ErrNotExist) {
			continue
		}
		re := &inventory.RowError{AssetID: r.ID, Err: fmt.Errorf("MDS2 form %s: no such file", d.MDS2Path)}
		if inv != nil {
			re.Path, re.Line = inv.Path, inv.Lines[r.ID]
		}
		errs = append(errs, re)
	}
	return errs
}

// attach sets each device's form: the inventory's, else the best match
// among the forms of Config.MDS2 (pickForm, once per SBOM however many
// assets run it). It returns the forms attached to a device.
func (set *forms) attach(results []*match.DeviceResult) (used map[*mds2.Form]bool) {
	used = map[*mds2.Form]bool{}
	var given []*formFile
	for _, f := range set.files {
		if f.given && f.form != nil && f.form.Manufacturer != "" && f.form.Model != "" {
			given = append(given, f)
		}
	}
	// Path order, compared component by component ("a/x" before "a-b",
	// as the walk lists them), whatever order the files were added in.
	sep := strings.NewReplacer(string(filepath.Separator), "\x00")
	slices.SortStableFunc(given, func(a, b *formFile) int {
		return cmp.Or(cmp.Compare(a.root, b.root), strings.Compare(sep.Replace(a.path), sep.Replace(b.path)))
	})
	cands := make([]*mds2.Form, len(given))
	for i, f := range given {
		cands[i] = f.form
	}
	type key struct {
		form *mds2.Form
		dev  *sbom.Device
	}
	checked := map[key][]string{}
	picked := map[*sbom.Device]*mds2.Form{}
	for _, r := range results {
		if r.Device == nil {
			continue
		}
		d := r.Disclosure
		var form *mds2.Form
		via := "match"
		if d != nil && d.MDS2Path != "" {
			form, via = set.byPath[filepath.Clean(d.MDS2Path)].form, "inventory"
		} else if len(cands) > 0 {
			var ok bool
			if form, ok = picked[r.Device]; !ok {
				form = pickForm(r.Device, cands)
				picked[r.Device] = form
			}
		}
		if form == nil {
			continue
		}
		if d == nil {
			d = &match.Disclosure{}
			r.Disclosure = d
		}
		d.MDS2, d.MDS2Via = form, via
		used[form] = true
		k := key{form, r.Device}
		w, ok := checked[k]
		if !ok {
			w = formWarnings(form, r.Device, via == "inventory")
			checked[k] = w
		}
		d.Warnings = append(d.Warnings, w...)
	}
	return used
}

// pickForm returns the form among cands (in path order) that names the
// device's manufacturer and model (match.DeviceNamer), nil when none
// does. Of several, the one naming the device exactly (its whole name or
// a model number, not a run of its words) wins, then the one whose
// version is the device's, then the newest date (formDate), then the
// first in path order.
func pickForm(dev *sbom.Device, cands []*mds2.Form) *mds2.Form {
	names := match.DeviceNamer(dev)
	var best *mds2.Form
	var bestExact, bestVersion bool
	for _, f := range cands {
		ok, exact := names(f.Manufacturer, f.Model)
		if !ok {
			continue
		}
		version := mds2.SameVersion(f.Version, dev.Version)
		if best != nil {
			if c := cmp.Or(cmpBool(exact, bestExact), cmpBool(version, bestVersion), formDate(f).Compare(formDate(best))); c <= 0 {
				continue
			}
		}
		best, bestExact, bestVersion = f, exact, version
	}
	return best
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// formWarnings says what the reader must know of a form attached to a
// device: a form the inventory named for another manufacturer or model
// (then only that), or a form for another version than the SBOM's.
func formWarnings(f *mds2.Form, dev *sbom.Device, fromInventory bool) []string {
	var w []string
	if fromInventory && f.Manufacturer != "" && f.Model != "" {
		if ok, _ := match.DeviceNamer(dev)(f.Manufacturer, f.Model); !ok {
			// Its version is another product's: not compared.
			return append(w, fmt.Sprintf("MDS2 form %s is for %s %s; the device is %s %s",
				f.Path, f.Manufacturer, f.Model, cmp.Or(dev.Manufacturer, dev.Supplier, "(no manufacturer)"), dev.Name))
		}
	}
	if f.Version != "" && dev.Version != "" && !mds2.SameVersion(f.Version, dev.Version) {
		w = append(w, fmt.Sprintf("MDS2 form %s is for version %s; the device runs %s", f.Path, f.Version, dev.Version))
	}
	return w
}

// dateLayouts are the DOC date spellings formDate reads (day-first and
// month-name ones; "03/04/2026" is ambiguous and is not read).
var dateLayouts = []string{"2006-01-02", "2006/01/02", "2006.01.02", "02.01.2006", "2.1.2006",
	"January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006", "January 2006", "2006-01"}

// formDate reads a form's date; the zero time (older than any) when it
// cannot.
func formDate(f *mds2.Form) time.Time {
	s := strings.TrimSpace(f.Date)
	if len(s) > 10 && s[4] == '-' {
		s = s[:10] // an ISO 8601 time: its day
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
