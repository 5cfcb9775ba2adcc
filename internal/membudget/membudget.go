// Package membudget shares a memory budget between the workers that parse
// documents: a parser whose memory grows with what a document holds (not
// only with its size) estimates its cost before building anything and
// takes that much from the budget, waiting while other workers hold it.
// A document whose estimate alone exceeds the budget is refused. Eight
// hostile documents parsed at once then cost the budget, not eight times
// it (issue 14: eight 1 MB gzipped SPDX YAML files took 13-20 GB).
package membudget

import (
	"fmt"
	"sync"
)

// DefaultTotal is the budget shared by all workers of a process.
const DefaultTotal int64 = 768 << 20

// Budget is a weighted semaphore of bytes.
type Budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	total int64
	used  int64
}

// New returns a budget of total bytes.
func New(total int64) *Budget {
	b := &Budget{total: total}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Default is the budget the parsers of this process share.
var Default = New(DefaultTotal)

// Total returns the size of the budget.
func (b *Budget) Total() int64 { return b.total }

// Acquire takes n bytes from the budget, waiting until they are free, and
// returns the function that gives them back. An n over the whole budget is
// an error (what would never fit is refused rather than waited for).
func (b *Budget) Acquire(what string, n int64) (release func(), err error) {
	if n > b.total {
		return nil, fmt.Errorf("%s would need about %d MiB of memory to read; bomrank's limit is %d MiB", what, n>>20, b.total>>20)
	}
	n = max(n, 0)
	b.mu.Lock()
	for b.used+n > b.total {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.used -= n
			b.mu.Unlock()
			b.cond.Broadcast()
		})
	}, nil
}
