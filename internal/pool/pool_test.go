package pool

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func TestEachRunsEveryItemOnce(t *testing.T) {
	const n = 1000
	var seen [n]atomic.Int32
	errs := Each(context.Background(), n, 4, nil, func(_ struct{}, i int) error {
		seen[i].Add(1)
		return nil
	})
	if errs != nil {
		t.Fatalf("errs = %v, want nil", errs)
	}
	for i := range seen {
		if got := seen[i].Load(); got != 1 {
			t.Fatalf("item %d ran %d times", i, got)
		}
	}
}

func TestEachPanicBecomesItemError(t *testing.T) {
	errs := Each(context.Background(), 10, 3, nil, func(_ struct{}, i int) error {
		switch i {
		case 3:
			var m map[string]int
			//lint:ignore SA5000 a runtime error is the point
			m["x"] = 1
		case 7:
			panic("bad record")
		case 8:
			return fmt.Errorf("item %d: plain error", i)
		}
		return nil
	})
	if len(errs) != 10 {
		t.Fatalf("len(errs) = %d, want 10", len(errs))
	}
	for i, err := range errs {
		switch i {
		case 3:
			var pe *PanicError
			var re runtime.Error
			if !errors.As(err, &pe) || !errors.As(err, &re) {
				t.Errorf("item 3: %v, want a *PanicError wrapping a runtime.Error", err)
			} else if !strings.Contains(string(pe.Stack), "pool_test.go") {
				t.Errorf("item 3: stack does not name the panicking function:\n%s", pe.Stack)
			}
		case 7:
			if err == nil || err.Error() != "internal error (panic): bad record" {
				t.Errorf("item 7: %v", err)
			}
		case 8:
			if err == nil || err.Error() != "item 8: plain error" {
				t.Errorf("item 8: %v", err)
			}
		default:
			if err != nil {
				t.Errorf("item %d: unexpected error %v", i, err)
			}
		}
	}
}

func TestEachCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	errs := Each(ctx, 100, 1, nil, func(_ struct{}, i int) error {
		ran.Add(1)
		if i == 9 {
			cancel()
		}
		return nil
	})
	if got := ran.Load(); got != 10 {
		t.Errorf("%d items ran, want 10 (one worker, cancelled at item 9)", got)
	}
	for i := 10; i < 100; i++ {
		if !errors.Is(errs[i], context.Canceled) {
			t.Fatalf("item %d: %v, want context.Canceled", i, errs[i])
		}
	}
	for i := range 10 {
		if errs[i] != nil {
			t.Fatalf("item %d ran but has error %v", i, errs[i])
		}
	}
}

func TestEachWorkerState(t *testing.T) {
	var made atomic.Int32
	type scratch struct{ items int }
	var total atomic.Int32
	Each(context.Background(), 500, 2, func() *scratch {
		made.Add(1)
		return &scratch{}
	}, func(s *scratch, i int) error {
		s.items++
		total.Add(1)
		return nil
	})
	if m := made.Load(); m < 1 || m > 2 {
		t.Errorf("%d worker states made, want 1 or 2 (limit 2)", m)
	}
	if total.Load() != 500 {
		t.Errorf("total %d, want 500", total.Load())
	}
}

func TestLimit(t *testing.T) {
	for _, c := range []struct{ n, limit, want int }{
		{10, 3, 3}, {2, 8, 2}, {0, 4, 1}, {5, 0, min(runtime.GOMAXPROCS(0), 5)},
	} {
		if got := Limit(c.n, c.limit); got != c.want {
			t.Errorf("Limit(%d, %d) = %d, want %d", c.n, c.limit, got, c.want)
		}
	}
}

func ExampleEach() {
	words := []string{"pump", "monitor", "ventilator"}
	lengths := make([]int, len(words))
	errs := Each(context.Background(), len(words), 2, nil, func(_ struct{}, i int) error {
		if words[i] == "" {
			return errors.New("empty word")
		}
		lengths[i] = len(words[i])
		return nil
	})
	fmt.Println(lengths, errs == nil)
	// Output: [4 7 10] true
}

func TestStream(t *testing.T) {
	ctx := context.Background()
	batches := make(chan []int)
	go func() {
		defer close(batches)
		for b := range 10 {
			batch := make([]int, 100)
			for i := range batch {
				batch[i] = b*100 + i
			}
			batches <- batch
		}
	}()
	var seen [1000]atomic.Int32
	var failed [1000]error
	var made atomic.Int32
	Stream(ctx, 3, func() *int { made.Add(1); return new(int) }, batches, func(w *int, item int) error {
		*w++
		seen[item].Add(1)
		switch item {
		case 250:
			panic("bad file")
		case 700:
			return errors.New("plain")
		}
		return nil
	}, func(item int, err error) { failed[item] = err })
	for i := range seen {
		if seen[i].Load() != 1 {
			t.Fatalf("item %d ran %d times", i, seen[i].Load())
		}
		switch i {
		case 250:
			var pe *PanicError
			if !errors.As(failed[i], &pe) || pe.Value != "bad file" || !strings.Contains(string(pe.Stack), "pool_test.go") {
				t.Errorf("item 250: %v", failed[i])
			}
		case 700:
			if failed[i] == nil || failed[i].Error() != "plain" {
				t.Errorf("item 700: %v", failed[i])
			}
		default:
			if failed[i] != nil {
				t.Errorf("item %d: %v", i, failed[i])
			}
		}
	}
	if m := made.Load(); m != 3 {
		t.Errorf("%d workers made, want 3", m)
	}
}

func TestStreamCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	batches := make(chan []int, 2)
	batches <- []int{0, 1, 2, 3}
	batches <- []int{4, 5}
	close(batches)
	var ran, failed []int
	Stream(ctx, 1, nil, batches, func(_ struct{}, item int) error {
		ran = append(ran, item)
		if item == 1 {
			cancel()
		}
		return nil
	}, func(item int, err error) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("item %d: %v", item, err)
		}
		failed = append(failed, item)
	})
	if fmt.Sprint(ran, failed) != "[0 1] [2 3 4 5]" {
		t.Errorf("ran %v, failed %v", ran, failed)
	}
}
