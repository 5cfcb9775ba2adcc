package match_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/index"
)

// openDB writes advs to a database in a temporary directory and opens it.
func openDB(t *testing.T, advs []*advisory.Advisory) *db.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bomrank.db")
	o := db.BuildOptions{Path: path, Version: "v0.test", Now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)}
	if _, err := db.Write(context.Background(), o, &advisory.LoadResult{Advisories: advs}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	stored := 0
	for seq := range d.Contents().Entries {
		if d.CompiledForm(seq) != "" {
			stored++
		}
	}
	if stored == 0 {
		t.Fatal("the database stores no compiled form: the comparison proves nothing")
	}
	return d
}

// TestDatabaseFormsSameFindings: matching through a database, whose
// entries are built from their stored compiled forms (those that could
// be stored; the others compiled from their records), gives the findings
// of matching through Packages and PackageURL.
func TestDatabaseFormsSameFindings(t *testing.T) {
	advs, devs := candidatesFixture()
	ix := index.New(advs)
	assertSameScan(t, devs, []string{"Reader", "database"}, readerOnly{ix}, openDB(t, advs))
}

// TestDatabaseFormsSameFindingsShared is TestDatabaseFormsSameFindings
// on the real OSV slice and software SBOMs of the shared folder.
func TestDatabaseFormsSameFindingsShared(t *testing.T) {
	advs, devs := sharedSlice(t)
	ix := index.New(advs)
	assertSameScan(t, devs, []string{"Reader", "database"}, readerOnly{ix}, openDB(t, advs))
}
