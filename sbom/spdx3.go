package sbom

import (
	"bufio"
	"errors"
)

// spdx3 reads SPDX 3.0 JSON-LD. (stub; being written)
func (p *parser) spdx3(r *bufio.Reader) error { return errors.New("SPDX 3 not yet supported") }
