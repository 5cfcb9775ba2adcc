package db_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bomrank/bomrank/db"
)

// Carry a database across an air gap: export it on the connected side,
// import it on the other; the installed file has the digest exported. A
// second import of the same bundle changes nothing, and an older bundle
// would be refused (ErrRollback) unless AllowOlder. With
// ExportOptions.SignKey the export also writes a detached OpenPGP
// signature, and ImportOptions.Trust then requires it.
func ExampleExport() {
	dir, err := os.MkdirTemp("", "bomrank-bundle")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	connected := filepath.Join(dir, "connected", "db")
	_, err = db.Build(context.Background(), db.BuildOptions{
		Path:  connected,
		Feeds: []string{filepath.Join("..", "testdata", "feeds")},
		Now:   time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var bundle bytes.Buffer // a file on removable media, in real life
	exp, err := db.Export(context.Background(), connected, &bundle, db.ExportOptions{Version: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	airGapped := filepath.Join(dir, "air-gapped", "db")
	for range 2 {
		res, err := db.Import(context.Background(), airGapped, bytes.NewReader(bundle.Bytes()), db.ImportOptions{Name: "db.bundle"})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("imported the database built %s, same digest: %v, unchanged: %v\n",
			res.Manifest.Built.Format(time.DateOnly), res.Manifest.Digest == exp.Manifest.Digest, res.Unchanged)
	}
	d, err := db.Open(airGapped)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	fmt.Println("installed digest is the exported one:", d.Digest() == exp.Manifest.Digest, d.Verify() == nil)
	// Output:
	// imported the database built 2026-01-01, same digest: true, unchanged: false
	// imported the database built 2026-01-01, same digest: true, unchanged: true
	// installed digest is the exported one: true true
}
