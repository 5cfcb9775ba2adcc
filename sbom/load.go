package sbom

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/bomrank/bomrank/internal/pool"
	"github.com/bomrank/bomrank/internal/walk"
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

// Load reads every SBOM named by paths: files, and directories walked
// recursively (hidden directories such as .git are not entered). Files are
// parsed concurrently; the result is in a deterministic order whatever the
// scheduling. One bad file never stops the others: it becomes an entry in
// Result.Errors (a parser that panics, too: the ParseError wraps a
// *pool.PanicError). If ctx is cancelled, the files not yet read are
// reported as errors carrying ctx.Err().
func (o Options) Load(ctx context.Context, paths ...string) *Result {
	files := findFiles(paths)
	devs := make([]*Device, len(files))
	errs := make([]*ParseError, len(files))
	prog := &progress{fn: o.Progress, total: len(files)}
	failed := pool.Each(ctx, len(files), o.Workers, nil, func(_ struct{}, i int) error {
		devs[i], errs[i] = o.loadFile(&files[i])
		prog.step()
		return nil
	})
	for i, err := range failed {
		if err != nil { // a panic, or cancelled before the file was read
			errs[i] = &ParseError{Path: files[i].Path, Err: err}
			prog.step()
		}
	}
	return collect(files, devs, errs)
}

// findFiles lists the files to read: paths in the order given, the files
// of a directory in path order.
func findFiles(paths []string) []walk.File {
	var files []walk.File
	walk.Paths(paths, func(f walk.File) { files = append(files, f) })
	// The walk lists a directory's entries in name order; devices are
	// listed in path order ("a-b.json" before "a/x.json").
	slices.SortStableFunc(files, func(a, b walk.File) int {
		return cmp.Or(cmp.Compare(a.Root, b.Root), strings.Compare(a.Path, b.Path))
	})
	return files
}

// loadHook, when set (by tests), is called before each file is read: a
// panic there stands for a panic anywhere in reading a file.
var loadHook func(path string)

// loadFile reads one file found by findFiles.
func (o Options) loadFile(f *walk.File) (*Device, *ParseError) {
	if loadHook != nil {
		loadHook(f.Path)
	}
	if f.Err != nil {
		return nil, &ParseError{Path: f.Path, Err: f.Err}
	}
	dev, err := o.ParseFile(f.Path)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			pe = &ParseError{Path: f.Path, Err: err}
		}
		return nil, pe
	}
	return dev, nil
}

// collect assembles the result in the order of files: what is not an SBOM
// at all, found in a directory, is ignored rather than an error.
func collect(files []walk.File, devs []*Device, errs []*ParseError) *Result {
	res := &Result{}
	for i, dev := range devs {
		switch err := errs[i]; {
		case dev != nil:
			res.Devices = append(res.Devices, dev)
		case files[i].InDir() && errors.Is(err, ErrNotSBOM) && err.Format == "":
			res.Ignored = append(res.Ignored, err)
		default:
			res.Errors = append(res.Errors, err)
		}
	}
	return res
}

// progress serialises the calls of Options.Progress; step does nothing
// when there is no callback.
type progress struct {
	fn          func(done, total int)
	mu          sync.Mutex
	done, total int
}

func (p *progress) step() {
	if p.fn != nil {
		p.mu.Lock()
		p.done++
		p.fn(p.done, p.total)
		p.mu.Unlock()
	}
}
