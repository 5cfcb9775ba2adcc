package match

import (
	"slices"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/sbom"
)

// DeviceNamer returns a function reporting whether a manufacturer and a
// model name, such as an MDS2 form's identification, name the device d.
// They are compared as a CSAF product's vendor and product name are
// (deviceIdentity, vendorOK, nameMatch): the manufacturer must be the
// device's manufacturer or supplier, or a run of its words (case,
// accents, punctuation and legal suffixes such as Inc., GmbH, Oy folded),
// and the model the device's name, a run of its words or, when it has
// two words or more, a name the device's is a run of; a model equal to
// one of the device's model numbers names it too. exact is true when the
// model is the device's whole name or a model number, not only a run of
// words. A device or a manufacturer without a name is never named: a
// form is attached by manufacturer and model, never by model alone.
//
// The device's identity is computed once, when DeviceNamer is called.
func DeviceNamer(d *sbom.Device) func(manufacturer, model string) (ok, exact bool) {
	id := newDeviceIdentity(d)
	return func(manufacturer, model string) (ok, exact bool) {
		if strings.TrimSpace(model) == "" {
			return false, false
		}
		p := &advisory.Product{Vendor: manufacturer, ProductName: model}
		if v, _ := names.ProductVendor(p); v == "" || len(id.vendorKeys) == 0 || !id.vendorOK(p, "") {
			return false, false
		}
		if id.models[names.Model(model)] {
			return true, true
		}
		if ok, _ := nameMatch(p, id.name, id.models); !ok {
			return false, false
		}
		return true, slices.Equal(names.NameTokens(model), id.name)
	}
}
