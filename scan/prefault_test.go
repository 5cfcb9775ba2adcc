package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// prefaultSize counts the SBOM files (a large stranger in the folder for
// maxCountedFile at most) and the database, times heapPerInputByte, and
// never more than maxPrefault.
func TestPrefaultSize(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		// Sparse: the size is what counts, not the blocks.
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	sboms := filepath.Join(dir, "sboms")
	if err := os.Mkdir(sboms, 0o755); err != nil {
		t.Fatal(err)
	}
	write("sboms/a.cdx.json", 3<<20)
	write("sboms/b.spdx.json", 1<<20)
	db := write("bomrank.db", 6<<20)
	want := int64(float64(10<<20) * heapPerInputByte)
	if got := prefaultSize([]string{sboms}, db); got != want {
		t.Errorf("prefaultSize = %d, want %d (10 MiB of inputs)", got, want)
	}
	if got := prefaultSize([]string{sboms, filepath.Join(dir, "missing")}, ""); got != int64(float64(4<<20)*heapPerInputByte) {
		t.Errorf("without a database, with a missing path: %d", got)
	}
	write("sboms/firmware.bin", 5<<30)
	want = int64(float64(10<<20+maxCountedFile) * heapPerInputByte)
	if got := prefaultSize([]string{sboms}, db); got != want {
		t.Errorf("with a 5 GiB file beside the SBOMs: %d, want %d", got, want)
	}
	many := make([]string, 0, 40)
	for i := range 40 {
		many = append(many, write(fmt.Sprintf("big%02d.json", i), 1<<30))
	}
	if got := prefaultSize(many, db); got != maxPrefault {
		t.Errorf("40 large files: %d, want the cap %d", got, int64(maxPrefault))
	}
}
