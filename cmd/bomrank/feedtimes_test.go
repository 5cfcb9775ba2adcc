package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// feedTime is the modification time init gives every file and folder of the
// sample feeds.
var feedTime = time.Date(2025, 12, 20, 6, 0, 0, 0, time.UTC)

// init fixes the modification times of the sample feeds before the tests
// run (before TestMain): reports say when each source of advisory data was
// captured (the newest time of its directories) and how old it is at
// --as-of, and the golden files must not depend on when the repository
// was checked out.
func init() {
	if err := setTimes(filepath.Join("..", "..", "testdata", "feeds"), feedTime); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// setTimes sets the access and modification times of dir and of every
// file and directory under it (a source found in a directory takes its
// directories' times).
func setTimes(dir string, t time.Time) error {
	return filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, t, t)
	})
}
