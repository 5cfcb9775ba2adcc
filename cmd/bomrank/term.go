package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal. A variable so that tests
// can pretend.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor: colour only on a terminal, and never when NO_COLOR is set to
// anything (https://no-color.org).
func useColor(w io.Writer) bool {
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}

// progressBar draws the loading progress of the feeds and the SBOMs on
// one line of a terminal, at most every 100 ms, and clears it when done.
type progressBar struct {
	w     io.Writer
	mu    sync.Mutex
	last  time.Time
	feeds [2]int // done, total
	sboms [2]int
	drawn bool
}

func (p *progressBar) feed(done, total int) { p.update(&p.feeds, done, total) }
func (p *progressBar) sbom(done, total int) { p.update(&p.sboms, done, total) }

func (p *progressBar) update(c *[2]int, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c[0], c[1] = done, total
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done != total {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\x1b[Kreading feeds %s  SBOMs %s", bar(p.feeds), bar(p.sboms))
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
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
