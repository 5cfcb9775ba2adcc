package csafsync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// entry is one document a listing names.
type entry struct {
	URL     string
	Release string // normalised; "" when the listing gives none
	Hash    string // URL of the hash file, "" to try URL.sha512 then URL.sha256
	Sig     string // URL of the signature, "" for URL.asc
	From    string // the listing's URL
}

// Change is one line of changes.csv.
type Change struct {
	// Path is the document's path as written (relative to the
	// directory of changes.csv).
	Path string
	// Release is the current_release_date, normalised to RFC 3339 in
	// UTC.
	Release string
}

// ParseChanges reads a changes.csv file (CSAF 2.0 requirement 13): one
// line per document, `path,current_release_date`, each field optionally
// within double quotes, no header. Malformed lines (and lines longer than
// MaxLineBytes) are passed over and described in the returned problems;
// reading stops after MaxEntries documents.
func ParseChanges(data []byte) (changes []Change, problems []string) {
	n := 0
	for line := range strings.Lines(string(data)) {
		n++
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if len(changes) >= MaxEntries {
			problems = append(problems, fmt.Sprintf("line %d: more than %d documents, rest passed over", n, MaxEntries))
			break
		}
		c, err := parseChange(line)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", n, err))
			continue
		}
		changes = append(changes, c)
	}
	return changes, problems
}

func parseChange(line string) (Change, error) {
	if len(line) > MaxLineBytes {
		return Change{}, fmt.Errorf("longer than %d bytes", MaxLineBytes)
	}
	i := strings.LastIndexByte(line, ',')
	if i < 0 {
		return Change{}, fmt.Errorf("no comma in %.80q", line)
	}
	path, ok1 := unquote(strings.TrimSpace(line[:i]))
	date, ok2 := unquote(strings.TrimSpace(line[i+1:]))
	if !ok1 || !ok2 || path == "" {
		return Change{}, fmt.Errorf("malformed %.80q", line)
	}
	rel, err := normalizeRelease(date)
	if err != nil {
		return Change{}, err
	}
	return Change{Path: path, Release: rel}, nil
}

// unquote removes the double quotes around a CSV field ("" inside
// standing for one quote); an unquoted field is returned as is unless it
// holds a quote.
func unquote(f string) (string, bool) {
	if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
		inner := f[1 : len(f)-1]
		if strings.Count(inner, `"`) != 2*strings.Count(inner, `""`) {
			return "", false
		}
		return strings.ReplaceAll(inner, `""`, `"`), true
	}
	return f, !strings.Contains(f, `"`)
}

// normalizeRelease parses an RFC 3339 date and writes it in UTC, so that
// a provider changing only the format does not look like a new release.
func normalizeRelease(s string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "", fmt.Errorf("release date %.40q is not RFC 3339", s)
	}
	return t.UTC().Format(time.RFC3339Nano), nil
}

// parseIndex reads index.txt: one document path per line.
func parseIndex(data []byte) (paths []string, problems []string) {
	n := 0
	for line := range strings.Lines(string(data)) {
		n++
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case len(line) > MaxLineBytes:
			problems = append(problems, fmt.Sprintf("line %d: longer than %d bytes", n, MaxLineBytes))
		case len(paths) >= MaxEntries:
			problems = append(problems, fmt.Sprintf("line %d: more than %d documents, rest passed over", n, MaxEntries))
			return paths, problems
		default:
			paths = append(paths, line)
		}
	}
	return paths, problems
}

// resolveInDir resolves a changes.csv or index.txt path against the
// directory URL dir. CSAF 2.0 wants paths relative to that directory
// ("2024/x.json"); CISA writes them relative to its repository root
// ("csaf_files/OT/white/2024/x.json" in .../csaf_files/OT/white/), so a
// path whose first segments repeat the last segments of dir is resolved
// after them. The result must lie under dir.
func resolveInDir(dir *url.URL, p string) (*url.URL, error) {
	ref, err := url.Parse(p)
	if err != nil || ref.IsAbs() || ref.Host != "" || strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("path %.80q is not relative", p)
	}
	base := strings.TrimSuffix(dir.Path, "/")
	dsegs := strings.Split(strings.Trim(base, "/"), "/")
	psegs := strings.Split(ref.Path, "/")
	for k := min(len(dsegs), len(psegs)-1); k > 0; k-- {
		if equalSegs(dsegs[len(dsegs)-k:], psegs[:k]) {
			ref.Path = strings.Join(psegs[k:], "/")
			break
		}
	}
	u := dir.JoinPath() // copy, with a trailing slash
	u.Path = base + "/"
	u.RawPath = ""
	got := u.ResolveReference(ref)
	if !strings.HasPrefix(got.Path, u.Path) || got.Host != dir.Host || got.Scheme != dir.Scheme {
		return nil, fmt.Errorf("path %.80q leaves %s", p, dir.Redacted())
	}
	return got, nil
}

func equalSegs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rolieFeed is the part of a ROLIE feed (CSAF 2.0 section 7.1.20,
// RFC 8322 in JSON) a sync uses.
type rolieFeed struct {
	Feed struct {
		Entry []struct {
			ID      string `json:"id"`
			Updated string `json:"updated"`
			Link    []struct {
				Rel  string `json:"rel"`
				Href string `json:"href"`
			} `json:"link"`
			Content struct {
				Src string `json:"src"`
			} `json:"content"`
		} `json:"entry"`
	} `json:"feed"`
}

// parseROLIE reads a ROLIE feed fetched from where into entries: the
// document URL (content src, else the "self" link), its release (the
// entry's updated), its hash link (.sha512 preferred) and signature
// link.
func parseROLIE(data []byte, where *url.URL) ([]entry, []string, error) {
	var f rolieFeed
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&f); err != nil {
		return nil, nil, fmt.Errorf("%s: not a ROLIE feed: %v", where.Redacted(), err)
	}
	var out []entry
	var problems []string
	for i, e := range f.Feed.Entry {
		if len(out) >= MaxEntries {
			problems = append(problems, fmt.Sprintf("more than %d entries, rest passed over", MaxEntries))
			break
		}
		en := entry{URL: e.Content.Src, From: where.String()}
		for _, l := range e.Link {
			switch {
			case l.Rel == "self" && en.URL == "":
				en.URL = l.Href
			case l.Rel == "hash" && (en.Hash == "" || strings.HasSuffix(l.Href, ".sha512")):
				en.Hash = l.Href
			case l.Rel == "signature":
				en.Sig = l.Href
			}
		}
		rel, err := normalizeRelease(e.Updated)
		if en.URL == "" || err != nil {
			problems = append(problems, fmt.Sprintf("entry %d (%.80q): no document URL or no valid updated date", i+1, e.ID))
			continue
		}
		en.Release = rel
		out = append(out, en)
	}
	return out, problems, nil
}
