package report

import (
	"errors"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/rank"
	"github.com/bomrank/bomrank/sbom"
)

// Scan is everything one run of a scan produced, as the output formats see
// it.
type Scan struct {
	// Results holds the devices in rank order.
	Results []*match.DeviceResult
	// Loaded lists the devices as read from their SBOMs, once each, in
	// the order read (Results may hold one device per inventory asset).
	Loaded []*sbom.Device
	// SBOMErrors lists SBOM inputs that could not be read.
	SBOMErrors []*sbom.ParseError
	// AdvisoryErrors lists feed inputs that could not be read.
	AdvisoryErrors []*advisory.LoadError
	// MatchErrors lists the devices whose matching failed: they are not in
	// Results.
	MatchErrors []*match.DeviceError
	// Advisories is the number of advisories loaded (withdrawn included).
	Advisories int
	// InventoryErrors lists the rows of the inventory that could not be
	// used (unreadable, or naming an SBOM that was not read).
	InventoryErrors []InventoryError
	// MDS2Errors lists the MDS2 forms that could not be read (each an
	// *mds2.Error naming its file, or an error naming the inventory row
	// whose form is missing); the devices they were for are ranked
	// without them.
	MDS2Errors []error
	// Feeds names the KEV and EPSS versions the ranking used, and AsOf
	// its date.
	Feeds rank.FeedVersions
	AsOf  time.Time
	// Documents lists the advisory documents (CSAF, VEX) read, by id and
	// version (see rank.Documents).
	Documents []advisory.Document
	// NoData is set when no vulnerability record (OSV, CSAF, NVD) was
	// loaded: the devices were not checked at all. A --fail-on gate must
	// not pass such a scan.
	NoData bool
	// Sources describes the advisory data behind the scan, one entry per
	// feed path and kind (advisory.Source), each with its capture time;
	// the reports say how old the data is from them.
	Sources []advisory.Source
	// DB names the compiled advisory database the scan read, nil when it
	// read only feed files.
	DB *DBInfo
	// Warnings lists what every output format must tell its reader about
	// the scan as a whole (NoData's warning, for one).
	Warnings []string
	// StaleIgnores lists the entries of the ignore file that matched no
	// finding, in the file's order (the findings an entry matches carry
	// match.Finding.Ignored).
	StaleIgnores []IgnoreEntry
	// All holds every device in rank order when Limit left some out of
	// Results (nil otherwise): the summaries count them all.
	All []*match.DeviceResult
	// limit is LimitNote's text.
	limit string
}

// DBInfo names a compiled advisory database (package db) as a report
// shows it.
type DBInfo struct {
	// Path is the database file, Schema its schema version, Built when
	// it was built and Digest its "sha256:..." digest.
	Path   string
	Schema int
	Built  time.Time
	Digest string
}

// Skipped returns the number of inputs that were skipped: SBOMs and feed
// files that could not be read, inventory rows that could not be used,
// MDS2 forms that could not be read, devices whose matching failed.
func (s *Scan) Skipped() int {
	return len(s.SBOMErrors) + len(s.AdvisoryErrors) + len(s.InventoryErrors) + len(s.MDS2Errors) + len(s.MatchErrors)
}

// Err joins the errors of every skipped input (nil when none was
// skipped), for errors.Is and errors.As: a *sbom.ParseError, an
// *advisory.LoadError, an inventory row error, an MDS2 form's error or a
// *match.DeviceError.
func (s *Scan) Err() error {
	var errs []error
	for _, e := range s.SBOMErrors {
		errs = append(errs, e)
	}
	for _, e := range s.AdvisoryErrors {
		errs = append(errs, e)
	}
	for _, e := range s.InventoryErrors {
		errs = append(errs, e)
	}
	errs = append(errs, s.MDS2Errors...)
	for _, e := range s.MatchErrors {
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// InventoryError is a row of an inventory that could not be used, as the
// reports list it; *inventory.RowError is one (report does not import
// package inventory). errors.As reaches the row error itself.
type InventoryError interface {
	error
	// File is the inventory file.
	File() string
	// Detail is the error without the file name: "line 5: asset X:
	// reason".
	Detail() string
}
