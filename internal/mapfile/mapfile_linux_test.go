//go:build linux

package mapfile

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// overwriteEnv names the file the child process of
// TestMapSurvivesOverwrite writes over in place, as `cp` would.
const overwriteEnv = "BOMRANK_MAPFILE_OVERWRITE"

// TestHelperOverwrite is the child process of TestMapSurvivesOverwrite.
func TestHelperOverwrite(t *testing.T) {
	path := os.Getenv(overwriteEnv)
	if path == "" {
		t.Skip("the child process of TestMapSurvivesOverwrite")
	}
	if err := os.WriteFile(path, []byte("another file"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mapped writes n random bytes to a new file and maps it.
func mapped(t *testing.T, n int) (path string, want, data []byte) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "db")
	want = make([]byte, n)
	r := rand.NewChaCha8([32]byte{7})
	r.Read(want)
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err = Map(f, int64(n))
	if errors.Is(err, ErrNotMapped) {
		t.Skipf("this file system gives no lease: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return path, want, data
}

func TestMapReadsTheFile(t *testing.T) {
	path, want, data := mapped(t, 1<<20+17)
	if !bytes.Equal(data, want) {
		t.Fatal("the mapping differs from the file")
	}
	if detached(&data[0]) {
		t.Error("detached with no other process about")
	}
	// Under the lease, an open for writing that may not wait is refused.
	if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close()
		t.Error("opened for writing under the lease")
	}
	Unmap(data)
	// The lease is given back: now it opens at once.
	w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("after Unmap: %v", err)
	}
	w.Close()
}

// TestMapSurvivesOverwrite has another process truncate and rewrite the
// mapped file while readers compare the mapping with what was mapped: the
// writer must be let through within seconds (not the kernel's 45 s
// lease-break time), and the readers must see the old bytes throughout
// (no SIGBUS, no new bytes).
func TestMapSurvivesOverwrite(t *testing.T) {
	path, want, data := mapped(t, 3<<20+123)
	var (
		wg      sync.WaitGroup
		stop    = make(chan struct{})
		changed = make(chan struct{}, 2)
	)
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if !bytes.Equal(data, want) {
					changed <- struct{}{}
					return
				}
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperOverwrite$")
	cmd.Env = append(os.Environ(), overwriteEnv+"="+path)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("the writer: %v\n%s", err, out)
	}
	if took > 10*time.Second {
		t.Errorf("the writer waited %v: the lease was not given back", took)
	}
	if len(changed) > 0 {
		t.Error("a reader saw the mapping change")
	}
	if !detached(&data[0]) {
		t.Error("the mapping was not detached")
	}
	if !bytes.Equal(data, want) {
		t.Error("the mapping changed")
	}
	if got, _ := os.ReadFile(path); string(got) != "another file" {
		t.Errorf("the file holds %q, not what the writer wrote", got)
	}
}

// TestMapRefusesWhileOpenForWriting: no lease is given on a file open for
// writing (here by this process), so it is not mapped.
func TestMapRefusesWhileOpenForWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(path, []byte("database"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if data, err := Map(f, 8); !errors.Is(err, ErrNotMapped) {
		t.Fatalf("mapped a file open for writing: %q, %v", data, err)
	}
}

func TestMapRefusesEmpty(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := Map(f, 0); !errors.Is(err, ErrNotMapped) {
		t.Fatalf("mapped 0 bytes: %v", err)
	}
}

// TestMapRefusesAnotherSize: a size that is not the file's (it changed
// between the caller's stat and the lease) is not mapped: pages past the
// end of the file would stop the process with SIGBUS.
func TestMapRefusesAnotherSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(path, []byte("database"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if data, err := Map(f, 1<<20); !errors.Is(err, ErrNotMapped) {
		t.Fatalf("mapped 1 MiB of an 8-byte file: %d bytes, %v", len(data), err)
	}
	// And the lease was given back.
	w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("after the refusal: %v", err)
	}
	w.Close()
}
