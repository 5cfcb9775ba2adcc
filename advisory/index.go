package advisory

import (
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/purl"
)

// Entry is one affected package of one advisory, as returned by lookups.
type Entry struct {
	// Advisory is the record.
	Advisory *Advisory
	// Affected points into Advisory.Affected.
	Affected *Affected
}

// Index answers lookups over a set of advisories. It is immutable once
// built and safe for concurrent use.
//
// Withdrawn records are not indexed. When several records have the same ID
// (the same feed loaded twice, or a directory and an all.zip of it), only
// the most recently modified one is indexed (on a tie, the first given,
// which for Load's result is the one with the smallest Source); if that one
// is withdrawn, none is.
type Index struct {
	advs   []*Advisory // indexed records, sorted by ID
	byID   map[string]*Advisory
	byPkg  map[pkgKey][]Entry
	byPURL map[string][]Entry
	group  map[string]int32 // identifier -> alias group
	groups []aliasGroup
}

type pkgKey struct{ eco, name string }

// aliasGroup is a set of identifiers joined through aliases.
type aliasGroup struct {
	ids []string // sorted
	key string   // the canonical identifier, see VulnKey
}

// NewIndex indexes advs. Lookups then cost time proportional to the number
// of entries they return.
func NewIndex(advs []*Advisory) *Index {
	ix := &Index{
		byID:   make(map[string]*Advisory, len(advs)),
		byPkg:  make(map[pkgKey][]Entry, len(advs)/2),
		byPURL: make(map[string][]Entry),
	}
	// The newest record per ID.
	for _, a := range advs {
		if a == nil || a.ID == "" {
			continue
		}
		if old, ok := ix.byID[a.ID]; !ok || newer(a, old) {
			ix.byID[a.ID] = a
		}
	}
	ix.advs = make([]*Advisory, 0, len(ix.byID))
	for id, a := range ix.byID {
		if a.Withdrawn != "" {
			delete(ix.byID, id)
			continue
		}
		ix.advs = append(ix.advs, a)
	}
	slices.SortFunc(ix.advs, func(a, b *Advisory) int { return strings.Compare(a.ID, b.ID) })

	// Packages, in ID order so that every list comes out sorted.
	purlKeys := map[string]string{} // purl -> PackageKey ("" if invalid)
	for _, a := range ix.advs {
		for i := range a.Affected {
			af := &a.Affected[i]
			e := Entry{Advisory: a, Affected: af}
			if af.Name != "" {
				k := pkgKey{baseEcosystem(af.Ecosystem), NormalizeName(af.Ecosystem, af.Name)}
				ix.byPkg[k] = append(ix.byPkg[k], e)
			}
			if af.PURL != "" {
				key, ok := purlKeys[af.PURL]
				if !ok {
					if p, err := purl.Parse(af.PURL); err == nil {
						key = purl.PackageKey(p)
					}
					purlKeys[af.PURL] = key
				}
				if key != "" {
					ix.byPURL[key] = append(ix.byPURL[key], e)
				}
			}
		}
	}
	ix.buildAliases()
	return ix
}

// newer reports whether a was modified after b. Timestamps that do not
// parse as RFC 3339 are compared as strings.
func newer(a, b *Advisory) bool {
	ta, erra := time.Parse(time.RFC3339Nano, a.Modified)
	tb, errb := time.Parse(time.RFC3339Nano, b.Modified)
	if erra == nil && errb == nil {
		return ta.After(tb)
	}
	return a.Modified > b.Modified
}

// buildAliases joins each record's ID with its aliases (union-find) and
// names every group.
func (ix *Index) buildAliases() {
	ix.group = make(map[string]int32, len(ix.advs)*2)
	var ids []string
	var parent []int32
	node := func(id string) int32 {
		n, ok := ix.group[id]
		if !ok {
			n = int32(len(ids))
			ix.group[id] = n
			ids = append(ids, id)
			parent = append(parent, n)
		}
		return n
	}
	find := func(n int32) int32 {
		for parent[n] != n {
			parent[n] = parent[parent[n]]
			n = parent[n]
		}
		return n
	}
	for _, a := range ix.advs {
		root := find(node(a.ID))
		for _, al := range a.Aliases {
			if r := find(node(al)); r != root {
				// Link the larger root under the smaller: any
				// deterministic rule will do.
				if r < root {
					parent[root] = r
					root = r
				} else {
					parent[r] = root
				}
			}
		}
	}
	// Number the groups by root, then rewrite group to point at them.
	groupOf := make([]int32, len(ids))
	for i := range groupOf {
		groupOf[i] = -1
	}
	for n := range ids {
		r := find(int32(n))
		if groupOf[r] < 0 {
			groupOf[r] = int32(len(ix.groups))
			ix.groups = append(ix.groups, aliasGroup{})
		}
		g := &ix.groups[groupOf[r]]
		g.ids = append(g.ids, ids[n])
	}
	for n, id := range ids {
		ix.group[id] = groupOf[find(int32(n))]
	}
	for i := range ix.groups {
		g := &ix.groups[i]
		slices.Sort(g.ids)
		g.key = g.ids[0]
		for _, id := range g.ids {
			if strings.HasPrefix(id, "CVE-") {
				g.key = id // the smallest CVE identifier
				break
			}
		}
	}
}

// Len returns the number of records indexed.
func (ix *Index) Len() int { return len(ix.advs) }

// Advisories returns the records indexed, sorted by ID.
func (ix *Index) Advisories() []*Advisory { return slices.Clone(ix.advs) }

// ByID returns the indexed record with the given ID, or nil.
func (ix *Index) ByID(id string) *Advisory { return ix.byID[id] }

// ByPackage returns the affected entries for the package name in
// ecosystem, sorted by advisory ID (and then by position in the record).
// The name is normalised with NormalizeName. ecosystem may carry a release
// ("Debian:11") or not ("Debian"): either way the entries of every release
// of the ecosystem are returned (a "Debian:11" lookup also finds
// "Debian:12" and plain "Debian" entries), and the caller compares
// Entry.Affected.Ecosystem to filter releases. Ecosystem names are
// compared case-insensitively.
func (ix *Index) ByPackage(ecosystem, name string) []Entry {
	return slices.Clone(ix.byPkg[pkgKey{baseEcosystem(ecosystem), NormalizeName(ecosystem, name)}])
}

// ByPURL returns the affected entries whose package URL
// (affected[].package.purl in OSV) names the same package as p, ignoring
// version, qualifiers and subpath (both sides are reduced with
// purl.PackageKey), sorted by advisory ID. It returns nil if p is not a
// valid package URL. Records that name a package only by ecosystem and
// name (the Go vulnerability database, for example) are found with
// ByPackage, not here.
func (ix *Index) ByPURL(p string) []Entry {
	pu, err := purl.Parse(p)
	if err != nil {
		return nil
	}
	return slices.Clone(ix.byPURL[purl.PackageKey(pu)])
}

// Aliases returns, sorted, every identifier connected to id through the
// aliases of the indexed records, id included: if GO-2020-0001 lists
// CVE-2020-36567 and GHSA-6vm3-jj99-7229 as aliases, each of the three
// gives all three. An identifier the index does not know gives just
// itself.
func (ix *Index) Aliases(id string) []string {
	g, ok := ix.group[id]
	if !ok {
		return []string{id}
	}
	return slices.Clone(ix.groups[g].ids)
}

// VulnKey returns the canonical identifier of the vulnerability id names,
// the same for every identifier of Aliases(id): the smallest CVE
// identifier of the group if it has one, else its smallest identifier
// (strings compared bytewise). An identifier the index does not know is
// its own key. Matchers use it to report one finding per component and
// vulnerability however many records describe it.
func (ix *Index) VulnKey(id string) string {
	g, ok := ix.group[id]
	if !ok {
		return id
	}
	return ix.groups[g].key
}

// baseEcosystem returns the lower-cased ecosystem without its release:
// "debian" for "Debian:11", "crates.io" for "crates.io".
func baseEcosystem(ecosystem string) string {
	if i := strings.IndexByte(ecosystem, ':'); i >= 0 {
		ecosystem = ecosystem[:i]
	}
	return strings.ToLower(strings.TrimSpace(ecosystem))
}

// NormalizeName returns the form of a package name used to compare names
// within an ecosystem (given as in OSV, with or without a release suffix,
// in any case). Surrounding white space is removed, then:
//
//   - PyPI: PEP 503, lower case with every run of "-", "_" and "." made
//     one "-" ("Foo_Bar.baz" becomes "foo-bar-baz"), as pip compares
//     names and as purl's pypi rule does.
//   - npm, Packagist, NuGet: lower case. The registries compare names
//     case-insensitively (npm has refused upper case in new names since
//     2015; Composer and NuGet treat names case-insensitively).
//   - crates.io: lower case with "_" made "-": crates.io refuses a name
//     that differs from an existing one only in case or in "-" versus
//     "_", so this never joins two different crates.
//   - Go: lower case. Module paths are case-sensitive for the go command,
//     but the hosts that serve them (GitHub and the like) are not, the
//     same code is published under both spellings
//     (github.com/Sirupsen/logrus and github.com/sirupsen/logrus), and
//     purl lower-cases golang paths, so keys built from an SBOM's purl and
//     from an OSV record agree.
//   - GitHub Actions: lower case ("owner/repo" on GitHub is case
//     insensitive).
//   - Everything else as written: Maven "group:artifact" (case-sensitive
//     coordinates), RubyGems, Hex, Pub, Hackage, CRAN, and the
//     distributions (Debian, Ubuntu, Alpine, Red Hat, SUSE, ...), whose
//     binary and source package names are case-sensitive (RPM has
//     "NetworkManager").
func NormalizeName(ecosystem, name string) string {
	name = strings.TrimSpace(name)
	switch baseEcosystem(ecosystem) {
	case "pypi":
		return pep503(name)
	case "npm", "packagist", "nuget", "go", "github actions":
		return strings.ToLower(name)
	case "crates.io":
		return strings.ReplaceAll(strings.ToLower(name), "_", "-")
	}
	return name
}

// pep503 normalises a Python distribution name as PEP 503 does.
func pep503(name string) string {
	clean := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' || c == '_' || c == '.' || c == '-' && i > 0 && name[i-1] == '-' {
			clean = false
			break
		}
	}
	if clean {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		b.WriteRune(r)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}
