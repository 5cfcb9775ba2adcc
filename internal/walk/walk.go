package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File is one path found by [Paths].
type File struct {
	// Path is the path to read: a named path as the caller gave it, or
	// a file found in a directory, written as filepath.Join would write
	// it (the directory cleaned, then the name).
	Path string
	// Err is set when the path could not be looked at: a named path
	// that does not exist or cannot be stat'ed, a directory that cannot
	// be listed. Its *fs.PathError wrapper is removed (see [UnwrapPath]).
	Err error
	// Root is the index in the caller's paths of the path this one was
	// found under.
	Root int32
	// Dir numbers the directory a file was found in, in the order the
	// walk entered the directories (from 0, across all roots), and is
	// -1 for a path named by the caller (and for errors).
	Dir int32
	// DirLen is the length of the directory prefix of Path, separator
	// included (0 when Dir is -1): Path[:DirLen] is the directory and
	// Path[DirLen:] the file's name in it.
	DirLen int32
	// Link is set for a file found in a directory whose entry is a
	// symbolic link: what it points to is only known once opened. (An
	// entry that is not a link is a regular file as listed: a reader
	// that opens it with O_NOFOLLOW knows it still is one, see
	// advisory's readFileFast.)
	Link bool
}

// InDir reports whether the file was found while walking a directory,
// rather than named by the caller. Loaders pass over a file found in a
// directory that is not of their format; a named one is an error.
func (f *File) InDir() bool { return f.Dir >= 0 }

// Paths calls visit for every file to read under paths, in order: the
// paths in the order given; a named file (or anything that is not a
// directory) as given; a directory walked depth first, the entries of each
// directory in name order (as os.ReadDir sorts them). Hidden
// subdirectories (names starting with ".") are not entered, but a hidden
// directory named by the caller is walked. Regular files and symbolic
// links are listed (a link to a directory is not followed: reading it
// fails); other entries are not. A file met twice (two paths naming it, or
// a directory and a file in it) is listed once, at its first place; errors
// are always listed.
//
// A path that cannot be stat'ed is listed with its error, under the path
// as given. A directory that cannot be listed is listed with its error,
// under its path (the root as given), and whatever entries the listing
// returned before failing are still walked.
//
// Files are listed in name order within each directory because feeds are
// usually written in that order: reading 100,000 files in the order the
// file system lists them (hash order on ext4) was 15% slower. Note that
// name order is not quite path order ("a-b" sorts before "a/x"): a caller
// that needs path order sorts by (Root, Path).
func Paths(paths []string, visit func(File)) {
	w := walker{visit: visit}
	if len(paths) > 1 {
		w.seen = map[string]bool{} // only needed when paths may overlap
	}
	for i, root := range paths {
		w.root = int32(i)
		st, err := os.Stat(root)
		switch {
		case err != nil:
			w.add(File{Path: root, Err: UnwrapPath(err), Dir: -1})
		case !st.IsDir():
			w.add(File{Path: root, Dir: -1})
		default:
			w.dir(filepath.Clean(root), root)
		}
	}
}

// walker is the state of one call of Paths.
type walker struct {
	visit func(File)
	seen  map[string]bool
	root  int32
	dirs  int32
}

func (w *walker) add(f File) {
	f.Root = w.root
	if w.seen != nil && f.Err == nil {
		key := filepath.Clean(f.Path)
		if w.seen[key] {
			return
		}
		w.seen[key] = true
	}
	w.visit(f)
}

// dir walks the directory dir (clean); shown is the path its error is
// reported under.
func (w *walker) dir(dir, shown string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.add(File{Path: shown, Err: UnwrapPath(err), Dir: -1})
	}
	prefix := dir
	switch {
	case prefix == ".":
		prefix = "" // as filepath.Join writes the paths
	case !strings.HasSuffix(prefix, string(filepath.Separator)):
		prefix += string(filepath.Separator)
	}
	idx := w.dirs
	w.dirs++
	for _, e := range entries {
		name := e.Name()
		switch t := e.Type(); {
		case t.IsDir():
			if !strings.HasPrefix(name, ".") {
				w.dir(prefix+name, prefix+name)
			}
		case t.IsRegular() || t&fs.ModeSymlink != 0:
			w.add(File{Path: prefix + name, Dir: idx, DirLen: int32(len(prefix)), Link: t&fs.ModeSymlink != 0})
		}
	}
}

// UnwrapPath returns the error inside an *fs.PathError (the os package
// wraps its errors in one, naming the path), or err itself: bomrank's
// loaders name the path in their own error types.
func UnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ErrTooLarge means a document (after decompression) exceeds a size
// limit. The loaders export it as sbom.ErrTooLarge and
// advisory.ErrTooLarge.
var ErrTooLarge = errors.New("document too large")

// TooLarge returns the error of a document of more than limit bytes after
// decompression: ErrTooLarge with the limit.
func TooLarge(limit int64) error {
	return fmt.Errorf("%w: more than %d bytes after decompression", ErrTooLarge, limit)
}
