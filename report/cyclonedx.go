package report

import (
	"crypto/sha256"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/match"
	"github.com/bomrank/bomrank/sbom"
)

// CycloneDX writes a CycloneDX 1.6 JSON BOM that is at once a VDR and a
// VEX: the SBOM's components with a vulnerabilities[] array whose affects
// refs point at them, each with its analysis (affected -> exploitable,
// not_affected -> not_affected with the justification mapped to
// CycloneDX's vocabulary, fixed -> resolved, under_investigation and
// unknown -> in_triage with the reason as detail), ratings computed from
// the CVSS vectors, and the fix as recommendation.
//
// One device gives a BOM whose metadata.component is the device, with the
// SBOM's own bom-refs. A fleet gives one BOM whose components are the
// devices (type device), each with its components nested; bom-refs are
// then prefixed with "device-N:" (N the device's rank) to stay unique.
// Findings of one vulnerability with the same analysis are one
// vulnerabilities[] entry with several affects. The serial number is
// derived from the content, and metadata.timestamp is o.AsOf (left out
// when zero), so the same inputs give the same bytes.
func CycloneDX(w io.Writer, s *Scan, o Options) error {
	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.Metadata = cdxMetadata(s, o)
	refs := cdxDevices(bom, s)
	if vulns := cdxVulnerabilities(s, refs); len(vulns) > 0 {
		bom.Vulnerabilities = &vulns
	}
	bom.SerialNumber = cdxSerial(s, o)
	return cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false).EncodeVersion(bom, cdx.SpecVersion1_6)
}

// cdxMetadata is the BOM's metadata: the tool, the date, and the scan's
// warnings as properties.
func cdxMetadata(s *Scan, o Options) *cdx.Metadata {
	t := o.tool()
	meta := &cdx.Metadata{Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{Type: cdx.ComponentTypeApplication, Name: t.Name, Version: t.Version}}}}
	if !o.AsOf.IsZero() {
		meta.Timestamp = o.AsOf.UTC().Format(time.RFC3339)
	}
	for _, wn := range s.Warnings {
		if meta.Properties == nil {
			meta.Properties = &[]cdx.Property{}
		}
		*meta.Properties = append(*meta.Properties, cdx.Property{Name: "bomrank:warning", Value: wn})
	}
	return meta
}

// cdxDevices lays the devices and their components out in the BOM (one
// device as metadata.component, a fleet as components) and returns the
// bom-ref given to each component.
func cdxDevices(bom *cdx.BOM, s *Scan) map[*sbom.Component]string {
	refs := map[*sbom.Component]string{}
	used := map[string]bool{}
	single := len(s.Results) == 1
	var devices []cdx.Component
	for _, r := range s.Results {
		prefix := ""
		if !single {
			prefix = fmt.Sprintf("device-%d:", r.Rank)
		}
		dev := cdxComponent(&r.Device.Component, true)
		dev.BOMRef = uniqueRef(used, prefix+refOr(r.Device.Ref, "device"))
		refs[&r.Device.Component] = dev.BOMRef
		if r.Device.Manufacturer != "" {
			dev.Manufacturer = &cdx.OrganizationalEntity{Name: r.Device.Manufacturer}
		}
		var comps []cdx.Component
		for i, c := range r.Device.Components {
			cc := cdxComponent(c, false)
			cc.BOMRef = uniqueRef(used, prefix+refOr(c.Ref, "component-"+strconv.Itoa(i+1)))
			refs[c] = cc.BOMRef
			comps = append(comps, cc)
		}
		if single {
			bom.Metadata.Component = &dev
			if len(comps) > 0 {
				bom.Components = &comps
			}
			break
		}
		if len(comps) > 0 {
			dev.Components = &comps
		}
		devices = append(devices, dev)
	}
	if !single && len(devices) > 0 {
		bom.Components = &devices
	}
	return refs
}

// cdxVulnerabilities makes one vulnerabilities[] entry per vulnerability
// and analysis, affecting every component that has that finding.
func cdxVulnerabilities(s *Scan, refs map[*sbom.Component]string) []cdx.Vulnerability {
	type group struct {
		v    cdx.Vulnerability
		seen map[string]bool
	}
	var order []string
	groups := map[string]*group{}
	for _, r := range s.Results {
		for _, f := range r.Findings {
			state, just, detail, resp := cdxAnalysis(f)
			key := strings.Join([]string{f.ID, string(state), string(just), detail}, "\x00")
			g := groups[key]
			if g == nil {
				g = &group{seen: map[string]bool{}, v: cdxVulnerability(f)}
				g.v.Analysis = &cdx.VulnerabilityAnalysis{State: state, Justification: just, Detail: detail}
				if len(resp) > 0 {
					g.v.Analysis.Response = &resp
				}
				g.v.Affects = &[]cdx.Affects{}
				groups[key] = g
				order = append(order, key)
			}
			comp := f.Component
			if comp == nil {
				comp = &r.Device.Component
			}
			ref := refs[comp]
			if ref == "" || g.seen[ref] {
				continue
			}
			g.seen[ref] = true
			a := cdx.Affects{Ref: ref}
			if comp.Version != "" {
				a.Range = &[]cdx.AffectedVersions{{Version: comp.Version, Status: cdxVersionStatus(f.Status)}}
			}
			*g.v.Affects = append(*g.v.Affects, a)
		}
	}
	vulns := make([]cdx.Vulnerability, 0, len(order))
	for i, key := range order {
		v := groups[key].v
		v.BOMRef = fmt.Sprintf("vuln-%d", i+1)
		vulns = append(vulns, v)
	}
	return vulns
}

func refOr(ref, def string) string {
	if ref != "" {
		return ref
	}
	return def
}

// uniqueRef returns ref, or ref with a "#n" suffix when it was used
// already (SBOMs may repeat bom-refs; the BOM must not).
func uniqueRef(used map[string]bool, ref string) string {
	r := ref
	for n := 2; used[r]; n++ {
		r = ref + "#" + strconv.Itoa(n)
	}
	used[r] = true
	return r
}

var cdxTypes = map[string]cdx.ComponentType{}

func init() {
	for _, t := range []cdx.ComponentType{cdx.ComponentTypeApplication, cdx.ComponentTypeContainer, cdx.ComponentTypeCryptographicAsset,
		cdx.ComponentTypeData, cdx.ComponentTypeDevice, cdx.ComponentTypeDeviceDriver, cdx.ComponentTypeFile, cdx.ComponentTypeFirmware,
		cdx.ComponentTypeFramework, cdx.ComponentTypeLibrary, cdx.ComponentTypeMachineLearningModel, cdx.ComponentTypeOS, cdx.ComponentTypePlatform} {
		cdxTypes[string(t)] = t
	}
	// SPDX primary purposes that have a CycloneDX counterpart.
	cdxTypes["operating_system"] = cdx.ComponentTypeOS
	cdxTypes["operating-system"] = cdx.ComponentTypeOS
}

func cdxComponent(c *sbom.Component, device bool) cdx.Component {
	typ, ok := cdxTypes[strings.ToLower(c.Type)]
	if !ok {
		typ = cdx.ComponentTypeLibrary
		if device {
			typ = cdx.ComponentTypeDevice
		}
	}
	cc := cdx.Component{Type: typ, Name: c.Name, Group: c.Group, Version: c.Version, PackageURL: c.PURL}
	if cc.Name == "" {
		cc.Name = "unnamed"
	}
	if len(c.CPEs) > 0 {
		cc.CPE = c.CPEs[0]
	}
	if c.Supplier != "" {
		cc.Supplier = &cdx.OrganizationalEntity{Name: c.Supplier}
	}
	var hashes []cdx.Hash
	for _, h := range c.Hashes {
		if cdxHashAlgs[h.Algorithm] && cdxHashValue.MatchString(h.Value) {
			hashes = append(hashes, cdx.Hash{Algorithm: cdx.HashAlgorithm(h.Algorithm), Value: h.Value})
		}
	}
	if len(hashes) > 0 {
		cc.Hashes = &hashes
	}
	return cc
}

// cdxHashAlgs and cdxHashValue are the CycloneDX 1.6 schema's hash-alg
// enum and hash-content pattern; other hashes are left out rather than
// making the BOM invalid.
var cdxHashAlgs = map[string]bool{"MD5": true, "SHA-1": true, "SHA-256": true, "SHA-384": true, "SHA-512": true,
	"SHA3-256": true, "SHA3-384": true, "SHA3-512": true, "BLAKE2b-256": true, "BLAKE2b-384": true, "BLAKE2b-512": true, "BLAKE3": true}

var cdxHashValue = regexp.MustCompile(`^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$`)

func cdxVulnerability(f *match.Finding) cdx.Vulnerability {
	v := cdx.Vulnerability{ID: f.ID, Description: f.Summary}
	if f.Status != match.NotAffected && f.Status != match.Fixed {
		v.Recommendation = fixText(f)
	}
	if u := helpURI(f); u != "" {
		v.Source = &cdx.Source{Name: sourceName(f.ID), URL: u}
	}
	if len(f.Aliases) > 0 {
		rs := make([]cdx.VulnerabilityReference, 0, len(f.Aliases))
		for _, a := range f.Aliases {
			rs = append(rs, cdx.VulnerabilityReference{ID: a, Source: &cdx.Source{Name: sourceName(a)}})
		}
		v.References = &rs
	}
	var ratings []cdx.VulnerabilityRating
	for _, sev := range f.Severity {
		sc, ok := ParseScore(sev)
		if !ok {
			continue
		}
		base := sc.Base
		method := map[string]cdx.ScoringMethod{"2.0": cdx.ScoringMethodCVSSv2, "3.0": cdx.ScoringMethodCVSSv3, "3.1": cdx.ScoringMethodCVSSv31, "4.0": cdx.ScoringMethodCVSSv4}[sc.Version]
		ratings = append(ratings, cdx.VulnerabilityRating{Score: &base, Severity: cdx.Severity(sc.Rating), Method: method, Vector: sc.Vector})
	}
	if len(ratings) > 0 {
		v.Ratings = &ratings
	}
	var advs []cdx.Advisory
	for _, r := range f.Remediations {
		// Only http and https URLs are copied (a javascript: URL from a
		// CSAF remediation is dropped).
		if u := textsafe.URL(r.URL); u != "" {
			advs = append(advs, cdx.Advisory{Title: strings.ReplaceAll(r.Category, "_", " "), URL: u})
		}
	}
	if len(advs) > 0 {
		v.Advisories = &advs
	}
	var workaround []string
	for _, r := range f.Remediations {
		if (r.Category == "workaround" || r.Category == "mitigation") && r.Details != "" {
			workaround = append(workaround, r.Details)
		}
	}
	v.Workaround = strings.Join(workaround, "\n")
	return v
}

// sourceName names the database an identifier belongs to.
func sourceName(id string) string {
	switch {
	case strings.HasPrefix(id, "CVE-"):
		return "NVD"
	case strings.HasPrefix(id, "GHSA-"):
		return "GitHub"
	}
	return "OSV"
}

func cdxAnalysis(f *match.Finding) (cdx.ImpactAnalysisState, cdx.ImpactAnalysisJustification, string, []cdx.ImpactAnalysisResponse) {
	var resp []cdx.ImpactAnalysisResponse
	seen := map[cdx.ImpactAnalysisResponse]bool{}
	add := func(r cdx.ImpactAnalysisResponse) {
		if !seen[r] {
			seen[r] = true
			resp = append(resp, r)
		}
	}
	for _, r := range f.Remediations {
		switch r.Category {
		case "vendor_fix", "optional_patch":
			add(cdx.IARUpdate)
		case "workaround", "mitigation":
			add(cdx.IARWorkaroundAvailable)
		case "no_fix_planned":
			add(cdx.IARWillNotFix)
		}
	}
	switch f.Status {
	case match.Affected:
		if len(f.Fixed) > 0 {
			add(cdx.IARUpdate)
		}
		return cdx.IASExploitable, "", joinNotes(Accepted(f), f.Impact), resp
	case match.NotAffected:
		detail := f.Impact
		j, ok := cdxJustification(f.Justification)
		if !ok && f.Justification != "" {
			detail = strings.TrimPrefix(strings.Join([]string{f.Justification, f.Impact}, "; "), "; ")
			detail = strings.TrimSuffix(detail, "; ")
		}
		return cdx.IASNotAffected, cdx.ImpactAnalysisJustification(j), detail, resp
	case match.Fixed:
		return cdx.IASResolved, "", f.Impact, resp
	case match.UnderInvestigation:
		return cdx.IASInTriage, "", strings.TrimSpace(f.Impact + " " + f.Reason), resp
	}
	return cdx.IASInTriage, "", "bomrank could not decide: " + f.Reason, resp
}

func cdxVersionStatus(s match.Status) cdx.VulnerabilityStatus {
	switch s {
	case match.Affected:
		return cdx.VulnerabilityStatusAffected
	case match.NotAffected, match.Fixed:
		return cdx.VulnerabilityStatusNotAffected
	}
	return cdx.VulnerabilityStatusUnknown
}

// cdxSerial derives an RFC 4122 UUID (version 5 layout, SHA-256 based)
// from the devices, findings and date, so the serial number is stable for
// the same inputs and differs when the content does.
func cdxSerial(s *Scan, o Options) string {
	h := sha256.New()
	fmt.Fprintln(h, o.AsOf.UTC().Format(time.RFC3339))
	for _, r := range s.Results {
		fmt.Fprintln(h, r.ID, r.Device.Name, r.Device.Version)
		for _, f := range r.Findings {
			fmt.Fprintln(h, f.ID, f.Status, componentKey(f))
		}
	}
	return "urn:uuid:" + uuidFromHash(h.Sum(nil))
}

func uuidFromHash(sum []byte) string {
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
