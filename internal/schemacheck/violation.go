package schemacheck

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// MaxViolations is the most violations reported for one document. When a
// document has more, the first MaxViolations-1 (in document order) are
// returned followed by one violation with rule [RuleTruncated] that says how
// many were left out.
const MaxViolations = 50

// RuleTruncated is the Rule of the final violation of a list that was cut
// short at [MaxViolations].
const RuleTruncated = "schemacheck:truncated"

// RuleUnsupportedVersion is the Rule of the violation reported for a
// format/version combination that never existed, such as CycloneDX 1.1 JSON.
const RuleUnsupportedVersion = "schema:version"

// Violation is one breach of a schema rule found in a document.
type Violation struct {
	// Rule names the rule that failed. For JSON it is "schema:" followed by
	// the JSON Schema keyword that failed ("schema:required",
	// "schema:enum", "schema:pattern", "schema:format", ...). For CycloneDX
	// XML it is "xsd:" followed by the kind of XSD constraint and the XSD
	// type or element it comes from ("xsd:enum:classification",
	// "xsd:required:component/name", "xsd:unique:bom-ref",
	// "xsd:namespace", ...).
	Rule string
	// Location says where in the document the violation is. For JSON it is
	// a JSON pointer (RFC 6901; "" is the whole document); a property that
	// is not allowed is located at the property itself. For XML it is a path
	// of element names, each below the root with its 1-based position among
	// its siblings of the same name, and "/@name" for an attribute, e.g.
	// "/bom/components[1]/component[2]/hashes[1]/hash[1]/@alg".
	Location string
	// Message explains the violation in plain English. XML messages end
	// with the line of the element, "(line 12)".
	Message string
}

// String formats the violation on one line: "rule at location: message".
func (v Violation) String() string {
	loc := v.Location
	if loc == "" {
		loc = "/"
	}
	return fmt.Sprintf("%s at %s: %s", v.Rule, loc, v.Message)
}

// finish sorts violations into document order, removes exact duplicates and
// applies the MaxViolations cap. It returns nil for an empty list.
func finish(vs []Violation) []Violation {
	if len(vs) == 0 {
		return nil
	}
	sort.SliceStable(vs, func(i, j int) bool {
		if c := compareLocations(vs[i].Location, vs[j].Location); c != 0 {
			return c < 0
		}
		if vs[i].Rule != vs[j].Rule {
			return vs[i].Rule < vs[j].Rule
		}
		return vs[i].Message < vs[j].Message
	})
	out := vs[:1]
	for _, v := range vs[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	if len(out) > MaxViolations {
		dropped := len(out) - (MaxViolations - 1)
		out = append(out[:MaxViolations-1], Violation{
			Rule:    RuleTruncated,
			Message: fmt.Sprintf("%d more violations not reported (limit %d per document)", dropped, MaxViolations),
		})
	}
	return out
}

// compareLocations orders JSON pointers and XML paths segment by segment,
// comparing numeric segments (array indexes) and [n] positions as numbers so
// that /components/2 sorts before /components/10.
func compareLocations(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if c := compareSegments(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}

func compareSegments(a, b string) int {
	if a == b {
		return 0
	}
	an, aIdx := splitIndex(a)
	bn, bIdx := splitIndex(b)
	if an != bn {
		// Two array indexes: numeric order.
		ai, aerr := strconv.Atoi(an)
		bi, berr := strconv.Atoi(bn)
		if aerr == nil && berr == nil {
			return ai - bi
		}
		return strings.Compare(an, bn)
	}
	return aIdx - bIdx
}

// splitIndex splits an XML path segment "name[3]" into ("name", 3); other
// segments are returned whole with index 0.
func splitIndex(s string) (string, int) {
	if !strings.HasSuffix(s, "]") {
		return s, 0
	}
	i := strings.LastIndexByte(s, '[')
	if i < 0 {
		return s, 0
	}
	n, err := strconv.Atoi(s[i+1 : len(s)-1])
	if err != nil {
		return s, 0
	}
	return s[:i], n
}
