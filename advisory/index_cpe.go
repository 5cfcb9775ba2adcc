package advisory

// cpeIndex looks up NVD configurations by CPE vendor and product.
//
// Not yet written: NVD is its own issue.
type cpeIndex struct{}

// buildCPE indexes the CPE criteria of the NVD records of ix.advs.
func (ix *Index) buildCPE() {}
