package advisory

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/boundtest"
)

// repeatCentral returns archive (as zip.Writer writes it: no comment)
// with the central directory record of member k repeated n times: n
// entries pointing at one local entry.
func repeatCentral(t *testing.T, archive []byte, k, n int) []byte {
	t.Helper()
	eocd := archive[len(archive)-22:]
	if string(eocd[:4]) != "PK\x05\x06" {
		t.Fatal("no end of central directory record")
	}
	cdSize := binary.LittleEndian.Uint32(eocd[12:])
	cdOff := binary.LittleEndian.Uint32(eocd[16:])
	cd := archive[cdOff : cdOff+cdSize]
	var recs [][]byte
	for len(cd) >= 46 && string(cd[:4]) == "PK\x01\x02" {
		l := 46 + int(binary.LittleEndian.Uint16(cd[28:])) + int(binary.LittleEndian.Uint16(cd[30:])) + int(binary.LittleEndian.Uint16(cd[32:]))
		recs = append(recs, cd[:l])
		cd = cd[l:]
	}
	var out bytes.Buffer
	out.Write(archive[:cdOff])
	count := 0
	for i, r := range recs {
		reps := 1
		if i == k {
			reps = n
		}
		for range reps {
			out.Write(r)
			count++
		}
	}
	end := bytes.Clone(eocd)
	binary.LittleEndian.PutUint16(end[8:], uint16(count))
	binary.LittleEndian.PutUint16(end[10:], uint16(count))
	binary.LittleEndian.PutUint32(end[12:], uint32(out.Len())-cdOff)
	out.Write(end)
	return out.Bytes()
}

// TestZipOverlap: a zip archive whose central directory entries point at
// one local entry (a 4 MiB advisory deflated to a few KB, decompressed
// once per entry) is refused as a whole, read from memory or from the
// file; two entries sharing a small stored member are refused too (read
// from memory: from the file the archive's size is the bound, see
// checkOverlap). On main every entry was decompressed and decoded: 100
// copies of the advisory and no error.
func TestZipOverlap(t *testing.T) {
	big := makeZip(t, []zipEntry{{name: "a.json", body: osvDoc("GO-OVER") + strings.Repeat(" ", 4<<20)}})
	small := makeZip(t, []zipEntry{
		{name: "pad.bin", body: strings.Repeat("x", 100<<10), store: true},
		{name: "a.json", body: "{}", store: true},
	})
	cases := []struct {
		name     string
		archive  []byte
		fromFile bool
	}{
		{"100 entries", repeatCentral(t, big, 0, 100), false},
		{"100 entries from the file", repeatCentral(t, big, 0, 100), true},
		{"2 entries, small member", repeatCentral(t, small, 1, 2), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fromFile {
				old := zipInMemory
				zipInMemory = 0
				defer func() { zipInMemory = old }()
			}
			dir := t.TempDir()
			p := filepath.Join(dir, "all.zip")
			writeFiles(t, dir, map[string]string{"all.zip": string(c.archive)})
			res := Load(context.Background(), p)
			if len(res.Errors) != 1 || res.Errors[0].Path != p || !errors.Is(res.Errors[0], ErrZipLimit) || !strings.Contains(res.Errors[0].Error(), "overlap") {
				t.Fatalf("%d advisories, errors %v; want the archive refused, members overlap", len(res.Advisories), res.Errors)
			}
			if len(res.Advisories) != 0 {
				t.Errorf("%d advisories from a refused archive", len(res.Advisories))
			}
			t.Log(res.Errors[0])
		})
	}
}

// TestZipGzipBudget: gzip-compressed members of a zip archive count what
// they decompress to against the archive's budget (MaxZipBytes, less what
// the members declare): three members that declare a few KB each but
// decompress to 6 MiB each, under a 16 MiB budget, give two advisories
// and one ErrZipLimit. On main each was held only to MaxMemberBytes (64
// MiB), outside the zip's budget: three advisories, no error.
func TestZipGzipBudget(t *testing.T) {
	var entries []zipEntry
	for i := range 3 {
		id := fmt.Sprintf("GO-GZ-%d", i)
		entries = append(entries, zipEntry{name: id + ".json.gz", body: string(gz(t, osvDoc(id)+strings.Repeat(" ", 6<<20)))})
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"all.zip": string(makeZip(t, entries))})
	res := Options{MaxZipBytes: 16 << 20, Workers: 1}.Load(context.Background(), dir)
	if len(res.Advisories) != 2 || len(res.Errors) != 1 || !errors.Is(res.Errors[0], ErrZipLimit) {
		t.Fatalf("%d advisories, errors %v; want 2 and one over the zip's budget", len(res.Advisories), res.Errors)
	}
	t.Log(res.Errors[0])
}

// TestZipMemberCountFirst: the member cap is checked against the count
// the end of central directory record declares (the zip64 one too),
// before archive/zip reads the directory: an archive of 200,000 entries
// (its count field, 16 bits, says 3,392) and one of 70,000 members
// (zip64) are refused having allocated little more than the archive
// itself. On main archive/zip first read every entry into a *zip.File
// (60 MB here; tens of gigabytes for a few gigabytes of archive).
func TestZipMemberCountFirst(t *testing.T) {
	many := make([]zipEntry, 70_000)
	for i := range many {
		many[i] = zipEntry{name: fmt.Sprint(i), store: true}
	}
	one := makeZip(t, []zipEntry{{name: "a.json", body: osvDoc("GO-MANY")}})
	for _, c := range []struct {
		name    string
		archive []byte
		max     int
	}{
		{"200000 entries", repeatCentral(t, one, 0, 200_000), 1000},
		{"zip64, 70000 members", makeZip(t, many), 66_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "many.zip")
			writeFiles(t, filepath.Dir(path), map[string]string{"many.zip": string(c.archive)})
			before := boundtest.Allocated()
			_, err := Options{MaxZipMembers: c.max}.openZip(path)
			used := boundtest.Allocated() - before
			if !errors.Is(err, ErrZipLimit) || !strings.Contains(err.Error(), "members, more than") {
				t.Errorf("err = %v, want too many members", err)
			}
			if limit := uint64(len(c.archive)) + 1<<20; used > limit {
				t.Errorf("%d bytes allocated for a %d-byte archive refused, want at most %d", used, len(c.archive), limit)
			}
		})
	}
}
