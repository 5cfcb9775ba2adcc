package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bomrank/bomrank/internal/textsafe"
	"github.com/bomrank/bomrank/internal/walk"
	"github.com/bomrank/bomrank/report"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal. A variable so that tests
// can pretend.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is the width of the terminal w is, 0 when it is not one
// (a variable for the tests).
var terminalWidth = func(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}

// defaultWidth is the table's width when neither the terminal nor
// $COLUMNS gives one.
const defaultWidth = 100

// tableWidth is the width the table fits when written to path ("" for
// standard output): none with --wide; else the terminal's, else
// $COLUMNS, else defaultWidth.
func (sf *scanFlags) tableWidth(path string) int {
	if sf.wide {
		return 0
	}
	if path == "" {
		if w := terminalWidth(sf.stdout); w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return defaultWidth
}

// checkLimit validates --top and --min-priority.
func (sf *scanFlags) checkLimit() error {
	if sf.top < 0 {
		return usageErr("scan: --top %d: want a number of devices (0 for all)", sf.top)
	}
	p := strings.ToLower(strings.TrimSpace(sf.minPriority))
	if p == "" {
		return nil
	}
	for _, q := range report.Priorities {
		if p == string(q) {
			sf.minPriority = p
			return nil
		}
	}
	return usageErr("scan: --min-priority %q: want one of immediate, out-of-cycle, scheduled, defer, none", sf.minPriority)
}

// useColor: colour only on a terminal, and never when NO_COLOR is set to
// anything (https://no-color.org).
func useColor(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}

// progressBar draws the progress of a scan on one line of a terminal: the
// reading of the feeds and the SBOMs (at most every 100 ms), then the
// matching, ranking and writing phases; finish clears it. Its methods do
// nothing on a nil *progressBar (no bar: --quiet, or not a terminal).
type progressBar struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	feeds [2]int // done, total
	sboms [2]int
	drawn bool
}

// newProgressBar is a bar on w whose feed total is counted before the
// scan (countFiles): known from the start, the bar never goes backwards
// (a total only grows: the loader's own count wins when larger).
func newProgressBar(w io.Writer, feeds []string) *progressBar {
	return &progressBar{w: w, feeds: [2]int{0, countFiles(feeds)}}
}

func (p *progressBar) feed(done, total int) {
	if p != nil {
		p.update(&p.feeds, done, total)
	}
}

func (p *progressBar) sbom(done, total int) {
	if p != nil {
		p.update(&p.sboms, done, total)
	}
}

func (p *progressBar) update(c *[2]int, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c[0], c[1] = done, max(c[1], total)
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done != c[1] {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\x1b[Kreading feeds %s  SBOMs %s", bar(p.feeds), bar(p.sboms))
	p.drawn = true
}

// phase shows a later phase of the scan (scan.Progress.Phase): "matching
// 7 device(s)...".
func (p *progressBar) phase(name string, n int) {
	p.line(fmt.Sprintf("%s %d device(s)...", name, n))
}

// writing shows the report being written to path ("" standard output).
func (p *progressBar) writing(format, path string) {
	if path == "" {
		path = "standard output"
	}
	p.line(fmt.Sprintf("writing %s to %s...", format, textsafe.Line(path)))
}

// line replaces the bar's line with s.
func (p *progressBar) line(s string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\x1b[K%s", s)
	p.drawn = true
}

// bar renders "[#####-----] 12/40".
func bar(c [2]int) string {
	const width = 20
	done, total := c[0], c[1]
	n := 0
	if total > 0 {
		n = min(width, done*width/total)
	}
	return fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat("-", width-n), done, total)
}

// finish clears the line.
func (p *progressBar) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// countFiles counts the inputs the advisory loader will read under paths,
// before it starts: every file, and every member of the archives named
// *.zip (the loader also reads zip archives named otherwise, and skips
// directories among members; the bar takes the larger count).
func countFiles(paths []string) int {
	n := 0
	walk.Paths(paths, func(f walk.File) {
		n++
		if f.Err == nil && strings.EqualFold(filepath.Ext(f.Path), ".zip") {
			n += zipMembers(f.Path)
		}
	})
	return n
}

// zipMembers is the number of members of the zip archive at path that are
// not directories, 0 when it cannot be read. Only the central directory
// is read.
func zipMembers(path string) int {
	z, err := zip.OpenReader(path)
	if err != nil {
		return 0
	}
	defer z.Close()
	n := 0
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, "/") || f.UncompressedSize64 != 0 {
			n++
		}
	}
	return n
}
