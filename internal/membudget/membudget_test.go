package membudget

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestBudget(t *testing.T) {
	b := New(100)
	if _, err := b.Acquire("doc", 101); err == nil {
		t.Fatal("over the budget accepted")
	}
	var in, peak atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := b.Acquire("doc", 40)
			if err != nil {
				t.Error(err)
				return
			}
			v := in.Add(40)
			for {
				p := peak.Load()
				if v <= p || peak.CompareAndSwap(p, v) {
					break
				}
			}
			in.Add(-40)
			rel()
			rel() // a second release is harmless
		}()
	}
	wg.Wait()
	if peak.Load() > 100 {
		t.Errorf("peak %d over the budget", peak.Load())
	}
}
