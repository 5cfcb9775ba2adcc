package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/openvex/go-vex/pkg/vex"

	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// OpenVEX writes an OpenVEX 0.2.0 document (with
// github.com/openvex/go-vex): one statement per finding, the device as
// product and the component as subcomponent, identified by purl (else
// CPE, else a urn:bomrank: name). Statuses map directly; an unknown
// finding becomes under_investigation with the reason in status_notes
// (bomrank never reads unknown as safe). not_affected carries the
// justification mapped to OpenVEX's labels (free text goes into the
// impact statement); affected carries the fix as action statement. The
// document timestamp is o.AsOf, which is required; the @id is a SHA-256
// of the content, so the same inputs give the same bytes. Statements
// follow the rank order of the devices. The author is o.Publisher.Name.
func OpenVEX(w io.Writer, s *Scan, o Options) error {
	if o.AsOf.IsZero() {
		return errors.New("openvex: a document date (Options.AsOf) is required")
	}
	ts := o.AsOf.UTC()
	t := o.tool()
	doc := vex.VEX{Metadata: vex.Metadata{
		Context:   vex.ContextLocator(),
		Author:    o.publisher().Name,
		Timestamp: &ts,
		Version:   1,
		Tooling:   strings.TrimSpace(t.Name + " " + t.Version),
	}}
	// OpenVEX has no field for notes: a scan-wide warning (no
	// vulnerability data, so no statement means nothing) goes with the
	// tooling that made the document.
	for _, wn := range s.Warnings {
		doc.Tooling += " (warning: " + wn + ")"
	}
	if doc.Author == "bomrank" && o.Publisher.Name == "" {
		doc.AuthorRole = "automated analysis"
	}
	doc.Statements = []vex.Statement{}
	for _, r := range s.Results {
		product := vex.Product{Component: vexComponent(&r.Device.Component, "device")}
		for _, f := range r.Findings {
			st := vex.Statement{
				Vulnerability: vex.Vulnerability{Name: vex.VulnerabilityID(f.ID), Description: f.Summary},
				Products:      []vex.Product{product},
			}
			for _, a := range f.Aliases {
				st.Vulnerability.Aliases = append(st.Vulnerability.Aliases, vex.VulnerabilityID(a))
			}
			if !isDeviceFinding(r, f) {
				st.Products[0].Subcomponents = []vex.Subcomponent{{Component: vexComponent(f.Component, "component")}}
			}
			switch f.Status {
			case match.Affected:
				st.Status = vex.StatusAffected
				st.ActionStatement = fixText(f)
				st.StatusNotes = Accepted(f)
			case match.NotAffected:
				st.Status = vex.StatusNotAffected
				if j, ok := vexJustification(f.Justification); ok {
					st.Justification = vex.Justification(j)
					st.ImpactStatement = f.Impact
				} else {
					st.ImpactStatement = strings.Trim(strings.Join([]string{f.Justification, f.Impact}, "; "), "; ")
					if st.ImpactStatement == "" {
						st.ImpactStatement = "not affected (no justification given by the source)"
					}
				}
			case match.Fixed:
				st.Status = vex.StatusFixed
				st.StatusNotes = strings.TrimSpace(f.Impact)
			case match.UnderInvestigation:
				st.Status = vex.StatusUnderInvestigation
				st.StatusNotes = strings.TrimSpace(strings.Join([]string{f.Impact, f.Reason}, " "))
			default:
				st.Status = vex.StatusUnderInvestigation
				st.StatusNotes = "bomrank could not decide whether the installed version is affected: " + f.Reason
			}
			doc.Statements = append(doc.Statements, st)
		}
	}
	// The @id is a hash of the content, in the namespace go-vex's
	// GenerateCanonicalID uses; go-vex's own hash builds its input by
	// repeated string concatenation, quadratic in the statements (minutes
	// for a fleet), so we hash the encoded document instead.
	unsigned, err := json.Marshal(&doc)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(unsigned)
	doc.ID = "https://openvex.dev/docs/public/vex-" + hex.EncodeToString(sum[:])
	b, err := json.MarshalIndent(&doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// vexComponent identifies a component: its purl as @id where it has one,
// else its first CPE, else a urn:bomrank: name; purl and CPE also go in
// identifiers.
func vexComponent(c *sbom.Component, kind string) vex.Component {
	vc := vex.Component{}
	ids := map[vex.IdentifierType]string{}
	if c.PURL != "" {
		ids[vex.PURL] = c.PURL
	}
	for _, cpe := range c.CPEs {
		switch {
		case strings.HasPrefix(cpe, "cpe:2.3:") && ids[vex.CPE23] == "":
			ids[vex.CPE23] = cpe
		case strings.HasPrefix(cpe, "cpe:/") && ids[vex.CPE22] == "":
			ids[vex.CPE22] = cpe
		}
	}
	switch {
	case c.PURL != "":
		vc.ID = c.PURL
	case ids[vex.CPE23] != "":
		vc.ID = ids[vex.CPE23]
	case ids[vex.CPE22] != "":
		vc.ID = ids[vex.CPE22]
	default:
		vc.ID = "urn:bomrank:" + kind + ":" + url.PathEscape(c.Name)
		if c.Version != "" {
			vc.ID += "@" + url.PathEscape(c.Version)
		}
	}
	if len(ids) > 0 {
		vc.Identifiers = ids
	}
	return vc
}
