package walk

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes path through write the way every writer of bomrank
// replaces a file that readers may be reading: to a temporary file
// beside it (NAME.*.part: builds remove their own NAME.*.tmp, and the
// update's staging area its *.part, so a writer that died leaves nothing
// behind for long), flushed to disk with mode 0644, then renamed into
// place and the directory entry flushed. A reader sees the old file or
// the new one, never half of it; on failure path is untouched and the
// temporary file removed. Errors name path, except write's own, which
// are returned as they are.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", path, UnwrapPath(err))
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.part")
	if err != nil {
		return fmt.Errorf("%s: %w", path, UnwrapPath(err))
	}
	own := false // the error is write's
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			if !own {
				err = fmt.Errorf("%s: %w", path, UnwrapPath(err))
			}
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err = write(w); err != nil {
		own = true
		return err
	}
	for _, step := range []func() error{w.Flush, func() error { return tmp.Chmod(0o644) }, tmp.Sync, tmp.Close} {
		if err = step(); err != nil {
			return err
		}
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	SyncDir(dir)
	return nil
}

// SyncDir flushes a directory's entries (a rename) to disk; not every
// system can, and the file is complete either way.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
