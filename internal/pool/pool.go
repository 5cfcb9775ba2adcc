package pool

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// PanicError is a panic recovered from one item of a pool: the value and
// the stack of the goroutine that panicked. Its message does not carry the
// stack (errors are shown to users); Stack is there for debugging.
type PanicError struct {
	Value any
	Stack []byte
}

// Error implements error.
func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error (panic): %v", e.Value)
}

// Unwrap returns the panic value when it is an error (a runtime error, for
// instance), so that errors.As can see it.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Limit returns the number of goroutines a pool of n items runs with
// limit as the caller's setting: GOMAXPROCS when limit <= 0, never more
// than n and never less than 1.
func Limit(n, limit int) int {
	if limit <= 0 {
		limit = runtime.GOMAXPROCS(0)
	}
	return max(min(limit, n), 1)
}

// Each calls fn(w, i) for every i in [0, n) on Limit(n, limit)
// goroutines. Each goroutine makes its scratch state w once with
// newWorker (nil means the zero W) and hands out items in increasing
// order; fn must not keep w after it returns.
//
// The error of each call is stored at errs[i]; a panic in fn is recovered
// into a *PanicError for that item and the goroutine goes on with the
// next item. Once ctx is done no item starts: items not started get
// ctx.Err(). errs is nil when every call returned nil.
func Each[W any](ctx context.Context, n, limit int, newWorker func() W, fn func(w W, i int) error) (errs []error) {
	if n <= 0 {
		return nil
	}
	var (
		next   atomic.Int64
		mu     sync.Mutex
		failed bool
		wg     sync.WaitGroup
	)
	out := make([]error, n)
	for range Limit(n, limit) {
		wg.Go(func() {
			var w W
			if newWorker != nil {
				w = newWorker()
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				err := ctx.Err()
				if err == nil {
					err = call(fn, w, i)
				}
				if err != nil {
					out[i] = err
					mu.Lock()
					failed = true
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if !failed {
		return nil
	}
	return out
}

// Stream is [Each] for a job whose items are found while it runs (files
// listed by a directory walk while the first ones are read): items arrive
// in batches on batches, and fn(w, item) is called for each item of each
// batch on Limit(n, limit) goroutines, n unknown (so limit, or GOMAXPROCS
// when limit <= 0). A batch is handled by one goroutine, its items in
// order; batches amortise the hand-over, so make them a few hundred items.
//
// Workers are made and panics recovered as in Each. When fn returns an
// error or panics (a *PanicError), fail(item, err) is called on the same
// goroutine; once ctx is done, no item starts and fail(item, ctx.Err()) is
// called for each item left. Stream returns when batches is closed and
// every item has been handled.
func Stream[W, T any](ctx context.Context, limit int, newWorker func() W, batches <-chan []T, fn func(w W, item T) error, fail func(item T, err error)) {
	if limit <= 0 {
		limit = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range limit {
		wg.Go(func() {
			var w W
			if newWorker != nil {
				w = newWorker()
			}
			for batch := range batches {
				for _, item := range batch {
					err := ctx.Err()
					if err == nil {
						err = callItem(fn, w, item)
					}
					if err != nil {
						fail(item, err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// call runs fn(w, i), recovering a panic into a *PanicError.
func call[W any](fn func(W, int) error, w W, i int) (err error) {
	defer recoverInto(&err)
	return fn(w, i)
}

// callItem runs fn(w, item), recovering a panic into a *PanicError.
func callItem[W, T any](fn func(W, T) error, w W, item T) (err error) {
	defer recoverInto(&err)
	return fn(w, item)
}

// recoverInto, deferred, turns a panic into a *PanicError in *err: the
// one recover of the pool.
func recoverInto(err *error) {
	if v := recover(); v != nil {
		*err = &PanicError{Value: v, Stack: debug.Stack()}
	}
}
