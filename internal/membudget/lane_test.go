package membudget

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestLane: sixteen documents growing to 100 bytes through a lane of
// small share 10: never more than one beyond its small share at a time,
// all finish; one needing more than Max is refused with ErrOver and
// stays below it.
func TestLane(t *testing.T) {
	l := NewLane(10, 100)
	var big, most atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := l.Meter("doc")
			defer m.Release()
			for range 10 {
				if err := m.Add(10); err != nil {
					t.Error(err)
					return
				}
				if m.Used() > l.Small {
					n := big.Add(1)
					for {
						p := most.Load()
						if n <= p || most.CompareAndSwap(p, n) {
							break
						}
					}
					big.Add(-1)
				}
			}
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d documents beyond the small share at once, want 1", most.Load())
	}
	m := l.Meter("the big one")
	defer m.Release()
	if err := m.Add(60); err != nil {
		t.Fatal(err)
	}
	err := m.Add(41)
	if !errors.Is(err, ErrOver) || m.Used() != 60 {
		t.Errorf("err %v, used %d: want ErrOver at 60", err, m.Used())
	}
	m.Release()
	m.Release() // a second release is harmless
}
