package report

import (
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
	// SBOMErrors lists SBOM inputs that could not be read.
	SBOMErrors []*sbom.ParseError
	// AdvisoryErrors lists feed inputs that could not be read.
	AdvisoryErrors []*advisory.LoadError
	// Advisories is the number of advisories loaded (withdrawn included).
	Advisories int
	// InventoryErrors lists the rows of the inventory that could not be
	// used (unreadable, or naming an SBOM that was not read).
	InventoryErrors []InventoryError
	// Feeds names the KEV and EPSS versions the ranking used, and AsOf
	// its date.
	Feeds rank.FeedVersions
	AsOf  time.Time
	// Documents lists the advisory documents (CSAF, VEX) read, by id and
	// version (see rank.Documents).
	Documents []advisory.Document
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
