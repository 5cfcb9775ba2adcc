package sbom

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// TestLoadProgress: Progress is called once per input (read, failed or
// ignored), with the total known from the start.
func TestLoadProgress(t *testing.T) {
	dir := t.TempDir()
	doc := `{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"type":"device","name":"Pump"}},"components":[]}`
	os.WriteFile(filepath.Join(dir, "a.cdx.json"), []byte(doc), 0o644)
	os.WriteFile(filepath.Join(dir, "b.cdx.json"), []byte(doc), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# not an SBOM"), 0o644)
	var calls, inFlight atomic.Int32
	last := 0
	o := Options{Workers: 2, Progress: func(done, total int) {
		if inFlight.Add(1) != 1 {
			t.Error("overlapping Progress calls")
		}
		calls.Add(1)
		if total != 4 || done != last+1 {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
		inFlight.Add(-1)
	}}
	res := o.Load(context.Background(), dir, filepath.Join(dir, "missing.json"))
	if len(res.Devices) != 2 || len(res.Errors) != 1 || len(res.Ignored) != 1 {
		t.Fatalf("%d devices, errors %v, ignored %v", len(res.Devices), res.Errors, res.Ignored)
	}
	if calls.Load() != 4 || last != 4 {
		t.Errorf("%d calls, last %d", calls.Load(), last)
	}
}
