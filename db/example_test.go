package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bomrank/bomrank/db"
	"github.com/bomrank/bomrank/scan"
)

// Build a database from the sample feeds once, then scan the sample fleet
// from it: the same ranking as a scan of the feeds, without reading them.
func Example() {
	dir, err := os.MkdirTemp("", "bomrank-db")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "db")
	td := filepath.Join("..", "testdata")
	built, err := db.Build(context.Background(), db.BuildOptions{
		Path:    path,
		Feeds:   []string{filepath.Join(td, "feeds")},
		Version: "example",
		Now:     time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC), // the library never reads the clock
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("built: %d records indexed, %d KEV entries, %d EPSS scores\n", built.Meta.Records, built.Meta.KEV, built.Meta.EPSS)

	d, err := db.Open(path) // read-only, no lock: any number of scans at once
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	res, err := scan.Run(context.Background(), scan.Config{
		SBOMs: []string{filepath.Join(td, "fleet")},
		DB:    d,
		AsOf:  time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	top := res.Results[0]
	fmt.Printf("scanned %d devices from the database built %s\n", len(res.Results), res.DB.Built.Format(time.DateOnly))
	fmt.Printf("patch first: %s, priority %s\n", top.Device.Name, top.Priority)
	// Output:
	// built: 51 records indexed, 3 KEV entries, 24 EPSS scores
	// scanned 6 devices from the database built 2026-01-01
	// patch first: CardioSense X2, priority out-of-cycle
}

// A command that scans once and exits maps the database rather than
// reading it (faster, less memory); a program that reopens it again and
// again uses Open. Mapped says whether the system could guard a mapping
// (Linux: a read lease); where not, the file was read.
func ExampleOpenMapped() {
	dir, err := os.MkdirTemp("", "bomrank-db")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "db")
	opts := db.BuildOptions{Path: path, Feeds: []string{filepath.Join("..", "testdata", "feeds")}, Version: "example", Now: time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)}
	if _, err := db.Build(context.Background(), opts); err != nil {
		fmt.Println(err)
		return
	}
	d, err := db.OpenMapped(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d records; %d entries for log4j-core\n", d.Meta().Records, len(d.Packages("Maven", "org.apache.logging.log4j:log4j-core")))
	// Output:
	// 51 records; 5 entries for log4j-core
}
