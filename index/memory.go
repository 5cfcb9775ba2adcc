package index

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/internal/names"
	"github.com/bomrank/bomrank/purl"
)

// Memory is the index built in memory from a set of advisories (see
// [New]). It is immutable once built and safe for concurrent use.
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
	advs     []*advisory.Advisory // indexed records, sorted by ID
	byID     map[string]*advisory.Advisory
	byPkg    map[pkgKey][]Entry
	byPURL   map[string][]Entry
	entries  int // number of Entry values handed out (Seq is below it)
	records  int // indexed records other than VEX statements
	replaced []Replacement

	// Lookups built by the other formats' files: CSAF products by vendor
	// and name (csaf.go), NVD configurations by CPE vendor and product
	// (cpe.go), OpenVEX and CycloneDX VEX products (vex.go).
	csaf csafIndex
	cpe  cpeIndex
	vex  vexIndex
}

var _ Reader = (*Memory)(nil)

type pkgKey struct{ eco, name string }

// New indexes advs. Lookups then cost time proportional to the number of
// entries they return.
func New(advs []*advisory.Advisory) *Memory {
	ix := &Memory{
		byPkg:  make(map[pkgKey][]Entry, len(advs)/2),
		byPURL: make(map[string][]Entry),
	}
	ix.selectRecords(advs)
	ix.buildPackages()
	ix.buildCSAF()
	ix.buildCPE()
	ix.buildVEX(advs)
	return ix
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

// selectRecords keeps the newest record per key (see recordKey), in ID
// order, without the withdrawn ones, and notes the replacements made.
func (ix *Memory) selectRecords(advs []*advisory.Advisory) {
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
	ix.advs = make([]*advisory.Advisory, 0, len(best))
	for _, a := range advs {
		if a == nil || a.ID == "" {
			continue
		}
		if kept := best[keyOf(a)]; kept == a {
			ix.advs = append(ix.advs, a)
		} else if r, ok := replacement(kept, a); ok {
			ix.replaced = append(ix.replaced, r)
		}
	}
	byIDOrder := func(a, b *advisory.Advisory) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Source, b.Source))
	}
	if !slices.IsSortedFunc(ix.advs, byIDOrder) {
		slices.SortStableFunc(ix.advs, byIDOrder)
	}
	ix.advs = slices.Compact(ix.advs) // a record given twice
	ix.advs = slices.DeleteFunc(ix.advs, func(a *advisory.Advisory) bool { return a.Withdrawn != "" })
	ix.byID = make(map[string]*advisory.Advisory, len(ix.advs))
	for _, a := range ix.advs {
		if _, ok := ix.byID[a.ID]; !ok {
			ix.byID[a.ID] = a
		}
		if a.Format != advisory.FormatOpenVEX && a.Format != advisory.FormatCycloneDXVEX {
			ix.records++
		}
	}
	slices.SortStableFunc(ix.replaced, func(a, b Replacement) int {
		return cmp.Or(a.rank()-b.rank(), strings.Compare(a.Kept.ID, b.Kept.ID),
			strings.Compare(a.Kept.Source, b.Kept.Source), strings.Compare(a.Replaced.Source, b.Replaced.Source))
	})
	ix.replaced = slices.Compact(ix.replaced) // a record given twice
}

// buildPackages indexes the affected entries by package and by purl, in
// ID order so that every list comes out sorted.
func (ix *Memory) buildPackages() {
	purlKeys := map[string]string{} // purl -> PackageKey ("" if invalid)
	bases := map[string]string{}    // ecosystem -> baseEcosystem
	for _, a := range ix.advs {
		for i := range a.Affected {
			af := &a.Affected[i]
			e := Entry{Advisory: a, Affected: af, Seq: ix.entries}
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
func (ix *Memory) Len() int { return len(ix.advs) }

// Advisories returns the records indexed, sorted by ID.
func (ix *Memory) Advisories() []*advisory.Advisory { return slices.Clone(ix.advs) }

// ByID returns the indexed record with the given ID, or nil. (When two
// CSAF publishers' records have the ID, the first by Source.)
func (ix *Memory) ByID(id string) *advisory.Advisory { return ix.byID[id] }

// Packages implements Reader.
func (ix *Memory) Packages(ecosystem, name string) []Entry {
	base := baseEcosystem(ecosystem)
	return slices.Clip(ix.byPkg[pkgKey{base, normalizeName(base, name)}])
}

// PackageURL implements Reader.
func (ix *Memory) PackageURL(key string) []Entry {
	return slices.Clip(ix.byPURL[key])
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
