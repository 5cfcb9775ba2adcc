package mds2

import (
	"strings"
	"unicode"
)

// Sections lists the section codes of HN 1-2019: DOC (the form's
// identification) and the 23 security capabilities.
var Sections = []string{
	"DOC", "MPII", "ALOF", "AUDT", "AUTH", "CSUP", "DIDT", "DTBK", "EMRG", "IGAU", "MLDP", "NAUT",
	"CONN", "PAUT", "PLOK", "RDMP", "SBOM", "SAHD", "SGUD", "STCF", "TXCF", "TXIG", "RMOT", "OTHR",
}

// sectionVariants maps known misspellings of section codes, seen on
// filled forms, to the code of HN 1-2019.
var sectionVariants = map[string]string{
	"SHAD": "SAHD", "SADH": "SAHD", "SHDA": "SAHD",
	"CUSP": "CSUP", "CSPU": "CSUP", "CUPS": "CSUP",
	"MLPD": "MLDP", "MDLP": "MLDP",
	"RMTO": "RMOT", "RMOTE": "RMOT", "REMOTE": "RMOT",
	"CON": "CONN", "CONNECT": "CONN",
	"AUDIT": "AUDT", "ADUT": "AUDT",
	"MPI": "MPII", "MIPI": "MPII",
	"NAUTH": "NAUT", "PAUTH": "PAUT",
	"DIDENT": "DIDT", "DTBCK": "DTBK",
	"TXFC": "TXCF", "TCXF": "TXCF", "TXGI": "TXIG",
	"STFC": "STCF", "SGDU": "SGUD", "RMDP": "RDMP", "RDPM": "RDMP",
	"IGUA": "IGAU", "EMGR": "EMRG", "PLCK": "PLOK", "OTHER": "OTHR",
}

var knownSections = func() map[string]bool {
	m := make(map[string]bool, len(Sections))
	for _, s := range Sections {
		m[s] = true
	}
	return m
}()

// NormalizeID returns the HN 1-2019 form of a question ID as written on a
// form: upper case, no spaces, a hyphen after the section code, numbers
// joined by dots without leading zeros ("csup 2-02" is "CSUP-2.2"), a
// known misspelt section code corrected ("SHAD-15" is "SAHD-15"). known
// is false when the result is still not a section code followed by
// numbers; id is then the text as written, trimmed and upper-cased, or ""
// when raw is not an ID at all (empty, no digit after the letters, or a
// sentence such as a section heading).
func NormalizeID(raw string) (id string, known bool) {
	s := strings.ToUpper(strings.TrimSpace(raw))
	s = strings.Trim(s, ":.")
	if s == "" || len(s) > 24 || strings.Count(s, " ") > 2 {
		return "", false
	}
	letters := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if letters <= 0 {
		return "", false
	}
	section, rest := s[:letters], s[letters:]
	if v, ok := sectionVariants[section]; ok {
		section = v
	}
	if !strings.ContainsAny(rest, "0123456789") {
		return "", false
	}
	nums, ok := splitNumbers(rest)
	if !ok {
		return s, false
	}
	id = section + "-" + strings.Join(nums, ".")
	return id, knownSections[section]
}

// splitNumbers reads the numbers after a section code: separators are
// spaces, hyphens, dashes, underscores and dots.
func splitNumbers(rest string) ([]string, bool) {
	fields := strings.FieldsFunc(rest, func(r rune) bool {
		return r == ' ' || r == '-' || r == '.' || r == '_' || r == '\u2010' || r == '\u2011' ||
			r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u00a0'
	})
	if len(fields) == 0 || len(fields) > 4 {
		return nil, false
	}
	for i, f := range fields {
		for _, r := range f {
			if r < '0' || r > '9' {
				return nil, false
			}
		}
		f = strings.TrimLeft(f, "0")
		if f == "" {
			f = "0"
		}
		if len(f) > 3 {
			return nil, false
		}
		fields[i] = f
	}
	return fields, true
}
