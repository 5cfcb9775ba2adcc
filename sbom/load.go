package sbom

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Result is what Load found.
type Result struct {
	// Devices holds one device per SBOM read, in input order: arguments
	// in the order given, files within a directory in lexical order.
	Devices []*Device
	// Errors holds one error per input that could not be read: a named
	// file that is missing, unreadable or not an SBOM, a malformed SBOM
	// in a directory, an unreadable directory entry. Each is a
	// *ParseError naming the file.
	Errors []*ParseError
	// Ignored lists files found while walking a directory that are not
	// SBOMs at all (a README, a checksum file, another tool's JSON). They
	// are not errors; the reason says why each was passed over.
	Ignored []*ParseError
}

// Load reads every SBOM named by paths with default options. See
// Options.Load.
func Load(ctx context.Context, paths ...string) *Result {
	return Options{}.Load(ctx, paths...)
}

// loadWorkers bounds the number of files parsed at once; 0 means
// GOMAXPROCS.
func (o Options) loadWorkers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Load reads every SBOM named by paths: files, and directories walked
// recursively (hidden directories such as .git are not entered). Files are
// parsed concurrently; the result is in a deterministic order whatever the
// scheduling. One bad file never stops the others: it becomes an entry in
// Result.Errors. If ctx is cancelled, the files not yet read are reported
// as errors carrying ctx.Err().
func (o Options) Load(ctx context.Context, paths ...string) *Result {
	type job struct {
		path    string
		fromDir bool
		err     error // set when the walk itself failed
	}
	var jobs []job
	seen := map[string]bool{}
	add := func(j job) {
		key := filepath.Clean(j.path)
		if j.err == nil && seen[key] {
			return
		}
		seen[key] = true
		jobs = append(jobs, j)
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			add(job{path: root, err: unwrapPathError(err)})
			continue
		}
		if !st.IsDir() {
			add(job{path: root})
			continue
		}
		var found []job
		walkRoot := root
		if lst, err := os.Lstat(root); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
			// WalkDir does not follow a symlinked root; a trailing
			// separator makes it, and the paths still start with
			// what the user gave.
			walkRoot = root + string(filepath.Separator)
		}
		werr := filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				found = append(found, job{path: path, err: unwrapPathError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if path != walkRoot && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
				found = append(found, job{path: path, fromDir: true})
			}
			return nil
		})
		if werr != nil {
			found = append(found, job{path: root, err: werr})
		}
		sort.SliceStable(found, func(i, j int) bool { return found[i].path < found[j].path })
		for _, j := range found {
			add(j)
		}
	}

	type outcome struct {
		dev *Device
		err *ParseError
	}
	out := make([]outcome, len(jobs))
	var progMu sync.Mutex
	progDone := 0
	step := func() {
		if o.Progress != nil {
			progMu.Lock()
			progDone++
			o.Progress(progDone, len(jobs))
			progMu.Unlock()
		}
	}
	idx := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(o.loadWorkers(), max(len(jobs), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				j := jobs[i]
				if j.err != nil {
					out[i].err = &ParseError{Path: j.path, Err: j.err}
					step()
					continue
				}
				if err := ctx.Err(); err != nil {
					out[i].err = &ParseError{Path: j.path, Err: err}
					step()
					continue
				}
				dev, err := o.ParseFile(j.path)
				if err != nil {
					var pe *ParseError
					if !errors.As(err, &pe) {
						pe = &ParseError{Path: j.path, Err: err}
					}
					out[i].err = pe
					step()
					continue
				}
				out[i].dev = dev
				step()
			}
		}()
	}
	for i := range jobs {
		idx <- i
	}
	close(idx)
	wg.Wait()

	res := &Result{}
	for i, oc := range out {
		switch {
		case oc.dev != nil:
			res.Devices = append(res.Devices, oc.dev)
		case jobs[i].fromDir && errors.Is(oc.err, ErrNotSBOM) && oc.err.Format == "":
			res.Ignored = append(res.Ignored, oc.err)
		default:
			res.Errors = append(res.Errors, oc.err)
		}
	}
	return res
}
