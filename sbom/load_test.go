package sbom

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bomrank/bomrank/internal/pool"
)

// TestLoadPanic: a panic while one file is read becomes a ParseError naming
// that file (wrapping a *pool.PanicError); the other files still load and
// progress still reaches the total.
func TestLoadPanic(t *testing.T) {
	dir := t.TempDir()
	doc := `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"Pump"}},"components":[]}`
	for _, name := range []string{"a.cdx.json", "b.cdx.json", "c.cdx.json"} {
		os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644)
	}
	bad := filepath.Join(dir, "b.cdx.json")
	loadHook = func(path string) {
		if path == bad {
			panic("parser bug")
		}
	}
	defer func() { loadHook = nil }()
	last := 0
	res := Options{Workers: 2, Progress: func(done, total int) { last = done }}.Load(context.Background(), dir)
	if len(res.Devices) != 2 || len(res.Errors) != 1 {
		t.Fatalf("%d devices, errors %v", len(res.Devices), res.Errors)
	}
	var pe *pool.PanicError
	if err := res.Errors[0]; err.Path != bad || !errors.As(err, &pe) || !strings.Contains(err.Error(), "parser bug") {
		t.Errorf("error %v", err)
	}
	if last != 3 {
		t.Errorf("progress ended at %d, want 3", last)
	}
}

// TestLoadOrder: devices come in path order within a directory ("a-b"
// before "a/x"), arguments in the order given, each file once.
func TestLoadOrder(t *testing.T) {
	dir := t.TempDir()
	doc := `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"Pump"}},"components":[]}`
	for _, name := range []string{"a/x.json", "a-b.json", "c.json"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(doc), 0o644)
	}
	c := filepath.Join(dir, "c.json")
	res := Load(context.Background(), c, dir)
	var got []string
	for _, d := range res.Devices {
		got = append(got, strings.TrimPrefix(d.Path, dir))
	}
	if strings.Join(got, " ") != "/c.json /a-b.json /a/x.json" {
		t.Errorf("order %v", got)
	}
}
