package report

import (
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/inventory"
	"github.com/bomrank/bomrank/match"
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
	InventoryErrors []*inventory.RowError
	// Feeds names the KEV and EPSS versions the ranking used, and AsOf
	// its date.
	Feeds match.FeedVersions
	AsOf  time.Time
	// Documents lists the advisory documents (CSAF, VEX) read, by id and
	// version (see match.Documents).
	Documents []advisory.Document
}
