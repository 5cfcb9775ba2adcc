package advisory

// csafIndex looks up CSAF products by vendor and product name.
//
// Not yet written: CSAF is its own issue.
type csafIndex struct{}

// buildCSAF indexes the products of the CSAF, OpenVEX and CycloneDX VEX
// records of ix.advs.
func (ix *Index) buildCSAF() {}
