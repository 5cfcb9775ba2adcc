package advisory

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestLoadProgress: Progress is called once per file and zip member, done
// counts up to the final total, and calls never overlap.
func TestLoadProgress(t *testing.T) {
	dir := t.TempDir()
	rec := `{"id":"GHSA-%d","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"x"},"versions":["1.0.0"]}]}`
	for i := range 5 {
		os.WriteFile(filepath.Join(dir, "r"+string(rune('a'+i))+".json"), []byte(rec), 0o644)
	}
	z := makeZip(t, []zipEntry{{name: "a.json", body: rec}, {name: "b.json", body: rec}, {name: "c.json", body: rec}})
	os.WriteFile(filepath.Join(dir, "all.zip"), z, 0o644)
	var mu sync.Mutex
	busy := false
	var calls, lastDone, lastTotal int
	o := Options{Workers: 3, Progress: func(done, total int) {
		mu.Lock()
		if busy {
			t.Error("overlapping Progress calls")
		}
		busy = true
		mu.Unlock()
		calls++
		if done != lastDone+1 || done > total {
			t.Errorf("progress %d/%d after %d", done, total, lastDone)
		}
		lastDone, lastTotal = done, total
		mu.Lock()
		busy = false
		mu.Unlock()
	}}
	res := o.Load(context.Background(), dir)
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	// 6 files (5 records and the zip), then 3 members.
	if calls != 9 || lastDone != 9 || lastTotal != 9 {
		t.Errorf("%d calls, last %d/%d; want 9 calls ending 9/9", calls, lastDone, lastTotal)
	}
}
