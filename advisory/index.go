package advisory

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bomrank/bomrank/purl"
)

// Entry is one affected package of one advisory, as returned by lookups.
type Entry struct {
	// Advisory is the record.
	Advisory *Advisory
	// Affected points into Advisory.Affected.
	Affected *Affected
	// Seq numbers the entry densely within its index, 0 to
	// Index.Entries()-1, so that a matcher can keep per-entry state in a
	// slice rather than a map.
	Seq int

	adv int32 // the position of Advisory in Index.advs
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
	// Alias groups: node numbers the identifiers, nodeGroup gives each
	// its group, and a group's identifiers are members[start:end], sorted.
	node      map[string]int32
	nodeGroup []int32
	advGroup  []int32 // the group of each of advs
	groups    []aliasGroup
	members   []string
	entries   int // number of Entry values handed out (Seq is below it)

	// Lookups built by the other formats' files: CSAF products by vendor
	// and name (index_csaf.go), NVD configurations by CPE vendor and
	// product (index_cpe.go).
	csaf csafIndex
	cpe  cpeIndex
	vex  vexIndex // OpenVEX and CycloneDX VEX products (index_vex.go)
}

type pkgKey struct{ eco, name string }

// aliasGroup is a set of identifiers joined through aliases.
type aliasGroup struct {
	start, end int32  // the identifiers are Index.members[start:end]
	key        string // the canonical identifier, see VulnKey
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
	// The indexed records, in ID order: Load's result is sorted already,
	// so the sort is usually skipped.
	ix.advs = make([]*Advisory, 0, len(ix.byID))
	for _, a := range advs {
		if a != nil && a.ID != "" && ix.byID[a.ID] == a {
			ix.advs = append(ix.advs, a)
		}
	}
	byIDOrder := func(a, b *Advisory) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(ix.advs, byIDOrder) {
		slices.SortFunc(ix.advs, byIDOrder)
	}
	ix.advs = slices.Compact(ix.advs) // a record given twice
	ix.advs = slices.DeleteFunc(ix.advs, func(a *Advisory) bool {
		if a.Withdrawn != "" {
			delete(ix.byID, a.ID)
			return true
		}
		return false
	})

	// The alias groups are built alongside the package maps: they share
	// nothing but the (read-only) records.
	var wg sync.WaitGroup
	wg.Go(ix.buildAliases)
	defer wg.Wait()

	// Packages, in ID order so that every list comes out sorted.
	purlKeys := map[string]string{} // purl -> PackageKey ("" if invalid)
	bases := map[string]string{}    // ecosystem -> baseEcosystem
	for ai, a := range ix.advs {
		for i := range a.Affected {
			af := &a.Affected[i]
			e := Entry{Advisory: a, Affected: af, Seq: ix.entries, adv: int32(ai)}
			ix.entries++
			if af.Name != "" {
				base, ok := bases[af.Ecosystem]
				if !ok {
					base = baseEcosystem(af.Ecosystem)
					bases[af.Ecosystem] = base
				}
				k := pkgKey{base, normalizeName(base, af.Name)}
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
	ix.buildCSAF()
	ix.buildCPE()
	ix.buildVEX(advs)
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
	n := len(ix.advs)
	for _, a := range ix.advs {
		n += len(a.Aliases)
	}
	ix.node = make(map[string]int32, n)
	ids := make([]string, 0, n)
	parent := make([]int32, 0, n)
	node := func(id string) int32 {
		i, ok := ix.node[id]
		if !ok {
			i = int32(len(ids))
			ix.node[id] = i
			ids = append(ids, id)
			parent = append(parent, i)
		}
		return i
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	advNode := make([]int32, len(ix.advs))
	for ai, a := range ix.advs {
		advNode[ai] = node(a.ID)
		root := find(advNode[ai])
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
	// Number the groups in order of first appearance and lay their
	// members out contiguously in ix.members (a counting sort).
	ix.nodeGroup = make([]int32, len(ids))
	rootGroup := make([]int32, len(ids))
	for i := range rootGroup {
		rootGroup[i] = -1
	}
	var sizes []int32
	for i := range ids {
		r := find(int32(i))
		if rootGroup[r] < 0 {
			rootGroup[r] = int32(len(sizes))
			sizes = append(sizes, 0)
		}
		g := rootGroup[r]
		ix.nodeGroup[i] = g
		sizes[g]++
	}
	ix.groups = make([]aliasGroup, len(sizes))
	start := int32(0)
	for g, size := range sizes {
		ix.groups[g] = aliasGroup{start: start, end: start}
		start += size
	}
	ix.advGroup = make([]int32, len(ix.advs))
	for ai, n := range advNode {
		ix.advGroup[ai] = ix.nodeGroup[n]
	}
	ix.members = make([]string, len(ids))
	for i, id := range ids {
		g := &ix.groups[ix.nodeGroup[i]]
		ix.members[g.end] = id
		g.end++
	}
	for i := range ix.groups {
		g := &ix.groups[i]
		m := ix.members[g.start:g.end]
		if len(m) > 1 {
			slices.Sort(m)
		}
		g.key = m[0]
		found := false
		for _, id := range m {
			if strings.HasPrefix(id, "CVE-") && (!found || cveLess(id, g.key)) {
				g.key, found = id, true // the earliest CVE identifier
			}
		}
	}
}

// cveLess orders CVE identifiers by year and then number, so that
// CVE-2023-9999 comes before CVE-2023-10000 (string order would not).
func cveLess(a, b string) bool {
	ya, na := cveParts(a)
	yb, nb := cveParts(b)
	if ya != yb {
		return ya < yb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

func cveParts(id string) (year, num int) {
	parts := strings.SplitN(strings.TrimPrefix(id, "CVE-"), "-", 2)
	if len(parts) != 2 {
		return 0, 0
	}
	year, _ = strconv.Atoi(parts[0])
	num, _ = strconv.Atoi(parts[1])
	return year, num
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
//
// The returned slice is shared with the index (a scan makes hundreds of
// thousands of lookups): callers must not modify it.
func (ix *Index) ByPackage(ecosystem, name string) []Entry {
	base := baseEcosystem(ecosystem)
	return slices.Clip(ix.byPkg[pkgKey{base, normalizeName(base, name)}])
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

// ByPackageKey is ByPURL for a key already reduced with purl.PackageKey:
// a matcher that has parsed the component's purl saves parsing it again.
// Like ByPackage, the returned slice is shared: do not modify it.
func (ix *Index) ByPackageKey(key string) []Entry {
	return slices.Clip(ix.byPURL[key])
}

// HasPURLs reports whether any indexed entry names its package by purl, so
// that a matcher can skip purl lookups (and computing their keys) when none
// does.
func (ix *Index) HasPURLs() bool { return len(ix.byPURL) > 0 }

// Entries returns the number of entries the index holds; every Entry.Seq is
// below it.
func (ix *Index) Entries() int { return ix.entries }

// Aliases returns, sorted, every identifier connected to id through the
// aliases of the indexed records, id included: if GO-2020-0001 lists
// CVE-2020-36567 and GHSA-6vm3-jj99-7229 as aliases, each of the three
// gives all three. An identifier the index does not know gives just
// itself.
func (ix *Index) Aliases(id string) []string {
	n, ok := ix.node[id]
	if !ok {
		return []string{id}
	}
	g := ix.groups[ix.nodeGroup[n]]
	return slices.Clone(ix.members[g.start:g.end])
}

// VulnKey returns the canonical identifier of the vulnerability id names,
// the same for every identifier of Aliases(id): the smallest CVE
// identifier of the group if it has one, else its smallest identifier
// (strings compared bytewise). An identifier the index does not know is
// its own key. Matchers use it to report one finding per component and
// vulnerability however many records describe it.
func (ix *Index) VulnKey(id string) string {
	n, ok := ix.node[id]
	if !ok {
		return id
	}
	return ix.groups[ix.nodeGroup[n]].key
}

// EntryVulnKey returns VulnKey(e.Advisory.ID) for an entry the index
// returned, without looking the identifier up.
func (ix *Index) EntryVulnKey(e Entry) string {
	if g, ok := ix.entryGroup(e); ok {
		return ix.groups[g].key
	}
	return ix.VulnKey(e.Advisory.ID)
}

// EntryAliases returns Aliases(e.Advisory.ID) for an entry the index
// returned, without looking the identifier up.
func (ix *Index) EntryAliases(e Entry) []string {
	if g, ok := ix.entryGroup(e); ok {
		gr := ix.groups[g]
		return slices.Clone(ix.members[gr.start:gr.end])
	}
	return ix.Aliases(e.Advisory.ID)
}

// entryGroup returns the alias group of e's advisory when e comes from
// this index (an Entry built elsewhere has no usable position).
func (ix *Index) entryGroup(e Entry) (int32, bool) {
	if e.adv < 0 || int(e.adv) >= len(ix.advs) || ix.advs[e.adv] != e.Advisory || int(e.adv) >= len(ix.advGroup) {
		return 0, false
	}
	return ix.advGroup[e.adv], true
}

// baseEcosystem returns the lower-cased ecosystem without its release:
// "debian" for "Debian:11", "crates.io" for "crates.io".
func baseEcosystem(ecosystem string) string {
	if i := strings.IndexByte(ecosystem, ':'); i >= 0 {
		ecosystem = ecosystem[:i]
	}
	return lower(strings.TrimSpace(ecosystem))
}

// lower is strings.ToLower with a fast path for ASCII strings that are
// lower case already (Go module paths, npm names, ecosystems), which it
// returns without allocating.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
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
	return normalizeName(baseEcosystem(ecosystem), name)
}

// normalizeName is NormalizeName for an ecosystem already reduced by
// baseEcosystem.
func normalizeName(base, name string) string {
	name = strings.TrimSpace(name)
	switch base {
	case "pypi":
		return pep503(name)
	case "npm", "packagist", "nuget", "go", "github actions":
		return lower(name)
	case "crates.io":
		return strings.ReplaceAll(lower(name), "_", "-")
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
