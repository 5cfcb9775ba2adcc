// Package boundtest runs a test's work in a child process: Run under a
// time limit and a heap limit, so that a test of an input that would hang
// the run (a named pipe) or exhaust memory (/dev/zero, a decompression
// bomb) fails instead of blocking CI or taking the machine down with it;
// Peak to read the work's peak resident memory, so that a memory
// regression fails CI.
package boundtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

const envVar = "BOMRANK_BOUNDTEST"

// Run runs body in a child process (the test binary, running only this
// test) and fails t if the child does not finish within timeout, if its
// live heap exceeds heapLimit bytes at any sample (every millisecond; the
// child then exits at once), or if body fails. In the child, Run calls
// body and returns.
func Run(t *testing.T, timeout time.Duration, heapLimit uint64, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(envVar) == t.Name() {
		stop := watch(heapLimit)
		defer stop()
		body(t)
		return
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), envVar+"="+t.Name())
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		t.Fatalf("did not finish within %v (it hangs)\n%s", timeout, out)
	case err != nil:
		t.Fatalf("child process: %v\n%s", err, out)
	case !strings.Contains(string(out), "--- PASS: "+t.Name()):
		t.Fatalf("child process did not run the test\n%s", out)
	}
}

// Allocated returns the bytes allocated on the heap so far by the whole
// process (a cumulative count: an upper bound on what a call between two
// readings can have held at once).
func Allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watch samples the live heap until stopped, ending the process with an
// error when it exceeds limit.
func watch(limit uint64) (stop func()) {
	done := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > limit {
				fmt.Fprintf(os.Stderr, "boundtest: heap %d bytes, over the limit of %d\n", v, limit)
				os.Exit(exitOver)
			}
		}
	}()
	return func() { close(done) }
}

// NotRegular returns, by name, functions that put at path p something
// that is not a regular file: "fifo" (a named pipe), "link to fifo",
// "dev zero" (a link to /dev/zero), "directory", "dangling link". Only
// the names asked for are returned; a test that cannot make a pipe is
// skipped.
func NotRegular(names ...string) map[string]func(t *testing.T, p string) {
	mkfifo := func(t *testing.T, p string) {
		t.Helper()
		if err := Mkfifo(p); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	all := map[string]func(t *testing.T, p string){
		"fifo":          func(t *testing.T, p string) { mkfifo(t, p) },
		"link to fifo":  func(t *testing.T, p string) { mkfifo(t, p+".p"); os.Symlink(filepath.Base(p)+".p", p) },
		"dev zero":      func(t *testing.T, p string) { os.Symlink("/dev/zero", p) },
		"directory":     func(t *testing.T, p string) { os.Mkdir(p, 0o755) },
		"dangling link": func(t *testing.T, p string) { os.Symlink(filepath.Base(p)+".missing", p) },
	}
	out := make(map[string]func(t *testing.T, p string), len(names))
	for _, n := range names {
		out[n] = all[n]
	}
	return out
}
