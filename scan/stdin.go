package scan

import (
	"errors"
	"io"

	"github.com/bomrank/bomrank/sbom"
)

// readStdin reads the SBOM of r, named "-", as the first of res.
func readStdin(o sbom.Options, r io.Reader, res *sbom.Result) {
	dev, err := o.Parse(r, "-")
	if err != nil {
		var pe *sbom.ParseError
		if !errors.As(err, &pe) {
			pe = &sbom.ParseError{Path: "-", Err: err}
		}
		res.Errors = append([]*sbom.ParseError{pe}, res.Errors...)
		return
	}
	res.Devices = append([]*sbom.Device{dev}, res.Devices...)
}
