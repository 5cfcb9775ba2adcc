package sbom

import (
	"bufio"
	"errors"
)

// spdx2 reads SPDX 2.x in any serialisation. (stub; being written)
func (p *parser) spdx2(f Format, r *bufio.Reader) error { return errors.New("SPDX 2 not yet supported") }
