package advisory

// feedFormat is one feed format besides OSV, which is tried first (it is
// by far the most common, and its reader decides quickly that a document
// is something else).
type feedFormat struct {
	// name is the Format* constant.
	name string
	// sniff reports whether data is meant to be this format, broken or
	// not: a document that sniffs as the format but cannot be read is an
	// error, not something to pass over.
	sniff func(data []byte) bool
	// decode reads the document. It sets Source and Format on every
	// advisory it returns.
	decode func(data []byte, source string) (*Feed, error)
}

// feedFormats lists the formats tried, in order, on a document that is not
// OSV. Each lives in its own file.
var feedFormats = []feedFormat{
	{FormatCSAF, looksLikeCSAF, decodeCSAF},
	{FormatNVD, looksLikeNVD, decodeNVD},
	{FormatOpenVEX, looksLikeOpenVEX, decodeOpenVEX},
	{FormatCycloneDXVEX, looksLikeCycloneDXVEX, decodeCycloneDXVEX},
	{FormatKEV, looksLikeKEV, decodeKEV},
	{FormatEPSS, looksLikeEPSS, decodeEPSS},
}

// decodeOther reads a document that is not OSV (osvErr says why) as the
// first other format it sniffs as, and says in the outcome whether that
// is CSAF, also when the document cannot be read. Advisories are returned apart;
// extra is non-nil only when the document held KEV or EPSS data.
func decodeOther(data []byte, source string, osvErr error) outcome {
	for _, f := range feedFormats {
		if !f.sniff(data) {
			continue
		}
		feed, err := f.decode(data, source)
		if err != nil {
			return outcome{err: err, csaf: f.name == FormatCSAF}
		}
		out := outcome{advs: feed.Advisories, csaf: f.name == FormatCSAF}
		if len(feed.KEV) > 0 || len(feed.EPSS) > 0 {
			out.extra = &Feed{KEV: feed.KEV, EPSS: feed.EPSS}
		}
		return out
	}
	return outcome{err: osvErr}
}
