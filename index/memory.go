package index

import (
	"cmp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/purl"
)

// Memory is the index built in memory from a set of advisories (see
// [New]), or read back from its binary form (see [Decode]), whose records
// are then decoded as lookups first return them. It does not change once
// built (decoding a record only fills a cache) and is safe for concurrent
// use.
//
// Withdrawn records are not indexed. When several records have the same ID
// (the same feed loaded twice, or a directory and an all.zip of it), only
// the most recently modified one is indexed (on a tie, the first given,
// which for advisory.Load's result is the one with the smallest Source);
// if that one is withdrawn, none is. CSAF records replace each other only
// within one publisher (advisory.Document.Scope): two publishers' records
// with the same ID are both indexed. The replacements that may have
// changed a finding are listed by [Memory.Replacements].
type Memory struct {
	st      *store // every record referred to, by number (store.go)
	nsel    int    // records 0 to nsel-1 are the indexed ones, sorted by ID
	byPkg   map[pkgKey]*entryList
	pkgTab  *pkgTable // byPkg for lookups, in a decoded index (pkgtable.go)
	byPURL  map[string]*entryList
	entries int      // number of Entry values handed out (Seq is below it)
	seqRec  []uint32 // record of each entry number (partial.go)
	seqSub  []uint32 // its place in the record's Affected
	records int      // indexed records other than VEX statements

	replaced []replacementRef

	// Lookups built by the other formats' files: CSAF products by vendor
	// and name (csaf.go), NVD configurations by CPE vendor and product
	// (cpe.go), OpenVEX and CycloneDX VEX products (vex.go).
	csaf csafIndex
	cpe  cpeIndex
	vex  vexIndex
}

var _ Reader = (*Memory)(nil)

type pkgKey struct{ eco, name string }

// entryRef is an Entry as the tables hold it: record number, position in
// its Affected, Seq.
type entryRef struct{ rec, sub, seq uint32 }

// refList is the references under one key of a lookup table, and the
// entries once a lookup has resolved them. A scan makes the same lookups
// many times (Packages and PackageURL per component, the CPE, CSAF and
// VEX lookups per component or device), and resolving a list costs two
// cache misses per entry (the record, then the part of it): a lookup of
// every package of the 100k workload took 23-26 ms of CPU resolving each
// time against 4 for the slices of Entry values New used to keep; with
// the first lookup's result kept and shared, 6-10 ms
// (BenchmarkLookupAll/warm, 0 allocations).
type refList[R, E any] struct {
	refs     []R
	resolved atomic.Pointer[[]E]
	partial  atomic.Pointer[[]E] // lookupPartial's entries
}

// entryList is a list of Packages and PackageURL.
type entryList = refList[entryRef, Entry]

// lookup returns l's entries, resolving them with resolve the first time.
// Concurrent first calls may both resolve them; the results are equal.
// The slice is shared (clipped, so that an append copies it).
func lookup[R, E any](ix *Memory, l *refList[R, E], resolve func(*Memory, []R) []E) []E {
	if l == nil {
		return nil
	}
	if p := l.resolved.Load(); p != nil {
		return *p
	}
	es := slices.Clip(resolve(ix, l.refs))
	l.resolved.Store(&es)
	return es
}

// addRef appends r to the list of k in *m, making the map if need be.
func addRef[K comparable, R, E any](m *map[K]*refList[R, E], k K, r R) {
	if *m == nil {
		*m = map[K]*refList[R, E]{}
	}
	l := (*m)[k]
	if l == nil {
		l = &refList[R, E]{}
		(*m)[k] = l
	}
	l.refs = append(l.refs, r)
}

// New indexes advs. Lookups then cost time proportional to the number of
// entries they return.
func New(advs []*advisory.Advisory) *Memory {
	ix := &Memory{
		byPkg:  make(map[pkgKey]*entryList, len(advs)/2),
		byPURL: make(map[string]*entryList),
	}
	sel, replaced := ix.selectRecords(advs)
	ix.nsel = len(sel)
	num := &numberer{recs: sel}
	ix.buildPackages(sel)
	ix.buildCSAF(sel)
	ix.buildCPE(sel)
	ix.buildVEX(advs, num)
	ix.numberReplacements(replaced, num)
	ix.st = newStore(num.recs)
	ix.numberEntries()
	return ix
}

// numberer gives record numbers to the records of an index being built:
// the indexed ones have theirs (their position), others are added after
// them when first met.
type numberer struct {
	recs []*advisory.Advisory
	m    map[*advisory.Advisory]uint32
}

func (n *numberer) num(a *advisory.Advisory) uint32 {
	if n.m == nil {
		n.m = make(map[*advisory.Advisory]uint32, len(n.recs))
		for i, r := range n.recs {
			if _, ok := n.m[r]; !ok {
				n.m[r] = uint32(i)
			}
		}
	}
	i, ok := n.m[a]
	if !ok {
		i = uint32(len(n.recs))
		n.recs = append(n.recs, a)
		n.m[a] = i
	}
	return i
}

// recordKey is what identifies a record for revisions: its ID and, for
// CSAF, its publisher (tracking ids are unique only per publisher).
type recordKey struct{ scope, id string }

func keyOf(a *advisory.Advisory) recordKey {
	if a.Format == advisory.FormatCSAF {
		return recordKey{a.Document.Scope(), a.ID}
	}
	return recordKey{"", a.ID}
}

// selectRecords returns the newest record per key (see recordKey), in ID
// order, without the withdrawn ones, and the replacements made.
func (ix *Memory) selectRecords(advs []*advisory.Advisory) ([]*advisory.Advisory, []Replacement) {
	best := make(map[recordKey]*advisory.Advisory, len(advs))
	for _, a := range advs {
		if a == nil || a.ID == "" {
			continue
		}
		k := keyOf(a)
		if old, ok := best[k]; !ok || newer(a, old) {
			best[k] = a
		}
	}
	// advisory.Load's result is sorted already, so the sort is usually
	// skipped.
	sel := make([]*advisory.Advisory, 0, len(best))
	var replaced []Replacement
	for _, a := range advs {
		if a == nil || a.ID == "" {
			continue
		}
		if kept := best[keyOf(a)]; kept == a {
			sel = append(sel, a)
		} else if r, ok := replacement(kept, a); ok {
			replaced = append(replaced, r)
		}
	}
	byIDOrder := func(a, b *advisory.Advisory) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Source, b.Source))
	}
	if !slices.IsSortedFunc(sel, byIDOrder) {
		slices.SortStableFunc(sel, byIDOrder)
	}
	sel = slices.Compact(sel) // a record given twice
	sel = slices.DeleteFunc(sel, func(a *advisory.Advisory) bool { return a.Withdrawn != "" })
	for _, a := range sel {
		if a.Format != advisory.FormatOpenVEX && a.Format != advisory.FormatCycloneDXVEX {
			ix.records++
		}
	}
	slices.SortStableFunc(replaced, func(a, b Replacement) int {
		return cmp.Or(a.rank()-b.rank(), strings.Compare(a.Kept.ID, b.Kept.ID),
			strings.Compare(a.Kept.Source, b.Kept.Source), strings.Compare(a.Replaced.Source, b.Replaced.Source))
	})
	return sel, slices.Compact(replaced) // a record given twice
}

// buildPackages indexes the affected entries by package and by purl, in
// ID order so that every list comes out sorted.
func (ix *Memory) buildPackages(sel []*advisory.Advisory) {
	purlKeys := map[string]string{} // purl -> PackageKey ("" if invalid)
	bases := map[string]string{}    // ecosystem -> baseEcosystem
	for rec, a := range sel {
		for i := range a.Affected {
			af := &a.Affected[i]
			e := entryRef{rec: uint32(rec), sub: uint32(i), seq: uint32(ix.entries)}
			ix.entries++
			if af.Name != "" {
				base, ok := bases[af.Ecosystem]
				if !ok {
					base = baseEcosystem(af.Ecosystem)
					bases[af.Ecosystem] = base
				}
				k := pkgKey{base, normalizeName(base, af.Name)}
				addRef(&ix.byPkg, k, e)
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
					addRef(&ix.byPURL, key, e)
				}
			}
		}
	}
}

// newer reports whether a was modified after b. Timestamps that do not
// parse as RFC 3339 are compared as strings.
func newer(a, b *advisory.Advisory) bool {
	ta, erra := time.Parse(time.RFC3339Nano, a.Modified)
	tb, errb := time.Parse(time.RFC3339Nano, b.Modified)
	if erra == nil && errb == nil {
		return ta.After(tb)
	}
	return a.Modified > b.Modified
}

// Len returns the number of records indexed.
func (ix *Memory) Len() int { return ix.nsel }

// Advisories returns the records indexed, sorted by ID. (For an index
// read by Decode this decodes every record; see Err.)
func (ix *Memory) Advisories() []*advisory.Advisory { return ix.st.all(ix.nsel) }

// Inputs returns records from which New builds the same lookups: the
// indexed records other than VEX statements, then every VEX statement
// record in the order indexed. (An index read by Decode decodes them
// all.) A caller adds records of its own and indexes the lot:
// New(append(ix.Inputs(), more...)). The replacements are not kept: New
// of Inputs has none.
func (ix *Memory) Inputs() []*advisory.Advisory {
	out := make([]*advisory.Advisory, 0, ix.nsel)
	for i := range ix.nsel {
		if a := ix.st.get(i); a != nil && a.Format != advisory.FormatOpenVEX && a.Format != advisory.FormatCycloneDXVEX {
			out = append(out, a)
		}
	}
	last := -1
	for _, e := range ix.vex.entries {
		if int(e.rec) == last {
			continue
		}
		last = int(e.rec)
		if a := ix.st.get(last); a != nil {
			out = append(out, a)
		}
	}
	return out
}

// ByID returns the indexed record with the given ID, or nil. (When two
// CSAF publishers' records have the ID, the first by Source.)
func (ix *Memory) ByID(id string) *advisory.Advisory {
	if i := ix.st.search(ix.nsel, id); i >= 0 {
		return ix.st.get(i)
	}
	return nil
}

// Packages implements Reader.
func (ix *Memory) Packages(ecosystem, name string) []Entry {
	base := baseEcosystem(ecosystem)
	return lookup(ix, ix.pkgList(base, normalizeName(base, name)), (*Memory).resolveEntries)
}

// PackageURL implements Reader.
func (ix *Memory) PackageURL(key string) []Entry {
	return lookup(ix, ix.byPURL[key], (*Memory).resolveEntries)
}

// resolveEntries turns refs into entries, leaving out those whose record
// does not decode (see Err).
func (ix *Memory) resolveEntries(refs []entryRef) []Entry {
	if len(refs) == 0 {
		return nil
	}
	out := make([]Entry, 0, len(refs))
	for _, r := range refs {
		a := ix.st.get(int(r.rec))
		if a == nil || int(r.sub) >= len(a.Affected) {
			ix.st.badRef(a, "affected", r.sub)
			continue
		}
		out = append(out, Entry{Advisory: a, Affected: &a.Affected[r.sub], Seq: int(r.seq)})
	}
	return out
}

// Contents implements Reader.
func (ix *Memory) Contents() Contents {
	return Contents{
		Records: ix.records, Entries: ix.entries,
		PURLs: len(ix.byPURL) > 0, CPE: ix.cpe.n > 0, CSAF: ix.csaf.n > 0, VEX: len(ix.vex.entries) > 0,
	}
}

// baseEcosystem returns the lower-cased ecosystem without its release:
// "debian" for "Debian:11", "crates.io" for "crates.io".
func baseEcosystem(ecosystem string) string {
	// The names match.Ecosystem gives a component's purl (one lookup or
	// two a component) without a copy: names.Lower copied "Maven" or
	// "PyPI" for each, 100,000 allocations (0.8 MB) a scan of the 100k
	// workload. TestBaseEcosystemKnown holds them to the general case.
	switch ecosystem {
	case "npm", "crates.io":
		return ecosystem
	case "PyPI":
		return "pypi"
	case "Maven":
		return "maven"
	case "Go":
		return "go"
	case "RubyGems":
		return "rubygems"
	case "NuGet":
		return "nuget"
	case "Packagist":
		return "packagist"
	case "Pub":
		return "pub"
	case "Hex":
		return "hex"
	case "CRAN":
		return "cran"
	case "Hackage":
		return "hackage"
	case "GitHub Actions":
		return "github actions"
	case "SwiftURL":
		return "swifturl"
	case "Bitnami":
		return "bitnami"
	case "Debian":
		return "debian"
	case "Ubuntu":
		return "ubuntu"
	case "Alpine":
		return "alpine"
	}
	return baseEcosystemOf(ecosystem)
}

// baseEcosystemOf is baseEcosystem for any name.
func baseEcosystemOf(ecosystem string) string {
	if i := strings.IndexByte(ecosystem, ':'); i >= 0 {
		ecosystem = ecosystem[:i]
	}
	return names.Lower(strings.TrimSpace(ecosystem))
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
		return names.Lower(name)
	case "crates.io":
		return strings.ReplaceAll(names.Lower(name), "_", "-")
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
