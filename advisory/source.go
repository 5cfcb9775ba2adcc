package advisory

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The kinds of Source.
const (
	// KindOSV is OSV records.
	KindOSV = "osv"
	// KindNVD is NVD CVE records.
	KindNVD = "nvd"
	// KindCSAF is CSAF advisories other than csaf_vex documents.
	KindCSAF = "csaf"
	// KindVEX is VEX statements: OpenVEX, CycloneDX VEX and CSAF VEX.
	KindVEX = "vex"
	// KindKEV is CISA KEV catalog entries.
	KindKEV = "kev"
	// KindEPSS is FIRST EPSS scores.
	KindEPSS = "epss"
)

// fileSource is what one file or zip member contributes to its Source:
// summarised by the worker that read it, so that Load adds them up
// without looking at the records again. It is kept small (32 bytes): Load
// holds one per file until the end (100,000 on the benchmark).
type fileSource struct {
	sum     *[sha256.Size]byte // with Options.Digest
	newest  int64              // the newest record date, Unix seconds, if dated
	mtime   int64              // a named file's modification time, Unix nanoseconds
	records int32              // advisories, KEV entries or EPSS scores
	kind    kind               // 0 when the document held nothing of a kind
	dated   bool               // newest is set
}

// kind numbers the Source kinds, 0 being none.
type kind uint8

// kindNames are the Source kinds by number.
var kindNames = [...]string{"", KindOSV, KindNVD, KindCSAF, KindVEX, KindKEV, KindEPSS}

const (
	kindOSV kind = iota + 1
	kindNVD
	kindCSAF
	kindVEX
	kindKEV
	kindEPSS
)

// sourceKind returns the Source kind of a document's contents.
func sourceKind(out *outcome) kind {
	switch {
	case out.extra != nil && len(out.extra.KEV) > 0:
		return kindKEV
	case out.extra != nil && len(out.extra.EPSS) > 0:
		return kindEPSS
	case len(out.advs) == 0 && out.csaf:
		return kindCSAF
	case len(out.advs) == 0:
		return 0
	}
	a := out.advs[0]
	switch a.Format {
	case FormatNVD:
		return kindNVD
	case FormatCSAF:
		if a.Document != nil && a.Document.Category == "csaf_vex" {
			return kindVEX
		}
		return kindCSAF
	case FormatOpenVEX, FormatCycloneDXVEX:
		return kindVEX
	}
	return kindOSV
}

// summarise sets out.src from what the document held (records, kind,
// newest date); the caller adds the modification time and digest.
func summarise(out *outcome) {
	s := &out.src
	s.kind = sourceKind(out)
	var last string
	note := func(date string) {
		if date == "" || date == last {
			return
		}
		last = date
		// The zero time ("0001-01-01T00:00:00Z", which some Go tools
		// write for "unknown") is no date.
		if t, ok := parseDate(date); ok && !t.IsZero() && (!s.dated || t.Unix() > s.newest) {
			s.newest, s.dated = t.Unix(), true
		}
	}
	switch s.kind {
	case kindKEV:
		s.records = int32(len(out.extra.KEV))
		for i := range out.extra.KEV {
			note(out.extra.KEV[i].Released)
		}
	case kindEPSS:
		s.records = int32(len(out.extra.EPSS))
		for i := range out.extra.EPSS {
			note(out.extra.EPSS[i].Date)
		}
	default:
		s.records = int32(len(out.advs))
		for _, a := range out.advs {
			switch {
			case a.Modified != "":
				note(a.Modified)
			case a.Document != nil:
				// OpenVEX and CycloneDX VEX statements leave Modified
				// empty (see decodeOpenVEX): the document's date.
				note(a.Document.Updated)
			}
		}
	}
}

// dateLayouts are the date forms feeds write: RFC 3339 (OSV, CSAF, KEV),
// without a zone (NVD lastModified, taken as UTC), a numeric zone without
// colon, and a bare date.
var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02"}

// parseDate reads a feed's date in any of dateLayouts.
func parseDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// sourceAcc adds up the files of one Source.
type sourceAcc struct {
	Source
	root     string // the path as given, cleaned, for relative names
	named    bool   // the path given is the file itself
	newest   int64  // Unix seconds, when dated
	dated    bool
	mtime    int64
	manifest []byte             // "hex  name\n" per file, with Options.Digest
	single   *[sha256.Size]byte // the digest of a named file
	lastZip  *zipArchive        // the archive whose line was last written
	rootIdx  int32
	kind     kind
}

// sources adds up what each file and zip member contributed into
// res.Sources, in path then kind order. Files are taken in walk order,
// so that the digests do not depend on the scheduling.
func (res *LoadResult) sources(paths []string, chunks [][]loadedFile, members []zipMember) {
	type key struct {
		root int32
		kind kind
	}
	accs := map[key]*sourceAcc{}
	var last *sourceAcc // the files of one source mostly come together
	acc := func(root int32, k kind) *sourceAcc {
		if last != nil && last.rootIdx == root && last.kind == k {
			return last
		}
		a := accs[key{root, k}]
		if a == nil {
			a = &sourceAcc{Source: Source{Kind: kindNames[k], Path: paths[root]}, root: filepath.Clean(paths[root]), rootIdx: root, kind: k}
			accs[key{root, k}] = a
		}
		last = a
		return a
	}
	dirTimes := map[int32]int64{}
	for _, c := range chunks {
		for i := range c {
			f := &c[i]
			if f.out.err != nil || f.out.isZip || f.out.src.kind == 0 {
				continue
			}
			a := acc(f.Root, f.out.src.kind)
			a.add(&f.out.src)
			a.line(f.out.src.sum, f.Path, f.Dir < 0)
			if f.Dir >= 0 {
				a.mtime = max(a.mtime, dirTime(dirTimes, f))
			}
		}
	}
	for i := range members {
		m := &members[i]
		if m.out.err != nil || m.out.src.kind == 0 {
			continue
		}
		a := acc(m.zip.root, m.out.src.kind)
		a.add(&m.out.src)
		if a.lastZip != m.zip {
			a.lastZip = m.zip
			a.mtime = max(a.mtime, m.zip.mtime)
			a.line(m.zip.sum, m.zip.path, !m.zip.fromDir)
		}
	}
	sorted := make([]*sourceAcc, 0, len(accs))
	for _, a := range accs {
		sorted = append(sorted, a)
	}
	// (Walk reads a path given twice once; the root breaks ties anyway.)
	slices.SortFunc(sorted, func(a, b *sourceAcc) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Kind, b.Kind), cmp.Compare(a.rootIdx, b.rootIdx))
	})
	res.Sources = make([]Source, len(sorted))
	for i, a := range sorted {
		res.Sources[i] = a.finish()
	}
}

// dirTime returns the modification time of the directory f was found in
// (Unix nanoseconds, 0 if it cannot be read), from the cache when it has
// been read once.
func dirTime(cache map[int32]int64, f *loadedFile) int64 {
	if t, ok := cache[f.Dir]; ok {
		return t
	}
	var t int64
	dir := f.Path[:f.DirLen]
	if dir == "" {
		dir = "."
	}
	if st, err := os.Stat(dir); err == nil {
		t = st.ModTime().UnixNano()
	}
	cache[f.Dir] = t
	return t
}

func (a *sourceAcc) add(s *fileSource) {
	a.Records += int(s.records)
	if s.dated && (!a.dated || s.newest > a.newest) {
		a.newest, a.dated = s.newest, true
	}
	a.mtime = max(a.mtime, s.mtime)
}

// line notes the digest of one file under the source (nil without
// Options.Digest): a named file is the source's digest itself, a file
// found under a directory is a line of its manifest.
func (a *sourceAcc) line(sum *[sha256.Size]byte, path string, named bool) {
	if sum == nil {
		return
	}
	if named {
		a.named, a.single = true, sum
		return
	}
	rel, err := filepath.Rel(a.root, path)
	if err != nil {
		rel = path
	}
	a.manifest = hex.AppendEncode(a.manifest, sum[:])
	a.manifest = append(a.manifest, "  "...)
	a.manifest = append(a.manifest, filepath.ToSlash(rel)...)
	a.manifest = append(a.manifest, '\n')
}

func (a *sourceAcc) finish() Source {
	s := a.Source
	if a.dated {
		s.NewestModified = time.Unix(a.newest, 0).UTC().Format(time.RFC3339)
	}
	if a.mtime != 0 {
		s.Captured = time.Unix(0, a.mtime).UTC()
	}
	switch {
	case a.named:
		s.SHA256 = hex.EncodeToString(a.single[:])
	case a.manifest != nil:
		sum := sha256.Sum256(a.manifest)
		s.SHA256 = hex.EncodeToString(sum[:])
	}
	return s
}

// digestFile returns the SHA-256 of an open file read from its start
// (for a zip archive too large to be read into memory).
func digestFile(f *os.File) (*[sha256.Size]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<62)); err != nil {
		return nil, err
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return &sum, nil
}
