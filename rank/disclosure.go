package rank

import (
	"fmt"
	"strings"

	"github.com/bomrank/bomrank/cpe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/mds2"
	"github.com/bomrank/bomrank/sbom"
	"github.com/bomrank/bomrank/ssvc"
)

// The manufacturer's disclosure attached to a device (match.Disclosure:
// its MDS2 form, its hardening guide) changes the ranking in these ways,
// each said in the device's reasons with the question behind it:
//
//   - Who can patch: each affected finding's Decision.Responsibility is
//     the form's answer for the class of its component (mds2.Form.Patching
//     of mds2.Form.ClassOfComponent); the device's reasons say it once per
//     class met, not per finding. It does not change the outcome or the
//     score: who installs the fix says nothing of how urgent it is.
//   - Exposure by design: when the device's exposure is the default
//     (Context.Source("exposure") is SourceDefault), the form's exposure
//     (mds2.Form.Exposure) replaces it before the findings are decided,
//     listed in Context.Disclosed instead of Defaulted, so that the
//     decisions' exposure source is SourceMDS2. An exposure the inventory
//     (or a caller's context) gave is kept; when the form implies a wider
//     one (a higher SSVC exposure level: small < controlled < open, such as
//     inventory small and CONN-6 internet required), the form contradicts
//     it: a reason and a Disclosure.Warnings line name the question.
//   - Compensating controls (mds2.Form.Controls) are listed in the reasons
//     as mitigations in place. They lower neither the score nor the
//     priority: a yes on the form says the device has the control, not
//     that this hospital configured and maintains it, and no control
//     undoes active exploitation.
//   - Hardening guide: when the guide names a version and the device's
//     SBOM version differs, Guide.Review says the guide must be reviewed
//     for this version, and so does a reason.
//
// A device without a disclosure ranks exactly as without these rules. The
// context and the disclosure may be shared between devices: they are
// copied, never changed in place.

// disclosed is what the device's disclosure gives its ranking.
type disclosed struct {
	form *mds2.Form
	dev  *sbom.Device
	// byClass holds the device's one Responsibility per class, and
	// counts the affected findings of each class.
	byClass [mds2.OtherSoftware + 1]*ssvc.Responsibility
	counts  [mds2.OtherSoftware + 1]int
	// last and lastClass remember the class of the last component seen
	// (a device's findings come in component order).
	last      *sbom.Component
	lastClass mds2.Class
	// contradiction is the reason (and warning) of an exposure the form
	// contradicts, review the guide's review.
	contradiction, review string
}

// contradictionMark is in every warning of an exposure the form
// contradicts (and in no other), so that ranking again replaces it.
const contradictionMark = "the form implies exposure "

// disclose applies the device's disclosure before its findings are
// decided: the exposure by design (r.Context may be replaced by a copy),
// the guide's review and the warnings (r.Disclosure may be replaced by a
// copy). It returns nil for a device without a disclosure.
func disclose(r *match.DeviceResult) *disclosed {
	d := r.Disclosure
	if d == nil {
		return nil
	}
	dx := &disclosed{form: d.MDS2, dev: r.Device}
	if dx.form != nil {
		dx.contradiction = discloseExposure(r, dx.form)
	}
	if g := d.Guide; g != nil && g.Version != "" && r.Device != nil && r.Device.Version != "" && !mds2.SameVersion(g.Version, r.Device.Version) {
		dx.review = "hardening guide " + g.Ref + " is for version " + g.Version + "; the device runs " + r.Device.Version +
			": review the guide's settings for this version"
	}
	updateDisclosure(r, dx)
	return dx
}

// discloseExposure sets the device's exposure from the form when the
// context has the default (or the form's, from an earlier ranking), and
// returns the contradiction when the context's own exposure is narrower
// than the form's.
func discloseExposure(r *match.DeviceResult, form *mds2.Form) (contradiction string) {
	x, because, ok := form.Exposure()
	if !ok {
		return ""
	}
	c := r.Context
	switch src := c.Source("exposure"); src.Kind {
	case ssvc.SourceDefault, ssvc.SourceMDS2:
		nc := *c
		nc.Exposure = x
		nc.Defaulted = without(c.Defaulted, "exposure ")
		nc.Disclosed = append(without(c.Disclosed, "exposure "), "exposure "+string(x)+" ("+because.String()+")")
		r.Context = &nc
	default:
		if c.Exposure.Level() >= 0 && x.Level() > c.Exposure.Level() {
			whose := "the inventory's"
			if src.Kind != ssvc.SourceInventory {
				whose = "the device context's"
			}
			return fmt.Sprintf("%s: %s%s, which contradicts %s exposure %s (%s is kept: check the device's network)",
				because.String(), contradictionMark, x, whose, c.Exposure, whose)
		}
	}
	return ""
}

// without returns lines without those starting with prefix, in a new
// slice (nil when none is left).
func without(lines []string, prefix string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// updateDisclosure writes the guide's review and the contradiction
// warning into a copy of the device's disclosure when they change it,
// replacing those of an earlier ranking.
func updateDisclosure(r *match.DeviceResult, dx *disclosed) {
	d := r.Disclosure
	var warnings []string
	mine := false
	for _, w := range d.Warnings {
		if strings.Contains(w, contradictionMark) {
			mine = true
			continue
		}
		warnings = append(warnings, w)
	}
	if dx.contradiction != "" {
		warnings = append(warnings, dx.contradiction)
	}
	guideChanged := d.Guide != nil && d.Guide.Review != dx.review
	if !mine && dx.contradiction == "" && !guideChanged {
		return
	}
	nd := *d
	nd.Warnings = warnings
	if guideChanged {
		g := *d.Guide
		g.Review = dx.review
		nd.Guide = &g
	}
	r.Disclosure = &nd
}

// responsibility returns who can install the fix of the finding: the
// form's answer for its component's class, one value per device and
// class. Nil without a form.
func (dx *disclosed) responsibility(f *match.Finding) *ssvc.Responsibility {
	if dx == nil || dx.form == nil {
		return nil
	}
	comp := f.Component
	if comp == nil && dx.dev != nil {
		comp = &dx.dev.Component
	}
	c := mds2.ClassUnknown
	switch {
	case comp == nil:
	case comp == dx.last:
		c = dx.lastClass
	default:
		c = dx.form.ClassOfComponent(componentType(comp), comp.Name, comp.Supplier)
		dx.last, dx.lastClass = comp, c
	}
	if c == mds2.ClassUnknown {
		c = mds2.OtherSoftware // the same answers (CSUP-6), said once
	}
	dx.counts[c]++
	if dx.byClass[c] == nil {
		dx.byClass[c] = dx.form.Patching(c)
	}
	return dx.byClass[c]
}

// componentType is the component's type, or for a component without one
// the type its CPE says: part o an operating system, part h a device.
func componentType(c *sbom.Component) string {
	if c.Type != "" {
		return c.Type
	}
	for _, raw := range c.CPEs {
		n, err := cpe.Parse(raw)
		if err != nil {
			continue
		}
		switch n.Part {
		case cpe.PartOS:
			return "operating-system"
		case cpe.PartHardware:
			return "device"
		}
	}
	return ""
}

// reasons are the device's reasons from its disclosure: the exposure
// contradiction, then (with affected findings) who acts for each class
// met and the mitigations in place, then the guide's review.
func (dx *disclosed) reasons(affected bool) []string {
	if dx == nil {
		return nil
	}
	var out []string
	if dx.contradiction != "" {
		out = append(out, dx.contradiction)
	}
	if affected && dx.form != nil {
		for c, n := range dx.counts {
			if n > 0 {
				out = append(out, fmt.Sprintf("%s (%d affected finding(s))", dx.form.PatchingReason(mds2.Class(c)), n))
			}
		}
		if cs := dx.form.Controls(); len(cs) > 0 {
			items := make([]string, len(cs))
			for i, it := range cs {
				items[i] = it.String()
			}
			out = append(out, "mitigations in place ("+strings.Join(items, "; ")+")")
		}
	}
	if dx.review != "" {
		out = append(out, dx.review)
	}
	return out
}
