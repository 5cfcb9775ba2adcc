package schemacheck

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// This file holds the facts taken from the CycloneDX XSDs (bom-1.0.xsd …
// bom-1.7.xsd and spdx.xsd of CycloneDX/specification; see
// schemas/README.md) that CheckCycloneDXXML enforces. Versions are written
// as their minor number: 2 means CycloneDX 1.2. Each rule names the XSD type
// or element it comes from.

const (
	minMinor = 0 // CycloneDX 1.0
	maxMinor = 7 // CycloneDX 1.7
)

// enumByVersion is an XSD enumeration as it evolved: the step with the
// greatest from <= version applies. A version before the first step has no
// such type.
type enumByVersion []enumStep

type enumStep struct {
	from   int
	values string // space-separated
}

func (e enumByVersion) at(minor int) map[string]bool {
	var vals string
	found := false
	for _, s := range e {
		if s.from <= minor {
			vals, found = s.values, true
		}
	}
	if !found {
		return nil
	}
	m := make(map[string]bool)
	for _, v := range strings.Fields(vals) {
		m[v] = true
	}
	return m
}

// XSD simple types with enumerations.
var (
	// <xs:simpleType name="classification"> (component/@type).
	enumClassification = enumByVersion{
		{0, "application framework library operating-system device"},
		{1, "application framework library operating-system device file"},
		{2, "application framework library container operating-system device firmware file"},
		{5, "application framework library container platform operating-system device device-driver firmware file machine-learning-model data"},
		{6, "application framework library container platform operating-system device device-driver firmware file machine-learning-model data cryptographic-asset"},
	}
	// <xs:simpleType name="hashAlg"> (hash/@alg).
	enumHashAlg = enumByVersion{
		{0, "MD5 SHA-1 SHA-256 SHA-384 SHA-512 SHA3-256 SHA3-512"},
		{2, "MD5 SHA-1 SHA-256 SHA-384 SHA-512 SHA3-256 SHA3-384 SHA3-512 BLAKE2b-256 BLAKE2b-384 BLAKE2b-512 BLAKE3"},
		{7, "MD5 SHA-1 SHA-256 SHA-384 SHA-512 SHA3-256 SHA3-384 SHA3-512 BLAKE2b-256 BLAKE2b-384 BLAKE2b-512 BLAKE3 Streebog-256 Streebog-512"},
	}
	// <xs:simpleType name="scope"> (component/scope).
	enumScope = enumByVersion{
		{0, "required optional"},
		{1, "required optional excluded"},
	}
	// <xs:simpleType name="issueClassification"> (issue/@type).
	enumIssueClassification = enumByVersion{{2, "defect enhancement security"}}
	// <xs:simpleType name="patchClassification"> (patch/@type).
	enumPatchClassification = enumByVersion{{2, "unofficial monkey backport cherry-pick"}}
	// <xs:simpleType name="dataFlowType"> (classification/@flow).
	enumDataFlow = enumByVersion{{2, "inbound outbound bi-directional unknown"}}
	// <xs:simpleType name="encoding"> (attachedTextType/@encoding).
	enumEncoding = enumByVersion{{1, "base64"}}
	// <xs:simpleType name="licenseAcknowledgementEnumerationType">
	// (license/@acknowledgement, expression/@acknowledgement).
	enumLicenseAcknowledgement = enumByVersion{{6, "declared concluded"}}
)

// XSD patterns. XSD patterns match the whole value, hence ^(?:…)$.
var (
	// <xs:simpleType name="urnUuid"> (bom/@serialNumber), 1.1+.
	reURNUUID = regexp.MustCompile(`^(?:urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}))$`)
	// <xs:simpleType name="hashValue"> (hash content; base xs:token).
	reHashValue = regexp.MustCompile(`^(?:([a-fA-F0-9]{32})|([a-fA-F0-9]{40})|([a-fA-F0-9]{64})|([a-fA-F0-9]{96})|([a-fA-F0-9]{128}))$`)
	// xs:dateTime lexical space (XML Schema 1.1 part 2, 3.3.8), checked
	// further by validDateTime.
	reDateTime        = regexp.MustCompile(`^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$`)
	reInteger         = regexp.MustCompile(`^[+-]?[0-9]+$`)
	rePositiveInteger = regexp.MustCompile(`^\+?0*[1-9][0-9]*$`)
)

// dateTimeElements are the element names declared with type xs:dateTime in
// each XSD (in every XSD each of these names has that type wherever it is
// declared, so the name alone identifies them).
var dateTimeElements = enumByVersion{
	{1, "timestamp"},
	{4, "timestamp created published updated"},
	{5, "timestamp created published updated expiration firstIssued lastRenewal lastUpdated rejected timeActivated timeEnd timeReceived timeStart"},
	{6, "timestamp created published updated expiration firstIssued lastRenewal lastUpdated rejected timeActivated timeEnd timeReceived timeStart " +
		"activationDate creationDate expirationDate expires notValidAfter notValidBefore updateDate"},
	{7, "timestamp created published updated expiration firstIssued lastRenewal lastUpdated rejected timeActivated timeEnd timeReceived timeStart " +
		"activationDate creationDate expirationDate expires notValidAfter notValidBefore updateDate deactivationDate destructionDate revocationDate"},
}

// attrRule checks one attribute of the elements whose path ends in elem
// ("*" matches every element of the CycloneDX namespace).
type attrRule struct {
	elem, attr   string
	since, until int  // CycloneDX minor versions the rule applies to (inclusive)
	required     bool // use="required"
	enum         enumByVersion
	enumName     string                // XSD type name of enum, for the rule name
	check        func(v string) string // extra lexical check; returns a problem or ""
	checkName    string                // rule name for check
}

var attrRules = []attrRule{
	// <xs:complexType name="component"> <xs:attribute name="type" type="bom:classification" use="required"/>
	{elem: "component", attr: "type", since: 0, until: maxMinor, required: true, enum: enumClassification, enumName: "classification"},
	// <xs:complexType name="hashType"> <xs:attribute name="alg" type="bom:hashAlg" use="required"/>
	{elem: "hash", attr: "alg", since: 0, until: maxMinor, required: true, enum: enumHashAlg, enumName: "hashAlg"},
	// <xs:complexType name="issueType"> <xs:attribute name="type" type="bom:issueClassification" use="required"/>
	{elem: "issue", attr: "type", since: 2, until: maxMinor, required: true, enum: enumIssueClassification, enumName: "issueClassification"},
	// <xs:complexType name="patchType"> <xs:attribute name="type" type="bom:patchClassification" use="required"/>
	{elem: "patch", attr: "type", since: 2, until: maxMinor, required: true, enum: enumPatchClassification, enumName: "patchClassification"},
	// <xs:complexType name="dataClassificationType"> <xs:attribute name="flow" type="bom:dataFlowType" use="required"/>,
	// used by service/data/classification (1.2+) and service/data/dataflow/classification (1.5+).
	// Every attribute named flow in the XSDs has this type.
	{elem: "*", attr: "flow", since: 2, until: maxMinor, enum: enumDataFlow, enumName: "dataFlowType"},
	{elem: "service/data/classification", attr: "flow", since: 2, until: maxMinor, required: true},
	{elem: "dataflow/classification", attr: "flow", since: 5, until: maxMinor, required: true},
	// <xs:complexType name="attachedTextType"> <xs:attribute name="encoding" type="bom:encoding"/>
	// (licenseTextType in 1.1); every attribute named encoding has this type.
	{elem: "*", attr: "encoding", since: 1, until: maxMinor, enum: enumEncoding, enumName: "encoding"},
	// <xs:attributeGroup name="licenseAttributes"> / licenseType and the expression
	// element: <xs:attribute name="acknowledgement" type="bom:licenseAcknowledgementEnumerationType"/>
	{elem: "license", attr: "acknowledgement", since: 6, until: maxMinor, enum: enumLicenseAcknowledgement, enumName: "licenseAcknowledgementEnumerationType"},
	{elem: "licenses/expression", attr: "acknowledgement", since: 6, until: maxMinor, enum: enumLicenseAcknowledgement, enumName: "licenseAcknowledgementEnumerationType"},
	// <xs:complexType name="swidType"> tagId and name use="required".
	{elem: "component/swid", attr: "tagId", since: 2, until: maxMinor, required: true},
	{elem: "component/swid", attr: "name", since: 2, until: maxMinor, required: true},
	// <xs:complexType name="propertyType"> <xs:attribute name="name" type="xs:string" use="required"/>
	{elem: "properties/property", attr: "name", since: 3, until: maxMinor, required: true},
	// <xs:complexType name="dependencyType"> and <xs:complexType name="bomReferenceType">:
	// <xs:attribute name="ref" … use="required"/>; the type is bom:refType in
	// 1.2–1.4 (no facets) and bom:refLinkType (refType, minLength 1) from 1.5.
	{elem: "dependency", attr: "ref", since: 2, until: maxMinor, required: true},
	{elem: "dependency", attr: "ref", since: 5, until: maxMinor, check: nonEmpty, checkName: "xsd:minLength:refLinkType"},
	// dependencyType/provides (1.6+): <xs:attribute name="ref" type="bom:refLinkType" use="required"/>
	{elem: "dependency/provides", attr: "ref", since: 6, until: maxMinor, required: true, check: nonEmpty, checkName: "xsd:minLength:refLinkType"},
	// <xs:element name="bom"> <xs:attribute name="serialNumber" type="bom:urnUuid"/> (1.1+)
	{elem: "/bom", attr: "serialNumber", since: 1, until: maxMinor, check: matches(reURNUUID, "urn:uuid:<RFC 4122 UUID> or {<UUID>}"), checkName: "xsd:pattern:urnUuid"},
	// <xs:element name="bom"> <xs:attribute name="version" type="xs:integer"/> up to 1.4,
	// type="xs:positiveInteger" from 1.5.
	{elem: "/bom", attr: "version", since: 0, until: 4, check: matches(reInteger, "an xs:integer"), checkName: "xsd:integer"},
	{elem: "/bom", attr: "version", since: 5, until: maxMinor, check: matches(rePositiveInteger, "an xs:positiveInteger"), checkName: "xsd:positiveInteger"},
}

func nonEmpty(v string) string {
	if v == "" {
		return "must not be empty (minLength 1)"
	}
	return ""
}

func matches(re *regexp.Regexp, what string) func(string) string {
	return func(v string) string {
		if re.MatchString(collapse(v)) {
			return ""
		}
		return fmt.Sprintf("%q is not %s", v, what)
	}
}

// textRule checks the text content of the elements whose path ends in elem.
type textRule struct {
	elem         string
	since, until int
	rule         string
	enum         enumByVersion // the text must be one of these (xs:string: compared as is)
	// check returns a problem with the (raw) text, or "".
	check func(text string) string
}

var textRules = []textRule{
	// <xs:complexType name="hashType"> <xs:extension base="bom:hashValue">: the
	// hashValue pattern, after xs:token whitespace collapsing. The XSD does not
	// tie the length to the algorithm, and neither do we.
	{elem: "hash", since: 0, until: maxMinor, rule: "xsd:pattern:hashValue", check: func(t string) string {
		if reHashValue.MatchString(collapse(t)) {
			return ""
		}
		return fmt.Sprintf("hash value %q is not 32, 40, 64, 96 or 128 hexadecimal digits", abbreviate(t))
	}},
	// <xs:element name="scope" type="bom:scope"/> in component.
	{elem: "component/scope", since: 0, until: maxMinor, rule: "xsd:enum:scope", enum: enumScope},
	// licenseType: <xs:element name="id" type="spdx:licenseId"/>; spdx.xsd's
	// licenseId enumeration (the same list as spdx.schema.json's enum).
	{elem: "license/id", since: 0, until: maxMinor, rule: "xsd:enum:spdx:licenseId", check: func(t string) string {
		ids, err := spdxLicenseIDs()
		if err != nil {
			return ""
		}
		if ids[t] {
			return ""
		}
		return fmt.Sprintf("%q is not an SPDX license identifier from the SPDX license list", abbreviate(t))
	}},
}

// childRule checks the child elements (of the CycloneDX namespace) of the
// elements whose path ends in elem, once the element is complete.
type childRule struct {
	elem         string
	since, until int
	check        func(c childCounts) []problem
}

type problem struct{ rule, msg string }

type childCounts map[string]int

var childRules = []childRule{
	// <xs:complexType name="component"> <xs:element name="name" minOccurs="1" maxOccurs="1"/>
	{elem: "component", since: 0, until: maxMinor, check: requireChild("xsd:required:component/name", "name")},
	// <xs:complexType name="service"> <xs:element name="name" minOccurs="1" maxOccurs="1"/>
	{elem: "service", since: 2, until: maxMinor, check: requireChild("xsd:required:service/name", "name")},
	// licenseType: <xs:choice> id | name </xs:choice>, each maxOccurs="1"
	// (1.0 allowed unbounded id/name, a defect fixed in 1.1), and from 1.6
	// minOccurs="1", so one of them must be present.
	{elem: "license", since: 1, until: maxMinor, check: func(c childCounts) []problem {
		var ps []problem
		if c["id"] > 0 && c["name"] > 0 {
			ps = append(ps, problem{"xsd:choice:license/id|name", "a license has either an id or a name, not both"})
		}
		if c["id"] > 1 {
			ps = append(ps, problem{"xsd:maxOccurs:license/id", fmt.Sprintf("%d id elements; at most one is allowed", c["id"])})
		}
		if c["name"] > 1 {
			ps = append(ps, problem{"xsd:maxOccurs:license/name", fmt.Sprintf("%d name elements; at most one is allowed", c["name"])})
		}
		return ps
	}},
	{elem: "license", since: 6, until: maxMinor, check: func(c childCounts) []problem {
		if c["id"] == 0 && c["name"] == 0 {
			return []problem{{"xsd:required:license/id|name", "a license needs an id or a name"}}
		}
		return nil
	}},
	// 1.0: component/licenses is <xs:sequence minOccurs="1"> of license.
	{elem: "component/licenses", since: 0, until: 0, check: requireChild("xsd:required:licenses/license", "license")},
	// licenses: <xs:choice> license (0..unbounded) | expression (0..1) </xs:choice>
	// (inline in 1.1/1.2, <xs:complexType name="licenseChoiceType"> from 1.3).
	// 1.7 made it <xs:choice maxOccurs="unbounded"> of license, expression
	// and expression-detailed, so any mix is valid there.
	{elem: "licenses", since: 1, until: 6, check: func(c childCounts) []problem {
		var ps []problem
		if c["license"] > 0 && c["expression"] > 0 {
			ps = append(ps, problem{"xsd:choice:licenseChoiceType", "licenses holds either license elements or one expression, not both"})
		}
		if c["expression"] > 1 {
			ps = append(ps, problem{"xsd:maxOccurs:licenses/expression", fmt.Sprintf("%d expression elements; at most one is allowed", c["expression"])})
		}
		return ps
	}},
	// 1.7 component: <xs:choice minOccurs="0" maxOccurs="1"> version | versionRange </xs:choice>
	// ("Must be used exclusively, either 'version' or 'versionRange', but not both.")
	{elem: "component", since: 7, until: maxMinor, check: func(c childCounts) []problem {
		if c["version"] > 0 && c["versionRange"] > 0 {
			return []problem{{"xsd:choice:component/version|versionRange", "a component has either a version or a versionRange, not both"}}
		}
		return nil
	}},
	// 1.7 <xs:complexType name="citationType">: <xs:choice> pointers | expressions
	// </xs:choice> (exactly one), timestamp minOccurs="1", attributedTo and
	// process maxOccurs="1".
	{elem: "citations/citation", since: 7, until: maxMinor, check: func(c childCounts) []problem {
		var ps []problem
		switch {
		case c["pointers"] > 0 && c["expressions"] > 0:
			ps = append(ps, problem{"xsd:choice:citationType/pointers|expressions", "a citation has either pointers or expressions, not both"})
		case c["pointers"] == 0 && c["expressions"] == 0:
			ps = append(ps, problem{"xsd:choice:citationType/pointers|expressions", "a citation needs pointers or expressions"})
		}
		if c["timestamp"] == 0 {
			ps = append(ps, problem{"xsd:required:citation/timestamp", "a citation needs a timestamp"})
		}
		for _, n := range []string{"attributedTo", "process", "pointers", "expressions", "timestamp"} {
			if c[n] > 1 {
				ps = append(ps, problem{"xsd:maxOccurs:citation/" + n, fmt.Sprintf("%d %s elements; at most one is allowed", c[n], n)})
			}
		}
		return ps
	}},
}

func requireChild(rule, child string) func(childCounts) []problem {
	return func(c childCounts) []problem {
		if c[child] == 0 {
			return []problem{{rule, fmt.Sprintf("required element <%s> is missing", child)}}
		}
		return nil
	}
}

// allowedChildren lists, for a few central complex types, the child
// elements each XSD declares (in the CycloneDX namespace); anything else in
// that namespace is reported. Elements of other namespaces are allowed where
// the type ends in <xs:any namespace="##other">, which is every type here
// from 1.1 on. Element order (xs:sequence) is not checked.
type childList struct {
	since  int
	names  string
	others bool // <xs:any namespace="##other">
}

var allowedChildren = map[string][]childList{
	// <xs:element name="bom">
	"/bom": {
		{0, "components", false},
		{1, "components externalReferences", true},
		{2, "metadata components services externalReferences dependencies", true},
		{3, "metadata components services externalReferences dependencies compositions properties", true},
		{4, "metadata components services externalReferences dependencies compositions properties vulnerabilities", true},
		{5, "metadata components services externalReferences dependencies compositions properties vulnerabilities annotations formulation", true},
		{6, "metadata components services externalReferences dependencies compositions properties vulnerabilities annotations formulation declarations definitions", true},
		{7, "metadata components services externalReferences dependencies compositions properties vulnerabilities annotations formulation declarations definitions citations", true},
	},
	// <xs:complexType name="metadata">
	"/bom/metadata": {
		{2, "timestamp tools authors component manufacture supplier", true},
		{3, "timestamp tools authors component manufacture supplier licenses properties", true},
		{5, "timestamp lifecycles tools authors component manufacture supplier licenses properties", true},
		{6, "timestamp lifecycles tools authors component manufacturer manufacture supplier licenses properties", true},
		{7, "timestamp lifecycles tools authors component manufacturer manufacture supplier licenses properties distributionConstraints", true},
	},
	// <xs:complexType name="component">
	"component": {
		{0, "publisher group name version description scope hashes licenses copyright cpe purl modified components", false},
		{1, "publisher group name version description scope hashes licenses copyright cpe purl modified pedigree externalReferences components", true},
		{2, "supplier author publisher group name version description scope hashes licenses copyright cpe purl swid modified pedigree externalReferences components", true},
		{3, "supplier author publisher group name version description scope hashes licenses copyright cpe purl swid modified pedigree externalReferences properties components evidence", true},
		{4, "supplier author publisher group name version description scope hashes licenses copyright cpe purl swid modified pedigree externalReferences properties components evidence releaseNotes", true},
		{5, "supplier author publisher group name version description scope hashes licenses copyright cpe purl swid modified pedigree externalReferences properties components evidence releaseNotes modelCard data", true},
		{6, "supplier manufacturer authors author publisher group name version description scope hashes licenses copyright cpe purl omniborId swhid swid modified pedigree externalReferences properties components evidence releaseNotes modelCard data cryptoProperties tags", true},
		{7, "supplier manufacturer authors author publisher group name version versionRange description scope hashes licenses copyright patentAssertions cpe purl omniborId swhid swid modified pedigree externalReferences properties components evidence releaseNotes modelCard data cryptoProperties tags", true},
	},
	// <xs:complexType name="service">
	"service": {
		{2, "provider group name version description endpoints authenticated x-trust-boundary data licenses externalReferences services", true},
		{3, "provider group name version description endpoints authenticated x-trust-boundary data licenses externalReferences properties services", true},
		{4, "provider group name version description endpoints authenticated x-trust-boundary data licenses externalReferences properties services releaseNotes", true},
		{5, "provider group name version description endpoints authenticated x-trust-boundary trustZone data licenses externalReferences properties services releaseNotes", true},
		{6, "provider group name version description endpoints authenticated x-trust-boundary trustZone data licenses externalReferences properties services releaseNotes tags", true},
		{7, "provider group name version description endpoints authenticated x-trust-boundary trustZone data licenses patentAssertions externalReferences properties services releaseNotes tags", true},
	},
	// <xs:complexType name="licenseType"> (inline in 1.0)
	"license": {
		{0, "id name", false},
		{1, "id name text url", true},
		{5, "id name text url licensing properties", true},
	},
}

func allowedAt(steps []childList, minor int) (map[string]bool, bool, bool) {
	var cur *childList
	for i := range steps {
		if steps[i].since <= minor {
			cur = &steps[i]
		}
	}
	if cur == nil {
		return nil, false, false
	}
	m := make(map[string]bool)
	for _, n := range strings.Fields(cur.names) {
		m[n] = true
	}
	return m, cur.others, true
}

func enumProblem(allowed map[string]bool, v string) string {
	if allowed == nil || allowed[v] {
		return ""
	}
	return fmt.Sprintf("%q is not one of %s", abbreviate(v), joinSorted(allowed))
}

// collapse applies XSD whiteSpace="collapse".
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func abbreviate(s string) string {
	s = collapse(s)
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// validDateTime reports whether s (after collapsing) is an xs:dateTime.
func validDateTime(s string) bool {
	s = collapse(s)
	m := reDateTime.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	year, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if strings.HasPrefix(s, "-") {
		year = -year
	}
	return day <= daysIn(year, month)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var (
	spdxIDsOnce sync.Once
	spdxIDs     map[string]bool
	spdxIDsErr  error
)

// spdxLicenseIDs is the SPDX license and exception identifier list that
// spdx.xsd's licenseId type enumerates. The same list is the enum of the
// embedded spdx.schema.json (both files come from the same commit of
// CycloneDX/specification and hold the same 811 values), so it is read from
// there rather than embedding the XSD as well.
func spdxLicenseIDs() (map[string]bool, error) {
	spdxIDsOnce.Do(func() {
		b, err := schemaFS.ReadFile("schemas/spdx.schema.json")
		if err != nil {
			spdxIDsErr = err
			return
		}
		var s struct {
			Enum []string `json:"enum"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			spdxIDsErr = err
			return
		}
		spdxIDs = make(map[string]bool, len(s.Enum))
		for _, id := range s.Enum {
			spdxIDs[id] = true
		}
	})
	return spdxIDs, spdxIDsErr
}
